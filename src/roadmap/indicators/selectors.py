"""Reads for indicator pages. Each page costs a fixed number of queries whatever the data size:
indicators, this municipality's observations, its targets and its mapping are each one query,
and nothing is computed per request for other municipalities except the one indicator compared.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Choices, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.framework.models import ActionArea, Purpose
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import is_member

from . import scoring
from .imports import CodeBook, IndicatorInfo
from .models import (
    Dimension,
    Direction,
    Granularity,
    ImportBatch,
    Indicator,
    InitiativeIndicator,
    Level,
    MappingAdjustment,
    NationalConcept,
    Observation,
    Quality,
    Target,
)
from .sparklines import sparkline

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _concept_uri(**match: Any) -> Subquery:
    return Subquery(
        NationalConcept.objects.filter(indicator=OuterRef("indicator"), **match).values("uri")[:1]
    )


def indicator_concept_uri() -> Subquery:
    """The URI of the KS concept of a row's whole indicator (None where KS has none or only
    splits it into sub-indicators), as an annotation: no query of its own."""
    return _concept_uri(series="")


def observation_concept_uri() -> Coalesce:
    """The URI of the KS concept of an observation's series, else of its whole indicator."""
    return Coalesce(_concept_uri(series=OuterRef("series")), indicator_concept_uri())


POINT_FIELDS = (
    "indicator_id",
    "series",
    "granularity",
    "period",
    "value",
    "quality",
    "verified",
    "source",
)


def format_number(value: float) -> str:
    """Up to two decimals, trailing zeros dropped, thousands grouped, in the active language's
    marks (as floatformat's "g" writes them).

    Profiles format a few hundred numbers per page; this costs a fraction of floatformat."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.translate(_marks(get_language()))


@lru_cache(maxsize=16)
def _marks(language: str | None) -> dict[int, str]:
    """Python's "," and "." to the language's thousand and decimal separators."""
    return str.maketrans(
        {
            ",": str(get_format("THOUSAND_SEPARATOR", language)),
            ".": str(get_format("DECIMAL_SEPARATOR", language)),
        }
    )


@lru_cache(maxsize=16)
def _choice_labels(choices: type[Choices], language: str | None) -> dict[str, str]:
    """value → label of a choices class in one language: translated once, not once per row."""
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[Choices], value: str) -> str:
    return _choice_labels(choices, get_language()).get(value, value)


def indicators_for(municipality: Municipality | None) -> QuerySet[Indicator]:
    """The shared catalogue plus the municipality's own indicators."""
    scope = Q(municipality__isnull=True)
    if municipality is not None:
        scope |= Q(municipality=municipality)
    return Indicator.objects.filter(scope).select_related("category")


def indicator_by_slug(municipality: Municipality | None, slug: str) -> Indicator:
    return get_object_or_404(indicators_for(municipality), slug=slug)


def own_indicator(municipality: Municipality, slug: str) -> Indicator:
    """One of the municipality's own indicators; 404 for catalogue and others' indicators."""
    return get_object_or_404(
        Indicator.objects.select_related("category"), municipality=municipality, slug=slug
    )


def own_indicator_dependants(indicator: Indicator) -> dict[str, int]:
    """What goes when an own indicator is deleted (three queries)."""
    return {
        "observations": indicator.observations.count(),
        "targets": indicator.targets.count(),
        "initiative_links": indicator.claims.count(),
    }


def observations_of(municipality: Municipality, indicator: Indicator) -> QuerySet[Observation]:
    """The municipality's observations of one indicator, newest first."""
    return Observation.objects.filter(municipality=municipality, indicator=indicator).order_by(
        "-period", "series", "granularity"
    )


