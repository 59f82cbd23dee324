"""Reads of the roadmap framework. Views and other apps go through these."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from roadmap.core.models import AuditEvent
from roadmap.municipalities.models import Municipality

from .models import ActionArea, Barrier, BarrierCategory, Principle, Purpose, Value


@dataclass
class FrameworkOverview:
    values: list[Value]
    purposes: list[Purpose]
    action_areas: list[ActionArea]


def framework_overview() -> FrameworkOverview:
    return FrameworkOverview(
        values=list(Value.objects.all()),
        purposes=list(Purpose.objects.all()),
        action_areas=list(ActionArea.objects.all()),
    )


def _ordered_action_areas() -> Prefetch[str, QuerySet[ActionArea]]:
    return Prefetch("action_areas", queryset=ActionArea.objects.order_by("order", "code"))


def principles_for(municipality: Municipality | None = None) -> QuerySet[Principle]:
    """The shared principles plus the municipality's own (shared first), with action areas."""
    scope = Q(municipality__isnull=True)
    if municipality is not None:
        scope |= Q(municipality=municipality)
    return (
        Principle.objects.filter(scope)
        .prefetch_related(_ordered_action_areas())
        .order_by(F("municipality_id").asc(nulls_first=True), "order", "code")
    )


def action_area_by_code(code: str) -> ActionArea:
    """One action area with its shared principles; 404 for an unknown code."""
    shared_principles = Principle.objects.filter(municipality__isnull=True).order_by(
        "order", "code"
    )
    return get_object_or_404(
        ActionArea.objects.prefetch_related(Prefetch("principles", queryset=shared_principles)),
        code=code,
    )


def _principle_details() -> QuerySet[Principle]:
    return Principle.objects.select_related("municipality").prefetch_related(
        _ordered_action_areas(), "guiding_questions", "maturity_levels"
    )


def shared_principle_by_code(code: str) -> Principle:
    """A principle of the shared roadmap with everything its page shows; 404 otherwise."""
    return get_object_or_404(_principle_details(), code=code, municipality__isnull=True)


def municipal_principle_by_code(municipality: Municipality, code: str) -> Principle:
    """A principle as seen by one municipality: shared or its own local one, never another's."""
    return get_object_or_404(
        _principle_details().filter(Q(municipality__isnull=True) | Q(municipality=municipality)),
        code=code,
    )


def local_principle(municipality: Municipality, code: str) -> Principle:
    """One of the municipality's own local principles, for editing; 404 for any other."""
    return get_object_or_404(_principle_details(), code=code, municipality=municipality)


def local_barrier(municipality: Municipality, code: str) -> Barrier:
    return get_object_or_404(
        Barrier.objects.select_related("category"), code=code, municipality=municipality
    )


def barrier_catalogue() -> list[BarrierCategory]:
    """The shared barrier catalogue, category by category."""
    shared = Barrier.objects.filter(municipality__isnull=True).order_by("order", "code")
    return list(
        BarrierCategory.objects.prefetch_related(Prefetch("barriers", queryset=shared)).order_by(
            "order", "code"
        )
    )


def barrier_categories() -> QuerySet[BarrierCategory]:
    return BarrierCategory.objects.order_by("order", "code")


def local_principles(municipality: Municipality) -> QuerySet[Principle]:
    """The municipality's own principles, each with its action areas and rating count."""
    return (
        Principle.objects.filter(municipality=municipality)
        .prefetch_related(_ordered_action_areas())
        .annotate(rating_count=Count("ratings"))
        .order_by("order", "code")
    )


def local_barriers(municipality: Municipality) -> QuerySet[Barrier]:
    return (
        Barrier.objects.filter(municipality=municipality)
        .select_related("category")
        .annotate(encounter_count=Count("encounters"))
        .order_by("category__order", "order", "code")
    )


def municipalities_for_filter() -> QuerySet[Municipality]:
    return Municipality.objects.only("name", "slug").order_by("name")


def local_framework_events(municipality: Municipality, limit: int = 50) -> list[AuditEvent]:
    """Recent changes to the municipality's local principles and barriers, deleted ones too."""
    kinds = ContentType.objects.get_for_models(Principle, Barrier, for_concrete_models=False)
    return list(
        AuditEvent.objects.filter(
            municipality=municipality, subject_content_type__in=kinds.values()
        ).select_related("actor", "content_type")[:limit]
    )
