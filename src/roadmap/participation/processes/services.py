"""Writes for processes, phases, resident verification and partner organisations.

Every use case runs in one transaction and records an audit event. Process and phase events
have the process as subject, so the process page shows its history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.municipalities.models import District, Municipality

from ..models import Category, Organisation, Phase, Process, ResidentVerification

PROCESS_FIELDS = ("title", "slug", "summary", "description", "data_statement", "is_published")
PHASE_FIELDS = (
    "kind",
    "title",
    "description",
    "order",
    "starts_at",
    "ends_at",
    "propose",
    "comment",
    "support",
    "post_notes",
    "anonymous_notes",
    "vote",
    "hold_statements",
)


def _process_state(process: Process) -> dict[str, Any]:
    state = audit.snapshot(process, (*PROCESS_FIELDS, "initiatives"))
    state["categories"] = sorted(process.categories.values_list("name", flat=True))
    return state


def _sync_categories(process: Process, names: Sequence[str]) -> None:
    """Keep categories still listed (so proposals keep theirs), add new, remove the rest."""
    process.categories.exclude(name__in=names).delete()
    existing = set(process.categories.values_list("name", flat=True))
    Category.objects.bulk_create(
        Category(process=process, name=name) for name in names if name not in existing
    )


def _write_process(process: Process, data: Mapping[str, Any]) -> None:
    for name in PROCESS_FIELDS:
        if name in data:
            setattr(process, name, data[name])
    process.save()
    if "initiatives" in data:
        process.initiatives.set(data["initiatives"])
    if "categories" in data:
        _sync_categories(process, data["categories"])


@transaction.atomic
def create_process(*, actor: User, municipality: Municipality, data: Mapping[str, Any]) -> Process:
    process = Process(municipality=municipality, created_by=actor)
    _write_process(process, data)
    audit.record(
        actor=actor,
        action="create",
        obj=process,
        municipality=municipality,
        changes={name: value for name, value in _process_state(process).items() if value},
    )
    return process


@transaction.atomic
def update_process(*, actor: User, process: Process, data: Mapping[str, Any]) -> Process:
    process = Process.objects.select_for_update().get(pk=process.pk)
    before = _process_state(process)
    _write_process(process, data)
    changes = audit.diff(before, _process_state(process))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=process,
            municipality=process.municipality,
            changes=changes,
        )
    return process


@transaction.atomic
def create_phase(*, actor: User, process: Process, data: Mapping[str, Any]) -> Phase:
    phase = Phase(process=process, **{name: data[name] for name in PHASE_FIELDS if name in data})
    phase.save()
    audit.record(
        actor=actor,
        action="create",
        obj=phase,
        municipality=process.municipality,
        subject=process,
        changes=audit.snapshot(phase, PHASE_FIELDS),
    )
    return phase


@transaction.atomic
def update_phase(*, actor: User, phase: Phase, data: Mapping[str, Any]) -> Phase:
    phase = Phase.objects.select_related("process__municipality").get(pk=phase.pk)
    before = audit.snapshot(phase, PHASE_FIELDS)
    for name in PHASE_FIELDS:
        if name in data:
            setattr(phase, name, data[name])
    phase.save()
    changes = audit.diff(before, audit.snapshot(phase, PHASE_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=phase,
            municipality=phase.process.municipality,
            subject=phase.process,
            changes=changes,
        )
    return phase


@transaction.atomic
def verify_resident(
    *, actor: User, municipality: Municipality, user: User, district: District | None = None
) -> ResidentVerification:
    """Confirm (or re-confirm with another district) that a user lives in the municipality."""
    if district is not None and district.municipality_id != municipality.pk:
        raise ValueError("The district belongs to another municipality.")
    verification, created = ResidentVerification.objects.get_or_create(
        municipality=municipality,
        user=user,
        defaults={"district": district, "verified_by": actor},
    )
    before = {"district": str(verification.district or "")} if not created else {}
    if not created:
        verification.district = district
        verification.verified_by = actor
        verification.save(update_fields=["district", "verified_by", "updated_at"])
    audit.record(
        actor=actor,
        action="create" if created else "update",
        obj=verification,
        municipality=municipality,
        changes=audit.diff(before, {"district": str(district or "")})
        if not created
        else {"user": str(user), "district": str(district or "")},
    )
    return verification


@transaction.atomic
def remove_resident(*, actor: User, verification: ResidentVerification) -> None:
    audit.record(
        actor=actor,
        action="delete",
        obj=verification,
        municipality=verification.municipality,
        changes={"user": str(verification.user)},
    )
    verification.delete()


@transaction.atomic
def create_organisation(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> Organisation:
    organisation = Organisation.objects.create(
        municipality=municipality, name=data["name"], sector=data["sector"]
    )
    audit.record(
        actor=actor,
        action="create",
        obj=organisation,
        municipality=municipality,
        changes=audit.snapshot(organisation, ("name", "sector")),
    )
    return organisation


@transaction.atomic
def add_organisation_member(*, actor: User, organisation: Organisation, user: User) -> None:
    before = audit.snapshot(organisation, ("members",))
    organisation.members.add(user)
    _record_members_change(actor, organisation, before)


@transaction.atomic
def remove_organisation_member(*, actor: User, organisation: Organisation, user: User) -> None:
    before = audit.snapshot(organisation, ("members",))
    organisation.members.remove(user)
    _record_members_change(actor, organisation, before)


def _record_members_change(actor: User, organisation: Organisation, before: dict[str, Any]) -> None:
    changes = audit.diff(before, audit.snapshot(organisation, ("members",)))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=organisation,
            municipality=organisation.municipality,
            changes=changes,
        )
