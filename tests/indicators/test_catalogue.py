import copy

import pytest

from roadmap.indicators.loader import CatalogueDataError, load_indicators, read_data
from roadmap.indicators.models import CatalogueRelease, Indicator

pytestmark = pytest.mark.django_db


def test_the_shipped_catalogue_holds_all_91_u4ssc_kpis():
    shared = Indicator.objects.filter(municipality__isnull=True)
    assert shared.count() == 91
    assert shared.filter(level="core").count() == 55
    by_dimension = {code: shared.filter(dimension=code).count() for code in ("EC", "EN", "SC")}
    assert by_dimension == {"EC": 45, "EN": 17, "SC": 29}


def test_every_kpi_is_mapped_to_purposes_and_action_areas_and_has_its_facts():
    for indicator in Indicator.objects.filter(municipality__isnull=True).prefetch_related(
        "purposes", "action_areas"
    ):
        assert indicator.purposes.all(), indicator.code
        assert indicator.action_areas.all(), indicator.code
        assert indicator.definition and indicator.formula and indicator.unit, indicator.code
        assert indicator.sdg_targets, indicator.code


def test_the_official_quirk_of_the_health_record_code_is_kept():
    health_record = Indicator.objects.get(code="SC: EH: ED: 5A")
    assert health_record.category.code == "health"
    assert health_record.sub_dimension == "SC-EH"
    assert health_record.level == "advanced"


def test_percentages_are_bounded_and_the_gender_ratio_aims_at_one():
    broadband = Indicator.objects.get(code="EC: ICT: ICT: 2C")
    assert (broadband.min_value, broadband.max_value) == (0, 100)
    equity = Indicator.objects.get(code="SC: SH: SI: 1C")
    assert (equity.direction, equity.ideal_value) == ("target", 1)


def test_loading_twice_changes_nothing():
    before = list(Indicator.objects.values_list("pk", "code", "name"))
    load_indicators()
    assert list(Indicator.objects.values_list("pk", "code", "name")) == before


def test_a_broken_file_names_every_problem_and_loads_nothing():
    data = copy.deepcopy(read_data())
    data["version"] = "broken"
    data["indicators"][0]["code"] = "EC ICT 1C"
    data["indicators"][1]["category"] = "nowhere"
    data["indicators"][2]["purposes"] = ["happy"]
    data["indicators"][3]["name"]["en"] = "Changed name"
    with pytest.raises(CatalogueDataError) as error:
        load_indicators(data)
    message = str(error.value)
    assert "EC ICT 1C" in message
    assert "unknown category 'nowhere'" in message
    assert "unknown purposes ['happy']" in message
    assert not CatalogueRelease.objects.filter(version="broken").exists()
    assert not Indicator.objects.filter(name="Changed name").exists()
