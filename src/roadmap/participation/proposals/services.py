"""Writes for proposals, comments and supports.

Participants' own posts leave no audit event; an official's post does (every official's write
is audited). Stored counts on the proposal change in the same transaction as the rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.core.ratelimit import RateLimit
from roadmap.core.text import contains_link, render_markdown
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import is_member

from .. import activity_services
from ..models import Comment, Organisation, Phase, Process, Proposal, Support, Visibility
from ..permissions import action_decision
from ..processes.selectors import current_phase, organisations_of

# Proposals and comments together, per user.
POSTING = RateLimit("participation-posting", limit=10, window_seconds=60 * 60)
# Accounts younger than this wait for a moderator's approval when they post a link.
NEW_ACCOUNT_AGE = datetime.timedelta(hours=24)

PROPOSAL_FIELDS = ("title", "body", "action_area", "category", "location_name", "organisation")


class Refused(Exception):
    """The participant may not do this now; the message says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require(user: User, process: Process, action: str) -> Phase:
    """The current phase, if it lets this user take this action; otherwise Refused."""
    phase = current_phase(process)
    decision = action_decision(user, phase, action)
    if not decision:
        raise Refused(decision.reason)
    assert phase is not None, "action_decision refuses when no phase is open"
    return phase


def _check_rate(user: User) -> None:
    if POSTING.is_exceeded(f"user:{user.pk}"):
        raise Refused(
            _("You have posted a lot in the last hour. Please wait a while before posting again.")
        )


def _visibility_for(user: User, *texts: str) -> str:
    """Links from brand-new accounts wait for approval: a common pattern of spam."""
    is_new = user.date_joined > timezone.now() - NEW_ACCOUNT_AGE
    if is_new and any(contains_link(text) for text in texts):
        return Visibility.PENDING
    return Visibility.PUBLISHED


def _record_if_official(
    user: User,
    municipality: Municipality,
    action: str,
    obj: models.Model,
    subject: models.Model,
    changes: dict[str, Any] | None,
) -> None:
    if is_member(user, municipality):
        audit.record(
            actor=user,
            action=action,
            obj=obj,
            municipality=municipality,
            subject=subject,
            changes=changes,
        )


def can_edit(user: User | AnonymousUser, proposal: Proposal) -> tuple[bool, str]:
    """Only the author, and only until the first support: people supported what they read."""
    if not getattr(user, "is_authenticated", False) or proposal.author_id != user.pk:
        return False, _("Only the author can edit this proposal.")
    if proposal.visibility == Visibility.HIDDEN:
        return False, _("A moderator hid this proposal, so it can no longer be edited.")
    if proposal.support_count:
        return False, _(
            "This proposal can no longer be edited: people have already supported it as it is."
        )
    return True, ""


def _check_organisation(
    user: User, municipality: Municipality, organisation: Organisation | None
) -> None:
    if (
        organisation is not None
        and not organisations_of(user, municipality).filter(pk=organisation.pk).exists()
    ):
        raise Refused(_("You cannot post on behalf of this organisation."))


def _proposal_values(user: User, process: Process, data: dict[str, Any]) -> dict[str, Any]:
    """The editable fields from a form's cleaned data, with the choices checked again."""
    category = data.get("category")
    if category is not None and category.process_id != process.pk:
        raise Refused(_("This category belongs to another process."))
    _check_organisation(user, process.municipality, data.get("organisation"))
    return {
        "title": data["title"],
        "body": data["body"],
        "action_area": data.get("action_area"),
        "category": category,
        "location_name": data.get("location_name", ""),
        "organisation": data.get("organisation"),
    }


@transaction.atomic
def create_proposal(*, author: User, process: Process, data: dict[str, Any]) -> Proposal:
    phase = _require(author, process, "propose")
    _check_rate(author)
    proposal = Proposal(
        process=process,
        phase=phase,
        author=author,
        body_html=render_markdown(data["body"]),
        visibility=_visibility_for(author, data["title"], data["body"]),
        **_proposal_values(author, process, data),
    )
    proposal.save()
    activity_services.record_contribution(
        process=process,
        user=author,
        at=proposal.created_at,
        measure=_measure(proposal, "proposals"),
    )
    POSTING.hit(f"user:{author.pk}")
    _record_if_official(
        author,
        process.municipality,
        "create",
        proposal,
        proposal,
        audit.snapshot(proposal, PROPOSAL_FIELDS),
    )
    return proposal


