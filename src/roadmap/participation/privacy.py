"""A user's participation data for the account export, and what deleting the account leaves.

On deletion proposals and comments stay without author (their texts scrubbed of the user's
names); supports are withdrawn with each proposal's stored count, so count == rows; flags stay
without reporter; the user's notifications, resident verifications and organisation
memberships go, and other users' notifications that name them are scrubbed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F

from roadmap.accounts.privacy import Scrubber, as_iso
from roadmap.core.text import render_markdown

from .models import (
    Comment,
    Flag,
    Notification,
    Organisation,
    Proposal,
    ResidentVerification,
    Support,
)


def export_participation(user) -> dict[str, list[dict[str, Any]]]:
    return {
        "resident_verifications": [
            {
                "municipality": verification.municipality.name,
                "district": verification.district.name if verification.district else None,
                "verified_at": as_iso(verification.created_at),
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
                "created_at": as_iso(proposal.created_at),
                "updated_at": as_iso(proposal.updated_at),
                "answered_at": as_iso(proposal.answered_at),
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
                "created_at": as_iso(comment.created_at),
                "updated_at": as_iso(comment.updated_at),
            }
            for comment in Comment.objects.filter(author=user)
            .select_related("proposal")
            .order_by("created_at", "id")
        ],
        "supports": [
            {
                "proposal": support.proposal.title,
                "proposal_id": support.proposal_id,
                "created_at": as_iso(support.created_at),
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
                "created_at": as_iso(flag.created_at),
                "resolved_at": as_iso(flag.resolved_at),
            }
            for flag in Flag.objects.filter(reporter=user).order_by("created_at", "id")
        ],
        "notifications": [
            {
                "message": notification.message,
                "proposal_id": notification.proposal_id,
                "created_at": as_iso(notification.created_at),
                "read_at": as_iso(notification.read_at),
            }
            for notification in Notification.objects.filter(user=user).order_by("created_at", "id")
        ],
    }


def _release_contributions(user, scrubber: Scrubber) -> None:
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


def _withdraw_supports(user) -> None:
    """Delete the user's supports and lower each proposal's count by one, keeping
    count == rows."""
    supports = Support.objects.filter(user=user)
    proposal_ids = list(supports.values_list("proposal_id", flat=True))
    Proposal.objects.filter(pk__in=proposal_ids).update(support_count=F("support_count") - 1)
    supports.delete()


def erase_participation(user, scrubber: Scrubber) -> None:
    _release_contributions(user, scrubber)
    _withdraw_supports(user)
    Notification.objects.filter(user=user).delete()
    flags = list(Flag.objects.filter(reporter=user))
    for flag in flags:
        flag.reporter = None
        flag.reason = scrubber.text(flag.reason)
    Flag.objects.bulk_update(flags, ["reporter", "reason"])
    ResidentVerification.objects.filter(user=user).delete()
    user.organisations.clear()
    # Notifications the platform wrote to others about the user.
    notifications = list(Notification.objects.filter(scrubber.mentions("message")))
    for notification in notifications:
        notification.message = scrubber.text(notification.message)
    Notification.objects.bulk_update(notifications, ["message"])
