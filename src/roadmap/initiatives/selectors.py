from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from roadmap.accounts.models import User
from roadmap.framework.models import ActionArea, Barrier, Principle
from roadmap.municipalities import permissions
from roadmap.municipalities.models import Municipality

from .models import (
    BarrierEncounter,
    Initiative,
    Lesson,
    Partner,
    Sector,
    Visibility,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def visible_initiatives(
    municipality: Municipality, user: User | AnonymousUser
) -> QuerySet[Initiative]:
    """Initiatives of a municipality that this user may read: all for members, public otherwise.
    Read through the municipality's manager, so each initiative knows its municipality."""
    queryset = municipality.initiatives.all()
    if not permissions.is_member(user, municipality):
        queryset = queryset.filter(visibility=Visibility.PUBLIC)
    return queryset


def recent_initiatives_for(
    municipality: Municipality, user: User | AnonymousUser, limit: int = 8
) -> list[Initiative]:
    return list(visible_initiatives(municipality, user).order_by("-updated_at", "-id")[:limit])


def principles_in_scope(municipality: Municipality) -> QuerySet[Principle]:
    """The shared principles and this municipality's local ones, shared first."""
    return Principle.objects.filter(
        Q(municipality__isnull=True) | Q(municipality=municipality)
    ).order_by("municipality_id", "order", "code")


def barriers_in_scope(municipality: Municipality) -> QuerySet[Barrier]:
    """The shared barrier catalogue and this municipality's own barriers, by category."""
    return (
        Barrier.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality))
        .select_related("category")
        .order_by("category__order", "category__code", "municipality_id", "order", "code")
    )


def filter_initiatives(
    queryset: QuerySet[Initiative], filters: dict[str, Any]
) -> QuerySet[Initiative]:
    """Apply the portfolio filters. Related filters use EXISTS so no initiative is repeated."""
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("action_area"):
        queryset = queryset.filter(
            Exists(
                Initiative.action_areas.through.objects.filter(
                    initiative=OuterRef("pk"), actionarea=filters["action_area"]
                )
            )
        )
    if filters.get("purpose"):
        queryset = queryset.filter(
            Exists(
                Initiative.purposes.through.objects.filter(
                    initiative=OuterRef("pk"), purpose=filters["purpose"]
                )
            )
        )
    if filters.get("principle"):
        queryset = queryset.filter(
            Exists(
                Initiative.principles.through.objects.filter(
                    initiative=OuterRef("pk"), principle=filters["principle"]
                )
            )
        )
    if filters.get("sector"):
        queryset = queryset.filter(
            Exists(Partner.objects.filter(initiative=OuterRef("pk"), sector=filters["sector"]))
        )
    if filters.get("text"):
        queryset = queryset.filter(
            Q(title__icontains=filters["text"]) | Q(summary__icontains=filters["text"])
        )
    return queryset


def initiative_list(
    municipality: Municipality, user: User | AnonymousUser, filters: dict[str, Any]
) -> QuerySet[Initiative]:
    """One page's worth of rows costs two queries: the rows and their action areas."""
    return filter_initiatives(visible_initiatives(municipality, user), filters).prefetch_related(
        Prefetch("action_areas", queryset=ActionArea.objects.order_by("order", "code"))
    )


def initiative_detail(
    municipality: Municipality, user: User | AnonymousUser, pk: int
) -> Initiative:
    """An initiative with everything its page shows; 404 if this user may not read it."""
    queryset = visible_initiatives(municipality, user).prefetch_related(
        "action_areas",
        "purposes",
        Prefetch("principles", queryset=Principle.objects.order_by("municipality_id", "order")),
        "partners",
        "pilots",
        Prefetch(
            "barriers_met",
            queryset=BarrierEncounter.objects.select_related("barrier__category"),
        ),
        Prefetch("lessons", queryset=Lesson.objects.select_related("author")),
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class SectorGroup:
    sector: str
    label: StrOrPromise
    partners: list[Partner]


def partners_by_sector(initiative: Initiative) -> list[SectorGroup]:
    """The (prefetched) partners grouped by sector, sectors in their defined order."""
    partners = list(initiative.partners.all())
    groups = [
        SectorGroup(sector, label, [p for p in partners if p.sector == sector])
        for sector, label in Sector.choices
    ]
    return [group for group in groups if group.partners]


def initiatives_addressing(
    principle: Principle, user: User | AnonymousUser, municipality: Municipality | None = None
) -> QuerySet[Initiative]:
    """Initiatives that address a principle, most recently updated first.

    Without a municipality: public initiatives of every municipality. With one: that
    municipality's initiatives, internal ones included for its members. The filter runs on the
    principle link table (indexed by principle) and the order matches the initiative indexes,
    so a page costs the same whatever the number of initiatives.
    """
    queryset = Initiative.objects.filter(principles=principle)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    if municipality is None or not permissions.is_member(user, municipality):
        queryset = queryset.filter(visibility=Visibility.PUBLIC)
    return queryset.select_related("municipality").order_by("-updated_at", "-id")
