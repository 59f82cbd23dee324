"""A new account confirms its e-mail address with a signed, expiring link before it takes part."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from roadmap.accounts import services
from roadmap.accounts.models import User
from roadmap.participation.models import Support
from tests.factories import UserFactory
from tests.participation.factories import PhaseFactory, ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/accounts/confirm/[^/\s]+/)")
NOT_CONFIRMED = "Confirm your e-mail address to take part"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newcomer(client):
    client.post(
        reverse("accounts:signup"),
        {
            "username": "ingrid",
            "email": "ingrid@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "accept_terms": "on",
        },
    )
    return User.objects.get(username="ingrid")


def _link(message) -> str:
    return LINK.search(message.body).group(1)


@pytest.fixture
def proposal(municipality):
    process = ProcessFactory(municipality=municipality, title="Harbour", slug="harbour")
    return ProposalFactory(phase=PhaseFactory(process=process))


def _support(client, proposal):
    return client.post(
        reverse(
            "participation:proposal_support",
            kwargs={
                "municipality": proposal.process.municipality.slug,
                "process": proposal.process.slug,
                "pk": proposal.pk,
            },
        ),
        {"action": "support"},
        follow=True,
    )


def test_an_unconfirmed_account_signs_in_but_cannot_support_until_it_follows_the_link(
    client, newcomer, proposal
):
    assert client.login(username="ingrid", password="a-long-unusual-passphrase")
    refused = _support(client, proposal)
    assert NOT_CONFIRMED in refused.content.decode()
    assert not Support.objects.exists()
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Your e-mail address ingrid@example.org is not confirmed yet" in profile

    confirmed = client.get(_link(mail.outbox[0]), follow=True)
    assert "Your e-mail address is confirmed. You can now take part." in confirmed.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.awaiting_email_confirmation
    _support(client, proposal)
    assert Support.objects.filter(user=newcomer, proposal=proposal).count() == 1


def test_following_the_link_signed_out_leads_to_sign_in(client, newcomer):
    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_an_expired_link_is_refused_and_changes_nothing(client, newcomer, monkeypatch):
    link = _link(mail.outbox[0])
    monkeypatch.setattr(services, "CONFIRMATION_MAX_AGE", datetime.timedelta(seconds=-1))
    response = client.get(link)
    assert response.status_code == 400
    assert "This confirmation link has expired." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.awaiting_email_confirmation


@pytest.mark.parametrize("damage", [lambda link: link[:-5] + "xxxx/", lambda link: link + "x/"])
def test_a_damaged_link_is_refused(client, newcomer, damage):
    response = client.get(damage(_link(mail.outbox[0])))
    assert response.status_code in (400, 404)
    newcomer.refresh_from_db()
    assert newcomer.awaiting_email_confirmation


def test_a_link_for_an_address_no_longer_used_is_refused(client, newcomer):
    link = _link(mail.outbox[0])
    client.force_login(newcomer)
    client.post(
        reverse("accounts:profile"),
        {"display_name": "", "email": "ingrid@elsewhere.example", "language": ""}
        | {"notification_frequency": "immediate"},
    )
    response = client.get(link)
    assert response.status_code == 400
    assert "This confirmation link is not valid" in response.content.decode()
    (second,) = [message for message in mail.outbox if message.to == ["ingrid@elsewhere.example"]]
    client.get(_link(second))
    newcomer.refresh_from_db()
    assert newcomer.email == "ingrid@elsewhere.example"
    assert not newcomer.awaiting_email_confirmation


def test_changing_the_address_of_a_confirmed_account_asks_to_confirm_it_again(client):
    user = UserFactory()
    assert not user.awaiting_email_confirmation  # accounts not made by sign-up are confirmed
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"email": "new@example.org", "notification_frequency": "daily", "language": ""},
        follow=True,
    )
    assert "Follow the link sent to new@example.org to confirm it." in response.content.decode()
    user.refresh_from_db()
    assert user.awaiting_email_confirmation
    assert mail.outbox[-1].to == ["new@example.org"]


def test_a_new_link_can_be_asked_for_a_few_times_an_hour(client, newcomer):
    client.force_login(newcomer)
    url = reverse("accounts:resend_confirmation")
    assert client.get(url).status_code == 405
    for _attempt in range(3):
        response = client.post(url, follow=True)
        assert "A new link was sent to ingrid@example.org." in response.content.decode()
    response = client.post(url, follow=True)
    assert "Several links were sent in the last hour." in response.content.decode()
    assert len(mail.outbox) == 4  # the sign-up's and three more
    client.get(_link(mail.outbox[1]))  # any of them works
    newcomer.refresh_from_db()
    assert not newcomer.awaiting_email_confirmation


def test_asking_for_a_link_needs_sign_in(client):
    response = client.post(reverse("accounts:resend_confirmation"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not mail.outbox
