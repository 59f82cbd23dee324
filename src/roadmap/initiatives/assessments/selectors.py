"""Reads for principle-based assessments: which principles apply, who sees which assessments,
the assessment panel on an initiative's page and the rows of the CSV export.

Callers check `permissions.can_view_initiative` first; these functions then hide drafts from
everyone who is not a member of the initiative's municipality.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, F, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from roadmap.accounts.models import User
from roadmap.core.charts import Chart, horizontal_bar_spec
from roadmap.framework.models import GuidingQuestion, MaturityLevel, Principle
from roadmap.framework.selectors import principles_for
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import is_member

from ..models import Assessment, AssessmentStatus, Initiative, Rating, Visibility
from ..permissions import can_assess

HIGHEST_LEVEL = 4
GAPS_SHOWN = 3
WEB_SCHEMES = ("http://", "https://")


def _form_prefetches() -> tuple[
    Prefetch[str, QuerySet[MaturityLevel]], Prefetch[str, QuerySet[GuidingQuestion]]
]:
    """What the form shows of each principle: its level descriptors and guiding questions."""
    return (
        Prefetch("maturity_levels", queryset=MaturityLevel.objects.order_by("level")),
        Prefetch("guiding_questions", queryset=GuidingQuestion.objects.order_by("order", "id")),
    )


def applicable_principles(initiative: Initiative) -> list[Principle]:
    """The principles an assessment rates: the initiative's own if it has any, else all of its
    municipality's (shared plus local), with level descriptors and guiding questions."""
    own = list(
        initiative.principles.order_by("municipality_id", "order", "code").prefetch_related(
            *_form_prefetches()
        )
    )
    if own:
        return own
    shared_and_local = principles_for(initiative.municipality).prefetch_related(None)
    return list(shared_and_local.prefetch_related(*_form_prefetches()))


def principles_for_form(
    initiative: Initiative, assessment: Assessment | None = None
) -> list[Principle]:
    """The applicable principles, plus any the draft already rates that no longer apply, so that
    saving the form never drops a rating silently."""
    principles = applicable_principles(initiative)
    if assessment is None:
        return principles
    listed = {principle.pk for principle in principles}
    extra = Principle.objects.filter(ratings__assessment=assessment).exclude(pk__in=listed)
    return principles + list(extra.prefetch_related(*_form_prefetches()).order_by("order", "code"))


