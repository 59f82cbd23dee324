"""Load the shipped roadmap framework (data/roadmap.yaml) into the database, idempotently.

The whole file is validated first and every problem is reported at once; only a valid file is
written, inside one transaction. Entries are matched by code and updated in place, so loading
an upgraded file changes texts without touching the assessments that refer to principles, and
loading the same file twice changes nothing. Entries removed from the file are kept in the
database (ratings may refer to them).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from .models import (
    ActionArea,
    Barrier,
    BarrierCategory,
    FrameworkRelease,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
    Value,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "roadmap.yaml"
MATURITY_LEVELS = 5
QUESTIONS_MIN, QUESTIONS_MAX = 3, 5
ACTION_AREAS_MIN, ACTION_AREAS_MAX = 1, 3
SHIPPED_SOURCES = {Principle.Source.ROADMAP, Principle.Source.NORWEGIAN, Principle.Source.DERIVED}
SECTIONS = ("values", "purposes", "action_areas", "principles", "barrier_categories")


class FrameworkDataError(ValueError):
    """The data file is malformed; the message lists every problem found."""


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def translated(field: str, texts: dict[str, str] | str) -> dict[str, str | None]:
    """{"en": "…", "nb": "…"} → {"name_en": "…", "name_nb": "…", "name_sv": None, …}.

    Every content language is set, so a translation removed from the file is removed from the
    database too. Call only on validated data.
    """
    if isinstance(texts, str):
        texts = {"en": texts}
    return {
        f"{field}_{language}": texts.get(language) or None
        for language in settings.MODELTRANSLATION_LANGUAGES
    }


class _Validator:
    """Collects every problem in the data file with the place where it occurs."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, where: str, entry: dict[str, Any], field: str, required: bool = True) -> None:
        texts = entry.get(field)
        if texts is None:
            if required:
                self.problem(where, f"'{field}' is missing")
            return
        self.translations(f"{where} {field}", texts)

    def translations(self, where: str, texts: Any) -> None:
        if isinstance(texts, str):
            texts = {"en": texts}
        if not isinstance(texts, dict):
            self.problem(where, "must be a text or a mapping of language codes to texts")
            return
        if not isinstance(texts.get("en"), str) or not texts["en"].strip():
            self.problem(where, "needs an English ('en') text")
        unknown = set(texts) - set(settings.MODELTRANSLATION_LANGUAGES)
        if unknown:
            self.problem(where, f"unknown languages {sorted(unknown)}")
        if any(not isinstance(text, str) for text in texts.values()):
            self.problem(where, "every translation must be a text")

    def entries(self, section: str, items: Any, seen: set[str]) -> Iterable[tuple[str, dict]]:
        """Yield (place, entry) for each well-formed entry with a new, valid code."""
        if not isinstance(items, list) or not items:
            self.problem(section, "must be a non-empty list")
            return
        for index, entry in enumerate(items):
            where = f"{section}[{index}]"
            if not isinstance(entry, dict):
                self.problem(where, "must be a mapping")
                continue
            code = entry.get("code")
            if not isinstance(code, str) or not code or slugify(code) != code:
                self.problem(where, f"'code' must be a lower-case slug, got {code!r}")
                continue
            where = f"{where} '{code}'"
            if code in seen:
                self.problem(where, "the code is used twice")
            seen.add(code)
            self.text(where, entry, "name")
            yield where, entry

    def count(self, where: str, items: Any, what: str, low: int, high: int) -> list:
        if not isinstance(items, list):
            self.problem(where, f"'{what}' must be a list")
            return []
        if not low <= len(items) <= high:
            expected = str(low) if low == high else f"{low} to {high}"
            self.problem(where, f"needs {expected} {what}, found {len(items)}")
        return items


def validate(data: Any) -> None:
    """Raise FrameworkDataError naming every problem in the data, or return if it is sound."""
    check = _Validator()
    if not isinstance(data, dict):
        raise FrameworkDataError(
            "The framework data must be a mapping with the sections " + ", ".join(SECTIONS)
        )
    if not str(data.get("version") or "").strip():
        check.problem("version", "is missing")
    for where, entry in check.entries("values", data.get("values"), set()):
        check.text(where, entry, "description")
    for where, entry in check.entries("purposes", data.get("purposes"), set()):
        check.text(where, entry, "description")
        check.text(where, entry, "replaces")
    area_codes: set[str] = set()
    for where, entry in check.entries("action_areas", data.get("action_areas"), area_codes):
        check.text(where, entry, "scope")
    for where, entry in check.entries("principles", data.get("principles"), set()):
        _validate_principle(check, where, entry, area_codes)
    barrier_codes: set[str] = set()
    categories = check.entries("barrier_categories", data.get("barrier_categories"), set())
    for where, entry in categories:
        check.text(where, entry, "description", required=False)
        for barrier_where, barrier in check.entries(
            f"{where} barriers", entry.get("barriers"), barrier_codes
        ):
            check.text(barrier_where, barrier, "description")
    if check.problems:
        raise FrameworkDataError(
            "The framework data file has problems; nothing was loaded:\n- "
            + "\n- ".join(check.problems)
        )


