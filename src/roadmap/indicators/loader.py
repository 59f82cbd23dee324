"""Load the shipped indicator catalogue (data/u4ssc.yaml) into the database, idempotently.

The whole file is validated first and every problem is reported at once; only a valid file is
written, in one transaction. Entries are matched by code and updated in place, so observations
and targets keep pointing at them; loading the same file twice changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.text import slugify

from roadmap.framework.loader import translated
from roadmap.framework.models import ActionArea, Purpose

from .models import (
    CatalogueRelease,
    Direction,
    Indicator,
    IndicatorCategory,
    Level,
    SubDimension,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "u4ssc.yaml"
CODE = re.compile(r"^(EC|EN|SC): ([A-Z]+): ([A-Z]+): (\d+)([CA])$")
SHIPPED_DIRECTIONS = set(Direction.values)


class CatalogueDataError(ValueError):
    """The catalogue file is malformed; the message lists every problem found."""


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def indicator_slug(code: str) -> str:
    """ "EC: ICT: ICT: 2C" → "ec-ict-ict-2c"."""
    return slugify(code.replace(":", " "))


def _known(codes: set[str], where: str, values: Any, what: str, problems: list[str]) -> None:
    if values is None:
        return
    if not isinstance(values, list) or not values:
        problems.append(f"{where}: '{what}' must be a non-empty list")
        return
    unknown = sorted(set(values) - codes)
    if unknown:
        problems.append(f"{where}: unknown {what} {unknown}")


def validate(data: Any) -> None:
    """Raise CatalogueDataError naming every problem in the data, or return if it is sound."""
    if not isinstance(data, dict):
        raise CatalogueDataError("The catalogue must be a mapping with categories and indicators.")
    problems: list[str] = []
    if not str(data.get("version") or "").strip():
        problems.append("version: is missing")
    purposes = set(Purpose.objects.values_list("code", flat=True))
    areas = set(ActionArea.objects.values_list("code", flat=True))
    categories: set[str] = set()
    for index, entry in enumerate(data.get("categories") or []):
        where = f"categories[{index}]"
        code = entry.get("code")
        if not code or slugify(code) != code or code in categories:
            problems.append(f"{where}: 'code' must be a new lower-case slug, got {code!r}")
            continue
        categories.add(code)
        if not (entry.get("name") or {}).get("en"):
            problems.append(f"{where}: needs an English name")
        _known(purposes, where, entry.get("purposes"), "purposes", problems)
        _known(areas, where, entry.get("action_areas"), "action areas", problems)
    seen: set[str] = set()
    for index, entry in enumerate(data.get("indicators") or []):
        code = entry.get("code", "")
        where = f"indicators[{index}] {code!r}"
        match = CODE.match(code)
        if not match:
            problems.append(f"{where}: the code does not follow 'DIM: SUB: CAT: nC|nA'")
        elif f"{match[1]}-{match[2]}" not in SubDimension.values:
            problems.append(f"{where}: unknown sub-dimension {match[2]!r}")
        if code in seen:
            problems.append(f"{where}: the code is used twice")
        seen.add(code)
        if entry.get("category") not in categories:
            problems.append(f"{where}: unknown category {entry.get('category')!r}")
        for field in ("unit", "definition", "formula"):
            if not entry.get(field):
                problems.append(f"{where}: '{field}' is missing")
        if not (entry.get("name") or {}).get("en"):
            problems.append(f"{where}: needs an English name")
        if entry.get("direction") not in SHIPPED_DIRECTIONS:
            problems.append(f"{where}: 'direction' must be one of {sorted(SHIPPED_DIRECTIONS)}")
        if entry.get("direction") == Direction.TARGET and entry.get("ideal") is None:
            problems.append(f"{where}: a 'target' direction needs an 'ideal' value")
        if not isinstance(entry.get("sdg"), list):
            problems.append(f"{where}: 'sdg' must be a list of SDG targets")
        _known(purposes, where, entry.get("purposes"), "purposes", problems)
        _known(areas, where, entry.get("action_areas"), "action areas", problems)
    if not seen:
        problems.append("indicators: must be a non-empty list")
    if problems:
        raise CatalogueDataError(
            "The indicator catalogue has problems; nothing was loaded:\n- " + "\n- ".join(problems)
        )


def _bounds(entry: dict[str, Any]) -> tuple[float | None, float | None]:
    low, high = entry.get("min"), entry.get("max")
    if entry["unit"].startswith("%"):
        return (0.0 if low is None else low, 100.0 if high is None else high)
    # Every U4SSC quantity is a count, rate or share: none can be negative.
    return (0.0 if low is None else low, high)


@transaction.atomic
def load_indicators(data: dict[str, Any] | None = None) -> CatalogueRelease:
    """Validate the data (the shipped file by default) and write it; all or nothing."""
    data = data if data is not None else read_data()
    validate(data)
    purposes = {purpose.code: purpose for purpose in Purpose.objects.all()}
    areas = {area.code: area for area in ActionArea.objects.all()}
    categories = {}
    for order, entry in enumerate(data["categories"]):
        categories[entry["code"]], _ = IndicatorCategory.objects.update_or_create(
            code=entry["code"], defaults={"order": order, **translated("name", entry["name"])}
        )
    defaults_by_category = {entry["code"]: entry for entry in data["categories"]}
    for order, entry in enumerate(data["indicators"]):
        match = CODE.match(entry["code"])
        assert match is not None, "validate() checked every code"
        low, high = _bounds(entry)
        indicator, _ = Indicator.objects.update_or_create(
            code=entry["code"],
            municipality=None,
            defaults={
                "slug": indicator_slug(entry["code"]),
                "order": order,
                "dimension": match[1],
                "sub_dimension": f"{match[1]}-{match[2]}",
                "category": categories[entry["category"]],
                "level": Level.CORE if match[5] == "C" else Level.ADVANCED,
                "unit": entry["unit"],
                "direction": entry["direction"],
                "ideal_value": entry.get("ideal"),
                "min_value": low,
                "max_value": high,
                "sdg_targets": [str(target) for target in entry["sdg"]],
                **translated("name", entry["name"]),
                **translated("definition", entry["definition"]),
                **translated("formula", entry["formula"]),
            },
        )
        category = defaults_by_category[entry["category"]]
        indicator.purposes.set(
            [purposes[code] for code in entry.get("purposes") or category["purposes"]]
        )
        indicator.action_areas.set(
            [areas[code] for code in entry.get("action_areas") or category["action_areas"]]
        )
    release, _ = CatalogueRelease.objects.get_or_create(version=str(data["version"]))
    return release
