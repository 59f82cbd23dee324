"""Reads of the open API: only what anyone may read on the pages, each list in a fixed number
of queries whatever its length. The API reads as an anonymous visitor: no internal initiative,
draft process, pending or hidden contribution, draft assessment or voter ever appears."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from roadmap.framework.models import (
    ActionArea,
    Barrier,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
    Value,
)
from roadmap.indicators.models import (
    Indicator,
    InitiativeIndicator,
    NationalConcept,
    Observation,
    Target,
)
from roadmap.indicators.selectors import indicator_concept_uri, observation_concept_uri
from roadmap.initiatives.models import (
    Assessment,
    AssessmentStatus,
    BarrierEncounter,
    Initiative,
    Rating,
)
from roadmap.initiatives.models import Visibility as InitiativeVisibility
from roadmap.municipalities.models import Municipality
from roadmap.opinions.models import OpinionMap, Statement
from roadmap.participation.models import Comment, Phase, Process, Proposal, Visibility
from roadmap.workshops.models import Prompt, Theme, Workshop

# --- the roadmap framework ---------------------------------------------------------------


def values() -> QuerySet[Value]:
    return Value.objects.order_by("order", "code")


def purposes() -> QuerySet[Purpose]:
    return Purpose.objects.order_by("order", "code")


def action_areas() -> QuerySet[ActionArea]:
    return ActionArea.objects.order_by("order", "code")


def principles() -> QuerySet[Principle]:
    """Shared principles first, then every municipality's local ones, with their questions and
    maturity scales."""
    return (
        Principle.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("action_areas", queryset=ActionArea.objects.order_by("order", "code")),
            Prefetch("guiding_questions", queryset=GuidingQuestion.objects.order_by("order", "id")),
            Prefetch("maturity_levels", queryset=MaturityLevel.objects.order_by("level")),
        )
        .order_by("municipality_id", "order", "code", "id")
    )


def barriers() -> QuerySet[Barrier]:
    return Barrier.objects.select_related("category", "municipality").order_by(
        "category__order", "municipality_id", "order", "code", "id"
    )


def shared_or_local(queryset: QuerySet[Any], municipality: Municipality) -> QuerySet[Any]:
    """Rows of the shared roadmap plus this municipality's own."""
    return queryset.filter(Q(municipality__isnull=True) | Q(municipality=municipality))


# --- municipalities and the portfolio ----------------------------------------------------


def municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.annotate(
        public_initiatives=Count(
            "initiatives", filter=Q(initiatives__visibility=InitiativeVisibility.PUBLIC)
        )
    ).order_by("name", "id")


def public_initiatives() -> QuerySet[Initiative]:
    """Public initiatives of every municipality, with what a list row shows."""
    return (
        Initiative.objects.filter(visibility=InitiativeVisibility.PUBLIC)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("action_areas", queryset=ActionArea.objects.only("code")),
            Prefetch("purposes", queryset=Purpose.objects.only("code")),
            Prefetch("principles", queryset=Principle.objects.only("code")),
        )
    )


def _ratings() -> Prefetch[str, QuerySet[Rating]]:
    """Ratings with their principle's code only: a principle row carries every language's
    texts, which a rating does not show."""
    return Prefetch(
        "ratings",
        queryset=Rating.objects.select_related("principle").only(
            "assessment_id", "level", "evidence", "principle__code"
        ),
    )


def _latest_profile() -> Prefetch[str, QuerySet[Assessment]]:
    return Prefetch(
        "assessments",
        queryset=Assessment.objects.filter(is_latest=True).prefetch_related(_ratings()),
        to_attr="latest_assessments",
    )


def public_initiative_details() -> QuerySet[Initiative]:
    """Public initiatives with partners, pilots, barriers met, lessons, indicator links and the
    latest final assessment's ratings."""
    return public_initiatives().prefetch_related(
        "partners",
        "pilots",
        Prefetch(
            "barriers_met",
            queryset=BarrierEncounter.objects.select_related("barrier"),
        ),
        "lessons",
        Prefetch(
            "indicator_claims",
            queryset=InitiativeIndicator.objects.select_related("indicator"),
        ),
        _latest_profile(),
    )


def final_assessments() -> QuerySet[Assessment]:
    """Final assessments of public initiatives, with their ratings."""
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.FINAL,
            initiative__visibility=InitiativeVisibility.PUBLIC,
        )
        .select_related("municipality")
        .prefetch_related(_ratings())
        .order_by("-assessed_on", "-id")
    )


