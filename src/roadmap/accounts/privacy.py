"""Privacy: a user's own data as JSON, and deleting an account without leaving a trace of who
they were.

Contributions outlive the account: proposals and comments stay, shown as written by a
"deleted participant". Everything that names the person (their rows, and texts the platform
wrote about them such as audit entries and notifications) is deleted or scrubbed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from roadmap.core.models import AuditEvent
from roadmap.core.text import render_markdown
from roadmap.municipalities.models import Membership
from roadmap.opinions.privacy import export_opinions, release_statements
from roadmap.participation.models import (
    Comment,
    Flag,
    Notification,
    Organisation,
    Proposal,
    ResidentVerification,
    Support,
)
from roadmap.workshops.privacy import export_workshop_notes, release_workshop_notes

from .models import User

# Stored in place of a deleted user's name in texts that stay (data, so not translated).
DELETED_PARTICIPANT = "deleted participant"


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything stored about this user, in plain JSON types. One query per kind of item."""
    return {
        "exported_at": _when(timezone.now()),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "notification_frequency": user.notification_frequency,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {
                "municipality": membership.municipality.name,
                "role": membership.role,
                "since": _when(membership.created_at),
            }
            for membership in Membership.objects.filter(user=user)
            .select_related("municipality")
            .order_by("municipality__name", "role")
        ],
        "resident_verifications": [
            {
                "municipality": verification.municipality.name,
                "district": verification.district.name if verification.district else None,
                "verified_at": _when(verification.created_at),
            }
            for verification in ResidentVerification.objects.filter(user=user)
            .select_related("municipality", "district")
            .order_by("created_at", "id")
        ],
        "organisations": [
            {
                "name": organisation.name,
                "sector": organisation.sector,
                "municipality": organisation.municipality.name,
            }
            for organisation in Organisation.objects.filter(members=user)
            .select_related("municipality")
            .order_by("name", "id")
        ],
        "proposals": [
            {
                "id": proposal.pk,
                "process": proposal.process.title,
                "municipality": proposal.process.municipality.name,
                "title": proposal.title,
                "body": proposal.body,
                "location": proposal.location_name,
                "status": proposal.status,
                "visibility": proposal.visibility,
                "answer": proposal.answer,
                "created_at": _when(proposal.created_at),
                "updated_at": _when(proposal.updated_at),
                "answered_at": _when(proposal.answered_at),
            }
            for proposal in Proposal.objects.filter(author=user)
            .select_related("process__municipality")
            .order_by("created_at", "id")
        ],
        "comments": [
            {
                "id": comment.pk,
                "proposal": comment.proposal.title,
                "proposal_id": comment.proposal_id,
                "reply_to": comment.parent_id,
                "body": comment.body,
                "visibility": comment.visibility,
                "created_at": _when(comment.created_at),
                "updated_at": _when(comment.updated_at),
            }
            for comment in Comment.objects.filter(author=user)
            .select_related("proposal")
            .order_by("created_at", "id")
        ],
        "supports": [
            {
                "proposal": support.proposal.title,
                "proposal_id": support.proposal_id,
                "created_at": _when(support.created_at),
            }
            for support in Support.objects.filter(user=user)
            .select_related("proposal")
            .order_by("created_at", "id")
        ],
        "flags": [
            {
                "proposal_id": flag.proposal_id,
                "comment_id": flag.comment_id,
                "reason": flag.reason,
                "created_at": _when(flag.created_at),
                "resolved_at": _when(flag.resolved_at),
            }
            for flag in Flag.objects.filter(reporter=user).order_by("created_at", "id")
        ],
        "notifications": [
            {
                "message": notification.message,
                "proposal_id": notification.proposal_id,
                "created_at": _when(notification.created_at),
                "read_at": _when(notification.read_at),
            }
            for notification in Notification.objects.filter(user=user).order_by("created_at", "id")
        ],
        "audit_events": [
            {
                "action": event.action,
                "object_type": event.content_type.model,
                "object": event.object_repr,
                "changes": event.changes,
                "municipality": event.municipality.name if event.municipality else None,
                "created_at": _when(event.created_at),
            }
            for event in AuditEvent.objects.filter(actor=user)
            .select_related("content_type", "municipality")
            .order_by("created_at", "id")
        ],
        **export_opinions(user),
        **export_workshop_notes(user),
    }


