"""Observations entered and deleted by hand; own indicators edited and deleted. Only the
municipality's editors do it, bad input changes nothing, and every change is audited."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.indicators import services
from roadmap.indicators.models import Indicator, InitiativeIndicator, Observation, Target
from tests.conftest import member
from tests.factories import InitiativeFactory

from .helpers import GHG_CODE, PERCENT_CODE, indicator, observe, target

pytestmark = pytest.mark.django_db


def _url(name, municipality, **kwargs):
    return reverse(f"indicators:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _entry_url(municipality, code=GHG_CODE):
    return _url("observation_create", municipality, indicator=indicator(code).slug)


def _entry(**fields):
    return {
        "period": "2024",
        "value": "3,5",
        "series": "",
        "source": "SSB table 13931",
        "quality": "measured",
        "note": "",
        **fields,
    }


def _own(municipality, editor, code="FJ-1", **fields) -> Indicator:
    return services.create_own_indicator(
        actor=editor,
        municipality=municipality,
        data={
            "code": code,
            "name": "Ferry trips by electricity",
            "definition": "Share of ferry trips run on batteries.",
            "dimension": "EN",
            "category": indicator(GHG_CODE).category,
            "unit": "%",
            "direction": "higher",
            "min_value": 0,
            "max_value": 100,
            **fields,
        },
    )


def _own_form(own: Indicator, **fields):
    return {
        "code": own.code,
        "name": own.name,
        "definition": own.definition,
        "dimension": own.dimension,
        "category": own.category_id,
        "unit": own.unit,
        "direction": own.direction,
        "min_value": own.min_value,
        "max_value": own.max_value,
        **fields,
    }


# --- one observation by hand --------------------------------------------------------------


def test_an_editor_adds_an_observation_from_the_indicator_page(client, municipality, editor):
    client.force_login(editor)
    page = client.get(_url("indicator", municipality, indicator=indicator(GHG_CODE).slug))
    assert _entry_url(municipality) in page.content.decode()
    response = client.post(_entry_url(municipality), _entry(verified="on"), follow=True)
    assert response.redirect_chain == [(_entry_url(municipality), 302)]
    assert "The observation for 2024 was added." in response.content.decode()
    observation = Observation.objects.get()
    assert (observation.municipality, observation.indicator) == (municipality, indicator(GHG_CODE))
    assert (observation.period, observation.granularity) == (datetime.date(2024, 1, 1), "year")
    assert (observation.value, observation.quality, observation.verified) == (3.5, "measured", True)
    assert observation.source == "SSB table 13931"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.municipality) == ("create", editor, municipality)
    assert event.object_id == str(observation.pk)
    assert event.changes["value"] == [None, 3.5]
    assert event.changes["period"] == [None, "2024-01-01"]


@pytest.mark.parametrize(
    ("period", "granularity", "day"),
    [("2024-03", "month", datetime.date(2024, 3, 1)), ("2024-03-15", "day", None)],
)
def test_months_and_days_are_written_as_imports_write_them(
    client, municipality, editor, period, granularity, day
):
    client.force_login(editor)
    client.post(_entry_url(municipality), _entry(period=period))
    observation = Observation.objects.get()
    assert observation.granularity == granularity
    assert observation.period == (day or datetime.date.fromisoformat(period))


def test_the_same_period_and_series_is_corrected_in_place(client, municipality, editor):
    observe(municipality, GHG_CODE, {2024: 4.0}, source="SSB table 13931", quality="measured")
    original = Observation.objects.get()
    client.force_login(editor)
    response = client.post(_entry_url(municipality), _entry(value="3.2"), follow=True)
    assert "There was already an observation for 2024; it was updated" in (
        response.content.decode()
    )
    corrected = Observation.objects.get()
    assert (corrected.pk, corrected.value) == (original.pk, 3.2)
    event = AuditEvent.objects.get()
    assert event.action == "update"
    assert event.changes == {"value": [4.0, 3.2]}


def test_another_series_of_the_same_period_is_a_new_observation(client, municipality, editor):
    observe(municipality, GHG_CODE, {2024: 4.0})
    client.force_login(editor)
    client.post(_entry_url(municipality), _entry(series="Road transport"))
    assert sorted(Observation.objects.values_list("series", "value")) == [
        ("", 4.0),
        ("Road transport", 3.5),
    ]


def test_entering_the_same_values_again_changes_and_audits_nothing(client, municipality, editor):
    client.force_login(editor)
    client.post(_entry_url(municipality), _entry())
    response = client.post(_entry_url(municipality), _entry(), follow=True)
    assert "already had these values" in response.content.decode()
    assert Observation.objects.count() == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "fields", "message"),
    [
        (GHG_CODE, {"value": "lots"}, "“lots” is not a number"),
        (GHG_CODE, {"value": ""}, "This field is required."),
        (PERCENT_CODE, {"value": "120"}, "120.0 is outside the plausible range 0 to 100 %"),
        (GHG_CODE, {"value": "-1"}, "is outside the plausible range 0 to ∞"),
        (GHG_CODE, {"period": "2024-13"}, "“2024-13” is not a period (write 2024, 2024-03"),
        (GHG_CODE, {"period": "1850"}, "“1850” is not a period"),
        (GHG_CODE, {"period": "last year"}, "“last year” is not a period"),
        (GHG_CODE, {"quality": "excellent"}, "Select a valid choice."),
        (GHG_CODE, {"series": "x" * 61}, "at most 60 characters"),
    ],
)
def test_bad_input_is_refused_with_the_import_rules_and_nothing_is_written(
    client, municipality, editor, code, fields, message
):
    observe(municipality, code, {2024: 50.0})
    client.force_login(editor)
    response = client.post(_entry_url(municipality, code), _entry(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Observation.objects.values_list("value", flat=True)) == [50.0]
    assert not AuditEvent.objects.exists()


def test_the_entry_page_lists_observations_with_constant_queries(client, municipality, editor):
    client.force_login(editor)
    url = _entry_url(municipality)
    client.get(url)  # warm the session and the role cache
    counts = []
    for years in (range(2023, 2024), range(2000, 2024)):
        Observation.objects.all().delete()
        observe(municipality, GHG_CODE, {year: 3.0 for year in years})
        with CaptureQueriesContext(connection) as queries:
            text = client.get(url).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Next page" in text  # 24 observations, 20 per page
    newest = Observation.objects.get(period__year=2023)
    assert _url(
        "observation_delete", municipality, indicator=indicator(GHG_CODE).slug, pk=newest.pk
    ) in (text)


# --- deleting an observation --------------------------------------------------------------


def test_an_editor_deletes_an_observation_after_confirming(client, municipality, editor):
    observe(municipality, GHG_CODE, {2023: 3.4, 2024: 3.1}, source="SSB")
    chosen = Observation.objects.get(period__year=2023)
    url = _url("observation_delete", municipality, indicator=indicator(GHG_CODE).slug, pk=chosen.pk)
    client.force_login(editor)
    text = client.get(url).content.decode()
    assert "Delete this observation of GHG Emissions?" in text
    assert "<dt>Period</dt><dd>2023</dd>" in text
    assert "<dt>Value</dt><dd>3.4 t CO2e per capita</dd>" in text
    assert Observation.objects.count() == 2
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(_entry_url(municipality), 302)]
    assert "The observation for 2023 was deleted." in response.content.decode()
    assert list(Observation.objects.values_list("value", flat=True)) == [3.1]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id) == ("delete", editor, str(chosen.pk))
    assert event.changes["value"] == 3.4


def test_an_editor_cannot_delete_another_municipalitys_observation(
    client, municipality, other_municipality, outsider
):
    """The outsider edits Elvdal; Fjordvik's observation is out of reach either way."""
    observe(municipality, GHG_CODE, {2024: 3.1})
    theirs = Observation.objects.get()
    slug = indicator(GHG_CODE).slug
    client.force_login(outsider)
    through_own = _url("observation_delete", other_municipality, indicator=slug, pk=theirs.pk)
    through_theirs = _url("observation_delete", municipality, indicator=slug, pk=theirs.pk)
    assert client.get(through_own).status_code == 404
    assert client.post(through_own).status_code == 404
    assert client.post(through_theirs).status_code == 403
    assert Observation.objects.exists()
    assert not AuditEvent.objects.exists()


