import datetime
import json

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.accounts.privacy import DELETED_PARTICIPANT, delete_account
from roadmap.core import audit
from roadmap.core.models import AuditEvent
from roadmap.core.text import render_markdown
from roadmap.municipalities.models import District, Membership
from roadmap.municipalities.services import grant_role, revoke_role
from roadmap.participation.models import (
    Comment,
    Flag,
    Notification,
    Organisation,
    Phase,
    Process,
    Proposal,
    ResidentVerification,
    Support,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
USERNAME = "zyxwvu-astrid"
EMAIL = "zyxwvu-astrid@mail.example"
DISPLAY_NAME = "Qwertzu Astridottir"


@pytest.fixture
def process(municipality):
    now = timezone.now()
    process = Process.objects.create(
        municipality=municipality,
        title="Harbour ideas",
        slug="harbour-ideas",
        summary="Ideas for the harbour.",
        data_statement="We store what you write.",
        is_published=True,
    )
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.PROPOSALS,
        title="Proposals",
        starts_at=now - datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=5),
        propose="anyone",
        comment="anyone",
        support="anyone",
    )
    return process


def proposal_by(author, process, title, *, body="A bench by the water."):
    return Proposal.objects.create(
        process=process,
        phase=process.phases.first(),
        author=author,
        title=title,
        body=body,
        body_html=render_markdown(body),
    )


def comment_by(author, proposal, body, parent=None):
    comment = Comment.objects.create(
        proposal=proposal,
        author=author,
        body=body,
        body_html=render_markdown(body),
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
    )
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=models.F("comment_count") + 1)
    return comment


def support_by(user, proposal):
    Support.objects.create(user=user, proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=models.F("support_count") + 1)


@pytest.fixture
def astrid(municipality, administrator, process):
    """A user with something of every kind, and others' data around hers."""
    user = UserFactory(username=USERNAME, email=EMAIL, display_name=DISPLAY_NAME)
    other = UserFactory(username="bjorn")
    grant_role(actor=administrator, municipality=municipality, user=user, role="moderator")
    earlier = grant_role(actor=administrator, municipality=municipality, user=user, role="editor")
    revoke_role(actor=administrator, membership=earlier)
    district = District.objects.create(municipality=municipality, name="Havnebyen")
    ResidentVerification.objects.create(
        municipality=municipality, user=user, district=district, verified_by=administrator
    )
    organisation = Organisation.objects.create(
        municipality=municipality, name="Harbour Friends", sector="voluntary"
    )
    organisation.members.add(user, other)
    own = proposal_by(user, process, "Floating sauna", body=f"Signed, {DISPLAY_NAME}")
    others = proposal_by(other, process, "Night ferry")
    support_by(user, others)
    support_by(other, others)
    support_by(other, own)
    top = comment_by(user, others, "Good idea.")
    comment_by(other, others, "Thanks!", parent=top)
    comment_by(other, own, "Hot tip.")
    Flag.objects.create(comment=others.comments.last(), reporter=user, reason="Off topic")
    Notification.objects.create(user=user, proposal=own, message="Someone commented.")
    Notification.objects.create(
        user=other, proposal=others, message=f"{DISPLAY_NAME} commented on your proposal."
    )
    audit.record(
        actor=user, action="update", obj=own, municipality=municipality, changes={"title": "x"}
    )
    return user


# Export ------------------------------------------------------------------------------------


