"""Imports take codes as KS, ITU and municipalities write them (issue 19, item 2)."""

import pytest

from roadmap.indicators import imports
from roadmap.indicators.models import Indicator
from roadmap.indicators.selectors import indicator_lookup

from .helpers import GHG_CODE, indicator

pytestmark = pytest.mark.django_db
CONCEPT = "https://data.norge.no/vocabulary/indicator/U4SSC"


@pytest.fixture
def lookup(municipality):
    return indicator_lookup(municipality)


def read(text, lookup):
    return imports.read_file(text.encode(), "data.csv", lookup)


def test_spacing_and_case_do_not_matter_and_ks_notations_resolve(lookup):
    parsed = read(
        "indicator;period;value\n"
        "SC: EH: ED:1C;2024;91\n"  # KS, one space short
        "sc:eh:h: 3c;2024;4,1\n"
        "SC: EH: H: 6A;2024;97\n"  # KS's code for ITU's SC: EH: ED: 5A
        "EC: ICT: ICT: 5A;2024;40\n",  # KS's code for ITU's EC: ICT: ICT: 5C
        lookup,
    )
    assert parsed.problem_count == 0
    codes = [indicator_code(row[0]) for row in parsed.rows]
    assert codes == ["SC: EH: ED: 1C", "SC: EH: H: 3C", "SC: EH: ED: 5A", "EC: ICT: ICT: 5C"]
    assert parsed.mapped == {
        "SC: EH: ED:1C": "SC: EH: ED: 1C",
        "sc:eh:h: 3c": "SC: EH: H: 3C",
        "SC: EH: H: 6A": "SC: EH: ED: 5A",
        "EC: ICT: ICT: 5A": "EC: ICT: ICT: 5C",
    }


def indicator_code(pk):
    return Indicator.objects.get(pk=pk).code


def test_a_concept_uri_works_as_the_code_and_names_its_sub_series(lookup):
    parsed = read(
        f'indicator,period,value\n{CONCEPT}/2150,2024,96\n{CONCEPT}/2204,2024,"6,5"\n', lookup
    )
    assert parsed.problem_count == 0
    internet, pm25 = parsed.rows
    assert internet[:2] == (indicator("EC: ICT: ICT: 1C").pk, "")
    assert pm25[:2] == (indicator("EN: EN: AQ: 1C").pk, "PM2.5")
    assert parsed.mapped[f"{CONCEPT}/2204"] == "EN: EN: AQ: 1C · PM2.5"


def test_multi_value_sub_indicators_become_series_of_their_kpi(lookup):
    parsed = read(
        "indicator;period;value;unit\n"
        "EN: EN: AQ: 1C - pm_2.5;2024;6,5;µg/m³\n"
        "EN: EN: AQ: 1C - no2;2024;18;µg/m³\n"
        "EC: I: T: 4A - cycling;2024;12;%\n"
        "EC: ICT: PS: 1A - number;2024;240;datasets\n",
        lookup,
    )
    assert parsed.problem_count == 0
    assert [(row[1], row[4]) for row in parsed.rows] == [
        ("PM2.5", 6.5),
        ("NO2", 18.0),
        ("Cycling", 12.0),
        ("Datasets", 240.0),  # a count in a percentage KPI: the sub-indicator's own range
    ]


def test_a_series_column_naming_a_known_part_is_checked_as_that_part(lookup):
    parsed = read(
        "indicator;period;value;unit;series\n"
        "EC: ICT: PS: 1A;2024;240;datasets;number\n"
        "EC: ICT: PS: 1A;2023;250;%;Datasets\n"
        "EN: EN: AQ: 1C - pm_10;2024;14;;NO2\n",
        lookup,
    )
    assert parsed.problems == [
        {
            "row": 3,
            "column": "unit",
            "message": "unit “%” does not match the indicator's unit “datasets”",
        },
        {
            "row": 4,
            "column": "series",
            "message": "the code names the series “PM10”, the series column “NO2”",
        },
    ]


def test_a_sub_indicators_unit_and_range_are_checked(lookup):
    parsed = read(
        "indicator;period;value;unit\n"
        "EN: EN: AQ: 1C - pm_2.5;2024;6,5;%\n"
        "EC: I: UP: 2A - compact;2024;3;\n",
        lookup,
    )
    assert [problem["message"] for problem in parsed.problems] == [
        "unit “%” does not match the indicator's unit “µg/m³”",
        "3.0 is outside the plausible range 0 to 1 strategy (0/1)",
    ]


def test_an_unknown_code_gets_the_nearest_known_codes_suggested(lookup):
    parsed = read(
        "indicator;period;value\nEC: ICT: ICT: 6C;2024;1\nEN: EN: AQ: 1C - pm_1;2024;1\n", lookup
    )
    first, second = (problem["message"] for problem in parsed.problems)
    assert first.startswith("unknown indicator code “EC: ICT: ICT: 6C” (nearest known codes: ")
    assert "EC: ICT: ICT: 5C" in first
    assert second.startswith("unknown indicator code “EN: EN: AQ: 1C - pm_1”")
    assert "EN: EN: AQ: 1C" in second


def test_another_municipalitys_own_code_is_unknown_here(municipality, other_municipality):
    Indicator.objects.create(
        municipality=other_municipality,
        code="EL-1",
        slug="el-1",
        name="Electric ferries",
        definition="Share of ferry trips run on batteries.",
        dimension="EN",
        sub_dimension="local",
        category=indicator(GHG_CODE).category,
        level="local",
        unit="%",
        direction="higher",
    )
    parsed = read("indicator;period;value\nEL-1;2024;1\n", indicator_lookup(municipality))
    assert parsed.problems[0]["message"].startswith("unknown indicator code “EL-1”")


def test_a_large_file_of_ks_notations_takes_the_fast_path_with_the_same_result(lookup):
    lines = [f"EN: EN: AQ: 1C - pm_10;{year};{year % 40}" for year in range(1950, 2026)]
    parsed = read("indicator;period;value\n" + "\n".join(lines) + "\n", lookup)
    assert parsed.problem_count == 0
    assert {row[1] for row in parsed.rows} == {"PM10"}
    assert len(parsed.rows) == 76
