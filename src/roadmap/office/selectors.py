"""Reads for the back office: what waits on a user's roles in one municipality, and the one
moderation inbox over proposals, comments, opinion statements and workshop notes.

Every page reads a fixed number of queries whatever the data: counts are one query each, lists
are cut short, and the inbox pages over one UNION of light rows before it loads the page's
objects, one query per kind."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, F, Model, QuerySet, Value

from roadmap.accounts.models import User
from roadmap.core.models import AuditEvent
from roadmap.indicators.models import ImportBatch
from roadmap.initiatives.models import (
    Assessment,
    AssessmentStatus,
    Initiative,
    Pilot,
    PilotDecision,
    Status,
)
from roadmap.municipalities.models import Municipality
from roadmap.opinions.models import Statement
from roadmap.participation.models import (
    Comment,
    Flag,
    ProcessParticipant,
    Proposal,
    ProposalStatus,
    ResidentVerification,
    Visibility,
)
from roadmap.workshops.models import NoteFlag

from .permissions import OfficeAccess

# A final assessment older than this is due again.
ASSESSMENT_DUE_AFTER = datetime.timedelta(days=365)
LIST_LENGTH = 5
RECENT_ACTIVITY_LENGTH = 10

PENDING_PROPOSAL = "pending_proposal"
PENDING_COMMENT = "pending_comment"
REPORTED_PROPOSAL = "reported_proposal"
REPORTED_COMMENT = "reported_comment"
PENDING_STATEMENT = "pending_statement"
REPORTED_NOTE = "reported_note"


def _pending_proposals(municipality: Municipality) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        process__municipality=municipality, visibility=Visibility.PENDING
    ).select_related("process", "author")


def _pending_comments(municipality: Municipality) -> QuerySet[Comment]:
    return Comment.objects.filter(
        proposal__process__municipality=municipality, visibility=Visibility.PENDING
    ).select_related("proposal__process", "author")


def _reported_proposals(municipality: Municipality) -> QuerySet[Flag]:
    return Flag.objects.filter(
        resolved_at__isnull=True, proposal__process__municipality=municipality
    ).select_related("reporter", "proposal__process", "proposal__author")


def _reported_comments(municipality: Municipality) -> QuerySet[Flag]:
    return Flag.objects.filter(
        resolved_at__isnull=True, comment__proposal__process__municipality=municipality
    ).select_related("reporter", "comment__proposal__process", "comment__author")


def _pending_statements(municipality: Municipality) -> QuerySet[Statement]:
    return Statement.objects.filter(
        phase__process__municipality=municipality, status=Statement.Status.PENDING
    ).select_related("phase__process", "author")


def _reported_notes(municipality: Municipality) -> QuerySet[NoteFlag]:
    return NoteFlag.objects.filter(
        resolved_at__isnull=True, note__prompt__workshop__phase__process__municipality=municipality
    ).select_related("reporter", "note__author", "note__prompt__workshop__phase__process")


def _inbox_sources(municipality: Municipality, access: OfficeAccess) -> dict[str, QuerySet[Any]]:
    """The inbox's kinds this user may act on, each as the queryset of its waiting items."""
    sources: dict[str, QuerySet[Any]] = {}
    if access.moderate:
        sources[PENDING_PROPOSAL] = _pending_proposals(municipality)
        sources[PENDING_COMMENT] = _pending_comments(municipality)
        sources[REPORTED_PROPOSAL] = _reported_proposals(municipality)
        sources[REPORTED_COMMENT] = _reported_comments(municipality)
        sources[PENDING_STATEMENT] = _pending_statements(municipality)
    if access.moderate_notes:
        sources[REPORTED_NOTE] = _reported_notes(municipality)
    return sources


def inbox_rows(municipality: Municipality, access: OfficeAccess) -> QuerySet[Any]:
    """One row (kind, item, waiting since) per waiting item, oldest first: a UNION the
    paginator counts and slices in the database."""
    parts = [
        queryset.order_by()
        .annotate(
            kind=Value(kind, output_field=CharField()),
            item=F("pk"),
            waiting_since=F("created_at"),
        )
        .values_list("kind", "item", "waiting_since")
        for kind, queryset in _inbox_sources(municipality, access).items()
    ]
    if not parts:
        return Proposal.objects.none().values_list("pk")
    first, *others = parts
    combined: QuerySet[Any] = first.union(*others, all=True)
    return combined.order_by("waiting_since", "kind", "item")


