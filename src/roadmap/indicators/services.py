"""Writes for indicators. Each use case runs in one transaction and records an audit event."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Field
from django.utils import translation
from django.utils.translation import gettext_lazy

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.core.models import AuditEvent
from roadmap.core.tasks import enqueue
from roadmap.framework.models import ActionArea, Purpose
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import Municipality

from . import imports, selectors
from .loader import indicator_slug
from .models import (
    ImportBatch,
    Indicator,
    InitiativeIndicator,
    Level,
    MappingAdjustment,
    Observation,
    Target,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CHANGES_KEPT = 500
TARGET_FIELDS = ("baseline_value", "baseline_year", "target_value", "target_year")
# What a municipality says about an indicator of its own (its mapping comes separately).
OWN_INDICATOR_FIELDS = (
    "code",
    "name",
    "definition",
    "formula",
    "dimension",
    "category",
    "unit",
    "direction",
    "ideal_value",
    "min_value",
    "max_value",
)
COMPARED = slice(4, 9)  # value, source, quality, note, verified
# What the audit trail keeps of an observation entered, corrected or deleted by hand.
OBSERVATION_FIELDS = imports.ROW_FIELDS[1:]


# What is checked or committed during the request; anything larger goes to a background task
# (indicators.tasks): a million rows take 18 s on SQLite and 37 s on PostgreSQL, longer than a
# request may take. Measured (docs/performance.md, "Imports in the background"): checking
# 2 MB (50,000 rows) takes 0.4 s on SQLite, 0.6 s on PostgreSQL; committing 20,000 rows 0.4 s
# and 1.0 s.
INLINE_IMPORT_BYTES = 2 * 1024 * 1024
INLINE_COMMIT_ROWS = 20_000

CHECK_FAILED = gettext_lazy(
    "The file could not be checked because of an unexpected error; nothing was saved. "
    "Upload it again, and tell the administrators if it happens again."
)
COMMIT_FAILED = gettext_lazy(
    "The observations could not be written because of an unexpected error; nothing was "
    "saved. Upload the file again, and tell the administrators if it happens again."
)
INDICATOR_GONE = gettext_lazy(
    "An indicator in the file was deleted after the file was checked; nothing was saved. "
    "Upload the file again."
)


def _check(batch: ImportBatch, data: bytes) -> None:
    """Parse and validate the file into the batch's preview (PREVIEW or REFUSED)."""
    with imports.cyclic_gc_paused():
        try:
            municipality = batch.municipality
            parsed = imports.read_file(
                data,
                batch.filename,
                selectors.indicator_lookup(municipality),
                imports.Region(code=municipality.region_code, name=municipality.name),
            )
        except imports.FileRefused as refusal:
            _refuse(batch, str(refusal))
        else:
            batch.status = ImportBatch.Status.PREVIEW
            batch.columns = parsed.columns if parsed.is_valid else []
            batch.problems = parsed.problems
            report = {
                # What the import report shows besides the problems (import_batch.html).
                "mapped": sorted(parsed.mapped.items()),
                "no_values": parsed.no_values,
                "no_value_count": parsed.no_value_count,
                "other_region_rows": parsed.other_region_rows,
                "other_regions": parsed.other_regions,
            }
            batch.summary = {
                "rows": parsed.row_count,
                "problems": parsed.problem_count,
                **{name: value for name, value in report.items() if value},
            }


def _refuse(batch: ImportBatch, message: str) -> None:
    batch.status = ImportBatch.Status.REFUSED
    batch.columns = []
    batch.problems = [{"row": None, "column": "", "message": message}]
    batch.summary = {"rows": 0, "problems": 1}


def _keep_original(batch: ImportBatch, data: bytes) -> None:
    """The original goes to the default storage as provenance, unless it is over the limit."""
    if not imports.is_too_large(len(data)):
        batch.source.save(batch.filename, ContentFile(data), save=False)


def preview_import(
    *, actor: User, municipality: Municipality, filename: str, data: bytes
) -> ImportBatch:
    """Parse and validate an upload and keep the result for the preview page.

    A refused file is kept too (with its one problem), so the person sees the report; no
    observation changes until commit_import.
    """
    batch = ImportBatch(municipality=municipality, uploaded_by=actor, filename=filename[:255])
    _check(batch, data)
    _keep_original(batch, data)
    batch.save()
    return batch