# --- own indicators ------------------------------------------------------------------------


def test_an_editor_edits_an_own_indicator_and_its_slug_follows_the_code(
    client, municipality, editor
):
    own = _own(municipality, editor)
    client.force_login(editor)
    page = client.get(_url("indicator", municipality, indicator=own.slug)).content.decode()
    edit_url = _url("own_edit", municipality, indicator=own.slug)
    assert edit_url in page
    assert 'value="FJ-1"' in client.get(edit_url).content.decode()
    response = client.post(
        edit_url, _own_form(own, code="FJ-2", name="Electric ferry trips", max_value="90")
    )
    own.refresh_from_db()
    assert (own.code, own.slug, own.name, own.max_value) == (
        "FJ-2",
        "fj-2",
        "Electric ferry trips",
        90,
    )
    assert response.url == _url("indicator", municipality, indicator="fj-2")
    assert client.get(_url("indicator", municipality, indicator="fj-1")).status_code == 404
    event = AuditEvent.objects.get(action="update")
    assert event.actor == editor
    assert event.changes == {
        "code": ["FJ-1", "FJ-2"],
        "name": ["Ferry trips by electricity", "Electric ferry trips"],
        "max_value": [100, 90],
    }


def test_an_own_indicator_keeps_its_code_but_cannot_take_another(client, municipality, editor):
    own = _own(municipality, editor)
    _own(municipality, editor, code="FJ-2")
    client.force_login(editor)
    url = _url("own_edit", municipality, indicator=own.slug)
    assert client.post(url, _own_form(own, name="Renamed")).status_code == 302
    response = client.post(url, _own_form(own, code="FJ-2"))
    assert response.status_code == 400
    assert "An indicator with this code exists already." in response.content.decode()
    response = client.post(url, _own_form(own, min_value="10", max_value="5"))
    assert response.status_code == 400
    assert "The highest value cannot be below the lowest." in response.content.decode()
    own.refresh_from_db()
    assert (own.code, own.name, own.max_value) == ("FJ-1", "Renamed", 100)