@transaction.atomic
def update_proposal(*, actor: User, proposal: Proposal, data: dict[str, Any]) -> Proposal:
    _require(actor, proposal.process, "propose")
    # Read again under the write lock: a support may have arrived since the form was shown.
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("process__municipality")
        .get(pk=proposal.pk)
    )
    allowed, reason = can_edit(actor, proposal)
    if not allowed:
        raise Refused(reason)
    before = audit.snapshot(proposal, PROPOSAL_FIELDS)
    for name, value in _proposal_values(actor, proposal.process, data).items():
        setattr(proposal, name, value)
    proposal.body_html = render_markdown(proposal.body)
    was_published = proposal.visibility == Visibility.PUBLISHED
    proposal.visibility = _visibility_for(actor, proposal.title, proposal.body)
    proposal.save()
    activity_services.record_visibility_change(item=proposal, was_published=was_published)
    changes = audit.diff(before, audit.snapshot(proposal, PROPOSAL_FIELDS))
    if changes:
        _record_if_official(
            actor, proposal.process.municipality, "update", proposal, proposal, changes
        )
    return proposal


def _measure(item: Proposal | Comment, measure: str) -> str | None:
    """The figure a new item raises: none while it waits for approval."""
    return measure if item.visibility == Visibility.PUBLISHED else None


def _require_published(proposal: Proposal) -> None:
    if proposal.visibility != Visibility.PUBLISHED:
        raise Refused(_("This proposal is not published, so it cannot take part yet."))


def _move_support_count(proposal: Proposal, delta: int) -> None:
    """Move the stored count and read the new value back in the same statement (SQLite 3.35+
    and PostgreSQL both return it), so the caller can show it without another query."""
    table = Proposal._meta.db_table  # from the model, never from input
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET support_count = support_count + %s WHERE id = %s "  # noqa: S608
            "RETURNING support_count",
            [delta, proposal.pk],
        )
        (proposal.support_count,) = cursor.fetchone()


def support(*, user: User, proposal: Proposal) -> bool:
    """Support a proposal; True if this added a support, False if the user already supported it.
    `proposal.support_count` then holds the stored count."""
    # Supports are the most frequent write. The permission checks read facts that change
    # rarely, so they run before the transaction: on SQLite it holds the single write lock, and
    # every query kept out of it shortens the queue of writers.
    _require(user, proposal.process, "support")
    _require_published(proposal)
    with transaction.atomic():
        try:
            # A duplicate (a double click, a second tab) meets the unique constraint in this
            # savepoint, so the count below is only raised for a row really inserted.
            with transaction.atomic():
                row = Support.objects.create(proposal=proposal, user=user)
        except IntegrityError:
            return False
        _move_support_count(proposal, 1)
        activity_services.record_contribution(
            process=proposal.process, user=user, at=row.created_at, measure="supports"
        )
    return True


def withdraw_support(*, user: User, proposal: Proposal) -> bool:
    """Take a support back; True if there was one to take back."""
    _require(user, proposal.process, "support")
    with transaction.atomic():
        supports = Support.objects.filter(proposal=proposal, user=user)
        supported_at = supports.values_list("created_at", flat=True).first()
        if supported_at is None:
            return False
        # Of two concurrent withdrawals only the one that really deletes the row counts it out.
        deleted, _rows = supports.delete()
        if deleted:
            _move_support_count(proposal, -1)
            activity_services.record_withdrawal(
                process=proposal.process, user=user, supported_at=supported_at
            )
    return bool(deleted)


@transaction.atomic
def add_comment(
    *,
    author: User,
    proposal: Proposal,
    body: str,
    parent: Comment | None = None,
    organisation: Organisation | None = None,
) -> Comment:
    _require(author, proposal.process, "comment")
    _require_published(proposal)
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise Refused(_("The comment you replied to belongs to another proposal."))
        if parent.depth + 1 > Comment.MAX_DEPTH:
            raise Refused(
                _("Replies go only two levels deep. Please reply to the comment above instead.")
            )
    _check_organisation(author, proposal.process.municipality, organisation)
    _check_rate(author)
    comment = Comment.objects.create(
        proposal=proposal,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        organisation=organisation,
        body=body,
        body_html=render_markdown(body),
        visibility=_visibility_for(author, body),
    )
    # comment_count counts published comments (moderation recounts it on hide/approve).
    if comment.visibility == Visibility.PUBLISHED:
        Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    activity_services.record_contribution(
        process=proposal.process,
        user=author,
        at=comment.created_at,
        measure=_measure(comment, "comments"),
    )
    POSTING.hit(f"user:{author.pk}")
    _record_if_official(
        author,
        proposal.process.municipality,
        "create",
        comment,
        proposal,
        audit.snapshot(comment, ("body", "organisation")),
    )
    return comment