def _validate_principle(check: _Validator, where: str, entry: dict, area_codes: set[str]) -> None:
    if entry.get("source") not in SHIPPED_SOURCES:
        check.problem(
            where,
            f"'source' must be one of {sorted(SHIPPED_SOURCES)}, got {entry.get('source')!r}",
        )
    check.text(where, entry, "summary")
    check.text(where, entry, "source_note")
    areas = check.count(
        where, entry.get("action_areas"), "action areas", ACTION_AREAS_MIN, ACTION_AREAS_MAX
    )
    unknown = [code for code in areas if code not in area_codes]
    if unknown:
        check.problem(where, f"unknown action areas {unknown}")
    questions = check.count(
        where, entry.get("guiding_questions"), "guiding questions", QUESTIONS_MIN, QUESTIONS_MAX
    )
    for index, question in enumerate(questions):
        check.translations(f"{where} guiding_questions[{index}]", question)
    levels = check.count(
        where,
        entry.get("maturity"),
        "maturity descriptors (levels 0-4)",
        MATURITY_LEVELS,
        MATURITY_LEVELS,
    )
    for level, descriptor in enumerate(levels):
        check.translations(f"{where} maturity level {level}", descriptor)


def _fields(entry: dict[str, Any], *names: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for name in names:
        values.update(translated(name, entry.get(name) or ""))
    return values


@transaction.atomic
def load_framework(data: dict[str, Any] | None = None) -> FrameworkRelease:
    """Validate the data (the shipped file by default) and write it; all or nothing."""
    data = data if data is not None else read_data()
    validate(data)
    for order, entry in enumerate(data["values"]):
        Value.objects.update_or_create(
            code=entry["code"], defaults={"order": order, **_fields(entry, "name", "description")}
        )
    for order, entry in enumerate(data["purposes"]):
        Purpose.objects.update_or_create(
            code=entry["code"],
            defaults={"order": order, **_fields(entry, "name", "description", "replaces")},
        )
    areas = {}
    for order, entry in enumerate(data["action_areas"]):
        areas[entry["code"]], _ = ActionArea.objects.update_or_create(
            code=entry["code"], defaults={"order": order, **_fields(entry, "name", "scope")}
        )
    for order, entry in enumerate(data["principles"]):
        _load_principle(entry, order, areas)
    for order, entry in enumerate(data["barrier_categories"]):
        category, _ = BarrierCategory.objects.update_or_create(
            code=entry["code"], defaults={"order": order, **_fields(entry, "name", "description")}
        )
        for barrier_order, barrier in enumerate(entry["barriers"]):
            Barrier.objects.update_or_create(
                code=barrier["code"],
                municipality=None,
                defaults={
                    "order": barrier_order,
                    "category": category,
                    **_fields(barrier, "name", "description"),
                },
            )
    release, _ = FrameworkRelease.objects.get_or_create(version=str(data["version"]))
    return release


def _load_principle(entry: dict[str, Any], order: int, areas: dict[str, ActionArea]) -> None:
    principle, _ = Principle.objects.update_or_create(
        code=entry["code"],
        municipality=None,
        defaults={
            "order": order,
            "source": entry["source"],
            **_fields(entry, "name", "summary", "source_note"),
        },
    )
    principle.action_areas.set([areas[code] for code in entry["action_areas"]])
    questions = entry["guiding_questions"]
    for index, text in enumerate(questions):
        GuidingQuestion.objects.update_or_create(
            principle=principle, order=index, defaults=translated("text", text)
        )
    principle.guiding_questions.filter(order__gte=len(questions)).delete()
    for level, descriptor in enumerate(entry["maturity"]):
        MaturityLevel.objects.update_or_create(
            principle=principle, level=level, defaults=translated("descriptor", descriptor)
        )
