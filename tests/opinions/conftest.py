import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from roadmap.opinions.models import OpinionMap, Statement
from roadmap.participation.models import Audience, Phase
from tests.participation.factories import PhaseFactory, ProcessFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def make_phase(municipality, *, slug="harbour", published=True, **overrides) -> Phase:
    values = {
        "kind": Phase.Kind.OPINION_MAP,
        "propose": Audience.ANYONE,
        "vote": Audience.ANYONE,
        "comment": Audience.NOBODY,
        "support": Audience.NOBODY,
        **overrides,
    }
    process = ProcessFactory(municipality=municipality, slug=slug, is_published=published)
    return PhaseFactory(process=process, **values)


@pytest.fixture
def phase(municipality):
    """An open opinion-map phase in Fjordvik: anyone with an account may add and vote."""
    return make_phase(municipality)


@pytest.fixture
def closed_phase(municipality):
    now = timezone.now()
    return make_phase(
        municipality,
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=1),
    )


def add_statements(phase, count: int, status=Statement.Status.APPROVED) -> list[Statement]:
    OpinionMap.objects.get_or_create(phase=phase)
    return Statement.objects.bulk_create(
        Statement(phase=phase, text=f"Statement number {i}", language="en", status=status)
        for i in range(count)
    )


def url(name: str, phase, **kwargs) -> str:
    return reverse(
        f"opinions:{name}",
        kwargs={
            "municipality": phase.process.municipality.slug,
            "process": phase.process.slug,
            "phase": phase.pk,
            **kwargs,
        },
    )
