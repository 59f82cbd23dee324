import pytest

from roadmap.accounts import privacy
from roadmap.accounts.models import User
from roadmap.accounts.privacy import delete_account, export_user_data, register_privacy_provider
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """The apps' providers, restored after the test."""
    monkeypatch.setattr(privacy, "_providers", dict(privacy._providers))


def test_the_apps_register_their_providers_in_installed_apps_order():
    assert list(privacy._providers) == ["participation", "opinions", "workshops"]


def test_a_registered_provider_is_in_the_export_and_erased_before_the_user(registry):
    user = UserFactory(username="sigrid")
    erased = []

    def erase(user, scrubber):
        erased.append((User.objects.filter(pk=user.pk).exists(), scrubber.text("sigrid was here")))

    register_privacy_provider(
        "garden", export=lambda user: {"garden_plots": [user.username]}, erase=erase
    )

    data = export_user_data(user=user)
    delete_account(user=user)

    assert data["garden_plots"] == ["sigrid"]
    assert list(data).index("garden_plots") > list(data).index("workshop_notes")
    assert erased == [(True, f"{privacy.DELETED_PARTICIPANT} was here")]
