"""Writes for principle-based assessments.

An assessment is a draft until it is finalised; a final one is read-only and kept for good.
`Assessment.is_latest` marks the newest final assessment of each initiative (by date, then id)
and is maintained here only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.framework.models import Principle

from ..models import Assessment, AssessmentStatus, Initiative, Rating
from .selectors import applicable_principles

LEVELS = range(0, 5)
_web_address = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RatingInput:
    principle: Principle
    level: int
    evidence: str = ""
    # One web address per line.
    links: str = ""


def link_lines(text: str) -> list[str]:
    """The non-blank lines of a links text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_links(text: str) -> None:
    """Every non-blank line must be an http(s) web address; the error names the first bad one."""
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.strip()
        if not address:
            continue
        try:
            _web_address(address)
        except ValidationError:
            raise ValidationError(
                _(
                    "Line %(number)s is not a web address starting with http:// or https://: "
                    "“%(line)s”."
                )
                % {"number": number, "line": address[:200]},
                code="invalid_link",
            ) from None


def validate_not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(
            _("The assessment date cannot be in the future; use today or an earlier date."),
            code="future_date",
        )


def _validate(
    initiative: Initiative, assessed_on: datetime.date, ratings: Sequence[RatingInput]
) -> None:
    """All input rules at once, so a caller other than the form cannot store bad data."""
    errors: list[ValidationError] = []
    try:
        validate_not_in_future(assessed_on)
    except ValidationError as error:
        errors.append(error)
    seen: set[int] = set()
    for rating in ratings:
        name = rating.principle.name
        if rating.principle.pk in seen:
            errors.append(ValidationError(_("“%(name)s” is rated twice.") % {"name": name}))
        seen.add(rating.principle.pk)
        if rating.principle.municipality_id not in (None, initiative.municipality_id):
            errors.append(
                ValidationError(
                    _("“%(name)s” is not a principle of this municipality.") % {"name": name}
                )
            )
        if rating.level not in LEVELS:
            errors.append(
                ValidationError(
                    _("The level for “%(name)s” must be from 0 to 4, not %(level)s.")
                    % {"name": name, "level": rating.level}
                )
            )
        try:
            validate_links(rating.links)
        except ValidationError as error:
            errors.append(ValidationError(f"{name}: {error.messages[0]}"))
    if errors:
        raise ValidationError(errors)


def _rating_rows(assessment: Assessment, ratings: Sequence[RatingInput]) -> list[Rating]:
    return [
        Rating(
            assessment=assessment,
            principle=rating.principle,
            level=rating.level,
            evidence=rating.evidence,
            links="\n".join(link_lines(rating.links)),
        )
        for rating in ratings
    ]


def _state(assessment: Assessment, levels: Mapping[str, int | None]) -> dict[str, object]:
    """What the audit trail compares: the date, the summary and each principle's level."""
    state: dict[str, object] = {
        "assessed_on": str(assessment.assessed_on),
        "summary": assessment.summary,
    }
    state.update({f"level: {code}": level for code, level in sorted(levels.items())})
    return state


def _levels_of(ratings: Sequence[RatingInput]) -> dict[str, int]:
    return {rating.principle.code: rating.level for rating in ratings}


@transaction.atomic
def create_assessment(
    *,
    actor: User,
    initiative: Initiative,
    assessed_on: datetime.date,
    summary: str = "",
    ratings: Sequence[RatingInput] = (),
) -> Assessment:
    """A new draft assessment with the given ratings."""
    _validate(initiative, assessed_on, ratings)
    assessment = Assessment.objects.create(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        assessor=actor if getattr(actor, "is_authenticated", False) else None,
        assessed_on=assessed_on,
        summary=summary,
    )
    Rating.objects.bulk_create(_rating_rows(assessment, ratings))
    audit.record(
        actor=actor,
        action="create",
        obj=assessment,
        municipality=initiative.municipality,
        subject=initiative,
        changes=_state(assessment, _levels_of(ratings)),
    )
    return assessment