# --- participation -----------------------------------------------------------------------


def published_processes() -> QuerySet[Process]:
    return (
        Process.objects.filter(is_published=True)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("order", "starts_at", "id")),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.filter(visibility=InitiativeVisibility.PUBLIC).only(
                    "id"
                ),
            ),
        )
        .order_by("-created_at", "-id")
    )


def published_phases() -> QuerySet[Phase]:
    return (
        Phase.objects.filter(process__is_published=True)
        .select_related("process__municipality")
        .order_by("process_id", "order", "starts_at", "id")
    )


def published_proposals() -> QuerySet[Proposal]:
    """Proposals shown to everyone; hidden and pending ones never leave the platform here."""
    return Proposal.objects.filter(
        process__is_published=True, visibility=Visibility.PUBLISHED
    ).select_related(
        "process__municipality", "phase", "category", "action_area", "organisation", "initiative"
    )


def published_comments() -> QuerySet[Comment]:
    return Comment.objects.filter(
        proposal__process__is_published=True,
        proposal__visibility=Visibility.PUBLISHED,
        visibility=Visibility.PUBLISHED,
    ).select_related("proposal__process__municipality", "organisation")


# --- deliberation ------------------------------------------------------------------------


def published_workshops() -> QuerySet[Workshop]:
    """Workshops of published processes, each prompt with its synthesis and its themes with the
    number of published notes in each."""
    themes = Theme.objects.annotate(
        note_count=Count("notes", filter=Q(notes__visibility=Visibility.PUBLISHED))
    ).order_by("name", "id")
    prompts = Prompt.objects.select_related("synthesis").prefetch_related(
        Prefetch("themes", queryset=themes)
    )
    return (
        Workshop.objects.filter(phase__process__is_published=True)
        .select_related("phase__process__municipality")
        .prefetch_related(Prefetch("prompts", queryset=prompts.order_by("order", "id")))
        .order_by("id")
    )


def published_opinion_maps() -> QuerySet[OpinionMap]:
    """Computed maps of published processes. The stored result also places each participant;
    the serializer reads only the groups and findings from it."""
    return (
        OpinionMap.objects.filter(phase__process__is_published=True, status=OpinionMap.Status.READY)
        .select_related("phase__process__municipality")
        .order_by("id")
    )


def statements_named_in(maps: Iterable[OpinionMap]) -> dict[int, Statement]:
    """The approved statements these maps' groups and common ground name, in one query."""
    named: set[int] = set()
    phases: set[int] = set()
    for opinion_map in maps:
        phases.add(opinion_map.phase_id)
        result = opinion_map.result or {}
        named.update(item["statement"] for item in result.get("consensus", []))
        for group in result.get("groups", []):
            named.update(item["statement"] for item in group.get("distinguishing", []))
    if not named:
        return {}
    return Statement.objects.filter(phase_id__in=phases, status=Statement.Status.APPROVED).in_bulk(
        named
    )


# --- impact ------------------------------------------------------------------------------


def indicators() -> QuerySet[Indicator]:
    return (
        Indicator.objects.select_related("category", "municipality")
        .prefetch_related(
            Prefetch("purposes", queryset=Purpose.objects.only("code")),
            Prefetch("action_areas", queryset=ActionArea.objects.only("code")),
            Prefetch("national_concepts", queryset=NationalConcept.objects.order_by("series")),
        )
        .order_by("municipality_id", "order", "code", "id")
    )


def observations() -> QuerySet[Observation]:
    """Every observation (they are public), paged by id, with its KS concept's URI."""
    return (
        Observation.objects.select_related("municipality", "indicator")
        .annotate(concept_uri=observation_concept_uri())
        .order_by("id")
    )


def targets() -> QuerySet[Target]:
    return (
        Target.objects.select_related("municipality", "indicator")
        .annotate(concept_uri=indicator_concept_uri())
        .order_by("id")
    )


def scored_targets() -> QuerySet[Target]:
    """Targets with the newest yearly value of their indicator in their municipality, which a
    score is derived from (indicators.scoring)."""
    newest = Observation.objects.filter(
        municipality=OuterRef("municipality"),
        indicator=OuterRef("indicator"),
        series="",
        granularity="year",
    ).order_by("-period")
    return targets().annotate(
        latest_value=Subquery(newest.values("value")[:1]),
        latest_period=Subquery(newest.values("period")[:1]),
    )
