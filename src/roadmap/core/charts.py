"""Charts: Vega-Lite specs rendered to SVG on the server, so no chart needs JavaScript.

Every chart reaches the page as a `Chart` with a caption and the rows of its data table;
templates render it with `core/chart.html` inside a <figure>.

Each chart also has a narrow variant for phones (`narrow_variant`), drawn at its natural size
so its text keeps the size it was set in: scaled down to fit, a 640 px wide chart would shrink its
12 px labels to about 6 px. Bars per category turn into a stacked layout (each category's name
above its bar); other charts get a narrower plot.

The spec builders below cover the shapes the platform uses. Every mark carries a text label,
so colour is never the only way to read a value. Labels may contain user text (local principle
names, titles): vl-convert escapes text in the SVG it writes, and tests/core/test_charts.py keeps
that promise checked.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from dataclasses import dataclass, field
from typing import Any

import vl_convert
from django.core.cache import cache

# Colour-blind-safe palette (Okabe–Ito) with enough contrast on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SEQUENTIAL = "blues"
# A single-hue ramp (ColorBrewer Blues) for the ordered maturity levels 0–4: readable without
# hue perception; levels 3 and 4 are dark enough for white labels.
LEVEL_COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b"]
DARK_TEXT = "#1e2b3c"
# A heat map's zero cells: white with a grey outline, so "none" never looks like "a few".
EMPTY_CELL = "#ffffff"
EMPTY_CELL_BORDER = "#8a94a3"
LIGHT_TEXT = "#ffffff"
BAR_COLOUR = PALETTE[0]
CACHE_SECONDS = 60 * 60
# The SVG is laid out with the metrics of the font vl-convert measures with (Liberation Sans,
# metric-compatible with Arial), so name fonts with the same metrics: text then fits on every
# platform. A generic "system-ui" would be measured as Arial but drawn wider on some systems.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
VEGA_LITE_VERSION = "5.20"
# The widest a narrow variant may be: a 390 px phone less the page's 16 px margins leaves 358.
NARROW_WIDTH = 340
NARROW_PLOT_WIDTH = 260
NARROW_LABEL_LIMIT = 110
NARROW_MIN_PLOT_WIDTH = 120
NARROW_TITLE_CHARACTERS = 48
# How a builder's spec turns narrow (kept in Vega-Lite's `usermeta`, which rendering ignores).
STACKED = "stacked"  # one bar, or a group of bars, per category: label above, bars below
MATRIX = "matrix"  # a heat map: narrower cells, slanted column labels


@dataclass
class Chart:
    caption: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    chart_id: str = "chart"
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def svg(self) -> str:
        return render_svg(self.spec)

    @property
    def narrow_svg(self) -> str:
        return render_svg(narrow_variant(self.spec))


def base_spec(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
            # The category axis title sits above the labels, not beside them, so long labels
            # never run into it.
            "axisY": {"titleAngle": 0, "titleAlign": "right", "titleX": 0, "titleY": -10},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "view": {"stroke": None},
        },
        "background": "white",
        "padding": 8,
    }
    spec.update(overrides)
    return spec


def render_svg(spec: dict[str, Any]) -> str:
    """SVG for a spec, cached by the spec's hash (the spec carries its data and labels)."""
    payload = json.dumps(spec, sort_keys=True, default=str)
    key = "chart-svg:" + hashlib.sha256(payload.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(payload, vl_version=VEGA_LITE_VERSION)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _row_height(count: int, per_row: int = 28) -> int:
    return max(per_row * count, per_row)


def horizontal_bar_spec(
    *,
    values: list[dict[str, Any]],
    category_title: str,
    value_title: str,
    value_domain: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Bars of `value` per `category`, in the order given, each labelled with its value.

    `values` are rows {"category": str, "value": number}; the category order is the row order.
    """
    order = [row["category"] for row in values]
    x_scale: dict[str, Any] = {"domain": list(value_domain)} if value_domain else {}
    x_axis: dict[str, Any] = {"title": str(value_title), "tickMinStep": 1, "format": "d"}
    if value_domain:
        x_axis["values"] = list(range(value_domain[0], value_domain[1] + 1))
    y = {"field": "category", "type": "nominal", "sort": order, "title": str(category_title)}
    x = {"field": "value", "type": "quantitative", "scale": x_scale, "axis": x_axis}
    return base_spec(
        width=420,
        height=_row_height(len(values)),
        usermeta={"narrow": STACKED},
        data={"values": values},
        encoding={"y": y, "x": x},
        layer=[
            {"mark": {"type": "bar", "color": BAR_COLOUR}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": DARK_TEXT},
                "encoding": {"text": {"field": "value", "type": "quantitative"}},
            },
        ],
    )


def grouped_bar_spec(
    *,
    values: list[dict[str, Any]],
    category_title: str,
    value_title: str,
    series_title: str,
) -> dict[str, Any]:
    """Horizontal bars of several series side by side per category, labelled with values.

    `values` are rows {"category", "series", "value"}; orders follow the rows.
    """
    categories = list(dict.fromkeys(row["category"] for row in values))
    series = list(dict.fromkeys(row["series"] for row in values))
    colour = {
        "field": "series",
        "type": "nominal",
        "sort": series,
        "title": str(series_title),
        "scale": {"domain": series, "range": PALETTE[: len(series)]},
        "legend": {"orient": "bottom"},
    }
    return base_spec(
        width=420,
        height=_row_height(len(categories), per_row=18 * max(len(series), 1) + 10),
        usermeta={"narrow": STACKED},
        data={"values": values},
        encoding={
            "y": {
                "field": "category",
                "type": "nominal",
                "sort": categories,
                "title": str(category_title),
            },
            "yOffset": {"field": "series", "sort": series},
            "x": {
                "field": "value",
                "type": "quantitative",
                "axis": {"title": str(value_title), "tickMinStep": 1, "format": "d"},
            },
        },
        layer=[
            {"mark": "bar", "encoding": {"color": colour}},
            {
                # "Series: value" beside each bar, so the series can be told apart without colour.
                "mark": {"type": "text", "align": "left", "dx": 4, "color": DARK_TEXT},
                "transform": [{"calculate": "datum.series + ': ' + datum.value", "as": "label"}],
                "encoding": {"text": {"field": "label", "type": "nominal"}},
            },
        ],
    )


def level_stack_spec(
    *,
    values: list[dict[str, Any]],
    category_title: str,
    value_title: str,
    level_title: str,
) -> dict[str, Any]:
    """Stacked horizontal bars of counts per maturity level (0–4) for each category.

    `values` are rows {"category", "level" (0–4), "value"}. Each segment shows its level number,
    so the levels can be told apart without colour.
    """
    categories = list(dict.fromkeys(row["category"] for row in values))
    shown = [row for row in values if row["value"]]
    totals: dict[str, int] = {}
    for row in shown:
        totals[row["category"]] = totals.get(row["category"], 0) + row["value"]
    # Segments too narrow for a readable number stay unlabelled (the data table has them all).
    narrowest_labelled = max(totals.values(), default=0) * 0.04
    x = {
        "field": "value",
        "type": "quantitative",
        "stack": "zero",
        "axis": {"title": str(value_title), "tickMinStep": 1, "format": "d"},
    }
    return base_spec(
        width=420,
        height=_row_height(len(categories)),
        usermeta={"narrow": STACKED},
        data={"values": shown},
        encoding={
            "y": {
                "field": "category",
                "type": "nominal",
                "sort": categories,
                "title": str(category_title),
            },
            "x": x,
            "order": {"field": "level", "type": "ordinal"},
        },
        layer=[
            {
                "mark": {"type": "bar", "stroke": "#4b5563", "strokeWidth": 0.5},
                "encoding": {
                    "color": {
                        "field": "level",
                        "type": "ordinal",
                        "title": str(level_title),
                        "scale": {"domain": [0, 1, 2, 3, 4], "range": LEVEL_COLOURS},
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    }
                },
            },
            {
                # Centred in its segment: stacked in the same order, placed mid-way.
                "mark": {"type": "text", "fontSize": 11},
                "transform": [
                    {
                        "calculate": f"datum.value >= {narrowest_labelled} ? datum.level : ''",
                        "as": "label",
                    }
                ],
                "encoding": {
                    "x": {**x, "bandPosition": 0.5},
                    "text": {"field": "label", "type": "nominal"},
                    "color": {
                        "condition": {"test": "datum.level >= 3", "value": LIGHT_TEXT},
                        "value": DARK_TEXT,
                    },
                },
            },
        ],
    )


def heatmap_spec(
    *,
    values: list[dict[str, Any]],
    row_title: str,
    column_title: str,
    value_title: str,
) -> dict[str, Any]:
    """A matrix of counts: shaded rectangles, each with its count written in it.

    `values` are rows {"row", "column", "value"}, every cell present (zeros too).
    """
    rows = list(dict.fromkeys(cell["row"] for cell in values))
    columns = list(dict.fromkeys(cell["column"] for cell in values))
    highest = max((cell["value"] for cell in values), default=0)
    return base_spec(
        width=max(90 * len(columns), 90),
        height=_row_height(len(rows), per_row=40),
        usermeta={"narrow": MATRIX},
        data={"values": values},
        encoding={
            "y": {"field": "row", "type": "nominal", "sort": rows, "title": str(row_title)},
            "x": {
                "field": "column",
                "type": "nominal",
                "sort": columns,
                "title": str(column_title),
                "axis": {"orient": "top", "labelAngle": 0},
            },
        },
        layer=[
            {
                "mark": {"type": "rect", "strokeWidth": 2},
                "encoding": {
                    "color": {
                        "condition": {"test": "datum.value === 0", "value": EMPTY_CELL},
                        "field": "value",
                        "type": "quantitative",
                        "title": str(value_title),
                        # The ramp's palest fifth is left out: even a count of 1 is clearly blue.
                        "scale": {
                            "scheme": {"name": SEQUENTIAL, "extent": [0.2, 1]},
                            "domainMin": 0,
                        },
                        "legend": {"orient": "bottom", "format": "d", "tickMinStep": 1},
                    },
                    "stroke": {
                        "condition": {"test": "datum.value === 0", "value": EMPTY_CELL_BORDER},
                        "value": "#ffffff",
                    },
                },
            },
            {
                "mark": {"type": "text", "fontSize": 13},
                "encoding": {
                    "text": {"field": "value", "type": "quantitative"},
                    "color": {
                        "condition": {
                            "test": f"datum.value > {highest / 2}",
                            "value": LIGHT_TEXT,
                        },
                        "value": DARK_TEXT,
                    },
                },
            },
        ],
    )


def narrow_variant(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec laid out for a phone: at most NARROW_WIDTH wide with its text at full size."""
    if _drawn_width(spec) <= NARROW_WIDTH:
        return spec
    layout = spec.get("usermeta", {}).get("narrow")
    if layout == STACKED:
        return _fit_width(_stacked(spec))
    if layout == MATRIX:
        return _fit_width(_narrow_matrix(spec))
    return _fit_width(_narrower_plot(spec))


def _fit_width(spec: dict[str, Any]) -> dict[str, Any]:
    """Narrows the plot by whatever its axes, labels and legends still add beyond NARROW_WIDTH."""
    plot = spec.get("spec", spec)
    width = plot.get("width")
    excess = _drawn_width(spec) - NARROW_WIDTH
    if not isinstance(width, int) or excess <= 0:
        return spec
    fitted = {**plot, "width": max(width - math.ceil(excess), NARROW_MIN_PLOT_WIDTH)}
    return {**spec, "spec": fitted} if "spec" in spec else fitted


def _stacked(spec: dict[str, Any]) -> dict[str, Any]:
    """Bars per category as rows of a facet: the category's name on a line of its own, so long
    names need no room beside the bars. Grouped bars keep their series as rows in each facet."""
    encoding = dict(spec["encoding"])
    category = encoding.pop("y")
    series = encoding.pop("yOffset", None)
    bars_per_category = 1
    if series is not None:
        encoding["y"] = {**series, "type": "nominal", "axis": None}
        bars_per_category = len(series["sort"])
    header = {
        "labelAngle": 0,
        "labelAlign": "left",
        "labelAnchor": "start",
        "labelOrient": "top",
        "labelFontSize": 12,
        "labelLimit": NARROW_WIDTH - 16,
        "labelPadding": 4,
    }
    outside = {k: v for k, v in spec.items() if k not in ("width", "height", "encoding", "layer")}
    return {
        **outside,
        "facet": {
            "row": {
                "field": category["field"],
                "type": "nominal",
                "sort": category["sort"],
                "title": None,
                "header": header,
            }
        },
        "spacing": 8,
        "spec": {
            "width": NARROW_PLOT_WIDTH,
            "height": 18 * bars_per_category,
            "encoding": encoding,
            "layer": spec["layer"],
        },
    }


def _narrow_matrix(spec: dict[str, Any]) -> dict[str, Any]:
    columns = len(spec["encoding"]["x"]["sort"])
    x = {**spec["encoding"]["x"]}
    x["axis"] = {**x["axis"], "labelAngle": -40, "labelAlign": "left", "labelLimit": 90}
    config = {
        **spec["config"],
        "axis": {**spec["config"]["axis"], "labelLimit": NARROW_LABEL_LIMIT},
    }
    return {
        **spec,
        "config": config,
        "width": 40 * columns,
        "encoding": {**spec["encoding"], "x": x},
    }


def _narrower_plot(spec: dict[str, Any]) -> dict[str, Any]:
    """Any other chart: small multiples side by side go one under another, a long title wraps
    and long axis labels are cut shorter (the data table has them whole)."""
    axis = {**spec["config"]["axis"], "labelLimit": NARROW_LABEL_LIMIT}
    # The vertical axis's title goes over the plot, from the axis rightwards, not out to its left.
    axis_y = {**spec["config"]["axisY"], "titleAlign": "left", "titleX": 0}
    narrowed = {**spec, "config": {**spec["config"], "axis": axis, "axisY": axis_y}}
    facet = spec.get("facet")
    if isinstance(facet, dict) and "column" in facet:
        narrowed["facet"] = {"row": facet["column"]}
    title = spec.get("title")
    if isinstance(title, dict) and isinstance(title.get("text"), str):
        narrowed["title"] = {**title, "text": textwrap.wrap(title["text"], NARROW_TITLE_CHARACTERS)}
    return narrowed


def _drawn_width(spec: dict[str, Any]) -> float:
    """The width vl-convert gives the drawing: plot, axes, legends and titles together."""
    opening = render_svg(spec).split(">", 1)[0]
    return float(opening.split(' width="', 1)[1].split('"', 1)[0])
