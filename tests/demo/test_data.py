"""The demo data files: a file with problems is refused with a message naming the file, the
entry and the field, and nothing is written, whichever file it is."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from roadmap.accounts.models import User
from roadmap.core.datafiles import DataFileError
from roadmap.demo.build import build_demo, demo_data
from roadmap.indicators import demo as indicators
from roadmap.initiatives import demo as portfolio
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import Municipality
from roadmap.opinions import demo as opinions
from roadmap.participation import demo as participation

pytestmark = pytest.mark.django_db


def broken(monkeypatch, tmp_path: Path, module, old: str, new: str) -> None:
    """Point `module` at a copy of its data file with the first `old` replaced by `new`."""
    text = module.DATA_FILE.read_text(encoding="utf-8")
    assert old in text, old
    app = module.DATA_FILE.parent.parent.name
    copy = tmp_path / app / "data" / "demo.yaml"
    copy.parent.mkdir(parents=True)
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(module, "DATA_FILE", copy)


def refused(match: str) -> str:
    """Build the demo and expect it refused; return the message. Nothing may be written."""
    rows = (Municipality.objects.count(), User.objects.count(), Initiative.objects.count())
    with pytest.raises(CommandError) as error:
        call_command("build_demo")
    assert match in str(error.value)
    assert "nothing was written" in str(error.value)
    assert (
        Municipality.objects.count(),
        User.objects.count(),
        Initiative.objects.count(),
    ) == rows
    return str(error.value)


def test_the_shipped_files_have_no_problems():
    data = demo_data()
    assert data.portfolio.local_principle.name["nb"]
    assert len(data.participation.processes) == 2


def test_a_value_outside_the_choices_names_file_entry_and_field(monkeypatch, tmp_path):
    broken(monkeypatch, tmp_path, portfolio, "    status: piloting\n", "    status: piloted\n")
    message = refused("initiatives/data/demo.yaml")
    assert (
        "municipality ('Fjordvik kommune').initiatives[0] ('Mobility hub pilot at the Havnebyen "
        "ferry terminal').status: must be one of" in message
    )
    assert "'piloted'" in message


def test_an_unknown_key_is_refused(monkeypatch, tmp_path):
    broken(
        monkeypatch,
        tmp_path,
        participation,
        "  sector: voluntary\n",
        "  sector: voluntary\n  colour: green\n",
    )
    message = refused("participation/data/demo.yaml")
    assert "organisation ('Friends of Strandvika Beach'): unknown fields ['colour']" in message


def test_a_required_translation_missing_is_refused(monkeypatch, tmp_path):
    broken(
        monkeypatch,
        tmp_path,
        portfolio,
        "  name: {en: Prepare for the coastal climate, nb: Forbered oss på kystklimaet}\n",
        "  name: {nb: Forbered oss på kystklimaet}\n",
    )
    message = refused("initiatives/data/demo.yaml")
    assert (
        "local_principle ('coastal-climate-readiness').name: needs an English ('en') text"
        in message
    )


def test_an_invalid_reference_is_refused(monkeypatch, tmp_path):
    broken(
        monkeypatch,
        tmp_path,
        participation,
        "    initiative: Heat-pump retrofits in municipal buildings\n",
        "    initiative: Heat-pump retrofits in the town hall\n",
    )
    message = refused("participation/data/demo.yaml")
    assert (
        "processes[1] ('Climate budget 2027').proposals[0] ('Heat pumps in the remaining "
        "schools').initiative: unknown initiative 'Heat-pump retrofits in the town hall'" in message
    )


def test_a_missing_field_is_refused(monkeypatch, tmp_path):
    broken(
        monkeypatch,
        tmp_path,
        portfolio,
        "      hypothesis: Trying a device first means fewer devices end up unused.\n",
        "",
    )
    message = refused("initiatives/data/demo.yaml")
    assert "pilots[0] ('One year at the health centre'): field 'hypothesis' is missing" in message


def test_a_kpi_unknown_to_the_catalogue_is_refused(monkeypatch, tmp_path):
    broken(monkeypatch, tmp_path, indicators, "'EC: ICT: ICT: 1C'", "'EC: ICT: ICT: 99C'")
    message = refused("indicators/data/demo.yaml")
    assert "levels key 'EC: ICT: ICT: 99C': unknown core KPI 'EC: ICT: ICT: 99C'" in message


def test_every_problem_in_a_file_is_listed_at_once(monkeypatch, tmp_path):
    broken(
        monkeypatch,
        tmp_path,
        portfolio,
        "    sdgs: [9, 11, 13]\n    budget: 2400000\n",
        "    sdgs: [9, eleven]\n    budget: lots\n",
    )
    with pytest.raises(DataFileError) as error:
        demo_data()
    message = str(error.value)
    assert ".sdgs[1]: must be a whole number, got 'eleven'" in message
    assert ".budget: must be a whole number, got 'lots'" in message


def test_a_problem_in_the_last_file_stops_the_build_before_the_first_row(monkeypatch, tmp_path):
    broken(monkeypatch, tmp_path, opinions, "- language: nb\n", "- language: xx\n")
    refused("opinions/data/demo.yaml")
    assert not Municipality.objects.exists()


def test_a_rebuild_with_a_broken_file_keeps_the_demo_there_is(monkeypatch, tmp_path):
    build_demo()
    broken(
        monkeypatch,
        tmp_path,
        participation,
        "  member: demo-resident-liv\n",
        "  member: demo-resident-nobody\n",
    )
    with pytest.raises(CommandError, match="unknown participant 'demo-resident-nobody'"):
        call_command("build_demo", "--reset")
    assert Initiative.objects.filter(municipality__slug="fjordvik").count() > 25
