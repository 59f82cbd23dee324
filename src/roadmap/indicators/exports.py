"""CSV, XLSX and JSON export of a municipality's observations, safe to open in a spreadsheet.

Text cells that a spreadsheet could run as a formula are neutralised by
roadmap.core.spreadsheet (CSV and XLSX through table_response, the JSON cell by cell), so the
files carry the same values. JSON keeps decimal points whatever the language: it is for machines.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from roadmap.core.spreadsheet import FileFormat, neutralise, table_response

from .models import Observation
from .selectors import observation_concept_uri

COLUMNS = (
    "indicator",
    "name",
    "series",
    "period",
    "value",
    "unit",
    "source",
    "quality",
    "verified",
    "note",
    "concept_uri",
)


def observations_for_export(municipality) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(municipality=municipality)
        .select_related("indicator")
        .annotate(concept_uri=observation_concept_uri())
        .order_by("indicator__order", "indicator__code", "series", "period")
    )


def _cells(observation: Observation, *, verified: Any) -> tuple[Any, ...]:
    """One observation's cells in COLUMNS order, not yet neutralised."""
    indicator = observation.indicator
    return (
        indicator.code,
        indicator.name,
        observation.series,
        observation.period_label,
        observation.value,
        indicator.unit,
        observation.source,
        observation.quality,
        verified,
        observation.note,
        observation.concept_uri or "",  # type: ignore[attr-defined]
    )


def table_download(
    file_format: FileFormat, municipality, observations: QuerySet[Observation]
) -> StreamingHttpResponse:
    rows = (
        _cells(item, verified="yes" if item.verified else "no")
        for item in observations.iterator(chunk_size=2000)
    )
    return table_response(file_format, f"{municipality.slug}-indicators", COLUMNS, rows)


def json_text(municipality, observations: QuerySet[Observation]) -> str:
    buffer = io.StringIO()
    json.dump(
        {
            "municipality": municipality.slug,
            "observations": [
                dict(
                    zip(COLUMNS, map(neutralise, _cells(item, verified=item.verified)), strict=True)
                )
                for item in observations.iterator()
            ],
        },
        buffer,
        ensure_ascii=False,
        indent=1,
    )
    return buffer.getvalue()
