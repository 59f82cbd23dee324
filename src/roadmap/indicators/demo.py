"""Synthetic indicator data for the demo: every core U4SSC KPI for 2015–2025 in Fjordvik,
its neighbour Solbacka and three more fictional municipalities, with targets for 2030.

The numbers are made up (labelled so in every observation's source) but plausible for a Nordic
municipality: each KPI has a typical 2015 and 2025 level below, and each municipality is a
little ahead or behind with its own noise, all from one seeded generator, so two builds give
the same data. Fjordvik improves on most KPIs and lags on a few, so its profile tells a story.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from roadmap.initiatives.models import Initiative, Visibility
from roadmap.municipalities.models import Municipality

from .models import (
    Direction,
    ExpectedEffect,
    Indicator,
    InitiativeIndicator,
    Level,
    Observation,
    Quality,
    Target,
)

SEED = 5
FIRST_YEAR, LAST_YEAR, TARGET_YEAR = 2015, 2025, 2030
SOURCE = "Synthetic demo data (not real statistics)"
# Years after this one are still unverified in the demo, as fresh data usually is.
VERIFIED_UNTIL = 2023
EXTRA_MUNICIPALITIES = (
    ("Havvik kommune", "havvik", "NO", 21_500, "NOK"),
    ("Skogheim kommune", "skogheim", "NO", 54_000, "NOK"),
    ("Myrdal kommun", "myrdal", "SE", 12_800, "SEK"),
)
# Typical values in 2015 and 2025 of each core KPI (synthetic, Nordic scale).
LEVELS: dict[str, tuple[float, float]] = {
    "EC: ICT: ICT: 1C": (92, 98),
    "EC: ICT: ICT: 2C": (78, 93),
    "EC: ICT: ICT: 3C": (95_000, 121_000),
    "EC: ICT: ICT: 4C": (94, 99.5),
    "EC: ICT: ICT: 5C": (12, 46),
    "EC: ICT: WS: 1C": (4, 72),
    "EC: ICT: ES: 1C": (8, 100),
    "EC: ICT: T: 1C": (30, 86),
    "EC: ICT: T: 2C": (18, 55),
    "EC: P: IN: 1C": (1.2, 1.8),
    "EC: P: IN: 2C": (15, 21),
    "EC: P: EM: 1C": (3.9, 2.2),
    "EC: P: EM: 2C": (8.6, 5.3),
    "EC: I: WS: 1C": (99.5, 100),
    "EC: I: WS: 2C": (98.8, 99.8),
    "EC: I: WS: 3C": (32, 24),
    "EC: I: WS: 4C": (87, 93),
    "EC: I: WS: 5C": (99.7, 100),
    "EC: I: WA: 1C": (99.4, 100),
    "EC: I: ES: 1C": (1.9, 1.2),
    "EC: I: ES: 2C": (2.9, 1.6),
    "EC: I: ES: 3C": (99.9, 100),
    "EC: I: T: 1C": (95, 112),
    "EC: I: T: 3C": (40, 76),
    "EN: EN: AQ: 1C": (9.6, 6.4),
    "EN: EN: AQ: 2C": (4.3, 2.9),
    "EN: EN: WS: 1C": (84, 97),
    "EN: EN: WS: 2C": (212, 176),
    "EN: EN: WS: 3C": (98, 95),
    "EN: EN: WS: 4C": (70, 88),
    "EN: EN: WA: 1C": (34, 51),
    "EN: EN: EQ: 1C": (99.6, 100),
    "EN: EN: PSN: 1C": (420, 446),
    "EN: E: E: 1C": (52, 68),
    "EN: E: E: 2C": (24_000, 21_200),
    "EN: E: E: 3C": (22, 17),
    "SC: EH: ED: 1C": (88, 100),
    "SC: EH: ED: 2C": (97.8, 98.9),
    "SC: EH: ED: 3C": (28_000, 34_000),
    "SC: EH: ED: 4C": (98.9, 99.1),
    "SC: EH: H: 1C": (82.1, 83.4),
    "SC: EH: H: 2C": (4.1, 3.2),
    "SC: EH: H: 3C": (420, 478),
    "SC: EH: C: 1C": (3.6, 4.1),
    "SC: SH: HO: 1C": (0.6, 0.4),
    "SC: SH: SI: 1C": (0.86, 0.91),
    "SC: SH: SI: 2C": (0.25, 0.27),
    "SC: SH: SI: 3C": (10.2, 9.1),
    "SC: SH: SI: 4C": (59, 64),
    "SC: SH: SA: 1C": (0.3, 0.1),
    "SC: SH: SA: 2C": (0.12, 0.06),
    "SC: SH: SA: 6C": (160, 174),
    "SC: SH: SA: 7C": (60, 63),
    "SC: SH: SA: 8C": (710, 630),
    "SC: SH: SA: 9C": (2.1, 1.3),
}
# KPIs on which Fjordvik lags behind the typical trend, so its profile has weak spots.
FJORDVIK_LAGS = {"EN: EN: WA: 1C", "EC: I: WS: 3C", "EN: E: E: 2C", "SC: SH: SI: 3C"}


def _clamp(value: float, indicator: Indicator) -> float:
    if indicator.min_value is not None:
        value = max(value, indicator.min_value)
    if indicator.max_value is not None:
        value = min(value, indicator.max_value)
    return value


def _extra_municipalities() -> list[Municipality]:
    Municipality.objects.filter(slug__in=[spec[1] for spec in EXTRA_MUNICIPALITIES]).delete()
    return Municipality.objects.bulk_create(
        Municipality(
            name=name,
            slug=slug,
            country=country,
            population=population,
            currency=currency,
            languages=["nb" if country == "NO" else "sv", "en"],
            description="A fictional municipality with synthetic indicator data, so the demo "
            "can compare municipalities.",
        )
        for name, slug, country, population, currency in EXTRA_MUNICIPALITIES
    )


def _series(
    rng: random.Random, indicator: Indicator, offset: float, pace: float
) -> list[tuple[int, float]]:
    start, end = LEVELS[indicator.code]
    start *= 1 + offset
    end = start + (end * (1 + offset) - start) * pace
    noise = abs(end - start) * 0.06 + abs(start) * 0.005
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    span = LAST_YEAR - FIRST_YEAR
    return [
        (
            year,
            round(
                _clamp(
                    start + (end - start) * (year - FIRST_YEAR) / span + rng.uniform(-noise, noise),
                    indicator,
                ),
                3,
            ),
        )
        for year in years
    ]


def _target(indicator: Indicator, municipality: Municipality, values: list[tuple[int, float]]):
    """A 2030 target a bit beyond the latest value, in the better direction."""
    baseline, latest = values[0][1], values[-1][1]
    typical_start, typical_end = LEVELS[indicator.code]
    step = abs(typical_end - typical_start) * 0.5 or abs(latest) * 0.05
    if indicator.direction == Direction.TARGET:
        assert indicator.ideal_value is not None, "a constraint requires it for target indicators"
        aim = indicator.ideal_value
    else:
        aim = latest - step if indicator.direction == Direction.LOWER else latest + step
    return Target(
        municipality=municipality,
        indicator=indicator,
        baseline_value=baseline,
        baseline_year=FIRST_YEAR,
        target_value=round(_clamp(aim, indicator), 3),
        target_year=TARGET_YEAR,
    )


@transaction.atomic
def build_indicator_demo(*, municipality: Municipality, neighbours=()) -> list[Municipality]:
    """Observations and targets for `municipality`, `neighbours` and three extra fictional
    municipalities; claims for a few of `municipality`'s public initiatives. Returns the
    municipalities with data."""
    rng = random.Random(SEED)
    municipalities = [municipality, *neighbours, *_extra_municipalities()]
    core = list(Indicator.objects.filter(level=Level.CORE, code__in=LEVELS).order_by("order"))
    observations, targets = [], []
    for place in municipalities:
        offset = rng.uniform(-0.08, 0.08)
        for indicator in core:
            pace = rng.uniform(0.7, 1.3)
            if place.pk == municipality.pk and indicator.code in FJORDVIK_LAGS:
                pace = 0.2
            values = _series(rng, indicator, offset, pace)
            for year, value in values:
                observations.append(
                    Observation(
                        municipality=place,
                        indicator=indicator,
                        period=datetime.date(year, 1, 1),
                        value=value,
                        source=SOURCE,
                        quality=Quality.MEASURED if rng.random() < 0.8 else Quality.HIGHER_LEVEL,
                        verified=year <= VERIFIED_UNTIL,
                    )
                )
            targets.append(_target(indicator, place, values))
    Observation.objects.bulk_create(observations, batch_size=2000)
    Target.objects.bulk_create(targets)
    _claims(rng, municipality, core)
    return municipalities


def _claims(rng: random.Random, municipality: Municipality, core: list[Indicator]) -> None:
    """Each public initiative claims two core KPIs that share one of its action areas."""
    areas_of = {
        indicator.pk: {area.pk for area in indicator.action_areas.all()}
        for indicator in Indicator.objects.filter(pk__in=[i.pk for i in core]).prefetch_related(
            "action_areas"
        )
    }
    claims = []
    initiatives = (
        Initiative.objects.filter(municipality=municipality, visibility=Visibility.PUBLIC)
        .prefetch_related("action_areas")
        .order_by("pk")
    )
    for initiative in initiatives:
        areas = {area.pk for area in initiative.action_areas.all()}
        fitting = [indicator for indicator in core if areas_of[indicator.pk] & areas]
        for indicator in rng.sample(fitting, min(2, len(fitting))):
            effect = (
                ExpectedEffect.DECREASE
                if indicator.direction == Direction.LOWER
                else ExpectedEffect.INCREASE
            )
            claims.append(
                InitiativeIndicator(initiative=initiative, indicator=indicator, effect=effect)
            )
    InitiativeIndicator.objects.bulk_create(claims)