def indicator_lookup(municipality: Municipality) -> CodeBook:
    """Every name an import may give an indicator → what validation needs (three queries):
    code and slug, its English and Norwegian name (a statistics office's variable), KS's
    concept URIs and its notations where they differ from the code, and the sub-indicators."""
    book = CodeBook()
    indicators = list(
        indicators_for(municipality).prefetch_related("sub_indicators", "national_concepts")
    )
    infos = [IndicatorInfo.of(indicator) for indicator in indicators]
    # Codes and slugs first: no other name may take one of them.
    for indicator, info in zip(indicators, infos, strict=True):
        book.add_indicator(info, indicator.slug)
    for indicator, info in zip(indicators, infos, strict=True):
        parts = {sub.series: info.add_part(sub) for sub in indicator.sub_indicators.all()}
        # The name in English and Norwegian (modeltranslation's fields).
        for name in (getattr(indicator, "name_en", ""), getattr(indicator, "name_nb", "")):
            if name:
                book.add(name, info)
        for concept in indicator.national_concepts.all():
            target = parts.get(concept.series, info)
            book.add(concept.uri, target)
            book.add(concept.notation, target)
    return book


class Point(NamedTuple):
    # A tuple: a profile builds about a thousand of these per request.
    period: datetime.date
    granularity: str
    value: float
    quality: str
    verified: bool
    source: str

    @property
    def display(self) -> str:
        return format_number(self.value)

    @property
    def quality_label(self) -> str:
        return choice_label(Quality, self.quality) if self.quality else "—"

    @property
    def label(self) -> str:
        text = self.period.isoformat()
        if self.granularity == Granularity.YEAR:
            return text[:4]
        if self.granularity == Granularity.MONTH:
            return text[:7]
        return text


@dataclass(frozen=True, slots=True)
class RowCells:
    """One table row's text, worked out once in Python: a profile has a hundred rows, and each
    attribute or filter looked up in a template costs more than computing it here."""

    slug: str
    name: str
    series: str
    code_level: str
    value: str  # "" when nothing is reported
    period: str
    sparkline: str
    trend: str
    target: str  # "" without a target
    band: str  # "" when not scored
    band_colour: str
    context_only: bool
    progress: str
    quality: str
    unverified: bool


@dataclass
class IndicatorRow:
    indicator: Indicator
    series: str
    points: list[Point]
    target: Target | None

    # Cached: templates read each of these several times per row.
    @cached_property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @cached_property
    def score(self) -> scoring.Score:
        if self.latest is None:
            return scoring.NO_SCORE
        return scoring.score(self.latest.value, self.indicator, self.target)

    @cached_property
    def sparkline(self) -> SafeString:
        return sparkline(
            [point.value for point in self.points[-11:]],
            self.target.target_value if self.target else None,
        )

    @property
    def target_display(self) -> str:
        return format_number(self.target.target_value) if self.target else ""

    @cached_property
    def cells(self) -> RowCells:
        indicator, latest, score = self.indicator, self.latest, self.score
        return RowCells(
            slug=indicator.slug,
            name=indicator.name,
            series=self.series,
            code_level=f"{indicator.code} · {choice_label(Level, indicator.level)}",
            value=f"{latest.display} {indicator.unit}" if latest else "",
            period=latest.label if latest else "",
            sparkline=self.sparkline if latest else "",
            trend=self.trend_text if latest else "",
            target=f"{self.target_display} ({self.target.target_year})" if self.target else "",
            band=f"{score.achievement_percent} % · {score.band_label}" if score.band else "",
            band_colour=score.band_colour,
            context_only=indicator.direction == Direction.CONTEXT,
            progress="" if score.progress is None else f"{score.progress_percent} %",
            quality=latest.quality_label if latest else "",
            unverified=latest is not None and not latest.verified,
        )

    @property
    def trend_text(self) -> str:
        """The sparkline in words, for screen readers."""
        first, last = self.points[0], self.points[-1]
        return _("From %(first_value)s in %(first)s to %(last_value)s in %(last)s") % {
            "first_value": first.display,
            "first": first.label,
            "last_value": last.display,
            "last": last.label,
        }


