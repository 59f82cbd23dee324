"""factory_boy factories shared by all tests."""

import datetime

import factory
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.framework.models import Principle
from roadmap.initiatives.models import Assessment, Initiative, Partner, Rating
from roadmap.municipalities.models import Membership, Municipality


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Municipality {n}")
    slug = factory.Sequence(lambda n: f"municipality-{n}")
    country = "NO"
    population = 25000
    languages = ["nb", "en"]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = "editor"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    summary = "A smart-city initiative made with the people it serves."
    status = "planned"
    visibility = "public"

    @factory.post_generation
    def principles(self, create, extracted, **kwargs):
        if create and extracted:
            self.principles.set(extracted)

    @factory.post_generation
    def action_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.action_areas.set(extracted)

    @factory.post_generation
    def purposes(self, create, extracted, **kwargs):
        if create and extracted:
            self.purposes.set(extracted)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    sector = "business"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    initiative = factory.SubFactory(InitiativeFactory)
    municipality = factory.SelfAttribute("initiative.municipality")
    assessed_on = factory.LazyFunction(datetime.date.today)
    status = "draft"


class FinalAssessmentFactory(AssessmentFactory):
    status = "final"
    finalised_at = factory.LazyFunction(timezone.now)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    assessment = factory.SubFactory(AssessmentFactory)
    principle = factory.Iterator(Principle.objects.filter(municipality__isnull=True))
    level = 2
