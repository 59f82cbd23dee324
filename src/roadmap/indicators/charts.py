"""Indicator charts: spec builders on top of roadmap.core.charts (SVG from Vega-Lite).

Each builder returns a core Chart with caption and data table; values carry text labels so no
chart relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from roadmap.core.charts import (
    BAR_COLOUR,
    DARK_TEXT,
    PALETTE,
    STACKED,
    Chart,
    base_spec,
    grouped_bar_spec,
)

from .models import Indicator, Target
from .selectors import Comparison, Group, IndicatorRow, format_number

TARGET_COLOUR = PALETTE[1]


def time_series_spec(
    *, values: list[dict[str, Any]], target: Target | None, value_title: str, period_title: str
) -> dict[str, Any]:
    """A line of `value` over `period` (labels in order), with the target as a dashed rule."""
    periods = [row["period"] for row in values]
    x = {"field": "period", "type": "ordinal", "sort": periods, "title": period_title}
    y = {"field": "value", "type": "quantitative", "title": value_title, "scale": {"zero": False}}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": True, "color": BAR_COLOUR},
            "encoding": {"x": x, "y": y},
        },
        {
            "data": {"values": values},
            "mark": {"type": "text", "dy": -9, "color": DARK_TEXT, "fontSize": 11},
            "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
        },
    ]
    if target is not None:
        rule: dict[str, Any] = {
            "data": {
                "values": [
                    {
                        "value": target.target_value,
                        "label": _("Target %(year)s: %(value)s")
                        % {"year": target.target_year, "value": format_number(target.target_value)},
                    }
                ]
            },
            "encoding": {"y": {"field": "value", "type": "quantitative"}},
        }
        layers += [
            {**rule, "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [6, 4]}},
            {
                **rule,
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dy": -7,
                    "x": 4,
                    "color": DARK_TEXT,
                    "fontSize": 11,
                },
                "encoding": {**rule["encoding"], "text": {"field": "label", "type": "nominal"}},
            },
        ]
    return base_spec(width=460, height=220, layer=layers)


def series_chart(row: IndicatorRow) -> Chart:
    indicator = row.indicator
    values = [
        {"period": point.label, "value": point.value, "label": format_number(point.value)}
        for point in row.points
    ]
    title = indicator.name + (f" ({row.series})" if row.series else "")
    table = [
        [
            point.label,
            format_number(point.value),
            point.quality_label,
            _("yes") if point.verified else _("no"),
        ]
        for point in row.points
    ]
    if row.target:
        table.append(
            [
                _("Target %(year)s") % {"year": row.target.target_year},
                format_number(row.target.target_value),
                "",
                "",
            ]
        )
    return Chart(
        caption=_("%(name)s over time, in %(unit)s") % {"name": title, "unit": indicator.unit},
        spec=time_series_spec(
            values=values, target=row.target, value_title=indicator.unit, period_title=_("Period")
        ),
        columns=[_("Period"), _("Value"), _("Data quality"), _("Verified")],
        rows=table,
        chart_id=f"series-{indicator.slug}{'-' + row.series if row.series else ''}",
    )


def value_bar_spec(*, values: list[dict[str, Any]], value_title: str, category_title: str):
    """Horizontal bars labelled with their (possibly fractional) values, in the given order."""
    order = [row["category"] for row in values]
    y = {"field": "category", "type": "nominal", "sort": order, "title": category_title}
    x = {"field": "value", "type": "quantitative", "title": value_title}
    return base_spec(
        width=380,
        height=max(28 * len(values), 28),
        usermeta={"narrow": STACKED},
        data={"values": values},
        encoding={"y": y, "x": x},
        layer=[
            {"mark": {"type": "bar", "color": BAR_COLOUR}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": DARK_TEXT},
                "encoding": {"text": {"field": "label", "type": "nominal"}},
            },
        ],
    )


def others_chart(indicator: Indicator, others: Sequence[tuple[str, float, int]]) -> Chart:
    values = [
        {"category": f"{name} ({year})", "value": value, "label": format_number(value)}
        for name, value, year in others
    ]
    return Chart(
        caption=_("%(name)s: latest value of each municipality that publishes it, in %(unit)s")
        % {"name": indicator.name, "unit": indicator.unit},
        spec=value_bar_spec(
            values=values, value_title=indicator.unit, category_title=_("Municipality (year)")
        ),
        columns=[_("Municipality"), _("Year"), _("Value")],
        rows=[[name, year, format_number(value)] for name, value, year in others],
        chart_id=f"others-{indicator.slug}",
    )


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def dimension_overview_chart(dimension: Group) -> Chart | None:
    """Mean share of target per category of a U4SSC dimension; None when no category has a
    scored indicator (the page then says so instead of drawing an empty chart)."""
    scored = [category for category in dimension.children if category.roll_up.percent is not None]
    if not scored:
        return None
    return Chart(
        caption=_("%(dimension)s: mean share of target per category")
        % {"dimension": dimension.label},
        description=(
            _(
                "%(scored)s of %(total)s categories have an indicator with a value and a target; "
                "the others are left out of the chart and shown in its data table."
            )
            % {"scored": len(scored), "total": len(dimension.children)}
            if len(scored) < len(dimension.children)
            else ""
        ),
        spec=value_bar_spec(
            values=[
                {
                    "category": str(category.label),
                    "value": category.roll_up.percent,
                    "label": _percent(category.roll_up.percent),
                }
                for category in scored
            ],
            # xgettext:no-python-format
            value_title=_("% of target"),
            category_title=_("Category"),
        ),
        columns=[
            _("Category"),
            _("Indicators reported"),
            _("Indicators scored"),
            _("Mean share of target"),
        ],
        rows=[
            [
                category.label,
                f"{category.reported} / {len(category.all_rows)}",
                category.roll_up.scored,
                _percent(category.roll_up.percent),
            ]
            for category in dimension.children
        ],
        chart_id=f"overview-{dimension.key}",
    )


def comparison_chart(comparison: Comparison) -> Chart:
    names = [municipality.name for municipality in comparison.municipalities]
    values = [
        {"category": label, "series": name, "value": roll_up.percent or 0}
        for label, roll_ups in comparison.dimensions
        for name, roll_up in zip(names, roll_ups, strict=True)
    ]
    return Chart(
        caption=_("Mean achievement of target per dimension, in % (core KPIs with a target)"),
        spec=grouped_bar_spec(
            values=values,
            category_title=_("Dimension"),
            # xgettext:no-python-format
            value_title=_("% of target"),
            series_title=_("Municipality"),
        ),
        columns=[_("Dimension"), *names],
        rows=[
            [label, *[_percent(roll_up.percent) for roll_up in roll_ups]]
            for label, roll_ups in comparison.dimensions
        ],
        chart_id="comparison-dimensions",
    )
