import pytest
from django.db.models import RestrictedError

from roadmap.framework.models import Barrier, BarrierCategory, Principle
from roadmap.initiatives.models import BarrierEncounter, Rating
from roadmap.municipalities.models import Municipality
from tests.factories import AssessmentFactory, InitiativeFactory, RatingFactory


@pytest.fixture
def rated_local_principle(municipality):
    principle = Principle.objects.create(
        municipality=municipality,
        code="coast",
        name="Prepare for the coast",
        summary="…",
        source="local",
    )
    barrier = Barrier.objects.create(
        municipality=municipality,
        code="salt",
        name="Salt spray",
        category=BarrierCategory.objects.first(),
    )
    initiative = InitiativeFactory(municipality=municipality)
    RatingFactory(assessment=AssessmentFactory(initiative=initiative), principle=principle)
    BarrierEncounter.objects.create(initiative=initiative, barrier=barrier)
    return principle


@pytest.mark.django_db
def test_a_rated_principle_cannot_be_deleted_on_its_own(rated_local_principle):
    with pytest.raises(RestrictedError):
        rated_local_principle.delete()


@pytest.mark.django_db
def test_deleting_a_municipality_removes_its_local_framework_and_portfolio(
    municipality, rated_local_principle
):
    Municipality.objects.filter(pk=municipality.pk).delete()
    assert not Principle.objects.filter(pk=rated_local_principle.pk).exists()
    assert not Rating.objects.exists()
    assert not Barrier.objects.filter(code="salt").exists()
    # The shared framework stays.
    assert Principle.objects.filter(municipality__isnull=True).count() > 0