def _locked_draft(assessment: Assessment) -> Assessment:
    """The assessment row, locked and re-read, so a concurrent finalise cannot slip in between."""
    locked = (
        Assessment.objects.select_for_update()
        .select_related("initiative__municipality")
        .get(pk=assessment.pk)
    )
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(
            _("This assessment is final and can no longer be changed."), code="final"
        )
    return locked


@transaction.atomic
def update_assessment(
    *,
    actor: User,
    assessment: Assessment,
    assessed_on: datetime.date,
    summary: str = "",
    ratings: Sequence[RatingInput] = (),
) -> Assessment:
    """Replace a draft's date, summary and ratings. Principles left out become unrated."""
    assessment = _locked_draft(assessment)
    initiative = assessment.initiative
    _validate(initiative, assessed_on, ratings)
    levels_before = dict(assessment.ratings.values_list("principle__code", "level"))
    levels_after = _levels_of(ratings)
    # A principle that lost its rating shows as "level → None" in the trail.
    unrated = {code: None for code in levels_before.keys() - levels_after.keys()}
    before = _state(assessment, levels_before)
    assessment.assessed_on = assessed_on
    assessment.summary = summary
    assessment.save(update_fields=["assessed_on", "summary", "updated_at"])
    # Ratings have nothing pointing at them, so replacing them all is the simplest exact update.
    assessment.ratings.all().delete()
    Rating.objects.bulk_create(_rating_rows(assessment, ratings))
    changes = audit.diff(before, _state(assessment, {**levels_after, **unrated}))
    audit.record(
        actor=actor,
        action="update",
        obj=assessment,
        municipality=initiative.municipality,
        subject=initiative,
        changes=changes,
    )
    return assessment


def _move_latest_flag(initiative_id: int) -> None:
    """Point is_latest at the newest final assessment (by date, then id).

    The old flag is cleared before the new one is set, because the database allows only one
    latest assessment per initiative at any moment.
    """
    newest = (
        Assessment.objects.filter(initiative_id=initiative_id, status=AssessmentStatus.FINAL)
        .order_by("-assessed_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    flagged = Assessment.objects.filter(initiative_id=initiative_id, is_latest=True)
    if newest is not None:
        flagged = flagged.exclude(pk=newest)
    flagged.update(is_latest=False)
    if newest is not None:
        Assessment.objects.filter(pk=newest, is_latest=False).update(is_latest=True)


@transaction.atomic
def finalise_assessment(*, actor: User, assessment: Assessment) -> Assessment:
    """Make a draft final (read-only from now on) once every applicable principle is rated."""
    # Lock the initiative first: two assessments of one initiative finalised at the same time
    # must not both become the latest.
    Initiative.objects.select_for_update().only("pk").get(pk=assessment.initiative_id)
    assessment = _locked_draft(assessment)
    initiative = assessment.initiative
    rated = set(assessment.ratings.values_list("principle_id", flat=True))
    missing = [p.name for p in applicable_principles(initiative) if p.pk not in rated]
    if missing:
        raise ValidationError(
            _("Rate every principle before finalising. Not rated yet: %(names)s.")
            % {"names": ", ".join(missing)},
            code="unrated",
        )
    assessment.status = AssessmentStatus.FINAL
    assessment.finalised_at = timezone.now()
    assessment.save(update_fields=["status", "finalised_at", "updated_at"])
    _move_latest_flag(initiative.pk)
    audit.record(
        actor=actor,
        action="update",
        obj=assessment,
        municipality=initiative.municipality,
        subject=initiative,
        changes={"status": [AssessmentStatus.DRAFT.value, AssessmentStatus.FINAL.value]},
    )
    assessment.refresh_from_db(fields=["is_latest"])
    return assessment


@transaction.atomic
def delete_draft_assessment(*, actor: User, assessment: Assessment) -> None:
    """Delete a draft with its ratings. Final assessments are kept for good."""
    assessment = _locked_draft(assessment)
    audit.record(
        actor=actor,
        action="delete",
        obj=assessment,
        municipality=assessment.initiative.municipality,
        subject=assessment.initiative,
    )
    assessment.delete()
