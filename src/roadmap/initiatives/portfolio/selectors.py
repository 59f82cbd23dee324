"""Portfolio aggregates for the dashboard of one municipality.

Each figure is one grouped query in the database, counted over the initiatives the viewer may
see (members: all; everyone else: public ones). No function here loops over initiatives, so the
dashboard costs the same number of queries for 3 initiatives as for 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from roadmap.accounts.models import User
from roadmap.framework.models import ActionArea, BarrierCategory, Principle, Purpose
from roadmap.framework.selectors import principles_for
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import is_member

from ..models import (
    Assessment,
    BarrierEncounter,
    BarrierStatus,
    Initiative,
    Partner,
    Rating,
    Sector,
    Status,
    Visibility,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LEVELS = range(0, 5)
CROSS_SECTOR_MINIMUM = 3
OTHER_BARRIERS = _("Other / not in catalogue")


@dataclass
class SectorCount:
    sector: str
    label: str
    partners: int
    initiatives: int


@dataclass
class PrincipleLevels:
    principle: Principle
    # How many initiatives' latest final assessment rates the principle at level 0, 1, … 4.
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class PortfolioSummary:
    initiatives: int
    by_status: list[tuple[StrOrPromise, int]]
    action_areas: list[ActionArea]
    purposes: list[Purpose]
    # (action area id, purpose id) -> initiatives having both.
    area_purpose: dict[tuple[int, int], int]
    principle_levels: list[PrincipleLevels]
    # Headline figures: budgets added up over the initiatives that give one; "assessed" means
    # having a latest final assessment.
    total_budget: Decimal | None
    budgeted_initiatives: int
    assessed_initiatives: int
    sectors: list[SectorCount]
    initiatives_with_partners: int
    cross_sector_initiatives: int
    open_barriers: list[tuple[str, int]]

    def heat_count(self, action_area: ActionArea, purpose: Purpose) -> int:
        return self.area_purpose.get((action_area.pk, purpose.pk), 0)

    @property
    def assessed_percent(self) -> int | None:
        if not self.initiatives:
            return None
        return round(100 * self.assessed_initiatives / self.initiatives)

    @property
    def mean_maturity(self) -> float | None:
        """The mean level (0–4) of every principle rated in the latest final assessments."""
        ratings = sum(row.total for row in self.principle_levels)
        if not ratings:
            return None
        levels = sum(level * row.counts[level] for row in self.principle_levels for level in LEVELS)
        return round(levels / ratings, 1)


def _initiative_scope(municipality: Municipality, member: bool, prefix: str = "") -> dict[str, Any]:
    """Filter arguments that keep rows of the initiatives this viewer may see."""
    scope: dict[str, Any] = {f"{prefix}municipality": municipality}
    if not member:
        scope[f"{prefix}visibility"] = Visibility.PUBLIC
    return scope


def _by_status(municipality: Municipality, member: bool) -> list[tuple[StrOrPromise, int]]:
    counts = dict(
        Initiative.objects.filter(**_initiative_scope(municipality, member))
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return [(label, counts.get(value, 0)) for value, label in Status.choices]


def _area_purpose(municipality: Municipality, member: bool) -> dict[tuple[int, int], int]:
    rows = (
        Initiative.objects.filter(
            **_initiative_scope(municipality, member),
            action_areas__isnull=False,
            purposes__isnull=False,
        )
        .order_by()
        .values_list("action_areas", "purposes")
        .annotate(count=Count("id", distinct=True))
    )
    return {(area, purpose): count for area, purpose, count in rows}


def _principle_levels(municipality: Municipality, member: bool) -> list[PrincipleLevels]:
    """Levels from each initiative's latest final assessment, per principle."""
    ratings = Rating.objects.filter(
        assessment__municipality=municipality,
        assessment__is_latest=True,  # only final assessments can be the latest
    )
    if not member:
        # Naming the municipality on the initiative too lets the planner use the
        # (municipality, visibility) index instead of scanning every public initiative.
        ratings = ratings.filter(
            assessment__initiative__municipality=municipality,
            assessment__initiative__visibility=Visibility.PUBLIC,
        )
    counts = {
        (principle, level): count
        for principle, level, count in ratings.order_by()
        .values_list("principle", "level")
        .annotate(count=Count("id"))
    }
    principles = principles_for(municipality).prefetch_related(None)
    return [
        PrincipleLevels(principle=p, counts=[counts.get((p.pk, level), 0) for level in LEVELS])
        for p in principles
    ]


def _sectors(municipality: Municipality, member: bool) -> list[SectorCount]:
    counts = {
        sector: (partners, initiatives)
        for sector, partners, initiatives in Partner.objects.filter(
            **_initiative_scope(municipality, member, prefix="initiative__")
        )
        .order_by()
        .values_list("sector")
        .annotate(partners=Count("id"), initiatives=Count("initiative", distinct=True))
    }
    return [
        SectorCount(
            sector=value,
            label=str(label),
            partners=counts.get(value, (0, 0))[0],
            initiatives=counts.get(value, (0, 0))[1],
        )
        for value, label in Sector.choices
    ]


def _budget_and_assessed(municipality: Municipality, member: bool) -> dict[str, Any]:
    latest = Assessment.objects.filter(initiative=OuterRef("pk"), is_latest=True)
    return Initiative.objects.filter(**_initiative_scope(municipality, member)).aggregate(
        total_budget=Sum("budget"),
        budgeted=Count("id", filter=Q(budget__isnull=False)),
        assessed=Count("id", filter=Exists(latest)),
    )


def _partnership_breadth(municipality: Municipality, member: bool) -> dict[str, int]:
    """How many initiatives have partners at all, and from three sectors or more."""
    return (
        Initiative.objects.filter(**_initiative_scope(municipality, member))
        .annotate(sector_count=Count("partners__sector", distinct=True))
        .aggregate(
            with_partners=Count("id", filter=Q(sector_count__gte=1)),
            cross_sector=Count("id", filter=Q(sector_count__gte=CROSS_SECTOR_MINIMUM)),
        )
    )


def _open_barriers(municipality: Municipality, member: bool) -> list[tuple[str, int]]:
    counts = dict(
        BarrierEncounter.objects.filter(
            status=BarrierStatus.OPEN,
            **_initiative_scope(municipality, member, prefix="initiative__"),
        )
        .order_by()
        .values_list("barrier__category")
        .annotate(count=Count("id"))
    )
    rows = [
        (category.name, counts.get(category.pk, 0)) for category in BarrierCategory.objects.all()
    ]
    # Barriers described in free text have no catalogue entry, hence no category.
    rows.append((str(OTHER_BARRIERS), counts.get(None, 0)))
    return rows


def portfolio_summary(municipality: Municipality, user: User | AnonymousUser) -> PortfolioSummary:
    member = is_member(user, municipality)
    by_status = _by_status(municipality, member)
    breadth = _partnership_breadth(municipality, member)
    headline = _budget_and_assessed(municipality, member)
    return PortfolioSummary(
        initiatives=sum(count for _label, count in by_status),
        by_status=by_status,
        action_areas=list(ActionArea.objects.all()),
        purposes=list(Purpose.objects.all()),
        area_purpose=_area_purpose(municipality, member),
        principle_levels=_principle_levels(municipality, member),
        total_budget=headline["total_budget"],
        budgeted_initiatives=headline["budgeted"],
        assessed_initiatives=headline["assessed"],
        sectors=_sectors(municipality, member),
        initiatives_with_partners=breadth["with_partners"],
        cross_sector_initiatives=breadth["cross_sector"],
        open_barriers=_open_barriers(municipality, member),
    )
