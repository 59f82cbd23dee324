"""The portfolio dashboard of a municipality and its assessment export.

The numbers come from portfolio.selectors; this module only turns them into charts (each a
figure with caption, SVG and data table).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from roadmap.core.charts import (
    Chart,
    grouped_bar_spec,
    heatmap_spec,
    horizontal_bar_spec,
    level_stack_spec,
)
from roadmap.core.spreadsheet import FileFormat, table_response
from roadmap.municipalities.permissions import is_member
from roadmap.municipalities.selectors import municipality_by_slug

from ..assessments import selectors as assessment_selectors
from ..permissions import can_edit_initiatives
from .selectors import LEVELS, PortfolioSummary, portfolio_summary


def _status_chart(summary: PortfolioSummary) -> Chart:
    return Chart(
        caption=_("Initiatives by lifecycle status"),
        spec=horizontal_bar_spec(
            values=[{"category": label, "value": count} for label, count in summary.by_status],
            category_title=_("Lifecycle status"),
            value_title=_("Initiatives"),
        ),
        columns=[_("Lifecycle status"), _("Initiatives")],
        rows=[[label, count] for label, count in summary.by_status],
        chart_id="portfolio-status",
        extra={"heading": _("Lifecycle")},
    )


def _area_purpose_chart(summary: PortfolioSummary) -> Chart:
    cells = [
        {"row": area.name, "column": purpose.name, "value": summary.heat_count(area, purpose)}
        for area in summary.action_areas
        for purpose in summary.purposes
    ]
    return Chart(
        caption=_("Initiatives by action area and purpose"),
        description=_(
            "Each cell counts the initiatives that work in the action area and serve the purpose."
        ),
        spec=heatmap_spec(
            values=cells,
            row_title=_("Action area"),
            column_title=_("Purpose"),
            value_title=_("Initiatives"),
        ),
        columns=[_("Action area"), *[purpose.name for purpose in summary.purposes]],
        rows=[
            [area.name, *[summary.heat_count(area, purpose) for purpose in summary.purposes]]
            for area in summary.action_areas
        ],
        chart_id="portfolio-area-purpose",
        extra={"heading": _("Action areas and purposes")},
    )


def _adherence_chart(summary: PortfolioSummary) -> Chart:
    values = [
        {"category": row.principle.name, "level": level, "value": row.counts[level]}
        for row in summary.principle_levels
        for level in LEVELS
    ]
    return Chart(
        caption=_("Principle adherence: levels in the latest assessments"),
        description=_(
            "For each principle, how many initiatives reached each maturity level (0–4) in their "
            "latest final assessment. Each segment is labelled with its level."
        ),
        spec=level_stack_spec(
            values=values,
            category_title=_("Principle"),
            value_title=_("Initiatives"),
            level_title=_("Maturity level"),
        ),
        columns=[
            _("Principle"),
            *[_("Level %(level)s") % {"level": level} for level in LEVELS],
            _("Initiatives assessed"),
        ],
        rows=[[row.principle.name, *row.counts, row.total] for row in summary.principle_levels],
        chart_id="portfolio-adherence",
        extra={"heading": _("Principles")},
    )


def _sector_chart(summary: PortfolioSummary) -> Chart:
    partners, initiatives = _("Partners"), _("Initiatives")
    values = []
    for row in summary.sectors:
        values.append({"category": row.label, "series": partners, "value": row.partners})
        values.append({"category": row.label, "series": initiatives, "value": row.initiatives})
    share = (
        round(100 * summary.cross_sector_initiatives / summary.initiatives)
        if summary.initiatives
        else 0
    )
    return Chart(
        caption=_("Partners by sector: is the work co-created across sectors?"),
        description=_(
            "“Partners” counts partner organisations, “Initiatives” the initiatives with at least "
            "one partner from the sector. %(cross)s of %(total)s initiatives (%(share)s %%) have "
            "partners from three or more sectors; %(with)s have at least one partner."
        )
        % {
            "cross": summary.cross_sector_initiatives,
            "total": summary.initiatives,
            "share": share,
            "with": summary.initiatives_with_partners,
        },
        spec=grouped_bar_spec(
            values=values,
            category_title=_("Sector"),
            value_title=_("Count"),
            series_title=_("Measure"),
        ),
        columns=[_("Sector"), partners, _("Initiatives with a partner from the sector")],
        rows=[[row.label, row.partners, row.initiatives] for row in summary.sectors],
        chart_id="portfolio-sectors",
        extra={"heading": _("Partners")},
    )


def _barrier_chart(summary: PortfolioSummary) -> Chart:
    return Chart(
        caption=_("Open barriers by category"),
        spec=horizontal_bar_spec(
            values=[{"category": label, "value": count} for label, count in summary.open_barriers],
            category_title=_("Barrier category"),
            value_title=_("Open barriers"),
        ),
        columns=[_("Barrier category"), _("Open barriers")],
        rows=[[label, count] for label, count in summary.open_barriers],
        chart_id="portfolio-barriers",
        extra={"heading": _("Barriers")},
    )


def dashboard(request: HttpRequest, municipality: str) -> HttpResponse:
    municipality = municipality_by_slug(municipality)
    summary = portfolio_summary(municipality, request.user)
    # Without initiatives every chart would be empty: the page says so once instead.
    charts = (
        [
            _status_chart(summary),
            _area_purpose_chart(summary),
            _adherence_chart(summary),
            _sector_chart(summary),
            _barrier_chart(summary),
        ]
        if summary.initiatives
        else []
    )
    return render(
        request,
        "initiatives/dashboard.html",
        {
            "municipality": municipality,
            "summary": summary,
            "charts": charts,
            "is_member": is_member(request.user, municipality),
            "can_add_initiatives": can_edit_initiatives(request.user, municipality),
        },
    )


def assessments_export(
    request: HttpRequest, municipality: str, file_format: FileFormat
) -> StreamingHttpResponse:
    """Every assessment rating of the municipality that this user may see, as CSV or XLSX."""
    municipality = municipality_by_slug(municipality)
    assessments = assessment_selectors.municipality_export_assessments(municipality, request.user)
    return table_response(
        file_format,
        f"{municipality.slug}-assessments",
        assessment_selectors.export_header(),
        assessment_selectors.export_rows(assessments),
    )
