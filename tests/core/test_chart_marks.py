"""Every chart the platform draws shows its marks: real shapes and colours, in the SVG and once
rasterised. (A chart whose marks have no shape still passes a check that an <svg> is there.)"""

import pytest

from roadmap.core import charts
from roadmap.indicators.charts import time_series_spec, value_bar_spec
from roadmap.participation.processes.selectors import _small_multiples_spec
from tests.chart_checks import assert_marks_have_shapes, coloured, png_pixels, saturated


def drawn(spec):
    svg = charts.render_svg(spec)
    return assert_marks_have_shapes(svg), png_pixels(spec)


def test_horizontal_bars_used_by_workshops_initiatives_and_barriers():
    spec = charts.horizontal_bar_spec(
        values=[{"category": "Mobility", "value": 4}, {"category": "Energy", "value": 2}],
        category_title="Theme",
        value_title="Count",
    )
    found, pixels = drawn(spec)
    bars = [mark for mark in found if mark.get("aria-roledescription") == "bar"]
    assert len(bars) == 2 and all(mark["fill"] == charts.BAR_COLOUR for mark in bars)
    assert coloured(pixels, charts.BAR_COLOUR).sum() > 500


def test_grouped_bars_of_indicator_comparisons_and_sectors():
    spec = charts.grouped_bar_spec(
        values=[
            {"category": "2024", "series": "Fjordvik", "value": 3},
            {"category": "2024", "series": "Elvdal", "value": 5},
        ],
        category_title="Year",
        value_title="Value",
        series_title="Municipality",
    )
    found, pixels = drawn(spec)
    fills = {mark["fill"] for mark in found if mark.get("aria-roledescription") == "bar"}
    assert fills == set(charts.PALETTE[:2])
    for colour in charts.PALETTE[:2]:
        assert coloured(pixels, colour).sum() > 200


def test_level_stack_of_principle_adherence():
    spec = charts.level_stack_spec(
        values=[
            {"category": "Openness", "level": level, "value": value}
            for level, value in enumerate([1, 2, 3, 2, 1])
        ],
        category_title="Principle",
        value_title="Initiatives",
        level_title="Level",
    )
    found, pixels = drawn(spec)
    fills = {mark["fill"].lower() for mark in found if mark.get("aria-roledescription") == "bar"}
    assert fills == {colour.lower() for colour in charts.LEVEL_COLOURS}
    assert coloured(pixels, charts.LEVEL_COLOURS[4]).sum() > 200


def test_heatmap_of_areas_and_purposes():
    spec = charts.heatmap_spec(
        values=[
            {"row": row, "column": column, "value": value}
            for row, column, value in [("A", "X", 0), ("A", "Y", 4), ("B", "X", 2), ("B", "Y", 1)]
        ],
        row_title="Area",
        column_title="Purpose",
        value_title="Initiatives",
    )
    found, pixels = drawn(spec)
    assert (
        len(
            [
                mark
                for mark in found
                if mark["tag"] == "path" and "rect" in mark.get("aria-roledescription", "")
            ]
        )
        == 4
    )
    assert saturated(pixels).sum() > 1000


@pytest.mark.parametrize("with_target", [False, True])
def test_indicator_time_series_line_points_and_target(with_target):
    class Target:
        target_value, target_year = 12.0, 2030

    spec = time_series_spec(
        values=[
            {"period": "2022", "value": 8.0, "label": "8"},
            {"period": "2023", "value": 9.5, "label": "9.5"},
            {"period": "2024", "value": 10.0, "label": "10"},
        ],
        target=Target() if with_target else None,
        value_title="Value",
        period_title="Year",
    )
    found, pixels = drawn(spec)
    kinds = {mark.get("aria-roledescription") for mark in found}
    assert {"line mark", "point"} <= kinds or {"line", "point"} <= kinds, kinds
    assert coloured(pixels, charts.BAR_COLOUR).sum() > 100
    if with_target:
        assert coloured(pixels, charts.PALETTE[1]).sum() > 50


def test_indicator_bars_of_other_municipalities():
    spec = value_bar_spec(
        values=[
            {"category": "Fjordvik", "value": 3.5, "label": "3.5"},
            {"category": "Elvdal", "value": 2.0, "label": "2"},
        ],
        value_title="Value",
        category_title="Municipality",
    )
    _found, pixels = drawn(spec)
    assert coloured(pixels, charts.BAR_COLOUR).sum() > 300


@pytest.mark.parametrize("horizontal", [False, True])
def test_participation_figures_small_multiples(horizontal):
    values = [
        {"category": category, "measure": measure, "value": value, "label": str(value)}
        for category, value in [("Nord", 12), ("Sør", 7)]
        for measure in ("Proposals", "Comments", "Supports", "Votes", "People")
    ]
    spec = _small_multiples_spec(values, ["Nord", "Sør"], "District", horizontal)
    found, pixels = drawn(spec)
    assert len([mark for mark in found if mark.get("aria-roledescription") == "bar"]) >= 4
    assert coloured(pixels, charts.PALETTE[0]).sum() > 300
