"""Writes for opinion maps: statements, their moderation, votes and the map's recomputation.

A vote is one short transaction: it inserts the vote, raises the statement's stored count and
marks the map dirty. The map is recomputed afterwards in the background, at most once per
RECOMPUTE_DEBOUNCE_SECONDS per phase, however many votes arrive meanwhile.
"""

from __future__ import annotations

import datetime
import itertools
import logging

import numpy as np
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core import audit, tasks
from roadmap.core.ratelimit import RateLimit
from roadmap.participation.models import Phase
from roadmap.participation.permissions import action_decision, can_moderate

from . import mapping
from .models import STATEMENT_MAX_LENGTH, OpinionMap, Statement, Vote, Voter

logger = logging.getLogger(__name__)

STATEMENT_POSTING = RateLimit("opinion-statements", limit=10, window_seconds=60 * 60)
RECOMPUTE_DEBOUNCE_SECONDS = 10
# A computation that has been "running" this long is taken to have died with its process.
STALE_COMPUTATION = datetime.timedelta(minutes=10)
# A map still marked this long after a vote lost its task; the periodic sweep recomputes it.
FORGOTTEN_AFTER_SECONDS = 10 * 60
VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


class Refused(Exception):
    """The participant may not do this now; the message says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require(user: User, phase: Phase, action: str) -> None:
    if phase.kind != Phase.Kind.OPINION_MAP:
        raise Refused(_("This phase has no opinion map."))
    decision = action_decision(user, phase, action)
    if not decision:
        raise Refused(decision.reason)


def clean_statement_text(text: str) -> str:
    """The text as stored (surrounding space removed), or Refused naming what is wrong."""
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write a statement: it cannot be empty."))
    if len(text) > STATEMENT_MAX_LENGTH:
        raise Refused(
            _("A statement can be at most %(limit)d characters; this one has %(length)d.")
            % {"limit": STATEMENT_MAX_LENGTH, "length": len(text)}
        )
    return text


def clean_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise Refused(_("Choose one of the platform's languages for the statement."))
    return language


@transaction.atomic
def submit_statement(*, author: User, phase: Phase, text: str, language: str) -> Statement:
    """A participant's statement: shown at once, or held for a moderator if the phase says so."""
    _require(author, phase, "propose")
    text, language = clean_statement_text(text), clean_language(language)
    if STATEMENT_POSTING.is_exceeded(f"user:{author.pk}"):
        raise Refused(_("You have written many statements in the last hour. Please wait a while."))
    statement = Statement.objects.create(
        phase=phase,
        author=author,
        text=text,
        language=language,
        status=Statement.Status.PENDING if phase.hold_statements else Statement.Status.APPROVED,
    )
    OpinionMap.objects.get_or_create(phase=phase)
    STATEMENT_POSTING.hit(f"user:{author.pk}")
    return statement


@transaction.atomic
def moderate_statement(*, moderator: User, statement: Statement, approve: bool) -> Statement:
    """Approve or reject a statement (audited). Rejecting one that has votes takes it out of the
    map at the next computation; its votes stay stored."""
    municipality = statement.phase.process.municipality
    if not can_moderate(moderator, municipality):
        raise Refused(_("Only the municipality's moderators can approve or reject statements."))
    before = audit.snapshot(statement, ("status",))
    statement.status = Statement.Status.APPROVED if approve else Statement.Status.REJECTED
    statement.moderated_by = moderator
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderated_by", "moderated_at", "updated_at"])
    audit.record(
        actor=moderator,
        action="update",
        obj=statement,
        municipality=municipality,
        subject=statement,
        changes=audit.diff(before, audit.snapshot(statement, ("status",))),
    )
    OpinionMap.objects.get_or_create(phase_id=statement.phase_id)
    _mark_dirty(statement.phase_id)
    return statement


COUNT_FIELD: dict[int, str] = {
    Vote.Value.AGREE: "agree_count",
    Vote.Value.DISAGREE: "disagree_count",
    Vote.Value.PASS: "pass_count",
}


@transaction.atomic
def cast_vote(*, user: User, statement: Statement, value: int) -> Vote:
    """One vote per participant and statement: a second one is refused, the first stays."""
    phase = statement.phase
    _require(user, phase, "vote")
    if value not in COUNT_FIELD:
        raise Refused(_("Choose agree, disagree or pass."))
    if statement.status != Statement.Status.APPROVED:
        raise Refused(_("This statement is not open for votes."))
    voter, _created = Voter.objects.get_or_create(phase=phase, user=user)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(phase=phase, statement=statement, voter=voter, value=value)
    except IntegrityError:
        raise Refused(_("You have already voted on this statement.")) from None
    field = COUNT_FIELD[value]
    Statement.objects.filter(pk=statement.pk).update(**{field: F(field) + 1})
    _mark_dirty(phase.pk)
    return vote


