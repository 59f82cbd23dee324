"""The narrow drawing of every chart kind: as wide as a phone allows, with text that stays
readable because it is never scaled down (a 390 px phone leaves 358 px for a chart)."""

import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from roadmap.core import charts
from roadmap.participation.processes.selectors import _small_multiples_spec
from tests.chart_checks import assert_marks_have_shapes, drawn_width, font_sizes

LONG_NAME = "Invest in competence, transformation and innovation"
READABLE_PX = 11


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def bars():
    return charts.horizontal_bar_spec(
        values=[{"category": LONG_NAME, "value": 12}, {"category": "Open data", "value": 3}],
        category_title="Principle",
        value_title="Initiatives",
    )


def grouped():
    return charts.grouped_bar_spec(
        values=[
            {"category": sector, "series": series, "value": value}
            for sector in ("Public sector", "Voluntary sector")
            for series, value in (("Partners", 18), ("Initiatives", 15))
        ],
        category_title="Sector",
        value_title="Count",
        series_title="Measure",
    )


def levels():
    return charts.level_stack_spec(
        values=[
            {"category": name, "level": level, "value": value}
            for name in (LONG_NAME, "Think holistically")
            for level, value in enumerate([1, 4, 6, 8, 3])
        ],
        category_title="Principle",
        value_title="Initiatives",
        level_title="Maturity level",
    )


def heatmap():
    return charts.heatmap_spec(
        values=[
            {"row": row, "column": column, "value": (n * 3) % 7}
            for n, (row, column) in enumerate(
                (row, column)
                for row in ("Leadership", "Living environment", "Health and wellbeing")
                for column in ("Liveable", "Dynamic", "Inclusive", "Green", "Resilient")
            )
        ],
        row_title="Action area",
        column_title="Purpose",
        value_title="Initiatives",
    )


def small_multiples():
    districts = ["Sentrum", "Strandvika", "Lia", "Nordbyen", "Fjellsida"]
    values = [
        {"category": d, "measure": m, "value": 7, "label": "7"}
        for d in districts
        for m in ("Participants", "Proposals", "Comments", "Supports")
    ]
    return _small_multiples_spec(values, districts, "District", horizontal=True)


KINDS = [bars, grouped, levels, heatmap, small_multiples]


@pytest.mark.parametrize("make_spec", KINDS, ids=lambda kind: kind.__name__)
def test_the_narrow_drawing_fits_a_phone_with_readable_text(make_spec):
    wide = charts.render_svg(make_spec())
    narrow = charts.render_svg(charts.narrow_variant(make_spec()))
    assert drawn_width(wide) > charts.NARROW_WIDTH  # else no narrow drawing would be needed
    assert drawn_width(narrow) <= charts.NARROW_WIDTH
    assert min(font_sizes(narrow)) >= READABLE_PX
    assert_marks_have_shapes(narrow)


def test_stacked_layout_writes_each_long_name_whole_above_its_bar():
    narrow = charts.render_svg(charts.narrow_variant(bars()))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", narrow)
    assert LONG_NAME in texts  # beside the bars it would be cut to fit the label limit
    assert "12" in texts and "3" in texts  # every bar keeps its value label
    assert len([t for t in texts if t in (LONG_NAME, "Open data")]) == 2


def test_small_multiples_go_one_under_another_on_a_phone():
    spec = charts.narrow_variant(small_multiples())
    assert "row" in spec["facet"] and "column" not in spec["facet"]
    assert isinstance(spec["title"]["text"], list)  # the privacy note wraps onto lines


def test_chart_template_shows_one_drawing_per_screen_size():
    chart = charts.Chart(
        caption="Principles", spec=bars(), columns=["Principle", "Initiatives"], rows=[]
    )
    html = render_to_string("core/chart.html", {"chart": chart})
    wide, narrow = re.findall(r'<div class="chart__svg chart__svg--(\w+)" role="img"', html)
    assert (wide, narrow) == ("wide", "narrow")
    assert html.count("<svg") == 2


def test_heatmap_zero_cells_are_white_with_a_grey_outline():
    svg = charts.render_svg(heatmap())
    cells = [
        mark
        for mark in assert_marks_have_shapes(svg)
        if "rect" in mark.get("aria-roledescription", "")
    ]
    assert len(cells) == 15
    empty = [cell for cell in cells if cell["aria-label"].endswith("Initiatives: 0")]
    assert empty and all(
        (cell["fill"], cell["stroke"]) == (charts.EMPTY_CELL, charts.EMPTY_CELL_BORDER)
        for cell in empty
    )
    counted = [cell for cell in cells if cell not in empty]
    assert all(cell["fill"] != charts.EMPTY_CELL for cell in counted)
    assert all(cell["stroke"] == "#ffffff" for cell in counted)
