"""Moderation: participants flag, moderators hide, restore, approve and block.

Every moderator action runs in one transaction and records an audit event whose subject is
the moderated item (or the municipality, for blocks). A proposal's comment_count counts
published comments only, so it is counted again whenever a comment's visibility changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.core.ratelimit import RateLimit
from roadmap.municipalities.models import Municipality

from .. import activity_services
from ..models import Block, Comment, Flag, Proposal, Visibility

Item = Proposal | Comment

# Flags per user: enough for honest reports, not enough to flood the moderators' queue.
FLAGS = RateLimit("flag", limit=10, window_seconds=60 * 60)
MODERATION_FIELDS = ("visibility", "moderation_reason")


def municipality_of(item: Item) -> Municipality:
    proposal = item if isinstance(item, Proposal) else item.proposal
    return proposal.process.municipality


def _locked(item: Item) -> Item:
    """The item read again under a row lock, with what audit and counts need."""
    related = (
        "process__municipality" if isinstance(item, Proposal) else "proposal__process__municipality"
    )
    return type(item).objects.select_for_update().select_related(related).get(pk=item.pk)


def _flag_filter(item: Item) -> dict[str, Item]:
    return {"proposal": item} if isinstance(item, Proposal) else {"comment": item}


def _recount_comments(item: Item) -> None:
    """Set the proposal's comment_count to its published comments, counted in the database
    within this transaction: right whatever the count was before."""
    if isinstance(item, Comment):
        published = (
            Comment.objects.filter(proposal=OuterRef("pk"), visibility=Visibility.PUBLISHED)
            .order_by()
            .values("proposal")
            .annotate(total=Count("pk"))
            .values("total")
        )
        Proposal.objects.filter(pk=item.proposal_id).update(
            comment_count=Coalesce(Subquery(published), 0)
        )


def _set_visibility(*, actor: User, item: Item, visibility: str, reason: str = "") -> Item:
    item = _locked(item)
    before = audit.snapshot(item, MODERATION_FIELDS)
    was_published = item.visibility == Visibility.PUBLISHED
    item.visibility = visibility
    item.moderation_reason = reason
    item.save(update_fields=[*MODERATION_FIELDS, "updated_at"])
    _recount_comments(item)
    activity_services.record_visibility_change(item=item, was_published=was_published)
    audit.record(
        actor=actor,
        action="update",
        obj=item,
        municipality=municipality_of(item),
        changes=audit.diff(before, audit.snapshot(item, MODERATION_FIELDS)),
    )
    return item


def _resolve_flags(item: Item) -> None:
    Flag.objects.filter(resolved_at__isnull=True, **_flag_filter(item)).update(
        resolved_at=timezone.now()
    )


def is_blocked(user: User, municipality: Municipality) -> bool:
    return Block.objects.filter(municipality=municipality, user=user).exists()


@transaction.atomic
def flag_item(*, reporter: User, item: Item, reason: str) -> Flag:
    """A participant reports an item. One open flag per user and item; rate limited."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly what is wrong with this post.")})
    identity = str(reporter.pk)
    if FLAGS.is_exceeded(identity):
        raise ValidationError(
            _("You have reported many posts in a short time. Please try again in an hour.")
        )
    if is_blocked(reporter, municipality_of(item)):
        raise ValidationError(_("Your account is blocked from taking part here."))
    if Flag.objects.filter(
        reporter=reporter, resolved_at__isnull=True, **_flag_filter(item)
    ).exists():
        raise ValidationError(
            _("You have already reported this post. The moderators will look at it.")
        )
    FLAGS.hit(identity)
    return Flag.objects.create(reporter=reporter, reason=reason, **_flag_filter(item))


@transaction.atomic
def hide_item(*, actor: User, item: Item, reason: str) -> Item:
    """Hide an item from the pages; its text stays stored, the public sees the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding this post.")})
    item = _set_visibility(actor=actor, item=item, visibility=Visibility.HIDDEN, reason=reason)
    _resolve_flags(item)
    return item


@transaction.atomic
def restore_item(*, actor: User, item: Item) -> Item:
    if item.visibility != Visibility.HIDDEN:
        raise ValidationError(_("Only hidden posts can be restored."))
    return _set_visibility(actor=actor, item=item, visibility=Visibility.PUBLISHED)


@transaction.atomic
def approve_item(*, actor: User, item: Item) -> Item:
    """Publish a post that waited for approval (a comment then counts on its proposal)."""
    if item.visibility != Visibility.PENDING:
        raise ValidationError(_("Only posts waiting for approval can be approved."))
    return _set_visibility(actor=actor, item=item, visibility=Visibility.PUBLISHED)


@transaction.atomic
def dismiss_flag(*, actor: User, flag: Flag) -> Flag:
    """The moderator looked and found nothing to do."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise ValidationError(_("This report was already dealt with."))
    flag.resolved_at = timezone.now()
    flag.save(update_fields=["resolved_at", "updated_at"])
    item = flag.proposal or flag.comment
    assert item is not None, "a flag is on a proposal or a comment"
    audit.record(
        actor=actor,
        action="update",
        obj=flag,
        municipality=municipality_of(item),
        subject=item,
        changes={"resolved_at": [None, str(flag.resolved_at)]},
    )
    return flag


@transaction.atomic
def block_user(*, actor: User, municipality: Municipality, user: User, reason: str) -> Block:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for blocking this user.")})
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    if is_blocked(user, municipality):
        raise ValidationError(_("This user is already blocked."))
    block = Block.objects.create(
        municipality=municipality, user=user, reason=reason, blocked_by=actor
    )
    audit.record(
        actor=actor,
        action="create",
        obj=block,
        municipality=municipality,
        subject=municipality,
        changes={"user": str(user), "reason": reason},
    )
    return block


@transaction.atomic
def unblock_user(*, actor: User, municipality: Municipality, user: User) -> None:
    block = Block.objects.select_for_update().filter(municipality=municipality, user=user).first()
    if block is None:
        raise ValidationError(_("This user is not blocked."))
    audit.record(
        actor=actor, action="delete", obj=block, municipality=municipality, subject=municipality
    )
    block.delete()
