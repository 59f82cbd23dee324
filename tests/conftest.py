import pytest
from django.core.management import call_command

from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the shipped roadmap framework, as a real installation does."""
    with django_db_blocker.unblock():
        call_command("load_framework", verbosity=0)
        call_command("load_indicators", verbosity=0)
        call_command("load_national_vocabulary", "--shipped", verbosity=0)


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Fjordvik", slug="fjordvik")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Elvdal", slug="elvdal")


def member(municipality, role):
    return MembershipFactory(municipality=municipality, role=role).user


@pytest.fixture
def editor(municipality):
    return member(municipality, "editor")


@pytest.fixture
def assessor(municipality):
    return member(municipality, "assessor")


@pytest.fixture
def administrator(municipality):
    return member(municipality, "administrator")


@pytest.fixture
def outsider(other_municipality):
    """An editor of another municipality."""
    return member(other_municipality, "editor")


@pytest.fixture
def participant(db):
    """A signed-in user with no role anywhere."""
    return UserFactory()
