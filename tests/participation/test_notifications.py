"""The notifications page, marking them read, choosing how often to be e-mailed."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.accounts.models import User
from roadmap.participation.models import Notification
from roadmap.participation.notifications.services import send_immediate_emails
from tests.factories import UserFactory
from tests.participation.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def url(name, slug="fjordvik"):
    return reverse(f"participation:{name}", kwargs={"municipality": slug})


def notify(user, count=1, message="Your proposal was accepted."):
    proposal = ProposalFactory()
    return Notification.objects.bulk_create(
        Notification(user=user, proposal=proposal, message=f"{message} #{n}") for n in range(count)
    )


def test_page_lists_only_my_notifications(client, municipality, participant):
    notify(participant, message="Mine")
    notify(UserFactory(), message="Someone else's")
    client.force_login(participant)
    page = client.get(url("notifications")).content.decode()
    assert "Mine #0" in page
    assert "Someone else" not in page
    assert "Mark all as read" in page


def test_anonymous_visitors_are_sent_to_sign_in(client, municipality):
    assert client.get(url("notifications")).status_code == 302
    assert client.post(url("notifications_mark_read")).status_code == 302


def test_mark_all_read_touches_only_my_notifications(client, municipality, participant):
    notify(participant, 2)
    notify(UserFactory())
    client.force_login(participant)
    assert client.post(url("notifications_mark_read")).status_code == 302
    assert not Notification.objects.filter(user=participant, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_user_chooses_how_often_to_be_emailed(client, municipality, participant):
    client.force_login(participant)
    response = client.post(url("notification_settings"), {"notification_frequency": "daily"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.notification_frequency == "daily"

    response = client.post(url("notification_settings"), {"notification_frequency": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert User.objects.get(pk=participant.pk).notification_frequency == "daily"


def test_immediate_emails_are_sent_once(participant):
    notifications = notify(participant)
    ids = [n.pk for n in notifications]
    assert send_immediate_emails(ids) == 1
    assert send_immediate_emails(ids) == 0
    assert len(mail.outbox) == 1


def test_page_query_count_does_not_grow(client, municipality, participant):
    client.force_login(participant)
    notify(participant, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("notifications")).status_code == 200
    notify(participant, 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("notifications"))
    assert len(many) == len(few)
    assert response.content.decode().count("notification-unread") == 20


def test_pages_have_their_own_path_outside_moderation(municipality):
    assert url("notifications") == "/m/fjordvik/notifications/"
    assert url("notification_settings") == "/m/fjordvik/notifications/e-mail/"


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("", "notifications"),
        ("read/", "notifications_mark_read"),
        ("e-mail/", "notification_settings"),
    ],
)
def test_old_addresses_redirect_permanently_keeping_the_method(client, municipality, old, name):
    old_url = f"/m/fjordvik/processes/moderation/notifications/{old}"
    for response in (client.get(f"{old_url}?page=2"), client.post(old_url)):
        assert response.status_code == 308
    assert client.get(f"{old_url}?page=2")["Location"] == f"{url(name)}?page=2"
    assert client.post(old_url)["Location"] == url(name)


def test_an_old_form_posted_to_the_old_address_still_saves(client, municipality, participant):
    client.force_login(participant)
    response = client.post(
        "/m/fjordvik/processes/moderation/notifications/e-mail/",
        {"notification_frequency": "daily"},
        follow=True,
    )
    assert response.redirect_chain[0] == (url("notification_settings"), 308)
    participant.refresh_from_db()
    assert participant.notification_frequency == "daily"
