"""Imports commit every row or none; a re-import updates in place and records what changed."""

import datetime

import pytest

from roadmap.core.models import AuditEvent
from roadmap.indicators import services
from roadmap.indicators.models import ImportBatch, Observation, Target

from .helpers import GHG_CODE, PERCENT_CODE, indicator, observe

pytestmark = pytest.mark.django_db


def _preview(municipality, editor, text: str) -> ImportBatch:
    return services.preview_import(
        actor=editor, municipality=municipality, filename="data.csv", data=text.encode()
    )


def test_a_valid_file_is_kept_for_preview_and_written_only_on_commit(municipality, editor):
    batch = _preview(municipality, editor, f"indicator;period;value\n{GHG_CODE};2023;3,1\n")
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not Observation.objects.exists()
    services.commit_import(actor=editor, batch=batch)
    observation = Observation.objects.get()
    assert (observation.municipality, observation.value) == (municipality, 3.1)
    assert observation.period == datetime.date(2023, 1, 1)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.summary["created"] == 1


def test_a_file_with_one_bad_row_changes_nothing_and_cannot_be_committed(municipality, editor):
    observe(municipality, GHG_CODE, {2022: 4.0})
    text = f"indicator;period;value\n{GHG_CODE};2022;3,0\n{GHG_CODE};2023;lots\n"
    batch = _preview(municipality, editor, text)
    assert batch.summary == {"rows": 2, "problems": 1}
    assert batch.columns == []
    with pytest.raises(services.ImportNotReady):
        services.commit_import(actor=editor, batch=batch)
    assert list(Observation.objects.values_list("value", flat=True)) == [4.0]


def test_a_refused_file_is_recorded_with_its_reason(municipality, editor):
    batch = _preview(municipality, editor, "")
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.problems[0]["message"] == "The file is empty."
    with pytest.raises(services.ImportNotReady):
        services.commit_import(actor=editor, batch=batch)


def test_a_batch_is_committed_once(municipality, editor):
    batch = _preview(municipality, editor, f"indicator;period;value\n{GHG_CODE};2023;3\n")
    services.commit_import(actor=editor, batch=batch)
    with pytest.raises(services.ImportNotReady):
        services.commit_import(actor=editor, batch=batch)
    assert Observation.objects.count() == 1


def test_a_reimport_updates_in_place_and_records_the_changes(municipality, editor):
    first = _preview(
        municipality,
        editor,
        f"indicator;period;value\n{GHG_CODE};2022;4,0\n{GHG_CODE};2023;3,5\n",
    )
    services.commit_import(actor=editor, batch=first)
    ids = set(Observation.objects.values_list("pk", flat=True))
    second = _preview(
        municipality,
        editor,
        f"indicator;period;value;verified\n{GHG_CODE};2022;4,0;no\n{GHG_CODE};2023;3,2;yes\n"
        f"{PERCENT_CODE};2023;91;no\n",
    )
    services.commit_import(actor=editor, batch=second)
    second.refresh_from_db()
    assert (second.summary["created"], second.summary["updated"], second.summary["unchanged"]) == (
        1,
        1,
        1,
    )
    ghg = indicator(GHG_CODE).pk
    assert second.summary["changes"] == [[ghg, "", "2023-01-01", 3.5, 3.2]]
    assert ids < set(Observation.objects.values_list("pk", flat=True))
    updated = Observation.objects.get(period__year=2023, indicator_id=ghg)
    assert (updated.value, updated.verified, updated.batch_id) == (3.2, True, second.pk)
    event = AuditEvent.objects.filter(object_id=str(second.pk)).get()
    assert event.actor == editor
    assert event.changes["updated"] == 1
    assert event.changes["values"] == [[ghg, "", "2023-01-01", 3.5, 3.2]]


def test_imports_write_only_their_own_municipality(municipality, other_municipality, editor):
    observe(other_municipality, GHG_CODE, {2023: 9.0})
    batch = _preview(municipality, editor, f"indicator;period;value\n{GHG_CODE};2023;3\n")
    services.commit_import(actor=editor, batch=batch)
    values = dict(Observation.objects.values_list("municipality__slug", "value"))
    assert values == {"fjordvik": 3.0, "elvdal": 9.0}


def test_setting_a_target_twice_updates_it_and_audits_the_change(municipality, editor):
    chosen = indicator(GHG_CODE)
    data = {"baseline_value": 4.0, "baseline_year": 2015, "target_value": 2.0, "target_year": 2030}
    services.set_target(actor=editor, municipality=municipality, indicator=chosen, data=data)
    services.set_target(
        actor=editor,
        municipality=municipality,
        indicator=chosen,
        data={**data, "target_value": 1.5},
    )
    assert Target.objects.get().target_value == 1.5
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"target_value": [2.0, 1.5]}