def test_an_editor_deletes_an_own_indicator_with_its_data_after_confirming(
    client, municipality, editor
):
    own = _own(municipality, editor)
    for year, value in ((2023, 40.0), (2024, 55.0)):
        Observation.objects.create(
            municipality=municipality, indicator=own, period=datetime.date(year, 1, 1), value=value
        )
    Target.objects.create(
        municipality=municipality, indicator=own, target_value=90, target_year=2030
    )
    InitiativeIndicator.objects.create(
        initiative=InitiativeFactory(municipality=municipality), indicator=own, effect="increase"
    )
    url = _url("own_delete", municipality, indicator=own.slug)
    client.force_login(editor)
    text = client.get(url).content.decode()
    assert "Delete the indicator “Ferry trips by electricity”?" in text
    assert "<dt>Observations</dt><dd>2</dd>" in text
    assert "<dt>Targets</dt><dd>1</dd>" in text
    assert "<dt>Links to initiatives</dt><dd>1</dd>" in text
    assert Indicator.objects.filter(pk=own.pk).exists()
    response = client.post(url)
    assert response.url == _url("profile", municipality)
    assert not Indicator.objects.filter(pk=own.pk).exists()
    assert not Observation.objects.exists()
    assert not Target.objects.exists()
    assert not InitiativeIndicator.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.changes == {
        "code": "FJ-1",
        "name": "Ferry trips by electricity",
        "observations": 2,
        "targets": 1,
        "initiative_links": 1,
    }


def test_an_import_previewed_before_its_indicator_was_deleted_cannot_be_committed(
    municipality, editor
):
    own = _own(municipality, editor)
    batch = services.preview_import(
        actor=editor,
        municipality=municipality,
        filename="data.csv",
        data=f"indicator;period;value\n{GHG_CODE};2024;3\nFJ-1;2024;55\n".encode(),
    )
    services.delete_own_indicator(actor=editor, indicator=own)
    with pytest.raises(services.ImportNotReady):
        services.commit_import(actor=editor, batch=batch)
    assert not Observation.objects.exists()


