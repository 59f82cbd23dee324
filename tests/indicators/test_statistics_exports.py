"""Long-format exports as Statistics Norway, Sweden and Finland write them (issue 19, item 3).
The files are written here in the offices' layouts; none is downloaded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmap.indicators import imports
from roadmap.indicators.models import ImportBatch, Observation
from roadmap.indicators.selectors import indicator_lookup
from tests.factories import MunicipalityFactory

from .helpers import indicator

pytestmark = pytest.mark.django_db
UNEMPLOYMENT = "EC: P: EM: 1C"

SSB = (
    '\ufeff"region";"år";"statistikkvariabel";'
    '"12210: Kommunefakta, etter region, år og statistikkvariabel"\n'
    '"4699 Fjordvik";"2023";"Arbeidsledighet";2,1\n'
    '"4699 Fjordvik";"2024";"Arbeidsledighet";1,9\n'
    '"4699 Fjordvik";"2024";"Valgdeltakelse";..\n'
    '"4699 Fjordvik";"2024";"Forventet levealder";:\n'
    '"0301 Oslo";"2024";"Arbeidsledighet";2,5\n'
    '"K-3401 Kongsvinger";"2024";"Arbeidsledighet";2,4\n'
)


@pytest.fixture
def fjordvik(municipality):
    municipality.region_code = "4699"
    municipality.save()
    return municipality


def read(text, municipality):
    return imports.read_file(
        text.encode(),
        "export.csv",
        indicator_lookup(municipality),
        imports.Region(municipality.region_code, municipality.name),
    )


def test_a_statistics_norway_semicolon_export_is_read_for_the_municipality(fjordvik):
    parsed = read(SSB, fjordvik)
    assert parsed.problem_count == 0
    assert [row[:5] for row in parsed.rows] == [
        (indicator(UNEMPLOYMENT).pk, "", "year", "2023-01-01", 2.1),
        (indicator(UNEMPLOYMENT).pk, "", "year", "2024-01-01", 1.9),
    ]
    assert parsed.mapped == {
        "Arbeidsledighet": UNEMPLOYMENT,
        "Valgdeltakelse": "SC: SH: SI: 4C",
        "Forventet levealder": "SC: EH: H: 1C",
    }
    assert [(row["indicator"], row["symbol"], row["meaning"]) for row in parsed.no_values] == [
        ("SC: SH: SI: 4C", "..", "the figure is not available"),
        ("SC: EH: H: 1C", ":", "withheld for confidentiality"),
    ]
    assert (parsed.other_region_rows, parsed.other_regions) == (
        2,
        ["0301 Oslo", "K-3401 Kongsvinger"],
    )


def test_a_statistics_sweden_comma_export_with_a_code_column_is_read(db):
    stockholm = MunicipalityFactory(name="Stockholm", slug="stockholm", region_code="0180")
    text = (
        '"region","tabellinnehåll","år","kod","Arbetslöshet, andel av befolkningen, procent"\n'
        '"0180 Stockholm","Arbetslöshet","2024","EC: P: EM: 1C",6.8\n'
        '"0180 Stockholm","Arbetslöshet","2025","EC: P: EM: 1C",-\n'
        '"0114 Upplands Väsby","Arbetslöshet","2024","EC: P: EM: 1C",7.2\n'
    )
    parsed = read(text, stockholm)
    assert parsed.problem_count == 0
    assert [row[3:5] for row in parsed.rows] == [("2024-01-01", 6.8)]
    assert parsed.no_values[0]["symbol"] == "-"
    assert parsed.no_values[0]["meaning"] == "nil"
    assert parsed.other_regions == ["0114 Upplands Väsby"]


def test_a_statistics_finland_export_matches_the_code_without_its_prefix(db):
    helsinki = MunicipalityFactory(name="Helsinki", slug="helsinki", region_code="091")
    text = (
        '"Alue";"Vuosi";"Tiedot";"Työllisyys ja työttömyys"\n'
        '"KU091 Helsinki";"2024";"Unemployment Rate";"10,4"\n'
        '"KU049 Espoo";"2024";"Unemployment Rate";"8,9"\n'
    )
    parsed = read(text, helsinki)
    assert parsed.problem_count == 0
    assert [row[4] for row in parsed.rows] == [10.4]
    assert parsed.other_region_rows == 1


def test_without_a_region_code_the_municipality_is_found_by_name(municipality):
    parsed = read(SSB, municipality)
    assert len(parsed.rows) == 2
    assert parsed.other_region_rows == 2
    municipality.name = "Fjordvik kommune"
    assert len(read(SSB, municipality).rows) == 2


def test_a_file_without_the_municipalitys_rows_is_refused_naming_its_regions(fjordvik):
    text = SSB.splitlines()[0] + "\n" + "\n".join(SSB.splitlines()[5:]) + "\n"
    with pytest.raises(imports.FileRefused) as refused:
        read(text, fjordvik)
    assert str(refused.value) == (
        "None of the file's 2 rows is for Fjordvik (region code “4699”); they are for "
        "0301 Oslo, K-3401 Kongsvinger."
    )


def test_an_unknown_variable_is_a_problem_with_suggestions_and_bad_values_stay_errors(fjordvik):
    text = (
        '"region";"år";"statistikkvariabel";"Tabell"\n'
        '"4699 Fjordvik";"2024";"Sysselsatte";12\n'
        '"4699 Fjordvik";"2024";"Arbeidsledighet";n/a\n'
    )
    parsed = read(text, fjordvik)
    assert [(problem["row"], problem["column"]) for problem in parsed.problems] == [
        (2, "indicator"),
        (3, "value"),
    ]
    assert parsed.problems[0]["message"].startswith("unknown indicator code “Sysselsatte”")
    assert parsed.problems[1]["message"] == "“n/a” is not a number"


def test_the_import_report_shows_the_mapping_the_no_values_and_the_other_regions(
    client, fjordvik, editor
):
    client.force_login(editor)
    response = client.post(
        reverse("indicators:import", kwargs={"municipality": fjordvik.slug}),
        {"file": SimpleUploadedFile("ssb.csv", SSB.encode(), "text/csv")},
        follow=True,
    )
    page = response.content.decode()
    assert "All 4 rows are valid." in page
    assert "2 rows for other regions were ignored (0301 Oslo, K-3401 Kongsvinger)." in page
    assert '<th scope="row">Arbeidsledighet</th><td>EC: P: EM: 1C</td>' in page
    assert "withheld for confidentiality" in page
    batch = ImportBatch.objects.get()
    client.post(
        reverse("indicators:import_batch", kwargs={"municipality": fjordvik.slug, "pk": batch.pk})
    )
    assert Observation.objects.filter(municipality=fjordvik).count() == 2
