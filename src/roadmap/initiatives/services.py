"""Writes to the initiative portfolio.

Each use case runs in one transaction and records one audit event whose subject is the
initiative, so the initiative's page shows the history of the initiative and of its parts.
Objects to change are read again inside the transaction: a bound ModelForm has already
written the submitted values onto the instance it was given, so that instance cannot tell
what the stored values were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.framework.models import Barrier, Principle
from roadmap.municipalities.models import Municipality

from .models import BarrierEncounter, Initiative, Lesson, Partner, Pilot

INITIATIVE_FIELDS = (
    "title",
    "summary",
    "description",
    "status",
    "visibility",
    "start_date",
    "end_date",
    "budget",
    "sdg_goals",
    "location_name",
    "latitude",
    "longitude",
)
INITIATIVE_RELATIONS = ("action_areas", "purposes", "principles")
PILOT_FIELDS = ("title", "hypothesis", "start_date", "end_date", "result", "decision")
BARRIER_ENCOUNTER_FIELDS = ("barrier", "description", "mitigation", "status")
LESSON_FIELDS = ("text",)
EMPTY_VALUES: tuple[object, ...] = (None, "", [])


class PartnerRow(TypedDict):
    organisation: str
    sector: str
    role: str


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in EMPTY_VALUES}


def _ensure_in_scope(initiative: Initiative, entries: Iterable[Principle | Barrier]) -> None:
    """Catalogue entries must be shared or the initiative's municipality's own."""
    for entry in entries:
        if entry.municipality_id not in (None, initiative.municipality_id):
            raise ValidationError(
                _("“%(name)s” belongs to another municipality.") % {"name": entry.name}
            )


# --- initiatives --------------------------------------------------------------------------


def _describe_partner(partner: Partner) -> str:
    described = f"{partner.organisation} ({partner.get_sector_display()})"
    return f"{described}: {partner.role}" if partner.role else described


def _initiative_state(initiative: Initiative) -> dict[str, Any]:
    state = audit.snapshot(initiative, INITIATIVE_FIELDS + INITIATIVE_RELATIONS)
    state["partners"] = [_describe_partner(p) for p in initiative.partners.order_by("organisation")]
    return state


def _sync_partners(initiative: Initiative, rows: Sequence[PartnerRow]) -> None:
    """Make the partner list match the rows. The organisation name identifies a partner."""
    wanted = {row["organisation"]: row for row in rows}
    initiative.partners.exclude(organisation__in=wanted).delete()
    existing = {partner.organisation: partner for partner in initiative.partners.all()}
    for organisation, row in wanted.items():
        partner = existing.get(organisation)
        if partner is None:
            Partner.objects.create(initiative=initiative, **row)
        elif (partner.sector, partner.role) != (row["sector"], row["role"]):
            partner.sector, partner.role = row["sector"], row["role"]
            partner.save(update_fields=["sector", "role"])


def _write_initiative(
    initiative: Initiative, data: Mapping[str, Any], partners: Sequence[PartnerRow]
) -> None:
    _ensure_in_scope(initiative, data.get("principles", ()))
    for name in INITIATIVE_FIELDS:
        if name in data:
            setattr(initiative, name, data[name])
    initiative.sdg_goals = sorted(set(initiative.sdg_goals))
    initiative.save()
    for name in INITIATIVE_RELATIONS:
        if name in data:
            getattr(initiative, name).set(data[name])
    _sync_partners(initiative, partners)


@transaction.atomic
def create_initiative(
    *,
    actor: User,
    municipality: Municipality,
    data: Mapping[str, Any],
    partners: Sequence[PartnerRow] = (),
) -> Initiative:
    initiative = Initiative(municipality=municipality, created_by=actor)
    _write_initiative(initiative, data, partners)
    audit.record(
        actor=actor,
        action="create",
        obj=initiative,
        municipality=municipality,
        changes=_without_empty(_initiative_state(initiative)),
    )
    return initiative


@transaction.atomic
def update_initiative(
    *,
    actor: User,
    initiative: Initiative,
    data: Mapping[str, Any],
    partners: Sequence[PartnerRow],
) -> Initiative:
    """Save the new values; an audit event is recorded when something actually changed."""
    initiative = Initiative.objects.select_related("municipality").get(pk=initiative.pk)
    before = _initiative_state(initiative)
    _write_initiative(initiative, data, partners)
    changes = audit.diff(before, _initiative_state(initiative))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=initiative,
            municipality=initiative.municipality,
            changes=changes,
        )
    return initiative


@transaction.atomic
def delete_initiative(*, actor: User, initiative: Initiative) -> None:
    """Delete an initiative with its partners, pilots, barriers met, lessons and assessments."""
    audit.record(actor=actor, action="delete", obj=initiative, municipality=initiative.municipality)
    initiative.delete()


# --- parts of an initiative: pilots, barriers met, lessons ---------------------------------


def _touch(initiative: Initiative) -> None:
    """A change to a part is a change to the initiative's page: it counts as recently updated."""
    Initiative.objects.filter(pk=initiative.pk).update(updated_at=timezone.now())


