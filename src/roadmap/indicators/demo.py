"""Synthetic indicator data for the demo: every core U4SSC KPI for 2015–2025 in Fjordvik,
its neighbour Solbacka and three more fictional municipalities, with targets for 2030.

The numbers are made up (labelled so in every observation's source) but plausible for a Nordic
municipality: each KPI has a typical 2015 and 2025 level in data/demo.yaml (read and checked
against SCHEMA before anything is written), and each municipality is a little ahead or behind
with its own noise, all from one seeded generator, so two builds give the same data. Fjordvik
improves on most KPIs and lags on a few, so its profile tells a story.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction

from roadmap.core.datafiles import (
    Choice,
    Integer,
    ListOf,
    MappingOf,
    Number,
    Record,
    Reference,
    Text,
    load,
)
from roadmap.initiatives.models import Initiative, Visibility
from roadmap.municipalities.demo import PUBLISHER_SCHEMA, PublisherSpec
from roadmap.municipalities.models import Country, Membership, Municipality, Role

from . import services
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

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
IMPORTS_DIR = DATA_FILE.parent / "demo_imports"
SEED = 5
FIRST_YEAR, LAST_YEAR, TARGET_YEAR = 2015, 2025, 2030
# Marks every synthetic observation, so it is never taken for real statistics.
SOURCE = "Synthetic demo data (not real statistics)"
# Years after this one are still unverified in the demo, as fresh data usually is.
VERIFIED_UNTIL = 2023


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    slug: str
    country: str
    population: int
    currency: str
    publisher: PublisherSpec


@dataclass(frozen=True)
class DemoImports:
    region_code: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorData:
    municipalities: tuple[MunicipalitySpec, ...]
    description: str
    # KPI code → typical values in FIRST_YEAR and LAST_YEAR.
    levels: dict[str, tuple[float, float]]
    # KPIs on which the demo municipality lags behind the typical trend.
    lagging: tuple[str, ...]
    imports: DemoImports


SCHEMA = Record(
    IndicatorData,
    {
        "municipalities": ListOf(
            Record(
                MunicipalitySpec,
                {
                    "name": Text(),
                    "slug": Text(),
                    "country": Choice(Country),
                    "population": Integer(minimum=0),
                    "currency": Text(),
                    "publisher": PUBLISHER_SCHEMA,
                },
                label="slug",
            )
        ),
        "description": Text(),
        "levels": MappingOf(Reference("core KPI"), ListOf(Number(), min_items=2, max_items=2)),
        "lagging": ListOf(Reference("core KPI")),
        "imports": Record(
            DemoImports,
            {"region_code": Text(), "files": ListOf(Reference("demo import file"))},
        ),
    },
)


def demo_data() -> IndicatorData:
    """The indicator data file, checked completely (DataFileError names every problem)."""
    core = Indicator.objects.filter(level=Level.CORE).values_list("code", flat=True)
    files = [path.name for path in IMPORTS_DIR.glob("*.csv")]
    return load(DATA_FILE, SCHEMA, lambda data: {"core KPI": core, "demo import file": files})


def _clamp(value: float, indicator: Indicator) -> float:
    if indicator.min_value is not None:
        value = max(value, indicator.min_value)
    if indicator.max_value is not None:
        value = min(value, indicator.max_value)
    return value


def _extra_municipalities(data: IndicatorData) -> list[Municipality]:
    Municipality.objects.filter(slug__in=[spec.slug for spec in data.municipalities]).delete()
    return Municipality.objects.bulk_create(
        Municipality(
            name=spec.name,
            slug=spec.slug,
            country=spec.country,
            population=spec.population,
            currency=spec.currency,
            languages=["nb" if spec.country == "NO" else "sv", "en"],
            description=data.description,
            **asdict(spec.publisher),
        )
        for spec in data.municipalities
    )


def _series(
    rng: random.Random,
    indicator: Indicator,
    typical: tuple[float, float],
    offset: float,
    pace: float,
) -> list[tuple[int, float]]:
    start, end = typical
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


def _target(
    indicator: Indicator,
    municipality: Municipality,
    typical: tuple[float, float],
    values: list[tuple[int, float]],
):
    """A 2030 target a bit beyond the latest value, in the better direction."""
    baseline, latest = values[0][1], values[-1][1]
    typical_start, typical_end = typical
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
def build_indicator_demo(
    *, municipality: Municipality, neighbours=(), data: IndicatorData | None = None
) -> list[Municipality]:
    """Observations and targets for `municipality`, `neighbours` and the data file's extra
    fictional municipalities; claims for a few of `municipality`'s public initiatives. Returns
    the municipalities with data."""
    data = data or demo_data()
    rng = random.Random(SEED)
    municipalities = [municipality, *neighbours, *_extra_municipalities(data)]
    core = list(Indicator.objects.filter(level=Level.CORE, code__in=data.levels).order_by("order"))
    observations, targets = [], []
    for place in municipalities:
        offset = rng.uniform(-0.08, 0.08)
        for indicator in core:
            pace = rng.uniform(0.7, 1.3)
            if place.pk == municipality.pk and indicator.code in data.lagging:
                pace = 0.2
            typical = data.levels[indicator.code]
            values = _series(rng, indicator, typical, offset, pace)
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
            targets.append(_target(indicator, place, typical, values))
    Observation.objects.bulk_create(observations, batch_size=2000)
    Target.objects.bulk_create(targets)
    _claims(rng, municipality, core)
    _imports(municipality, data.imports)
    return municipalities


def _imports(municipality: Municipality, imports: DemoImports) -> None:
    """The demo files, imported by one of the municipality's editors through the import's
    preview and commit, so their reports show how each code and region was read."""
    municipality.region_code = imports.region_code
    municipality.save(update_fields=["region_code"])
    # The editor does it, as in a real municipality; an administrator if there is none.
    members = Membership.objects.filter(
        municipality=municipality, role__in=[Role.EDITOR, Role.ADMINISTRATOR]
    ).select_related("user")
    member = min(members, key=lambda member: (member.role != Role.EDITOR, member.pk), default=None)
    if member is None:
        return
    editor = member.user
    for name in imports.files:
        batch = services.preview_import(
            actor=editor,
            municipality=municipality,
            filename=name,
            data=(IMPORTS_DIR / name).read_bytes(),
        )
        services.commit_import(actor=editor, batch=batch)
        Observation.objects.filter(batch=batch).update(source=f"{SOURCE}, {name}")


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