def test_catalogue_and_other_municipalities_indicators_cannot_be_edited_or_deleted(
    client, municipality, other_municipality, editor, outsider
):
    theirs = _own(other_municipality, outsider, code="EL-1")
    client.force_login(editor)
    for slug in (indicator(GHG_CODE).slug, theirs.slug):
        for name in ("own_edit", "own_delete"):
            url = _url(name, municipality, indicator=slug)
            assert client.get(url).status_code == 404, url
            assert client.post(url, _own_form(theirs, name="Taken")).status_code == 404, url
    page = client.get(_url("indicator", municipality, indicator=indicator(GHG_CODE).slug))
    assert "Edit this indicator" not in page.content.decode()
    for name in ("own_edit", "own_delete"):
        url = _url(name, other_municipality, indicator=theirs.slug)
        assert client.post(url, _own_form(theirs, name="Taken")).status_code == 403, url
    theirs.refresh_from_db()
    assert theirs.name == "Ferry trips by electricity"
    assert Indicator.objects.filter(municipality__isnull=True, code=GHG_CODE).exists()


# --- who may ------------------------------------------------------------------------------


def _managing_urls(municipality, own, observation):
    slug = indicator(GHG_CODE).slug
    return [
        _url("observation_create", municipality, indicator=slug),
        _url("observation_delete", municipality, indicator=slug, pk=observation.pk),
        _url("own_edit", municipality, indicator=own.slug),
        _url("own_delete", municipality, indicator=own.slug),
    ]


@pytest.mark.parametrize("role", [None, "assessor"])
def test_only_the_municipalitys_editors_reach_the_new_pages(
    client, municipality, editor, outsider, role
):
    own = _own(municipality, editor)
    observe(municipality, GHG_CODE, {2024: 3.1})
    observation = Observation.objects.get()
    client.force_login(outsider if role is None else member(municipality, role))
    for url in _managing_urls(municipality, own, observation):
        assert client.get(url).status_code == 403, url
        assert client.post(url, _entry()).status_code == 403, url
    assert Observation.objects.get().value == 3.1
    assert Indicator.objects.filter(pk=own.pk).exists()


def test_anonymous_people_are_sent_to_sign_in(client, municipality, editor):
    own = _own(municipality, editor)
    observe(municipality, GHG_CODE, {2024: 3.1})
    target(municipality, GHG_CODE, 2.0)
    for url in _managing_urls(municipality, own, Observation.objects.get()):
        for response in (client.get(url), client.post(url, _entry())):
            assert response.status_code == 302, url
            assert reverse("accounts:login") in response.url, url
    page = client.get(_url("indicator", municipality, indicator=own.slug)).content.decode()
    assert "Add an observation" not in page and "Delete this indicator" not in page
    assert Observation.objects.get().value == 3.1


def test_correct_opens_the_form_filled_in_with_that_observation(client, municipality, editor):
    observe(municipality, GHG_CODE, {2023: 4.25, 2024: 3.0}, source="SSB table 13931")
    chosen = Observation.objects.get(period__year=2023)
    client.force_login(editor)
    listing = client.get(_entry_url(municipality)).content.decode()
    assert f'href="?correct={chosen.pk}#id_period"' in listing
    form = client.get(_entry_url(municipality), {"correct": chosen.pk}).context["form"]
    assert (form.initial["period"], form.initial["value"]) == ("2023", "4.25")
    assert form.initial["source"] == "SSB table 13931"
    whole = Observation.objects.get(period__year=2024)
    assert (
        client.get(_entry_url(municipality), {"correct": whole.pk}).context["form"].initial["value"]
        == "3"
    )


def test_correct_does_not_reach_another_municipalitys_observation(
    client, municipality, other_municipality, editor
):
    observe(other_municipality, GHG_CODE, {2023: 9.5})
    theirs = Observation.objects.get()
    client.force_login(editor)
    response = client.get(_entry_url(municipality), {"correct": theirs.pk})
    assert response.status_code == 200
    assert response.context["form"].initial == {}