@transaction.atomic
def receive_import(
    *, actor: User, municipality: Municipality, filename: str, data: bytes
) -> ImportBatch:
    """An upload: previewed at once up to INLINE_IMPORT_BYTES (or when too large to be read
    at all); a larger one is kept as CHECKING and checked by the check_import task."""
    if len(data) <= INLINE_IMPORT_BYTES or imports.is_too_large(len(data)):
        return preview_import(actor=actor, municipality=municipality, filename=filename, data=data)
    from . import tasks  # the tasks call this module

    batch = ImportBatch(
        municipality=municipality,
        uploaded_by=actor,
        filename=filename[:255],
        status=ImportBatch.Status.CHECKING,
    )
    _keep_original(batch, data)
    batch.save()
    # Problems are stored as text: the task writes them in the language of this request.
    enqueue(tasks.check_import, batch_id=batch.pk, language=translation.get_language())
    return batch


def check_stored_import(*, batch_id: int, language: str) -> bool:
    """The check_import task: read the original back from storage and fill in the preview.
    Safe to run twice: only a batch still CHECKING is checked. Whether it was."""
    with (
        translation.override(language),
        _refused_on_error(batch_id, CHECK_FAILED),
        transaction.atomic(),
    ):
        batch = (
            ImportBatch.objects.select_for_update()
            .select_related("municipality")
            .filter(pk=batch_id, status=ImportBatch.Status.CHECKING)
            .first()
        )
        if batch is None:
            return False
        with batch.source.open("rb") as original:
            data = original.read()
        _check(batch, data)
        batch.save()
    return True


@contextmanager
def _refused_on_error(batch_id: int, message: StrOrPromise) -> Iterator[None]:
    """An unexpected error in a task refuses a batch still in progress, with the message,
    instead of leaving the person waiting. Wrap the task's transaction (rolled back by then,
    so nothing of the failed work is kept); the error propagates, so the worker logs it and
    the task is recorded as failed."""
    try:
        yield
    except Exception:
        _refuse_in_progress(batch_id, str(message))
        raise


def _refuse_in_progress(batch_id: int, message: str) -> None:
    refused = ImportBatch(pk=batch_id)
    _refuse(refused, message)
    ImportBatch.objects.filter(pk=batch_id, status__in=ImportBatch.IN_PROGRESS).update(
        status=refused.status, columns=[], problems=refused.problems, summary=refused.summary
    )


class ImportNotReady(ValueError):
    pass


INDICATOR_DELETED = "indicator deleted"  # the ImportNotReady reason


def _column(name: str) -> str:
    field = Observation._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None, "a concrete field"
    return field.column


def _insert(rows: Sequence[Sequence[Any]], batch_id: int | None) -> None:
    """Plain inserts of many rows: COPY on PostgreSQL, executemany in the transaction on
    SQLite (the fastest way each database takes a million rows)."""
    table = Observation._meta.db_table
    columns = ", ".join(
        ["municipality_id", "batch_id"] + [_column(name) for name in imports.ROW_FIELDS]
    )
    # Table and column names come from the model, never from input.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * (len(imports.ROW_FIELDS) + 2))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            rows,
        )


def _update(rows: Sequence[Sequence[Any]]) -> None:
    table = Observation._meta.db_table
    sql = (
        f"UPDATE {table} SET value = %s, source = %s, quality = %s, note = %s, verified = %s, "  # noqa: S608
        "batch_id = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def write_rows(
    *, municipality: Municipality, rows: Sequence[Sequence[Any]], batch_id: int | None = None
) -> dict[str, Any]:
    """Insert new observations and update changed ones in place; call inside a transaction.

    Returns counts and the first CHANGES_KEPT changes as [indicator id, series, period,
    old value, new value].
    """
    indicator_ids = {row[0] for row in rows}
    existing = {
        (indicator_id, series, granularity, period.isoformat()): (pk, rest)
        for pk, indicator_id, series, granularity, period, *rest in Observation.objects.filter(
            municipality=municipality, indicator_id__in=indicator_ids
        ).values_list(
            "pk",
            "indicator_id",
            "series",
            "granularity",
            "period",
            "value",
            "source",
            "quality",
            "note",
            "verified",
        )
    }
    inserts: list[Sequence[Any]] = []
    updates: list[Sequence[Any]] = []
    changes: list[list[Any]] = []
    unchanged = 0
    municipality_id = municipality.pk
    for row in rows:
        found = existing.get((row[0], row[1], row[2], row[3]))
        if found is None:
            inserts.append((municipality_id, batch_id, *row))
            continue
        pk, old = found
        if list(old) == list(row[COMPARED]):
            unchanged += 1
            continue
        updates.append((*row[COMPARED], batch_id, pk))
        if len(changes) < CHANGES_KEPT:
            changes.append([row[0], row[1], row[3], old[0], row[4]])
    # In key order, so the unique index is filled from left to right.
    inserts.sort(key=itemgetter(2, 3, 4, 5))
    _insert(inserts, batch_id)
    _update(updates)
    return {
        "created": len(inserts),
        "updated": len(updates),
        "unchanged": unchanged,
        "changes": changes,
    }


