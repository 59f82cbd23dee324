"""The open API names the KS national concept of each indicator, observation, target and score,
so a national portal can join one municipality's data with another's."""

import datetime

import pytest

from roadmap.indicators.models import Indicator, Observation, Target
from tests.indicators.test_vocabulary import SCHEME

pytestmark = pytest.mark.django_db


def url(path: str) -> str:
    return f"/api/v1/{path}/"


@pytest.fixture
def observed(municipality, other_municipality):
    ghg = Indicator.objects.get(slug="en-en-aq-2c")
    air = Indicator.objects.get(slug="en-en-aq-1c")
    own = Indicator.objects.create(
        municipality=municipality,
        category=ghg.category,
        code="FJ-1",
        slug="fj-1",
        name="Benches per street",
        unit="#",
        level="local",
    )
    year = datetime.date(2024, 1, 1)
    for place in (municipality, other_municipality):
        Observation.objects.create(municipality=place, indicator=ghg, period=year, value=5)
        Target.objects.create(municipality=place, indicator=ghg, target_value=2, target_year=2030)
    Observation.objects.create(
        municipality=municipality, indicator=air, series="PM10", period=year, value=12
    )
    Observation.objects.create(municipality=municipality, indicator=own, period=year, value=3)
    Target.objects.create(
        municipality=municipality, indicator=air, target_value=8, target_year=2030
    )
    return {"ghg": ghg, "air": air, "own": own}


def test_each_indicator_lists_its_concepts_with_uri_and_ks_notation(client, observed):
    rows = client.get(url("indicators"), {"page_size": 500}).json()["results"]
    by_code = {row["code"]: row for row in rows}
    assert by_code[observed["ghg"].code]["national_concepts"] == [
        {
            "uri": f"{SCHEME}/2209",
            "notation": "EN: EN: AQ: 2C",
            "title": "GHG Emissions",
            "series": "",
        }
    ]
    air = by_code[observed["air"].code]["national_concepts"]
    assert [(item["series"], item["uri"]) for item in air] == [
        ("NO2", f"{SCHEME}/2206"),
        ("O3", f"{SCHEME}/2208"),
        ("PM10", f"{SCHEME}/2205"),
        ("PM2.5", f"{SCHEME}/2204"),
        ("SO2", f"{SCHEME}/2207"),
    ]
    assert {item["notation"] for item in air} == {"EN: EN: AQ: 1C"}
    assert by_code["FJ-1"]["national_concepts"] == []


def test_observations_name_the_concept_of_their_series(client, observed):
    rows = client.get(url("observations"), {"page_size": 500}).json()["results"]
    named = sorted(
        (row["municipality"], row["indicator"], row["series"], row["concept_uri"]) for row in rows
    )
    assert named == sorted(
        [
            ("fjordvik", observed["ghg"].code, "", f"{SCHEME}/2209"),
            ("elvdal", observed["ghg"].code, "", f"{SCHEME}/2209"),
            ("fjordvik", observed["air"].code, "PM10", f"{SCHEME}/2205"),
            ("fjordvik", "FJ-1", "", None),
        ]
    )


def test_targets_and_scores_name_the_concept_of_the_whole_indicator(client, observed):
    for path in ("targets", "scores"):
        rows = client.get(url(path), {"municipality": "fjordvik"}).json()["results"]
        # KS splits air pollution into one concept per pollutant: no one concept for its target.
        assert sorted((row["indicator"], row["concept_uri"] or "") for row in rows) == sorted(
            [(observed["ghg"].code, f"{SCHEME}/2209"), (observed["air"].code, "")]
        )