@dataclass(frozen=True)
class InboxItem:
    kind: str
    waiting_since: datetime.datetime
    obj: Model


def inbox_items(
    municipality: Municipality, access: OfficeAccess, rows: Iterable[tuple[str, int, Any]]
) -> list[InboxItem]:
    """The objects behind one page of inbox rows, in the rows' order: a query per kind."""
    rows = list(rows)
    wanted: dict[str, list[int]] = {}
    for kind, item, _since in rows:
        wanted.setdefault(kind, []).append(item)
    sources = _inbox_sources(municipality, access)
    loaded = {kind: sources[kind].in_bulk(pks) for kind, pks in wanted.items() if kind in sources}
    return [
        InboxItem(kind=kind, waiting_since=since, obj=loaded[kind][item])
        for kind, item, since in rows
        if item in loaded.get(kind, {})
    ]


@dataclass
class Waiting:
    """A count and its first few items."""

    total: int
    items: list[Any] = field(default_factory=list)


def _waiting(queryset: QuerySet[Any]) -> Waiting:
    return Waiting(total=queryset.count(), items=list(queryset[:LIST_LENGTH]))


@dataclass
class OfficeSummary:
    """What waits on this user's roles; None where a role does not reach."""

    inbox: dict[str, int] | None = None
    drafts: Waiting | None = None
    never_assessed: Waiting | None = None
    assessment_due: Waiting | None = None
    imports: Waiting | None = None
    pilot_reviews: Waiting | None = None
    unanswered: Waiting | None = None
    residents: int | None = None
    activity: list[AuditEvent] = field(default_factory=list)

    @property
    def inbox_total(self) -> int:
        return sum(self.inbox.values()) if self.inbox else 0


def _assessable(municipality: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.filter(municipality=municipality).exclude(status=Status.ENDED)


def office_summary(
    municipality: Municipality, access: OfficeAccess, today: datetime.date
) -> OfficeSummary:
    summary = OfficeSummary()
    if access.sees_inbox:
        summary.inbox = {
            kind: queryset.count()
            for kind, queryset in _inbox_sources(municipality, access).items()
        }
    if access.assess:
        summary.drafts = _waiting(
            Assessment.objects.filter(municipality=municipality, status=AssessmentStatus.DRAFT)
            .select_related("initiative", "assessor")
            .order_by("assessed_on", "id")
        )
        summary.never_assessed = _waiting(
            _assessable(municipality).exclude(assessments__is_latest=True).order_by("title", "id")
        )
        summary.assessment_due = _waiting(
            Assessment.objects.filter(
                initiative__in=_assessable(municipality),
                is_latest=True,
                assessed_on__lt=today - ASSESSMENT_DUE_AFTER,
            )
            .select_related("initiative")
            .order_by("assessed_on", "id")
        )
    if access.manage_indicators:
        summary.imports = _waiting(
            ImportBatch.objects.filter(municipality=municipality, status=ImportBatch.Status.PREVIEW)
            .select_related("uploaded_by")
            .order_by("created_at", "id")
        )
    if access.edit_initiatives:
        summary.pilot_reviews = _waiting(
            Pilot.objects.filter(
                initiative__municipality=municipality,
                end_date__lt=today,
                decision=PilotDecision.PENDING,
            )
            .select_related("initiative")
            .order_by("end_date", "id")
        )
    if access.manage_processes:
        summary.unanswered = _waiting(
            Proposal.objects.filter(
                process__municipality=municipality,
                visibility=Visibility.PUBLISHED,
                status__in=[ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW],
            )
            .select_related("process")
            .order_by("created_at", "id")
        )
    if access.administer:
        summary.residents = ResidentVerification.objects.filter(municipality=municipality).count()
    summary.activity = list(
        AuditEvent.objects.filter(municipality=municipality)
        .select_related("actor", "content_type")
        .order_by("-created_at", "-id")[:RECENT_ACTIVITY_LENGTH]
    )
    return summary


def home_municipality(user: User) -> Municipality | None:
    """Where a participant without a role belongs: where they are a confirmed resident, else
    where they last took part in a process."""
    verification = (
        ResidentVerification.objects.filter(user=user)
        .select_related("municipality")
        .order_by("-created_at", "-id")
        .first()
    )
    if verification is not None:
        return verification.municipality
    taking_part = (
        ProcessParticipant.objects.filter(user=user)
        .select_related("process__municipality")
        .order_by("-first_day", "-id")
        .first()
    )
    return taking_part.process.municipality if taking_part is not None else None