def visible_assessments(initiative: Initiative, user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Members see every assessment; everyone else only final ones."""
    queryset = Assessment.objects.filter(initiative=initiative).select_related("assessor")
    if not is_member(user, initiative.municipality):
        queryset = queryset.filter(status=AssessmentStatus.FINAL)
    return queryset.order_by("-assessed_on", "-id")


@dataclass
class LinkItem:
    text: str
    # Set only for http(s) addresses; anything else is shown as plain text.
    href: str | None


def link_items(links: str) -> list[LinkItem]:
    items = []
    for line in links.splitlines():
        text = line.strip()
        if text:
            items.append(
                LinkItem(text=text, href=text if text.lower().startswith(WEB_SCHEMES) else None)
            )
    return items


@dataclass
class RatedPrinciple:
    principle: Principle
    level: int | None
    descriptor: str = ""
    evidence: str = ""
    links: list[LinkItem] = field(default_factory=list)


@dataclass
class AssessmentDetail:
    assessment: Assessment
    ratings: list[RatedPrinciple]
    # Applicable principles the draft does not rate yet (finalising needs them).
    unrated: list[Principle]


def assessment_detail(
    initiative: Initiative, assessment_pk: int, user: User | AnonymousUser
) -> AssessmentDetail | None:
    """One visible assessment with its ratings, level descriptors and links; None if hidden."""
    levels = Prefetch(
        "principle__maturity_levels", queryset=MaturityLevel.objects.order_by("level")
    )
    ratings = Prefetch(
        "ratings", queryset=Rating.objects.select_related("principle").prefetch_related(levels)
    )
    assessment = (
        visible_assessments(initiative, user)
        .prefetch_related(ratings)
        .filter(pk=assessment_pk)
        .first()
    )
    if assessment is None:
        return None
    rated = []
    for rating in assessment.ratings.all():
        descriptors = {
            step.level: step.descriptor for step in rating.principle.maturity_levels.all()
        }
        rated.append(
            RatedPrinciple(
                principle=rating.principle,
                level=rating.level,
                descriptor=descriptors.get(rating.level, ""),
                evidence=rating.evidence,
                links=link_items(rating.links),
            )
        )
    unrated: list[Principle] = []
    if assessment.status == AssessmentStatus.DRAFT:
        rated_ids = {item.principle.pk for item in rated}
        unrated = [p for p in applicable_principles(initiative) if p.pk not in rated_ids]
    return AssessmentDetail(assessment=assessment, ratings=rated, unrated=unrated)


# --- The panel on the initiative page ---------------------------------------------------------


@dataclass
class LevelChange:
    principle: Principle
    previous: int | None
    latest: int
    symbol: str
    text: str


@dataclass
class Gap:
    principle: Principle
    level: int
    next_level: int
    next_descriptor: str
    questions: list[str]


def _change(principle: Principle, previous: int | None, latest: int) -> LevelChange:
    if previous is None:
        symbol, text = "–", _("not rated before")
    elif latest > previous:
        symbol, text = "↑", _("up %(steps)s") % {"steps": latest - previous}
    elif latest < previous:
        symbol, text = "↓", _("down %(steps)s") % {"steps": previous - latest}
    else:
        symbol, text = "=", _("unchanged")
    return LevelChange(
        principle=principle, previous=previous, latest=latest, symbol=symbol, text=text
    )


def _gaps(latest_ratings: list[Rating]) -> list[Gap]:
    """The weakest rated principles below the top level, lowest first, with what comes next."""
    weakest = sorted(
        (rating for rating in latest_ratings if rating.level < HIGHEST_LEVEL),
        key=lambda rating: (rating.level, rating.principle.order, rating.principle.code),
    )[:GAPS_SHOWN]
    gaps = []
    for rating in weakest:
        principle = rating.principle
        descriptors = {step.level: step.descriptor for step in principle.maturity_levels.all()}
        gaps.append(
            Gap(
                principle=principle,
                level=rating.level,
                next_level=rating.level + 1,
                next_descriptor=descriptors.get(rating.level + 1, ""),
                questions=[question.text for question in principle.guiding_questions.all()],
            )
        )
    return gaps


def _profile_chart(initiative: Initiative, latest: Assessment, ratings: list[Rating]) -> Chart:
    caption = _("Principle profile of the assessment of %(date)s") % {
        "date": date_format(latest.assessed_on, "DATE_FORMAT")
    }
    values = [{"category": rating.principle.name, "value": rating.level} for rating in ratings]
    return Chart(
        caption=caption,
        spec=horizontal_bar_spec(
            values=values,
            category_title=_("Principle"),
            value_title=_("Maturity level (0–4)"),
            value_domain=(0, HIGHEST_LEVEL),
        ),
        columns=[_("Principle"), _("Level")],
        rows=[[rating.principle.name, rating.level] for rating in ratings],
        chart_id=f"assessment-profile-{initiative.pk}",
    )


def assessment_panel(initiative: Initiative, user: User | AnonymousUser) -> dict[str, Any]:
    """Everything the initiative page shows about assessments, in a constant number of queries:
    the latest final profile as a chart, the change since the final one before it, the gaps to
    work on, and the list of assessments this user may see."""
    assessments = list(visible_assessments(initiative, user))
    finals = [a for a in assessments if a.status == AssessmentStatus.FINAL]
    latest = next((a for a in finals if a.is_latest), finals[0] if finals else None)
    older = finals[finals.index(latest) + 1 :] if latest is not None else []
    previous = older[0] if older else None

    latest_ratings: list[Rating] = []
    previous_levels: dict[int, int] = {}
    if latest is not None:
        compared = [a.pk for a in (latest, previous) if a is not None]
        ratings = (
            Rating.objects.filter(assessment_id__in=compared)
            .select_related("principle")
            .prefetch_related(
                Prefetch(
                    "principle__maturity_levels", queryset=MaturityLevel.objects.order_by("level")
                ),
                Prefetch(
                    "principle__guiding_questions",
                    queryset=GuidingQuestion.objects.order_by("order", "id"),
                ),
            )
            .order_by("principle__order", "principle__code")
        )
        for rating in ratings:
            if rating.assessment_id == latest.pk:
                latest_ratings.append(rating)
            else:
                previous_levels[rating.principle_id] = rating.level

    return {
        "initiative": initiative,
        "assessments": assessments,
        "latest": latest,
        "previous": previous,
        "chart": (
            _profile_chart(initiative, latest, latest_ratings)
            if latest is not None and latest_ratings
            else None
        ),
        "changes": [
            _change(r.principle, previous_levels.get(r.principle_id), r.level)
            for r in latest_ratings
        ]
        if previous is not None
        else [],
        "gaps": _gaps(latest_ratings),
        "can_assess": can_assess(user, initiative.municipality),
    }


# --- CSV export -------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "initiative_id",
    "initiative__title",
    "id",
    "assessed_on",
    "status",
    "ratings__principle__code",
    "principle_name",
    "ratings__level",
    "ratings__evidence",
    "ratings__links",
)


def _translated(path: str) -> Coalesce:
    """A translated column in the active language, falling back as modeltranslation does.

    values_list() reads raw columns, so the language fallback is spelled out in SQL here."""
    columns = [
        NullIf(F(build_localized_fieldname(path, language)), Value(""))
        for language in resolution_order(get_language())
    ]
    return Coalesce(*columns, F(path), output_field=CharField())


def export_header() -> list[str]:
    return [
        _("initiative id"),
        _("initiative title"),
        _("assessment id"),
        _("assessment date"),
        _("status"),
        _("principle code"),
        _("principle name"),
        _("level"),
        _("evidence"),
        _("links"),
    ]


def initiative_export_assessments(
    initiative: Initiative, user: User | AnonymousUser
) -> QuerySet[Assessment]:
    return visible_assessments(initiative, user)


def municipality_export_assessments(
    municipality: Municipality, user: User | AnonymousUser
) -> QuerySet[Assessment]:
    """Members export every assessment; others the final ones of public initiatives."""
    queryset = Assessment.objects.filter(municipality=municipality)
    if not is_member(user, municipality):
        queryset = queryset.filter(
            status=AssessmentStatus.FINAL, initiative__visibility=Visibility.PUBLIC
        )
    return queryset


def export_rows(assessments: QuerySet[Assessment]) -> Iterator[tuple[Any, ...]]:
    """One row per rating (a draft without ratings gives one row with empty rating cells), read
    from the database in chunks so a large export never sits in memory at once."""
    return (
        assessments.annotate(principle_name=_translated("ratings__principle__name"))
        .order_by(
            "initiative_id",
            "assessed_on",
            "id",
            "ratings__principle__order",
            "ratings__principle__code",
        )
        .values_list(*EXPORT_FIELDS)
        .iterator(chunk_size=2000)
    )


# --- what waits for the assessors -------------------------------------------------------------

ASSESSMENT_DUE_AFTER_DAYS = 365  # a latest assessment older than this is due again


@dataclass
class AssessmentWorklist:
    """What waits for a municipality's assessors, oldest first in each list."""

    drafts: list[Assessment]  # to finalise
    never_assessed: list[Initiative]  # no final assessment and no draft either
    due_again: Sequence[Initiative]  # latest final assessment over a year old, no draft started


def assessment_worklist(municipality: Municipality) -> AssessmentWorklist:
    """Drafts, never-assessed and long-ago-assessed initiatives, in three queries."""
    drafts = list(
        Assessment.objects.filter(municipality=municipality, status=AssessmentStatus.DRAFT)
        .select_related("initiative", "assessor")
        .order_by("assessed_on", "id")
    )
    with_draft = {draft.initiative_id for draft in drafts}
    initiatives = municipality.initiatives.exclude(pk__in=with_draft).order_by("created_at", "id")
    never_assessed = list(initiatives.exclude(assessments__status=AssessmentStatus.FINAL))
    due_before = timezone.localdate() - datetime.timedelta(days=ASSESSMENT_DUE_AFTER_DAYS)
    latest = Assessment.objects.filter(initiative=OuterRef("pk"), is_latest=True)
    due_again = list(
        initiatives.annotate(last_assessed_on=Subquery(latest.values("assessed_on")[:1]))
        .filter(last_assessed_on__lt=due_before)
        .order_by("last_assessed_on", "id")
    )
    return AssessmentWorklist(drafts=drafts, never_assessed=never_assessed, due_again=due_again)