def _series_points(
    municipality: Municipality, indicator_ids: Iterable[int] | None = None
) -> dict[tuple[int, str], list[Point]]:
    """(indicator id, series) → points in time order, for one municipality (one query)."""
    observations = Observation.objects.filter(municipality=municipality)
    if indicator_ids is not None:
        observations = observations.filter(indicator_id__in=indicator_ids)
    series: dict[tuple[int, str], list[Point]] = defaultdict(list)
    for (
        indicator_id,
        name,
        granularity,
        period,
        value,
        quality,
        verified,
        source,
    ) in observations.order_by("indicator_id", "series", "period").values_list(*POINT_FIELDS):
        series[(indicator_id, name)].append(
            Point(period, granularity, value, quality, verified, source)
        )
    return series


# What pages show and score with; the timestamps are left out of these read-only lists.
TARGET_FIELDS = ("indicator_id", "baseline_value", "baseline_year", "target_value", "target_year")


def targets_of(municipality: Municipality) -> dict[int, Target]:
    """indicator id → target, for display (not for saving: only TARGET_FIELDS are loaded)."""
    return {
        target.indicator_id: target
        for target in Target.objects.filter(municipality=municipality).only(*TARGET_FIELDS)
    }


def target_for(municipality: Municipality, indicator: Indicator) -> Target | None:
    return Target.objects.filter(municipality=municipality, indicator=indicator).first()


def _rows(
    indicators: Iterable[Indicator],
    series: dict[tuple[int, str], list[Point]],
    targets: dict[int, Target],
) -> list[IndicatorRow]:
    names_by_indicator: dict[int, list[str]] = defaultdict(list)
    for indicator_id, name in series:
        names_by_indicator[indicator_id].append(name)
    rows = []
    for indicator in indicators:
        for name in sorted(names_by_indicator.get(indicator.pk, [""])):
            rows.append(
                IndicatorRow(
                    indicator, name, series.get((indicator.pk, name), []), targets.get(indicator.pk)
                )
            )
    return rows


def mapping(municipality: Municipality) -> dict[int, tuple[set[int], set[int]]]:
    """indicator id → (purpose ids, action area ids): the municipality's adjustment where it
    made one, the catalogue's default otherwise (four queries)."""
    result: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for indicator_id, purpose_id in Indicator.purposes.through.objects.values_list(
        "indicator_id", "purpose_id"
    ):
        result[indicator_id][0].add(purpose_id)
    for indicator_id, area_id in Indicator.action_areas.through.objects.values_list(
        "indicator_id", "actionarea_id"
    ):
        result[indicator_id][1].add(area_id)
    adjusted: dict[int, tuple[set[int], set[int]]] = {}
    for adjustment in MappingAdjustment.objects.filter(municipality=municipality).prefetch_related(
        "purposes", "action_areas"
    ):
        adjusted[adjustment.indicator_id] = (
            {purpose.pk for purpose in adjustment.purposes.all()},
            {area.pk for area in adjustment.action_areas.all()},
        )
    result.update(adjusted)
    return result


@dataclass
class Group:
    """Rows under one heading (a dimension, a category, a purpose) with their roll-up."""

    key: str
    label: StrOrPromise
    rows: list[IndicatorRow] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)

    @cached_property
    def roll_up(self) -> scoring.RollUp:
        return scoring.roll_up(row.score for row in self.all_rows)

    @cached_property
    def all_rows(self) -> list[IndicatorRow]:
        return self.rows + [row for child in self.children for row in child.all_rows]

    @cached_property
    def reported(self) -> int:
        return sum(1 for row in self.all_rows if row.points)


@dataclass
class Profile:
    municipality: Municipality
    dimensions: list[Group]
    purposes: list[Group]
    action_areas: list[Group]

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for group in self.dimensions for row in group.all_rows]


