"""Pages: public reading, managing by the municipality's own editors only, constant queries."""

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.framework.models import Purpose
from roadmap.indicators import exports, services
from roadmap.indicators.models import ImportBatch, InitiativeIndicator, Observation, Target
from roadmap.indicators.selectors import city_profile
from tests.chart_checks import assert_marks_have_shapes, font_sizes
from tests.conftest import member
from tests.factories import InitiativeFactory, MunicipalityFactory
from tests.spreadsheets import csv_table, xlsx_records

from .helpers import GHG_CODE, PERCENT_CODE, fill, indicator, observe, target

pytestmark = pytest.mark.django_db
CORE_SAMPLE = [GHG_CODE, PERCENT_CODE, "EC: P: EM: 1C", "SC: SH: SA: 9C", "EN: E: E: 1C"]


def _url(name, municipality, **kwargs):
    return reverse(f"indicators:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _upload(client, municipality, text: str | bytes, name="data.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        _url("import", municipality), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


# --- reading ------------------------------------------------------------------------------


def test_the_profile_shows_latest_value_target_band_and_unverified_mark(client, municipality):
    observe(municipality, GHG_CODE, {2023: 4.0, 2024: 3.0}, verified=False)
    target(municipality, GHG_CODE, 2.0, baseline=(4.0, 2023))
    response = client.get(_url("profile", municipality))
    assert response.status_code == 200
    text = response.content.decode()
    assert "GHG Emissions" in text
    assert "67 % · 66–95 % of target" in text  # 2 ÷ 3, lower is better
    assert "50 %" in text  # halfway from 4 to 2
    assert "Unverified" in text
    assert '<svg class="sparkline"' in text


def test_profile_rolls_up_by_dimension_purpose_and_action_area(municipality):
    observe(municipality, GHG_CODE, {2024: 3.0})
    target(municipality, GHG_CODE, 3.0)
    profile = city_profile(municipality)
    environment = next(group for group in profile.dimensions if group.key == "EN")
    assert environment.roll_up.percent == 100
    green = next(group for group in profile.purposes if group.key == "green")
    assert green.roll_up.scored == 1
    leadership = next(group for group in profile.action_areas if group.key == "leadership")
    assert leadership.roll_up.scored == 0


def _query_counts(client, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts.append(len(queries))
    return counts


def test_pages_cost_the_same_queries_whatever_the_data(client, municipality, editor):
    other = MunicipalityFactory()
    urls = [
        _url("profile", municipality),
        _url("purpose", municipality, code="green"),
        _url("indicator", municipality, indicator=indicator(GHG_CODE).slug),
        reverse("indicator_catalogue:list"),
        reverse("indicator_catalogue:compare") + f"?m={municipality.slug}&m={other.slug}",
        _url("import", municipality),
    ]
    fill(municipality, CORE_SAMPLE[:1], range(2023, 2025))
    fill(other, CORE_SAMPLE[:1], range(2023, 2025))
    client.force_login(editor)
    client.get(urls[0])  # warm the session and the role cache
    small = _query_counts(client, urls)
    fill(municipality, CORE_SAMPLE[1:], range(2015, 2025))
    for _index in range(4):
        fill(MunicipalityFactory(), CORE_SAMPLE, range(2015, 2025))
    fill(other, CORE_SAMPLE[1:], range(2015, 2025))
    for _index in range(3):
        services.preview_import(
            actor=editor, municipality=municipality, filename="a.csv", data=b"x"
        )
    assert _query_counts(client, urls) == small
    assert max(small) <= 12


def test_indicator_page_has_series_chart_with_target_and_compares_municipalities(
    client, municipality, other_municipality
):
    observe(municipality, GHG_CODE, {2020: 4.0, 2024: 3.0})
    observe(other_municipality, GHG_CODE, {2024: 5.5})
    target(municipality, GHG_CODE, 2.0)
    text = client.get(
        _url("indicator", municipality, indicator=indicator(GHG_CODE).slug)
    ).content.decode()
    assert "GHG Emissions over time" in text
    assert "Target 2030" in text
    assert "Elvdal (2024)" in text
    assert text.count("<figure") == 2


def test_indicator_page_lists_public_initiatives_claiming_it(client, municipality, editor):
    public = InitiativeFactory(municipality=municipality, title="Electric ferries")
    internal = InitiativeFactory(
        municipality=municipality, title="Secret plan", visibility="internal"
    )
    for initiative in (public, internal):
        InitiativeIndicator.objects.create(
            initiative=initiative, indicator=indicator(GHG_CODE), effect="decrease"
        )
    url = _url("indicator", municipality, indicator=indicator(GHG_CODE).slug)
    text = client.get(url).content.decode()
    assert "Electric ferries" in text and "Secret plan" not in text
    client.force_login(editor)
    assert "Secret plan" in client.get(url).content.decode()


def test_comparison_needs_two_to_six_municipalities(client, municipality):
    observe(municipality, GHG_CODE, {2024: 3.0})
    response = client.get(
        reverse("indicator_catalogue:compare") + f"?m={municipality.slug}&compare="
    )
    assert "Choose from 2 to 6 municipalities" in response.content.decode()


def test_comparison_opens_without_an_error_and_with_the_profile_preselected(
    client, municipality, other_municipality
):
    observe(municipality, GHG_CODE, {2024: 3.0})
    observe(other_municipality, GHG_CODE, {2024: 4.0})
    first = client.get(reverse("indicator_catalogue:compare")).content.decode()
    linked = client.get(
        reverse("indicator_catalogue:compare") + f"?m={municipality.slug}"
    ).content.decode()
    for text in (first, linked):
        assert "Please correct the following" not in text
        assert "Choose from 2 to 6 municipalities." not in text
    assert re.search(f'value="{municipality.slug}" id="id_m_[0-9]" checked>', linked)
    assert not re.search(f'value="{municipality.slug}" id="id_m_[0-9]" checked>', first)


def test_comparison_form_offers_each_publishing_municipality_as_a_labelled_checkbox(
    client, municipality, other_municipality
):
    silent = MunicipalityFactory(name="Stillevik")  # publishes nothing: not offered
    for place in (municipality, other_municipality):
        observe(place, GHG_CODE, {2024: 3.0})
    text = client.get(
        reverse("indicator_catalogue:compare") + f"?m={other_municipality.slug}"
    ).content.decode()
    assert '<legend class="ds-label">Municipalities to compare' in text
    assert (
        f'<label for="id_m_0"><input type="checkbox" name="m" value="{other_municipality.slug}" '
        f'id="id_m_0" checked> {other_municipality.name}</label>'
    ) in text
    assert f'value="{municipality.slug}" id="id_m_1">' in text
    assert silent.slug not in text


def test_initiative_page_shows_claimed_indicators_with_constant_queries(client, municipality):
    initiative = InitiativeFactory(municipality=municipality)
    url = reverse(
        "initiatives:detail", kwargs={"municipality": municipality.slug, "pk": initiative.pk}
    )
    counts = []
    for code in (GHG_CODE, PERCENT_CODE, "EC: P: EM: 1C"):
        InitiativeIndicator.objects.create(
            initiative=initiative, indicator=indicator(code), effect="increase"
        )
        observe(municipality, code, {2022: 10, 2023: 11})
        counts += _query_counts(client, [url])
    assert len(set(counts)) == 1
    text = client.get(url).content.decode()
    assert "Expected effect on indicators" in text
    assert "Fixed Broadband Subscriptions" in text


# --- exports ------------------------------------------------------------------------------


def test_exports_neutralise_spreadsheet_formulas_but_keep_numbers(client, municipality):
    observe(municipality, GHG_CODE, {2024: -1.5}, source='=HYPERLINK("http://x")', note="+1 note")
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(_url("export_csv", municipality)).streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["source"] == '\'=HYPERLINK("http://x")'
    assert record["note"] == "'+1 note"
    assert record["value"] == "-1.5"
    data = json.loads(client.get(_url("export_json", municipality)).content)
    assert data["observations"][0]["source"].startswith("'=")
    assert data["observations"][0]["value"] == -1.5


# --- managing -----------------------------------------------------------------------------


def test_an_editor_imports_through_preview_and_confirmation(client, municipality, editor):
    client.force_login(editor)
    response = _upload(client, municipality, f"indicator;period;value\n{GHG_CODE};2024;3,3\n")
    batch = ImportBatch.objects.get()
    assert response.url == _url("import_batch", municipality, pk=batch.pk)
    assert "Nothing is saved until you confirm" in client.get(response.url).content.decode()
    assert not Observation.objects.exists()
    client.post(response.url)
    assert Observation.objects.get().value == 3.3


def test_the_preview_reports_problems_per_row(client, municipality, editor):
    client.force_login(editor)
    response = _upload(client, municipality, f"indicator;period;value\n{GHG_CODE};2024;x\n")
    text = client.get(response.url).content.decode()
    assert "nothing was saved" in text
    assert "“x” is not a number" in text
    assert '<span class="ds-tag" data-color="danger">Has problems; nothing was saved</span>' in text
    assert "Waiting for confirmation" not in text
    listing = client.get(_url("import", municipality)).content.decode()
    assert "Has problems; nothing was saved" in listing
    assert "Waiting for confirmation" not in listing
    assert client.post(response.url).status_code == 302
    assert not Observation.objects.exists()


def test_a_50_mb_upload_is_refused_with_a_clear_message(client, municipality, editor):
    client.force_login(editor)
    big = b"indicator;period;value\n" + b"x" * (50 * 1024 * 1024)
    response = _upload(client, municipality, big)
    assert response.status_code == 400
    assert "files must be smaller than 50 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_editor_sets_a_target_with_validation(client, municipality, editor):
    client.force_login(editor)
    url = _url("target", municipality, indicator=indicator(GHG_CODE).slug)
    response = client.post(url, {"baseline_value": "4", "target_value": "2", "target_year": "2030"})
    assert "value and year together, or neither" in response.content.decode()
    assert not Target.objects.exists()
    client.post(
        url,
        {
            "baseline_value": "4",
            "baseline_year": "2015",
            "target_value": "2",
            "target_year": "2030",
        },
    )
    assert Target.objects.get().target_value == 2


def test_an_editor_adds_an_own_indicator_and_adjusts_a_mapping(client, municipality, editor):
    client.force_login(editor)
    response = client.post(
        _url("own_create", municipality),
        {
            "code": "FJ-1",
            "name": "Ferry trips by electricity",
            "definition": "Share of ferry trips run on batteries.",
            "dimension": "EN",
            "category": indicator(GHG_CODE).category_id,
            "unit": "%",
            "direction": "higher",
            "min_value": "0",
            "max_value": "100",
        },
    )
    assert response.status_code == 302
    own = municipality.own_indicators.get()
    assert (own.level, own.slug) == ("local", "fj-1")
    green = Purpose.objects.get(code="green")
    client.post(
        _url("mapping", municipality, indicator=indicator(GHG_CODE).slug), {"purposes": [green.pk]}
    )
    groups = {group.key: group for group in city_profile(municipality).purposes}
    assert [
        row.indicator.code for row in groups["liveable"].rows if row.indicator.code == GHG_CODE
    ] == []


def test_an_editor_links_an_initiative_to_an_indicator(client, municipality, editor):
    client.force_login(editor)
    initiative = InitiativeFactory(municipality=municipality)
    url = _url("initiative_claims", municipality, pk=initiative.pk)
    client.post(url, {"indicator": indicator(GHG_CODE).pk, "effect": "decrease"})
    claim = InitiativeIndicator.objects.get()
    assert (claim.initiative, claim.effect) == (initiative, "decrease")
    client.post(url, {"withdraw": claim.pk})
    assert not InitiativeIndicator.objects.exists()


@pytest.mark.parametrize("role", [None, "assessor"])
def test_only_editors_and_administrators_of_the_municipality_manage(
    client, municipality, outsider, role
):
    """Another municipality's editor, a plain user or an assessor gets 403 everywhere."""
    user = outsider if role is None else member(municipality, role)
    other_batch = ImportBatch.objects.create(
        municipality=municipality, filename="x.csv", status="preview", columns=[], summary={}
    )
    initiative = InitiativeFactory(municipality=municipality)
    client.force_login(user)
    slug = indicator(GHG_CODE).slug
    for url, data in [
        (_url("import", municipality), {}),
        (_url("import_batch", municipality, pk=other_batch.pk), {}),
        (_url("target", municipality, indicator=slug), {"target_value": 1, "target_year": 2030}),
        (_url("mapping", municipality, indicator=slug), {}),
        (_url("own_create", municipality), {}),
        (_url("initiative_claims", municipality, pk=initiative.pk), {}),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert not Target.objects.exists()
    other_batch.refresh_from_db()
    assert other_batch.status == "preview"


def test_an_editor_cannot_open_another_municipalitys_batch_through_their_own(
    client, municipality, other_municipality, outsider
):
    batch = ImportBatch.objects.create(
        municipality=municipality, filename="x.csv", status="preview", columns=[], summary={}
    )
    client.force_login(outsider)
    url = _url("import_batch", other_municipality, pk=batch.pk)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_anonymous_people_are_sent_to_sign_in_for_imports(client, municipality):
    response = client.get(_url("import", municipality))
    assert response.status_code == 302
    assert "login" in response.url


def test_csv_under_norwegian_has_semicolons_and_decimal_commas(client, municipality, settings):
    observe(municipality, GHG_CODE, {2024: 87.5}, source="SSB, table 1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"

    header, row = csv_table(client.get(_url("export_csv", municipality)), delimiter=";")

    record = dict(zip(header, row, strict=True))
    assert record["value"] == "87,5"
    assert record["source"] == "SSB, table 1"
    # JSON is for machines: a number with a decimal point whatever the language.
    data = json.loads(client.get(_url("export_json", municipality)).content)
    assert data["observations"][0]["value"] == 87.5


def test_csv_in_english_has_commas_and_decimal_points(client, municipality):
    observe(municipality, GHG_CODE, {2024: 87.5})
    header, row = csv_table(client.get(_url("export_csv", municipality)), delimiter=",")
    assert dict(zip(header, row, strict=True))["value"] == "87.5"


def test_xlsx_export_has_number_cells_and_formulas_as_text(client, municipality):
    observe(municipality, GHG_CODE, {2023: 87.5, 2024: -1.5}, source="=HYPERLINK(1)")

    response = client.get(_url("export_xlsx", municipality))

    assert 'filename="fjordvik-indicators.xlsx"' in response["Content-Disposition"]
    records = xlsx_records(response)
    assert list(records[0]) == list(exports.COLUMNS)
    assert [record["value"].value for record in records] == [87.5, -1.5]
    assert all(isinstance(record["value"].value, int | float) for record in records)
    assert records[0]["source"].value == "=HYPERLINK(1)"
    assert records[0]["source"].data_type == "s"
    assert records[0]["verified"].value == "no"


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_exports_are_public_and_scoped_to_a_known_municipality(client, municipality, name):
    observe(municipality, GHG_CODE, {2024: 1.0})
    assert client.get(_url(name, municipality)).status_code == 200
    unknown = reverse(f"indicators:{name}", kwargs={"municipality": "nowhere"})
    assert client.get(unknown).status_code == 404


def test_profile_offers_xlsx_beside_the_csv_with_a_note_on_its_style(client, municipality):
    html = client.get(_url("profile", municipality)).content.decode()
    assert _url("export_xlsx", municipality) in html
    assert "Download the data (XLSX)" in html
    assert "CSV with commas and decimal points" in html


def test_the_profile_opens_with_an_overview_chart_per_dimension_and_jump_links(
    client, municipality
):
    observe(municipality, GHG_CODE, {2023: 4.0, 2024: 3.0})
    target(municipality, GHG_CODE, 2.0)  # 67 % of target, in Environment
    text = client.get(_url("profile", municipality)).content.decode()

    contents = text.split('class="page-contents"')[1].split("</nav>")[0]
    for anchor, label in [
        ("overview-heading", "Overview"),
        ("summary-heading", "Summary"),
        ("dimension-EC", "Economy"),
        ("dimension-EN", "Environment"),
        ("dimension-SC", "Society and culture"),
    ]:
        assert f'href="#{anchor}">{label}</a>' in contents
        assert f'id="{anchor}"' in text
    overview = text.split('id="overview-heading"')[1].split('id="summary-heading"')[0]
    # Environment has a score: its chart, with the category's bar labelled "67 %".
    assert "Environment: mean share of target per category" in overview
    chart = overview.split('id="overview-EN-caption"')[1].split("</figure>")[0]
    bars = [m for m in assert_marks_have_shapes(chart) if m.get("aria-roledescription") == "bar"]
    assert len(bars) == 2  # wide and narrow drawing, one scored category each
    assert all("67" in bar["aria-label"] for bar in bars)
    assert min(font_sizes(chart.split("chart__svg--narrow")[1])) >= 11
    # Economy and Society have no target yet: a sentence, not an empty chart.
    assert "Economy: no indicator has both a value and a target yet" in overview
    assert "Society and culture: no indicator has both a value and a target yet" in overview
    assert overview.count("<figure") == 1


def test_exports_name_the_national_concept_of_each_row(client, municipality):
    scheme = "https://data.norge.no/vocabulary/indicator/U4SSC"
    observe(municipality, GHG_CODE, {2024: 5.0})
    observe(municipality, "EN: EN: AQ: 1C", {2024: 12.0}, series="PM10")
    header, *rows = csv_table(client.get(_url("export_csv", municipality)))
    concepts = {
        (row[0], row[2]): dict(zip(header, row, strict=True))["concept_uri"] for row in rows
    }
    assert concepts == {
        ("EN: EN: AQ: 1C", "PM10"): f"{scheme}/2205",
        (GHG_CODE, ""): f"{scheme}/2209",
    }
    records = xlsx_records(client.get(_url("export_xlsx", municipality)))
    assert [record["concept_uri"].value for record in records] == [
        concepts[(record["indicator"].value, record["series"].value or "")] for record in records
    ]
    data = json.loads(client.get(_url("export_json", municipality)).content)
    assert {item["concept_uri"] for item in data["observations"]} == set(concepts.values())