# --------------------------------------------------------------------------------------
# Deletion
# --------------------------------------------------------------------------------------


def _identifiers(user: User) -> list[str]:
    """The strings that name this user, longest first so an e-mail is replaced whole."""
    names = {user.email, user.username, user.display_name}
    return sorted((name for name in names if name), key=len, reverse=True)


class _Scrubber:
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


def _scrub_system_texts(scrubber: _Scrubber) -> None:
    """Texts the platform wrote about the user: audit trail, notifications, admin log."""
    events = AuditEvent.objects.annotate(changes_text=Cast("changes", TextField())).filter(
        scrubber.mentions("object_repr", json_fields=("changes",))
    )
    for event in events:
        event.object_repr = scrubber.text(event.object_repr)
        event.changes = scrubber.json(event.changes)
    AuditEvent.objects.bulk_update(events, ["object_repr", "changes"])

    notifications = list(Notification.objects.filter(scrubber.mentions("message")))
    for notification in notifications:
        notification.message = scrubber.text(notification.message)
    Notification.objects.bulk_update(notifications, ["message"])

    log_entries = list(LogEntry.objects.filter(scrubber.mentions("object_repr", "change_message")))
    for entry in log_entries:
        entry.object_repr = scrubber.text(entry.object_repr)
        entry.change_message = scrubber.text(entry.change_message)
    LogEntry.objects.bulk_update(log_entries, ["object_repr", "change_message"])


def _release_contributions(user: User, scrubber: _Scrubber) -> None:
    """The user's proposals and comments stay, without author and without their name."""
    proposals = list(Proposal.objects.filter(author=user))
    for proposal in proposals:
        proposal.author = None
        proposal.title = scrubber.text(proposal.title)
        proposal.body = scrubber.text(proposal.body)
        proposal.body_html = render_markdown(proposal.body)
        proposal.answer = scrubber.text(proposal.answer)
        proposal.moderation_reason = scrubber.text(proposal.moderation_reason)
    Proposal.objects.bulk_update(
        proposals, ["author", "title", "body", "body_html", "answer", "moderation_reason"]
    )
    comments = list(Comment.objects.filter(author=user))
    for comment in comments:
        comment.author = None
        comment.body = scrubber.text(comment.body)
        comment.body_html = render_markdown(comment.body)
        comment.moderation_reason = scrubber.text(comment.moderation_reason)
    Comment.objects.bulk_update(comments, ["author", "body", "body_html", "moderation_reason"])


def _withdraw_supports(user: User) -> None:
    """Delete the user's supports and lower each proposal's count by one, keeping
    count == rows."""
    supports = Support.objects.filter(user=user)
    proposal_ids = list(supports.values_list("proposal_id", flat=True))
    Proposal.objects.filter(pk__in=proposal_ids).update(support_count=F("support_count") - 1)
    supports.delete()


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
    scrubber = _Scrubber(_identifiers(user))
    _release_contributions(user, scrubber)
    release_statements(user, scrubber.text)
    release_workshop_notes(user, scrubber.text)
    _withdraw_supports(user)
    Notification.objects.filter(user=user).delete()
    flags = list(Flag.objects.filter(reporter=user))
    for flag in flags:
        flag.reporter = None
        flag.reason = scrubber.text(flag.reason)
    Flag.objects.bulk_update(flags, ["reporter", "reason"])
    Membership.objects.filter(user=user).delete()
    ResidentVerification.objects.filter(user=user).delete()
    user.organisations.clear()
    # The audit trail keeps what happened; the actor becomes NULL when the user row goes.
    _scrub_system_texts(scrubber)
    _end_sessions(user)
    user.delete()