def _group_by_category(rows: Sequence[IndicatorRow]) -> list[Group]:
    groups: dict[int, Group] = {}
    for row in rows:
        category = row.indicator.category
        groups.setdefault(category.pk, Group(category.code, category.name)).rows.append(row)
    return list(groups.values())


def city_profile(municipality: Municipality, *, core_only: bool = False) -> Profile:
    indicators = list(indicators_for(municipality))
    if core_only:
        indicators = [indicator for indicator in indicators if indicator.level != "advanced"]
    series = _series_points(municipality)
    targets = targets_of(municipality)
    rows = _rows(indicators, series, targets)
    dimensions = [
        Group(
            code,
            label,
            children=_group_by_category([r for r in rows if r.indicator.dimension == code]),
        )
        for code, label in Dimension.choices
    ]
    links = mapping(municipality)
    purposes = [
        Group(
            purpose.code,
            purpose.name,
            rows=[r for r in rows if purpose.pk in links[r.indicator.pk][0]],
        )
        for purpose in Purpose.objects.all()
    ]
    areas = [
        Group(area.code, area.name, rows=[r for r in rows if area.pk in links[r.indicator.pk][1]])
        for area in ActionArea.objects.all()
    ]
    return Profile(municipality, dimensions, purposes, areas)


def purpose_view(municipality: Municipality, purpose: Purpose) -> Group:
    links = mapping(municipality)
    indicators = [i for i in indicators_for(municipality) if purpose.pk in links[i.pk][0]]
    rows = _rows(
        indicators,
        _series_points(municipality, [indicator.pk for indicator in indicators]),
        targets_of(municipality),
    )
    return Group(purpose.code, purpose.name, children=_group_by_category(rows))


@dataclass
class IndicatorPage:
    indicator: Indicator
    rows: list[IndicatorRow]
    target: Target | None
    # (municipality name, latest yearly value, its year) for every municipality publishing it
    others: list[tuple[str, float, int]]
    claims: list[InitiativeIndicator]
    # The KS vocabulary's concepts of the indicator: the whole KPI or its sub-indicators.
    concepts: list[NationalConcept]


def latest_by_municipality(indicator: Indicator) -> list[tuple[str, float, int]]:
    """(municipality name, newest yearly value, its year) of every municipality that publishes
    the whole indicator, by name (one query; plain values, as there can be hundreds)."""
    latest: dict[int, tuple[str, float, int]] = {}
    for municipality_id, name, value, period in (
        Observation.objects.filter(indicator=indicator, series="", granularity=Granularity.YEAR)
        .order_by("municipality_id", "period")
        .values_list("municipality_id", "municipality__name", "value", "period")
    ):
        latest[municipality_id] = (name, value, period.year)
    return sorted(latest.values())


def claims_visible_to(
    user: User | AnonymousUser, municipality: Municipality, indicator: Indicator
) -> list[InitiativeIndicator]:
    claims = InitiativeIndicator.objects.filter(
        indicator=indicator, initiative__municipality=municipality
    ).select_related("initiative")
    if not is_member(user, municipality):
        claims = claims.filter(initiative__visibility="public")
    return list(claims.order_by("initiative__title"))


def indicator_page(
    municipality: Municipality, indicator: Indicator, user: User | AnonymousUser
) -> IndicatorPage:
    target = target_for(municipality, indicator)
    series = _series_points(municipality, [indicator.pk])
    rows = _rows([indicator], series, {indicator.pk: target} if target else {})
    return IndicatorPage(
        indicator,
        rows,
        target,
        latest_by_municipality(indicator),
        claims_visible_to(user, municipality, indicator),
        list(NationalConcept.objects.filter(indicator=indicator)),
    )


