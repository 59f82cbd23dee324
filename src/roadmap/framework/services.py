"""Writes to a municipality's local framework: its own principles and barriers.

Local entries are written in the default content language only (name_en and so on); the shared
roadmap is written by the loader from the data file. Every write records an audit event whose
subject is the principle or barrier itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.municipalities.models import Municipality

from .models import ActionArea, Barrier, BarrierCategory, GuidingQuestion, MaturityLevel, Principle

# Codes that would clash with the local framework's own addresses (…/principles/new/).
RESERVED_CODES = frozenset({"new"})
CODE_MAX_LENGTH = 60


class FrameworkEntryInUse(Exception):
    """A local principle or barrier cannot be deleted because records refer to it."""


def default_language_field(field: str) -> str:
    """The default-language column of a translated field, e.g. name_en."""
    return build_localized_fieldname(field, settings.MODELTRANSLATION_DEFAULT_LANGUAGE)


def unique_code(name: str, taken: Iterable[str]) -> str:
    """A slug of the name that is not in `taken` (nor reserved): name, name-2, name-3, …"""
    taken = set(taken) | RESERVED_CODES
    base = slugify(name)[:CODE_MAX_LENGTH].strip("-") or "entry"
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = f"{base[: CODE_MAX_LENGTH - len(suffix)].rstrip('-')}{suffix}"
    return code


LocalEntry = Principle | Barrier


def _codes_taken(model: type[LocalEntry], municipality: Municipality) -> set[str]:
    """Shared codes count too, so a municipality's addresses of its entries are never ambiguous."""
    return set(
        model.objects.filter(
            Q(municipality__isnull=True) | Q(municipality=municipality)
        ).values_list("code", flat=True)
    )


def _record(actor: User, action: str, entry: LocalEntry, changes: dict[str, Any]) -> None:
    """The audit event of a write to a local entry, which is its own subject."""
    audit.record(
        actor=actor,
        action=action,
        obj=entry,
        municipality=entry.municipality,
        subject=entry,
        changes=changes,
    )


