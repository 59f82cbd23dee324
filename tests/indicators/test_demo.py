import pytest

from roadmap.framework.models import ActionArea
from roadmap.indicators.demo import SOURCE, build_indicator_demo
from roadmap.indicators.models import ImportBatch, InitiativeIndicator, Observation, Target
from roadmap.indicators.selectors import city_profile
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _values():
    return list(
        Observation.objects.order_by("municipality__slug", "indicator__code", "period").values_list(
            "municipality__slug", "indicator__code", "period", "value"
        )
    )


def test_the_demo_covers_every_core_kpi_for_five_municipalities_and_is_deterministic(
    municipality, other_municipality
):
    InitiativeFactory(
        municipality=municipality,
        action_areas=[ActionArea.objects.get(code="living-environment")],
    )
    places = build_indicator_demo(municipality=municipality, neighbours=[other_municipality])
    assert len(places) == 5
    assert Observation.objects.count() == 5 * 55 * 11
    assert Target.objects.count() == 5 * 55
    assert set(Observation.objects.values_list("source", flat=True)) == {SOURCE}
    assert InitiativeIndicator.objects.filter(initiative__municipality=municipality).exists()
    first = _values()
    Observation.objects.all().delete()
    Target.objects.all().delete()
    InitiativeIndicator.objects.all().delete()
    build_indicator_demo(municipality=municipality, neighbours=[other_municipality])
    assert _values() == first


def test_demo_values_stay_within_each_kpis_plausible_range(municipality):
    build_indicator_demo(municipality=municipality)
    for observation in Observation.objects.select_related("indicator"):
        indicator = observation.indicator
        assert indicator.min_value is None or observation.value >= indicator.min_value
        assert indicator.max_value is None or observation.value <= indicator.max_value


def test_the_demo_profile_has_scores_in_more_than_one_band(municipality):
    build_indicator_demo(municipality=municipality)
    bands = {row.score.band for row in city_profile(municipality).rows if row.points}
    assert len(bands - {None}) >= 2


def test_the_demo_imports_a_statistics_office_export_and_a_file_of_ks_notations(
    municipality, editor
):
    build_indicator_demo(municipality=municipality)
    municipality.refresh_from_db()
    assert municipality.region_code == "4699"
    ssb, ks = ImportBatch.objects.filter(municipality=municipality).order_by("pk")
    assert (ssb.filename, ssb.status) == ("ssb-kommunefakta.csv", "committed")
    assert ssb.summary["created"] == 10
    assert ssb.summary["other_region_rows"] == 3
    assert [row["symbol"] for row in ssb.summary["no_values"]] == ["..", ":"]
    assert ["Barnehagedekning", "SC: SH: SI: 5A"] in ssb.summary["mapped"]
    assert ks.summary["created"] == 13
    assert ["SC: EH: H: 6A", "SC: EH: ED: 5A"] in ks.summary["mapped"]
    assert ["EN: EN: AQ: 1C - pm_2.5", "EN: EN: AQ: 1C · PM2.5"] in ks.summary["mapped"]
    imported = Observation.objects.filter(batch__in=[ssb, ks])
    assert set(imported.values_list("source", flat=True)) == {
        f"{SOURCE}, ssb-kommunefakta.csv",
        f"{SOURCE}, ks-u4ssc-notasjoner.csv",
    }