@dataclass(frozen=True, slots=True)
class CompareCell:
    """One municipality's latest value of one indicator as the comparison table shows it;
    "" where there is nothing to show."""

    score: scoring.Score
    value: str = ""
    period: str = ""
    band: str = ""
    band_colour: str = ""
    unverified: bool = False

    @classmethod
    def of(cls, point: Point | None, score: scoring.Score) -> CompareCell:
        if point is None:
            return cls(score)
        band = f"{score.achievement_percent} % · {score.band_label}" if score.band else ""
        return cls(score, point.display, point.label, band, score.band_colour, not point.verified)


@dataclass
class Comparison:
    municipalities: list[Municipality]
    # indicator → one cell per municipality
    table: list[tuple[Indicator, list[CompareCell]]]
    # dimension label → one roll-up per municipality
    dimensions: list[tuple[StrOrPromise, list[scoring.RollUp]]]


def compare(municipalities: Sequence[Municipality]) -> Comparison:
    """Latest whole-indicator values and scores of 2–6 municipalities, core KPIs (3 queries)."""
    indicators = list(indicators_for(None).filter(level="core"))
    ids = [municipality.pk for municipality in municipalities]
    newest: dict[tuple[int, int], list[Any]] = {}
    for municipality_id, indicator_id, *point in (
        Observation.objects.filter(municipality_id__in=ids, indicator__in=indicators, series="")
        .order_by("period")
        .values_list(
            "municipality_id",
            "indicator_id",
            "period",
            "granularity",
            "value",
            "quality",
            "verified",
            "source",
        )
    ):
        newest[(municipality_id, indicator_id)] = point  # the later period wins
    latest = {key: Point(*point) for key, point in newest.items()}
    targets = {
        (target.municipality_id, target.indicator_id): target
        for target in Target.objects.filter(municipality_id__in=ids, indicator__in=indicators).only(
            "municipality_id", *TARGET_FIELDS
        )
    }
    table = []
    for indicator in indicators:
        cells = []
        for municipality in municipalities:
            point = latest.get((municipality.pk, indicator.pk))
            target = targets.get((municipality.pk, indicator.pk))
            cells.append(
                CompareCell.of(
                    point,
                    scoring.score(point.value, indicator, target) if point else scoring.NO_SCORE,
                )
            )
        table.append((indicator, cells))
    dimensions: list[tuple[StrOrPromise, list[scoring.RollUp]]] = [
        (
            label,
            [
                scoring.roll_up(
                    cells[index].score for indicator, cells in table if indicator.dimension == code
                )
                for index in range(len(municipalities))
            ],
        )
        for code, label in Dimension.choices
    ]
    return Comparison(list(municipalities), table, dimensions)


def municipalities_publishing() -> QuerySet[Municipality]:
    """Municipalities with at least one observation, for the comparison form."""
    # EXISTS probes the observation index per municipality instead of scanning every row.
    # Only what the form and the comparison show: the list can hold hundreds.
    return (
        Municipality.objects.filter(Exists(Observation.objects.filter(municipality=OuterRef("pk"))))
        .only("pk", "slug", "name")
        .order_by("name")
    )


@dataclass
class InitiativeIndicators:
    claims: list[tuple[InitiativeIndicator, IndicatorRow]]


def initiative_indicators(initiative: Initiative) -> InitiativeIndicators:
    """The indicators an initiative claims, with the municipality's trend for each (3 queries)."""
    claims = list(initiative.indicator_claims.select_related("indicator__category"))
    municipality = initiative.municipality
    series = _series_points(municipality, [claim.indicator_id for claim in claims])
    targets = {
        target.indicator_id: target
        for target in Target.objects.filter(
            municipality=municipality, indicator_id__in=[claim.indicator_id for claim in claims]
        )
    }
    return InitiativeIndicators(
        [(claim, row) for claim in claims for row in _rows([claim.indicator], series, targets)[:1]]
    )


def import_batches(municipality: Municipality) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.filter(municipality=municipality)
        .select_related("uploaded_by")
        .defer("columns", "problems")
    )