# The parts of an initiative, each with its own initiative.
PartT = TypeVar("PartT", Pilot, BarrierEncounter, Lesson)


def _add_part(*, actor: User, part: PartT, data: Mapping[str, Any], fields: Sequence[str]) -> PartT:
    initiative = part.initiative
    for name in fields:
        setattr(part, name, data[name])
    part.save()
    _touch(initiative)
    audit.record(
        actor=actor,
        action="create",
        obj=part,
        municipality=initiative.municipality,
        subject=initiative,
        changes=_without_empty(audit.snapshot(part, fields)),
    )
    return part


def _update_part(
    *, actor: User, part: PartT, data: Mapping[str, Any], fields: Sequence[str]
) -> PartT:
    part = type(part).objects.select_related("initiative__municipality").get(pk=part.pk)
    before = audit.snapshot(part, fields)
    for name in fields:
        setattr(part, name, data[name])
    changes = audit.diff(before, audit.snapshot(part, fields))
    if changes:
        part.save()
        _touch(part.initiative)
        audit.record(
            actor=actor,
            action="update",
            obj=part,
            municipality=part.initiative.municipality,
            subject=part.initiative,
            changes=changes,
        )
    return part


def _delete_part(*, actor: User, part: PartT) -> None:
    part = type(part).objects.select_related("initiative__municipality").get(pk=part.pk)
    audit.record(
        actor=actor,
        action="delete",
        obj=part,
        municipality=part.initiative.municipality,
        subject=part.initiative,
    )
    part.delete()
    _touch(part.initiative)


@transaction.atomic
def add_pilot(*, actor: User, initiative: Initiative, data: Mapping[str, Any]) -> Pilot:
    return _add_part(actor=actor, part=Pilot(initiative=initiative), data=data, fields=PILOT_FIELDS)


@transaction.atomic
def update_pilot(*, actor: User, pilot: Pilot, data: Mapping[str, Any]) -> Pilot:
    return _update_part(actor=actor, part=pilot, data=data, fields=PILOT_FIELDS)


@transaction.atomic
def delete_pilot(*, actor: User, pilot: Pilot) -> None:
    _delete_part(actor=actor, part=pilot)


@transaction.atomic
def add_barrier_encounter(
    *, actor: User, initiative: Initiative, data: Mapping[str, Any]
) -> BarrierEncounter:
    _ensure_in_scope(initiative, [data["barrier"]] if data.get("barrier") else [])
    return _add_part(
        actor=actor,
        part=BarrierEncounter(initiative=initiative),
        data=data,
        fields=BARRIER_ENCOUNTER_FIELDS,
    )


@transaction.atomic
def update_barrier_encounter(
    *, actor: User, encounter: BarrierEncounter, data: Mapping[str, Any]
) -> BarrierEncounter:
    _ensure_in_scope(encounter.initiative, [data["barrier"]] if data.get("barrier") else [])
    return _update_part(actor=actor, part=encounter, data=data, fields=BARRIER_ENCOUNTER_FIELDS)


@transaction.atomic
def delete_barrier_encounter(*, actor: User, encounter: BarrierEncounter) -> None:
    _delete_part(actor=actor, part=encounter)


@transaction.atomic
def add_lesson(*, actor: User, initiative: Initiative, data: Mapping[str, Any]) -> Lesson:
    return _add_part(
        actor=actor,
        part=Lesson(initiative=initiative, author=actor),
        data=data,
        fields=LESSON_FIELDS,
    )


@transaction.atomic
def update_lesson(*, actor: User, lesson: Lesson, data: Mapping[str, Any]) -> Lesson:
    return _update_part(actor=actor, part=lesson, data=data, fields=LESSON_FIELDS)


@transaction.atomic
def delete_lesson(*, actor: User, lesson: Lesson) -> None:
    _delete_part(actor=actor, part=lesson)