def _record_update(
    actor: User, entry: LocalEntry, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """An edit that changes nothing leaves no audit event."""
    changes = audit.diff(before, after)
    if changes:
        _record(actor, "update", entry, changes)


def _delete_local_entry(*, actor: User, entry: LocalEntry, blocker: str) -> None:
    if blocker:
        raise FrameworkEntryInUse(blocker)
    _record(actor, "delete", entry, {"name": getattr(entry, default_language_field("name"))})
    entry.delete()


def _principle_state(principle: Principle) -> dict[str, Any]:
    return {
        "name": getattr(principle, default_language_field("name")),
        "summary": getattr(principle, default_language_field("summary")),
        "action_areas": sorted(str(area) for area in principle.action_areas.all()),
        "guiding_questions": [
            getattr(question, default_language_field("text"))
            for question in principle.guiding_questions.order_by("order", "id")
        ],
        "maturity": [
            getattr(level, default_language_field("descriptor"))
            for level in principle.maturity_levels.order_by("level")
        ],
    }


def _write_principle(
    principle: Principle,
    *,
    name: str,
    summary: str,
    action_areas: Iterable[ActionArea],
    guiding_questions: Sequence[str],
    maturity: Sequence[str],
) -> None:
    setattr(principle, default_language_field("name"), name)
    setattr(principle, default_language_field("summary"), summary)
    principle.save()
    principle.action_areas.set(action_areas)
    for order, text in enumerate(guiding_questions):
        GuidingQuestion.objects.update_or_create(
            principle=principle, order=order, defaults={default_language_field("text"): text}
        )
    principle.guiding_questions.filter(order__gte=len(guiding_questions)).delete()
    for level, descriptor in enumerate(maturity):
        MaturityLevel.objects.update_or_create(
            principle=principle,
            level=level,
            defaults={default_language_field("descriptor"): descriptor},
        )


@transaction.atomic
def create_local_principle(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    summary: str,
    action_areas: Iterable[ActionArea],
    guiding_questions: Sequence[str],
    maturity: Sequence[str],
) -> Principle:
    principle = Principle(
        municipality=municipality,
        code=unique_code(name, _codes_taken(Principle, municipality)),
        source=Principle.Source.LOCAL,
    )
    _write_principle(
        principle,
        name=name,
        summary=summary,
        action_areas=action_areas,
        guiding_questions=guiding_questions,
        maturity=maturity,
    )
    _record(actor, "create", principle, _principle_state(principle))
    return principle


@transaction.atomic
def update_local_principle(
    *,
    actor: User,
    principle: Principle,
    name: str,
    summary: str,
    action_areas: Iterable[ActionArea],
    guiding_questions: Sequence[str],
    maturity: Sequence[str],
) -> Principle:
    """Change a local principle's texts; its code (and so its address) stays the same."""
    before = _principle_state(principle)
    _write_principle(
        principle,
        name=name,
        summary=summary,
        action_areas=action_areas,
        guiding_questions=guiding_questions,
        maturity=maturity,
    )
    _record_update(actor, principle, before, _principle_state(principle))
    return principle


def principle_deletion_blocker(principle: Principle) -> str:
    """Why the local principle cannot be deleted now, or "" if it can."""
    ratings = principle.ratings.count()
    if not ratings:
        return ""
    return ngettext(
        "“%(name)s” cannot be deleted because %(count)s assessment rating refers to it. "
        "Edit the principle instead.",
        "“%(name)s” cannot be deleted because %(count)s assessment ratings refer to it. "
        "Edit the principle instead.",
        ratings,
    ) % {"name": principle.name, "count": ratings}


@transaction.atomic
def delete_local_principle(*, actor: User, principle: Principle) -> None:
    """Delete a local principle; refused while assessments rate initiatives against it."""
    _delete_local_entry(actor=actor, entry=principle, blocker=principle_deletion_blocker(principle))


def _barrier_state(barrier: Barrier) -> dict[str, Any]:
    return {
        "category": str(barrier.category),
        "name": getattr(barrier, default_language_field("name")),
        "description": getattr(barrier, default_language_field("description")),
    }


def _write_barrier(
    barrier: Barrier, *, category: BarrierCategory, name: str, description: str
) -> None:
    barrier.category = category
    setattr(barrier, default_language_field("name"), name)
    setattr(barrier, default_language_field("description"), description)
    barrier.save()


@transaction.atomic
def create_local_barrier(
    *,
    actor: User,
    municipality: Municipality,
    category: BarrierCategory,
    name: str,
    description: str,
) -> Barrier:
    barrier = Barrier(
        municipality=municipality, code=unique_code(name, _codes_taken(Barrier, municipality))
    )
    _write_barrier(barrier, category=category, name=name, description=description)
    _record(actor, "create", barrier, _barrier_state(barrier))
    return barrier


@transaction.atomic
def update_local_barrier(
    *, actor: User, barrier: Barrier, category: BarrierCategory, name: str, description: str
) -> Barrier:
    before = _barrier_state(barrier)
    _write_barrier(barrier, category=category, name=name, description=description)
    _record_update(actor, barrier, before, _barrier_state(barrier))
    return barrier


def barrier_deletion_blocker(barrier: Barrier) -> str:
    """Why the local barrier cannot be deleted now, or "" if it can."""
    encounters = barrier.encounters.count()
    if not encounters:
        return ""
    return ngettext(
        "“%(name)s” cannot be deleted because it is recorded %(count)s time as a barrier "
        "an initiative met. Edit the barrier instead.",
        "“%(name)s” cannot be deleted because it is recorded %(count)s times as a barrier "
        "initiatives met. Edit the barrier instead.",
        encounters,
    ) % {"name": barrier.name, "count": encounters}


@transaction.atomic
def delete_local_barrier(*, actor: User, barrier: Barrier) -> None:
    """Delete a local barrier; refused while initiatives record having met it."""
    _delete_local_entry(actor=actor, entry=barrier, blocker=barrier_deletion_blocker(barrier))
