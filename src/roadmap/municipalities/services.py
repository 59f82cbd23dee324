from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from roadmap.core import audit

from .models import Membership, Municipality

if TYPE_CHECKING:
    from roadmap.accounts.models import User


@transaction.atomic
def grant_role(*, actor: User, municipality: Municipality, user: User, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, municipality=municipality, role=role
    )
    if created:
        audit.record(
            actor=actor,
            action="create",
            obj=membership,
            municipality=municipality,
            subject=municipality,
            changes={"user": str(user), "role": role},
        )
    return membership


@transaction.atomic
def revoke_role(*, actor: User, membership: Membership) -> None:
    audit.record(
        actor=actor,
        action="delete",
        obj=membership,
        municipality=membership.municipality,
        subject=membership.municipality,
        changes={"user": str(membership.user), "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def update_publisher(
    *,
    actor: User,
    municipality: Municipality,
    organisation_number: str,
    contact_email: str,
    website: str,
    data_licence: str,
) -> Municipality:
    """Set who publishes the municipality's open data and under which licence."""
    values = {
        "organisation_number": organisation_number,
        "contact_email": contact_email,
        "website": website,
        "data_licence": data_licence,
    }
    changes = {
        field: value for field, value in values.items() if getattr(municipality, field) != value
    }
    if not changes:
        return municipality
    for field, value in changes.items():
        setattr(municipality, field, value)
    municipality.full_clean()
    municipality.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action="update",
        obj=municipality,
        municipality=municipality,
        subject=municipality,
        changes=changes,
    )
    return municipality
