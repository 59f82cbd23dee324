"""CSV and JSON export of a municipality's observations, safe to open in a spreadsheet.

A text cell that starts with = + - @ tab or carriage return could run as a formula when the
file is opened in Excel or LibreOffice; such cells get a leading apostrophe. Plain numbers
(including negative ones) are left alone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from .models import Observation

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?$")
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
)


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def observations_for_export(municipality) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(municipality=municipality)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code", "series", "period")
    )


def _record(observation: Observation) -> dict[str, Any]:
    indicator = observation.indicator
    return {
        "indicator": neutralise(indicator.code),
        "name": neutralise(indicator.name),
        "series": neutralise(observation.series),
        "period": observation.period_label,
        "value": observation.value,
        "unit": neutralise(indicator.unit),
        "source": neutralise(observation.source),
        "quality": observation.quality,
        "verified": observation.verified,
        "note": neutralise(observation.note),
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(observations: QuerySet[Observation]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)  # the BOM makes Excel read UTF-8
    for observation in observations.iterator(chunk_size=2000):
        record = _record(observation)
        record["verified"] = "yes" if record["verified"] else "no"
        yield writer.writerow([record[column] for column in COLUMNS])


def json_text(municipality, observations: QuerySet[Observation]) -> str:
    buffer = io.StringIO()
    json.dump(
        {
            "municipality": municipality.slug,
            "observations": [_record(observation) for observation in observations.iterator()],
        },
        buffer,
        ensure_ascii=False,
        indent=1,
    )
    return buffer.getvalue()