def _committable(batch: ImportBatch) -> bool:
    return batch.status == ImportBatch.Status.PREVIEW and not batch.summary.get("problems")


@transaction.atomic
def request_commit(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Commit a previewed, valid batch: at once up to INLINE_COMMIT_ROWS rows, otherwise
    marked COMMITTING for the commit_import task. ImportNotReady if it cannot be committed."""
    locked = ImportBatch.objects.select_for_update().defer("columns").get(pk=batch.pk)
    if not _committable(locked):
        raise ImportNotReady(locked.status)
    if locked.summary["rows"] <= INLINE_COMMIT_ROWS:
        return commit_import(actor=actor, batch=locked)
    from . import tasks  # the tasks call this module

    locked.status = ImportBatch.Status.COMMITTING
    locked.save(update_fields=["status", "updated_at"])
    enqueue(
        tasks.commit_import,
        batch_id=locked.pk,
        actor_id=actor.pk,
        language=translation.get_language(),
    )
    return locked


def commit_in_background(*, batch_id: int, actor_id: int, language: str) -> bool:
    """The commit_import task. Safe to run twice: only a batch still COMMITTING is written,
    in commit_import's one transaction, so a run cut off leaves it COMMITTING with nothing
    written and the rerun completes it. Whether it was written."""
    with translation.override(language), _refused_on_error(batch_id, COMMIT_FAILED):
        batch = ImportBatch.objects.defer("columns").filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.Status.COMMITTING:
            return False
        try:
            actor = User.objects.filter(pk=actor_id).first()  # None if deleted since
            commit_import(actor=actor, batch=batch)
        except ImportNotReady as reason:
            if str(reason) == INDICATOR_DELETED:
                _refuse_in_progress(batch_id, str(INDICATOR_GONE))
            return False  # otherwise another run has committed it meanwhile
    return True


@transaction.atomic
def commit_import(*, actor: User | None, batch: ImportBatch) -> ImportBatch:
    """Write a previewed, valid batch (or one the commit_import task holds): every row or
    none."""
    with imports.cyclic_gc_paused():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not (_committable(batch) or batch.status == ImportBatch.Status.COMMITTING):
            raise ImportNotReady(batch.status)
        # An own indicator may have been deleted since the preview.
        indicator_ids = set(batch.columns[0]) if batch.columns else set()
        if Indicator.objects.filter(pk__in=indicator_ids).count() != len(indicator_ids):
            raise ImportNotReady(INDICATOR_DELETED)
        rows = list(zip(*batch.columns, strict=True))
        outcome = write_rows(municipality=batch.municipality, rows=rows, batch_id=batch.pk)
    batch.status = ImportBatch.Status.COMMITTED
    batch.summary = {**batch.summary, **outcome}
    batch.columns = []  # the observations hold them now
    batch.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if outcome["updated"] else AuditEvent.Action.CREATE,
        obj=batch,
        municipality=batch.municipality,
        changes={
            "created": outcome["created"],
            "updated": outcome["updated"],
            "unchanged": outcome["unchanged"],
            "values": outcome["changes"][:50],
        },
    )
    return batch


@transaction.atomic
def record_observation(
    *, actor: User, municipality: Municipality, indicator: Indicator, data: Mapping[str, Any]
) -> tuple[Observation, str]:
    """Enter one observation by hand. One with the same series and period is corrected in
    place, as a re-import would. Returns it and "created", "updated" or "unchanged"."""
    row = [indicator.pk, *(data.get(name) for name in OBSERVATION_FIELDS)]
    key = {"series": row[1], "granularity": row[2], "period": row[3]}
    mine = Observation.objects.filter(municipality=municipality, indicator=indicator)
    existing = mine.filter(**key).first()
    before = audit.snapshot(existing, OBSERVATION_FIELDS) if existing else {}
    outcome = write_rows(municipality=municipality, rows=[row])
    observation = mine.get(**key)
    observation.indicator = indicator  # for its name in the audit trail
    if outcome["unchanged"]:
        return observation, "unchanged"
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
        obj=observation,
        municipality=municipality,
        subject=indicator,
        changes=audit.diff(before, audit.snapshot(observation, OBSERVATION_FIELDS)),
    )
    return observation, "updated" if existing else "created"


@transaction.atomic
def delete_observation(*, actor: User, observation: Observation) -> None:
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=observation,
        municipality=observation.municipality,
        subject=observation.indicator,
        changes=audit.snapshot(observation, OBSERVATION_FIELDS),
    )
    observation.delete()


@transaction.atomic
def set_target(
    *, actor: User, municipality: Municipality, indicator: Indicator, data: Mapping[str, Any]
) -> Target:
    target = Target.objects.filter(municipality=municipality, indicator=indicator).first()
    before = audit.snapshot(target, TARGET_FIELDS) if target else {}
    target = target or Target(municipality=municipality, indicator=indicator)
    for name in TARGET_FIELDS:
        setattr(target, name, data.get(name))
    target.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        obj=target,
        municipality=municipality,
        changes=audit.diff(before, audit.snapshot(target, TARGET_FIELDS)),
    )
    return target


@transaction.atomic
def create_own_indicator(
    *, actor: User, municipality: Municipality, data: Mapping[str, Any]
) -> Indicator:
    indicator = Indicator.objects.create(
        municipality=municipality,
        level=Level.LOCAL,
        sub_dimension="local",
        slug=indicator_slug(data["code"]),
        order=1000,
        **{name: data.get(name) for name in OWN_INDICATOR_FIELDS},
    )
    indicator.purposes.set(data.get("purposes") or [])
    indicator.action_areas.set(data.get("action_areas") or [])
    audit.record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=indicator, municipality=municipality
    )
    return indicator


OWN_INDICATOR_AUDITED = (*OWN_INDICATOR_FIELDS, "purposes", "action_areas")


@transaction.atomic
def update_own_indicator(
    *, actor: User, indicator: Indicator, data: Mapping[str, Any]
) -> Indicator:
    """Change what a municipality says about its own indicator. The slug follows the code,
    as when it was created: addresses and import files then name it by its current code."""
    # Read again: a bound ModelForm has already written the new values onto its instance.
    indicator = Indicator.objects.select_for_update().get(
        pk=indicator.pk, municipality__isnull=False
    )
    before = audit.snapshot(indicator, OWN_INDICATOR_AUDITED)
    for name in OWN_INDICATOR_FIELDS:
        setattr(indicator, name, data.get(name))
    indicator.slug = indicator_slug(indicator.code)
    indicator.save()
    indicator.purposes.set(data.get("purposes") or [])
    indicator.action_areas.set(data.get("action_areas") or [])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=indicator,
        municipality=indicator.municipality,
        changes=audit.diff(before, audit.snapshot(indicator, OWN_INDICATOR_AUDITED)),
    )
    return indicator


@transaction.atomic
def delete_own_indicator(*, actor: User, indicator: Indicator) -> None:
    """Delete an own indicator with its observations, targets, mappings and initiative links."""
    if indicator.municipality_id is None:
        raise ValueError("catalogue indicators are not deleted here")
    counts = selectors.own_indicator_dependants(indicator)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=indicator,
        municipality=indicator.municipality,
        changes={"code": indicator.code, "name": indicator.name, **counts},
    )
    indicator.delete()


@transaction.atomic
def adjust_mapping(
    *,
    actor: User,
    municipality: Municipality,
    indicator: Indicator,
    purposes: Sequence[Purpose],
    action_areas: Sequence[ActionArea],
) -> MappingAdjustment:
    adjustment, created = MappingAdjustment.objects.get_or_create(
        municipality=municipality, indicator=indicator
    )
    fields = ("purposes", "action_areas")
    before = {} if created else audit.snapshot(adjustment, fields)
    adjustment.purposes.set(purposes)
    adjustment.action_areas.set(action_areas)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=adjustment,
        municipality=municipality,
        changes=audit.diff(before, audit.snapshot(adjustment, fields)),
    )
    return adjustment


@transaction.atomic
def claim_indicator(
    *, actor: User, initiative: Initiative, indicator: Indicator, effect: str, note: str = ""
) -> InitiativeIndicator:
    claim, created = InitiativeIndicator.objects.update_or_create(
        initiative=initiative, indicator=indicator, defaults={"effect": effect, "note": note}
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=claim,
        municipality=initiative.municipality,
        subject=initiative,
        changes={"indicator": indicator.code, "effect": effect, "note": note},
    )
    return claim


@transaction.atomic
def withdraw_claim(*, actor: User, claim: InitiativeIndicator) -> None:
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=claim,
        municipality=claim.initiative.municipality,
        subject=claim.initiative,
    )
    claim.delete()
