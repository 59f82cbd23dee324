"""Load the shipped roadmap framework (data/roadmap.yaml) into the database, idempotently.

Entries are matched by code and updated in place, so re-running after an upgrade of the file
changes text without touching the assessments that refer to principles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

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


class FrameworkDataError(ValueError):
    pass


def translated(field: str, texts: dict[str, str] | str) -> dict[str, str]:
    """{"en": "...", "nb": "..."} → {"name_en": "...", "name_nb": "..."}; English is required."""
    if isinstance(texts, str):
        texts = {"en": texts}
    if not texts.get("en"):
        raise FrameworkDataError(f"'{field}' needs an English text: {texts!r}")
    unknown = set(texts) - set(settings.MODELTRANSLATION_LANGUAGES)
    if unknown:
        raise FrameworkDataError(f"'{field}' has unknown languages {sorted(unknown)}")
    return {f"{field}_{language}": text for language, text in texts.items()}


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _fields(entry: dict[str, Any], *names: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in names:
        if name in entry:
            values.update(translated(name, entry[name]))
    return values


@transaction.atomic
def load_framework(data: dict[str, Any] | None = None) -> FrameworkRelease:
    data = data if data is not None else read_data()
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
        for barrier_order, barrier in enumerate(entry.get("barriers", [])):
            Barrier.objects.update_or_create(
                code=barrier["code"],
                municipality=None,
                defaults={
                    "order": barrier_order,
                    "category": category,
                    **_fields(barrier, "name", "description"),
                },
            )
    release, _ = FrameworkRelease.objects.update_or_create(version=str(data["version"]))
    return release


def _load_principle(entry: dict[str, Any], order: int, areas: dict[str, ActionArea]) -> None:
    if entry["source"] not in {Principle.Source.ROADMAP, Principle.Source.NORWEGIAN, Principle.Source.DERIVED}:
        raise FrameworkDataError(f"principle {entry['code']}: unknown source {entry['source']!r}")
    levels = entry.get("maturity", [])
    if len(levels) != MATURITY_LEVELS:
        raise FrameworkDataError(
            f"principle {entry['code']}: needs {MATURITY_LEVELS} maturity descriptors (0–4)"
        )
    questions = entry.get("guiding_questions", [])
    if not 3 <= len(questions) <= 5:
        raise FrameworkDataError(f"principle {entry['code']}: needs 3–5 guiding questions")
    unknown_areas = set(entry["action_areas"]) - set(areas)
    if unknown_areas:
        raise FrameworkDataError(f"principle {entry['code']}: unknown action areas {unknown_areas}")
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
    principle.guiding_questions.all().delete()
    GuidingQuestion.objects.bulk_create(
        GuidingQuestion(principle=principle, order=index, **translated("text", text))
        for index, text in enumerate(questions)
    )
    for level, descriptor in enumerate(levels):
        MaturityLevel.objects.update_or_create(
            principle=principle, level=level, defaults=translated("descriptor", descriptor)
        )
