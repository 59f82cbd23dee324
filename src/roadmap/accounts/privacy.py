"""Privacy: a user's own data as JSON, and deleting an account without leaving a trace of who
they were.

Contributions outlive the account: proposals and comments stay, shown as written by a
"deleted participant". Everything that names the person (their rows, and texts the platform
wrote about them such as audit entries and notifications) is deleted or scrubbed.

Accounts sits below the apps that hold a user's contributions, so it does not know them: each
app registers a privacy provider from its ``AppConfig.ready()`` (see ``register_privacy_provider``)
with what it exports and what it erases. Providers run in registration order, which is the
order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from roadmap.core.models import AuditEvent
from roadmap.municipalities.models import Membership

from .models import User

# Stored in place of a deleted user's name in texts that stay (data, so not translated).
DELETED_PARTICIPANT = "deleted participant"


def as_iso(value) -> str | None:
    """A date or time for the export, or None."""
    return value.isoformat() if value else None


# --------------------------------------------------------------------------------------
# Scrubbing names out of texts that stay
# --------------------------------------------------------------------------------------


def _identifiers(user: User) -> list[str]:
    """The strings that name this user, longest first so an e-mail is replaced whole."""
    names = {user.email, user.username, user.display_name}
    return sorted((name for name in names if name), key=len, reverse=True)


class Scrubber:
    """Replaces a user's names in text; whole words only, so deleting "user1" leaves
    "user10" alone."""

    def __init__(self, identifiers: list[str]):
        self.identifiers = identifiers
        alternatives = "|".join(re.escape(name) for name in identifiers)
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def text(self, value: str) -> str:
        return self.pattern.sub(DELETED_PARTICIPANT, value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value

    def mentions(self, *fields: str, json_fields: tuple[str, ...] = ()) -> Q:
        """Rows that may mention the user (a superset; the regex decides)."""
        condition = Q()
        for name in self.identifiers:
            for field in fields:
                condition |= Q(**{f"{field}__icontains": name})
            # JSON may be stored with non-ASCII characters escaped.
            for field in json_fields:
                condition |= Q(**{f"{field}_text__icontains": name})
                condition |= Q(**{f"{field}_text__icontains": json.dumps(name)[1:-1]})
        return condition


# --------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrivacyProvider:
    """What one app holds about a user.

    ``export(user)`` returns the app's sections of the export (one query per kind of item);
    ``erase(user, scrubber)`` deletes the user's personal rows and scrubs their names from
    the texts that stay. It runs inside the deletion's transaction, before the user row goes.
    """

    name: str
    export: Callable[[User], dict[str, Any]]
    erase: Callable[[User, Scrubber], None]


_providers: dict[str, PrivacyProvider] = {}


def register_privacy_provider(
    name: str,
    *,
    export: Callable[[User], dict[str, Any]],
    erase: Callable[[User, Scrubber], None],
) -> None:
    """Register an app's provider; registering a name again replaces it in its place."""
    _providers[name] = PrivacyProvider(name=name, export=export, erase=erase)


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything stored about this user, in plain JSON types. One query per kind of item."""
    data: dict[str, Any] = {
        "exported_at": as_iso(timezone.now()),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "notification_frequency": user.notification_frequency,
            "date_joined": as_iso(user.date_joined),
            "last_login": as_iso(user.last_login),
        },
        "memberships": [
            {
                "municipality": membership.municipality.name,
                "role": membership.role,
                "since": as_iso(membership.created_at),
            }
            for membership in Membership.objects.filter(user=user)
            .select_related("municipality")
            .order_by("municipality__name", "role")
        ],
    }
    for provider in _providers.values():
        data.update(provider.export(user))
    data["audit_events"] = [
        {
            "action": event.action,
            "object_type": event.content_type.model,
            "object": event.object_repr,
            "changes": event.changes,
            "municipality": event.municipality.name if event.municipality else None,
            "created_at": as_iso(event.created_at),
        }
        for event in AuditEvent.objects.filter(actor=user)
        .select_related("content_type", "municipality")
        .order_by("created_at", "id")
    ]
    return data


# --------------------------------------------------------------------------------------
# Deletion
# --------------------------------------------------------------------------------------


def _scrub_system_texts(scrubber: Scrubber) -> None:
    """Texts the platform wrote about the user: audit trail and admin log."""
    events = AuditEvent.objects.annotate(changes_text=Cast("changes", TextField())).filter(
        scrubber.mentions("object_repr", json_fields=("changes",))
    )
    for event in events:
        event.object_repr = scrubber.text(event.object_repr)
        event.changes = scrubber.json(event.changes)
    AuditEvent.objects.bulk_update(events, ["object_repr", "changes"])

    log_entries = list(LogEntry.objects.filter(scrubber.mentions("object_repr", "change_message")))
    for entry in log_entries:
        entry.object_repr = scrubber.text(entry.object_repr)
        entry.change_message = scrubber.text(entry.change_message)
    LogEntry.objects.bulk_update(log_entries, ["object_repr", "change_message"])


def _end_sessions(user: User) -> None:
    """Sessions do not record their user in a column, so the open ones are decoded."""
    user_id = str(user.pk)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=ended).delete()


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the account; contributions stay as "deleted participant", no name remains."""
    scrubber = Scrubber(_identifiers(user))
    for provider in _providers.values():
        provider.erase(user, scrubber)
    Membership.objects.filter(user=user).delete()
    # The audit trail keeps what happened; the actor becomes NULL when the user row goes.
    _scrub_system_texts(scrubber)
    _end_sessions(user)
    user.delete()