def export(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:export_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_export_holds_every_kind_of_the_users_data_and_nothing_of_others(client, astrid):
    data = export(client, astrid)

    assert data["account"]["username"] == USERNAME
    assert data["account"]["email"] == EMAIL
    assert data["account"]["display_name"] == DISPLAY_NAME
    assert data["account"]["notification_frequency"] == "immediate"
    assert data["account"]["date_joined"]
    assert [m["role"] for m in data["memberships"]] == ["moderator"]
    assert [v["district"] for v in data["resident_verifications"]] == ["Havnebyen"]
    assert [o["name"] for o in data["organisations"]] == ["Harbour Friends"]
    assert [(p["title"], p["process"]) for p in data["proposals"]] == [
        ("Floating sauna", "Harbour ideas")
    ]
    assert data["proposals"][0]["status"] == "submitted"
    assert [c["body"] for c in data["comments"]] == ["Good idea."]
    assert [s["proposal"] for s in data["supports"]] == ["Night ferry"]
    assert [f["reason"] for f in data["flags"]] == ["Off topic"]
    assert [n["message"] for n in data["notifications"]] == ["Someone commented."]
    assert [(e["action"], e["object"]) for e in data["audit_events"]] == [
        ("update", "Floating sauna")
    ]
    text = json.dumps(data)
    for foreign in ("bjorn", 'Night ferry", "body', "Thanks!", "Hot tip.", "commented on your"):
        assert foreign not in text


def test_export_query_count_does_not_grow_with_the_data(
    client, astrid, process, django_assert_num_queries
):
    client.force_login(astrid)
    with django_assert_num_queries(15) as few:
        client.post(reverse("accounts:export_data"))
    for number in range(30):
        proposal = proposal_by(astrid, process, f"Idea {number}")
        comment_by(astrid, proposal, "More.")
        Notification.objects.create(user=astrid, proposal=proposal, message="News.")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.post(reverse("accounts:export_data"))
    assert len(json.loads(response.content)["proposals"]) == 31


def test_export_needs_post_and_sign_in(client, astrid):
    assert client.post(reverse("accounts:export_data")).status_code == 302
    client.force_login(astrid)
    assert client.get(reverse("accounts:export_data")).status_code == 405


def test_profile_offers_download_and_deletion(client, astrid):
    client.force_login(astrid)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:export_data") in page
    assert reverse("accounts:delete") in page


# Deletion ----------------------------------------------------------------------------------


def every_stored_text():
    """Every text value in every table, as one list."""
    texts = []
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            texts += [json.dumps(value, ensure_ascii=False) for value in row if value]
    return texts


def test_deleting_leaves_no_trace_of_name_username_or_email(client, astrid):
    assert any(USERNAME in text for text in every_stored_text())
    assert any(DISPLAY_NAME in text for text in every_stored_text())

    delete_account(user=astrid)

    for text in every_stored_text():
        for identifier in (USERNAME, EMAIL, DISPLAY_NAME, "zyxwvu", "Qwertzu"):
            assert identifier.lower() not in text.lower()


def test_deleting_keeps_contributions_as_deleted_participant(astrid, process):
    own = Proposal.objects.get(title="Floating sauna")
    delete_account(user=astrid)

    own.refresh_from_db()
    assert own.author is None
    assert own.body == f"Signed, {DELETED_PARTICIPANT}"
    assert DELETED_PARTICIPANT in own.body_html
    assert Comment.objects.filter(body="Good idea.", author__isnull=True).exists()
    assert Proposal.objects.count() == 2
    assert Comment.objects.count() == 3
    assert Flag.objects.get().reporter is None
    membership_events = AuditEvent.objects.filter(content_type__model="membership")
    assert membership_events.count() == 3
    assert {event.changes["user"] for event in membership_events} == {DELETED_PARTICIPANT}
    notice = Notification.objects.get()
    assert notice.message == f"{DELETED_PARTICIPANT} commented on your proposal."
    assert AuditEvent.objects.filter(content_type__model="proposal").get().actor is None


def test_deleting_withdraws_supports_keeping_counts_equal_to_rows(astrid):
    delete_account(user=astrid)
    for proposal in Proposal.objects.all():
        assert proposal.support_count == proposal.supports.count()
    assert Proposal.objects.get(title="Night ferry").support_count == 1
    assert not Support.objects.filter(user__username=USERNAME).exists()


def test_deleting_removes_personal_rows_and_leaves_other_users(astrid):
    delete_account(user=astrid)
    assert not User.objects.filter(username=USERNAME).exists()
    assert not Membership.objects.filter(user__username=USERNAME).exists()
    assert not ResidentVerification.objects.exists()
    assert list(Organisation.objects.get().members.values_list("username", flat=True)) == ["bjorn"]
    assert User.objects.filter(username="bjorn").exists()


def test_scrubbing_replaces_whole_names_only(municipality, administrator):
    first = UserFactory(username="user1", email="one@example.org")
    tenth = UserFactory(username="user10", email="ten@example.org")
    grant_role(actor=administrator, municipality=municipality, user=first, role="editor")
    grant_role(actor=administrator, municipality=municipality, user=tenth, role="editor")
    delete_account(user=first)
    users = set(
        AuditEvent.objects.filter(content_type__model="membership").values_list(
            "changes__user", flat=True
        )
    )
    assert users == {DELETED_PARTICIPANT, "user10"}


def test_delete_page_requires_the_password(client, astrid):
    client.force_login(astrid)
    page = client.get(reverse("accounts:delete"))
    assert page.status_code == 200
    assert "deleted participant" in page.content.decode()

    response = client.post(reverse("accounts:delete"), {"password": "wrong"})

    assert response.status_code == 200
    assert "The password is not correct" in response.content.decode()
    assert User.objects.filter(username=USERNAME).exists()
    assert Proposal.objects.filter(author=astrid).exists()


def test_deleting_signs_out_every_session(client, astrid):
    other_device = type(client)()
    other_device.force_login(astrid)
    client.force_login(astrid)
    assert Session.objects.count() == 2

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(username=USERNAME).exists()
    assert Session.objects.count() == 0
    assert other_device.get(reverse("accounts:profile")).status_code == 302


def test_delete_page_needs_sign_in(client):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