def _mark_dirty(phase_id: int) -> None:
    """Mark the map for recomputation and schedule it. Only the first vote after a computation
    writes the mark and queues the task, so a burst of votes, on any app process, queues one."""
    marked = OpinionMap.objects.filter(phase_id=phase_id, dirty_since__isnull=True).update(
        dirty_since=timezone.now()
    )
    if marked:
        _schedule_recompute(phase_id)


def _schedule_recompute(phase_id: int) -> None:
    from roadmap.opinions.tasks import recompute_opinion_map  # the task module imports this one

    tasks.enqueue(recompute_opinion_map, delay=RECOMPUTE_DEBOUNCE_SECONDS, phase_id=phase_id)


def _claim(phase_id: int) -> bool:
    """Take the pending work of this map, unless another computation is running."""
    now = timezone.now()
    return bool(
        OpinionMap.objects.filter(phase_id=phase_id, dirty_since__isnull=False)
        .filter(Q(computing_since__isnull=True) | Q(computing_since__lt=now - STALE_COMPUTATION))
        .update(dirty_since=None, computing_since=now)
    )


def vote_matrix(phase: Phase | int) -> mapping.VoteMatrix:
    """The phase's votes on approved and rejected statements, read as arrays (no model
    instances). A rejected statement stays in the map as a column of zeros (see mapping)."""
    phase_id = phase.pk if isinstance(phase, Phase) else phase
    statuses = dict(
        Statement.objects.filter(
            phase_id=phase_id,
            status__in=[Statement.Status.APPROVED, Statement.Status.REJECTED],
        ).values_list("pk", "status")
    )
    rows = Vote.objects.filter(phase_id=phase_id).values_list("voter_id", "statement_id", "value")
    # The ORM writes the query; the rows go straight from the cursor into one array, without a
    # Python tuple per vote kept around (2–3 times faster at a million votes).
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        flat = np.fromiter(itertools.chain.from_iterable(cursor), dtype=np.int64)
    votes = flat.reshape(-1, 3)
    return mapping.build_matrix(
        votes[:, 0],
        votes[:, 1],
        votes[:, 2],
        statements=list(statuses),
        rejected=[pk for pk, status in statuses.items() if status == Statement.Status.REJECTED],
    )


def recompute_map(*, phase_id: int, full: bool = False) -> OpinionMap:
    """Compute the map from all votes now and store it (an update unless `full`)."""
    opinion_map, _created = OpinionMap.objects.get_or_create(phase_id=phase_id)
    previous = None
    if not full and opinion_map.result.get("state"):
        # None when the stored state predates the current method: then a full computation.
        previous = mapping.ModelState.from_json(opinion_map.result["state"])
    try:
        matrix = vote_matrix(phase_id)
        result = mapping.compute_map(matrix, previous=previous)
    except Exception as error:  # keep the last good map on the page; record why
        logger.exception("Opinion map of phase %s failed", phase_id)
        OpinionMap.objects.filter(pk=opinion_map.pk).update(
            status=OpinionMap.Status.FAILED, error=str(error)[:2000], computing_since=None
        )
        raise
    OpinionMap.objects.filter(pk=opinion_map.pk).update(
        status=OpinionMap.Status.READY,
        result=result.to_json(),
        votes_seen=result.votes,
        computed_at=timezone.now(),
        computing_since=None,
        error="",
    )
    opinion_map.refresh_from_db()
    return opinion_map


def recompute_when_due(*, phase_id: int) -> bool:
    """The background task: recompute if votes arrived and nobody else is computing. If more
    votes arrived while it ran, schedule the next run. True if it computed."""
    if not _claim(phase_id):
        return False
    try:
        recompute_map(phase_id=phase_id)
    finally:
        if OpinionMap.objects.filter(phase_id=phase_id, dirty_since__isnull=False).exists():
            _schedule_recompute(phase_id)
    return True


def recompute_dirty_maps(*, older_than_seconds: float = 0) -> int:
    """Recompute every map marked dirty at least `older_than_seconds` ago (the worker's round)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    phase_ids = list(
        OpinionMap.objects.filter(dirty_since__lte=cutoff).values_list("phase_id", flat=True)
    )
    return sum(recompute_when_due(phase_id=phase_id) for phase_id in phase_ids)
