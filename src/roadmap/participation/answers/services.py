"""Officials answer proposals ("you said, we did"), and initiatives show where they came from."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.initiatives.models import Initiative

from ..models import Proposal, ProposalStatus, Visibility
from ..notifications import services as notification_services

# A decision needs reasons given in public; these statuses are decisions.
ANSWER_REQUIRED = frozenset(
    {
        ProposalStatus.ACCEPTED,
        ProposalStatus.PARTLY_ACCEPTED,
        ProposalStatus.REJECTED,
        ProposalStatus.IMPLEMENTED,
    }
)
# Only proposals taken up (wholly or partly) are carried out by an initiative.
INITIATIVE_ALLOWED = frozenset(
    {ProposalStatus.ACCEPTED, ProposalStatus.PARTLY_ACCEPTED, ProposalStatus.IMPLEMENTED}
)
ANSWER_FIELDS = ("status", "answer", "initiative")


def answer_errors(
    *, proposal: Proposal, status: str, answer: str, initiative: Initiative | None
) -> dict[str, str]:
    """Field errors of an answer, by field name; empty when the answer may be saved."""
    errors: dict[str, str] = {}
    if status not in ProposalStatus.values:
        errors["status"] = _("Choose one of the listed statuses.")
    if status in ANSWER_REQUIRED and not answer.strip():
        errors["answer"] = _("Write a public answer that explains this decision.")
    if initiative is not None:
        if status not in INITIATIVE_ALLOWED:
            errors["initiative"] = _(
                "Only accepted, partly accepted or implemented proposals can be linked to "
                "an initiative."
            )
        elif initiative.municipality_id != proposal.process.municipality_id:
            errors["initiative"] = _("The initiative must belong to this municipality.")
    return errors


@transaction.atomic
def answer_proposal(
    *,
    actor: User,
    proposal: Proposal,
    status: str,
    answer: str,
    initiative: Initiative | None = None,
) -> Proposal:
    """Set the status and public answer; tell the people involved when the status changed."""
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("process__municipality")
        .get(pk=proposal.pk)
    )
    errors = answer_errors(proposal=proposal, status=status, answer=answer, initiative=initiative)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(proposal, ANSWER_FIELDS)
    old_status = proposal.status
    proposal.status = status
    proposal.answer = answer.strip()
    proposal.initiative = initiative
    proposal.answered_at = timezone.now()
    proposal.answered_by = actor
    proposal.save(update_fields=[*ANSWER_FIELDS, "answered_at", "answered_by", "updated_at"])
    audit.record(
        actor=actor,
        action="update",
        obj=proposal,
        municipality=proposal.process.municipality,
        changes=audit.diff(before, audit.snapshot(proposal, ANSWER_FIELDS)),
    )
    if status != old_status:
        notification_services.notify_status_change(proposal, actor=actor)
    return proposal


def source_proposals_of(initiative: Initiative) -> QuerySet[Proposal]:
    """Published proposals of published processes that this initiative carries out."""
    return (
        Proposal.objects.filter(
            initiative=initiative,
            visibility=Visibility.PUBLISHED,
            process__is_published=True,
        )
        .select_related("process__municipality")
        .order_by("-answered_at", "-id")
    )
