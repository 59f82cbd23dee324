"""Keep a process's inclusion figures in step with its contributions.

The figures count published contributions on published proposals per local day and district
(`ProcessActivity`), and each participant once, on the day of their first contribution of any
kind (`ProcessParticipant`). The proposal, comment, support and moderation services call these
functions inside their own transactions, so the counts change together with the rows they
count. `rebuild_process_activity` recounts everything from the rows: for data loaded in bulk
and as the reference the tests hold the incremental counts to.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from roadmap.accounts.models import User

from .models import (
    Comment,
    Process,
    ProcessActivity,
    ProcessParticipant,
    Proposal,
    ResidentVerification,
    Visibility,
)

UNKNOWN_DISTRICT = ProcessActivity.UNKNOWN_DISTRICT
Bucket = tuple[datetime.date, int]  # (local day, district key)
# measure → (time, participant id) pairs; the id is None once an account is deleted.
Contributions = dict[str, list[tuple[datetime.datetime, int | None]]]


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _district_key(municipality_id: int, user_id: int | None) -> int:
    if user_id is None:
        return UNKNOWN_DISTRICT
    district_id = (
        ResidentVerification.objects.filter(municipality_id=municipality_id, user_id=user_id)
        .values_list("district_id", flat=True)
        .first()
    )
    return district_id or UNKNOWN_DISTRICT


def _add(process_id: int, bucket: Bucket, deltas: dict[str, int]) -> None:
    """Move one day-and-district row by `deltas`, creating the row on first use."""
    day, district_key = bucket
    rows = ProcessActivity.objects.filter(process_id=process_id, day=day, district_key=district_key)
    changes = {name: F(name) + delta for name, delta in deltas.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():  # a savepoint: a concurrent first writer may win the insert
            ProcessActivity.objects.create(
                process_id=process_id, day=day, district_key=district_key, **deltas
            )
    except IntegrityError:
        rows.update(**changes)


def record_contribution(
    *, process: Process, user: User, at: datetime.datetime, measure: str | None
) -> None:
    """`user` contributed to `process` at `at`. `measure` names the count it raises
    ("proposals", "comments" or "supports"), or None while it waits for approval."""
    bucket = (_local_day(at), _district_key(process.municipality_id, user.pk))
    deltas = {measure: 1} if measure else {}
    _participant, first_time = ProcessParticipant.objects.get_or_create(
        process_id=process.pk, user=user, defaults={"first_day": bucket[0]}
    )
    if first_time:
        deltas["participants"] = 1
    if deltas:
        _add(process.pk, bucket, deltas)


def record_withdrawal(*, process: Process, user: User, supported_at: datetime.datetime) -> None:
    """A support given at `supported_at` was taken back (the participant still took part)."""
    bucket = (_local_day(supported_at), _district_key(process.municipality_id, user.pk))
    _add(process.pk, bucket, {"supports": -1})


def record_visibility_change(*, item: Proposal | Comment, was_published: bool) -> None:
    """Count an item in or out after moderation or an edit changed whether it is published.

    A proposal takes its published comments and its supports with it, as the figures count
    only what stands on published proposals."""
    now_published = item.visibility == Visibility.PUBLISHED
    if now_published == was_published:
        return
    if isinstance(item, Comment):
        proposal = item.proposal
        if proposal.visibility != Visibility.PUBLISHED:
            return
        contributions: Contributions = {"comments": [(item.created_at, item.author_id)]}
        people = Q(user_id=item.author_id)
    else:
        proposal = item
        contributions = {
            "proposals": [(proposal.created_at, proposal.author_id)],
            "comments": list(
                proposal.comments.filter(visibility=Visibility.PUBLISHED).values_list(
                    "created_at", "author_id"
                )
            ),
            "supports": list(proposal.supports.values_list("created_at", "user_id")),
        }
        people = (
            Q(user_id=proposal.author_id)
            | Q(user__in=proposal.comments.values("author"))
            | Q(user__in=proposal.supports.values("user"))
        )
    process = proposal.process
    sign = 1 if now_published else -1
    verifications = ResidentVerification.objects.filter(
        people, municipality_id=process.municipality_id
    )
    buckets = _bucket_counts(verifications, contributions)
    for bucket, counts in sorted(buckets.items()):
        _add(process.pk, bucket, {name: sign * count for name, count in counts.items()})


def _bucket_counts(
    verifications: QuerySet[ResidentVerification], contributions: Contributions
) -> dict[Bucket, Counter[str]]:
    """Count (time, user) pairs per measure into day-and-district buckets; `verifications`
    holds (at least) the residents among these users."""
    # None among the keys' type: pairs of deleted accounts are looked up too, and miss.
    district_of: dict[int | None, int] = dict(
        verifications.filter(district_id__isnull=False)
        .values_list("user_id", "district_id")
        .iterator()
    )
    buckets: dict[Bucket, Counter[str]] = defaultdict(Counter)
    # Time zones shift by whole quarter hours: convert each quarter hour once, not each row.
    day_of_quarter: dict[int, datetime.date] = {}
    for measure, pairs in contributions.items():
        for at, user in pairs:
            quarter = int(at.timestamp()) // 900
            day = day_of_quarter.get(quarter)
            if day is None:
                day = day_of_quarter[quarter] = _local_day(at)
            buckets[(day, district_of.get(user, UNKNOWN_DISTRICT))][measure] += 1
    return buckets


def rebuild_process_activity(
    process_ids: Iterable[int] | None = None, *, apps: Apps | None = None
) -> None:
    """Recount the figures of these processes (all when None) from their rows and the
    participants recorded so far.

    `apps` lets a data migration pass its historical models."""
    registry = apps or installed_apps

    def model(name: str) -> Any:
        """The model as `registry` has it: a migration's historical models are other classes."""
        return registry.get_model("participation", name)

    process_model, activity, participant = (
        model("Process"),
        model("ProcessActivity"),
        model("ProcessParticipant"),
    )
    proposals, comments, supports = model("Proposal"), model("Comment"), model("Support")
    processes = process_model.objects.all()
    if process_ids is not None:
        processes = processes.filter(pk__in=list(process_ids))
    published = Visibility.PUBLISHED
    for process_id, municipality_id in processes.values_list("pk", "municipality_id"):
        # One pass over each table: (time, person, own visibility, its proposal's visibility).
        tables = {
            "proposals": proposals.objects.filter(process_id=process_id).values_list(
                "created_at", "author_id", "visibility", "visibility"
            ),
            "comments": comments.objects.filter(proposal__process_id=process_id).values_list(
                "created_at", "author_id", "visibility", "proposal__visibility"
            ),
            "supports": supports.objects.filter(proposal__process_id=process_id).values_list(
                "created_at", "user_id", "proposal__visibility", "proposal__visibility"
            ),
        }
        contributions: Contributions = {name: [] for name in tables}
        first_at: dict[int, datetime.datetime] = {}
        for name, rows in tables.items():
            counted = contributions[name]
            for at, user, own, proposal in rows.iterator(chunk_size=20_000):
                if user is not None and (user not in first_at or at < first_at[user]):
                    first_at[user] = at
                if own == published and proposal == published:
                    counted.append((at, user))
        # Whoever took part stays counted, also after withdrawing their only support: keep the
        # participants recorded so far (their day taken as noon, local time).
        recorded = participant.objects.filter(process_id=process_id)
        for user, day in recorded.values_list("user_id", "first_day").iterator():
            if user not in first_at or day < _local_day(first_at[user]):
                noon = datetime.datetime.combine(day, datetime.time(12))
                first_at[user] = timezone.make_aware(noon)
        contributions["participants"] = [(at, user) for user, at in first_at.items()]
        verifications = model("ResidentVerification").objects.filter(
            municipality_id=municipality_id
        )
        buckets = _bucket_counts(verifications, contributions)
        with transaction.atomic():
            activity.objects.filter(process_id=process_id).delete()
            participant.objects.filter(process_id=process_id).delete()
            activity.objects.bulk_create(
                (
                    activity(process_id=process_id, day=day, district_key=district, **counts)
                    for (day, district), counts in sorted(buckets.items())
                ),
                batch_size=2000,
            )
            participant.objects.bulk_create(
                (
                    participant(process_id=process_id, user_id=user, first_day=_local_day(at))
                    for at, user in contributions["participants"]
                ),
                batch_size=5000,
            )
