import pytest
from django.core.cache import cache

from tests.participation.factories import ProcessFactory
from tests.workshops.factories import PromptFactory, WorkshopFactory, WorkshopPhaseFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phase(municipality):
    process = ProcessFactory(municipality=municipality, slug="harbour")
    return WorkshopPhaseFactory(process=process)


@pytest.fixture
def workshop(phase):
    return WorkshopFactory(phase=phase)


@pytest.fixture
def prompt(workshop):
    return PromptFactory(workshop=workshop, text="What should we take along?")
