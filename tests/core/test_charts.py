"""Server-rendered charts: escaping of labels, caching, the spec builders and the figure."""

import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from roadmap.core import charts

HOSTILE = '"><script>alert(1)</script>'


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def svg_text(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_labels_with_markup_are_escaped_in_the_svg():
    spec = charts.horizontal_bar_spec(
        values=[{"category": HOSTILE, "value": 2}, {"category": "Plain & simple", "value": 1}],
        category_title=HOSTILE,
        value_title="Level",
    )
    svg = charts.render_svg(spec)
    assert svg.startswith("<svg")
    assert "<script" not in svg.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Plain &amp; simple" in svg
    # Attribute values (aria labels) cannot be broken out of either.
    for attribute in re.findall(r'aria-label="([^"]*)"', svg):
        assert "<" not in attribute


@pytest.mark.parametrize(
    "spec",
    [
        charts.grouped_bar_spec(
            values=[{"category": HOSTILE, "series": HOSTILE, "value": 1}],
            category_title="Sector",
            value_title="Count",
            series_title="Measure",
        ),
        charts.level_stack_spec(
            values=[{"category": HOSTILE, "level": 3, "value": 2}],
            category_title="Principle",
            value_title="Initiatives",
            level_title="Level",
        ),
        charts.heatmap_spec(
            values=[{"row": HOSTILE, "column": HOSTILE, "value": 4}],
            row_title="Action area",
            column_title="Purpose",
            value_title="Initiatives",
        ),
    ],
    ids=["grouped", "stacked", "heatmap"],
)
def test_every_builder_escapes_labels(spec):
    svg = charts.render_svg(spec)
    assert "<script" not in svg.lower()
    assert "&lt;script&gt;" in svg


def test_svg_is_cached_by_spec(monkeypatch):
    calls = []
    real = charts.vl_convert.vegalite_to_svg

    def counting(payload, **kwargs):
        calls.append(payload)
        return real(payload, **kwargs)

    monkeypatch.setattr(charts.vl_convert, "vegalite_to_svg", counting)
    spec = charts.horizontal_bar_spec(
        values=[{"category": "A", "value": 1}], category_title="C", value_title="V"
    )
    first = charts.render_svg(spec)
    assert charts.render_svg(spec) == first
    assert len(calls) == 1
    changed = charts.horizontal_bar_spec(
        values=[{"category": "A", "value": 2}], category_title="C", value_title="V"
    )
    charts.render_svg(changed)
    assert len(calls) == 2


def test_bars_carry_their_values_as_text():
    spec = charts.horizontal_bar_spec(
        values=[{"category": "Idea", "value": 7}, {"category": "Planned", "value": 0}],
        category_title="Status",
        value_title="Initiatives",
        value_domain=(0, 4),
    )
    texts = svg_text(charts.render_svg(spec))
    assert "Idea" in texts and "Planned" in texts
    assert "7" in texts and "0" in texts


def test_stacked_segments_are_labelled_with_their_level():
    spec = charts.level_stack_spec(
        values=[
            {"category": "Openness", "level": 1, "value": 2},
            {"category": "Openness", "level": 4, "value": 3},
            {"category": "Openness", "level": 2, "value": 0},
        ],
        category_title="Principle",
        value_title="Initiatives",
        level_title="Level",
    )
    assert [row["level"] for row in spec["data"]["values"]] == [1, 4]
    texts = svg_text(charts.render_svg(spec))
    assert "1" in texts and "4" in texts


def test_heatmap_writes_every_count_in_its_cell():
    values = [
        {"row": row, "column": column, "value": n}
        for n, (row, column) in enumerate([("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")])
    ]
    spec = charts.heatmap_spec(
        values=values, row_title="Area", column_title="Purpose", value_title="Initiatives"
    )
    texts = svg_text(charts.render_svg(spec))
    for n in range(4):
        assert str(n) in texts


def test_chart_template_renders_figure_caption_and_data_table():
    chart = charts.Chart(
        caption="Levels <b>now</b>",
        spec=charts.horizontal_bar_spec(
            values=[{"category": "Trust", "value": 3}], category_title="P", value_title="L"
        ),
        columns=["Principle", "Level"],
        rows=[["Trust", 3]],
        chart_id="test-chart",
    )
    html = render_to_string("core/chart.html", {"chart": chart})
    assert '<figure class="chart" aria-labelledby="test-chart-caption">' in html
    assert "Levels &lt;b&gt;now&lt;/b&gt;" in html
    assert '<th scope="col">Principle</th>' in html
    assert '<th scope="row">Trust</th>' in html
    assert "<svg" in html
