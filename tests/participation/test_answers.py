"""Officials answer proposals; the people involved are told, in the platform and by e-mail."""

from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from roadmap.core.audit import events_for
from roadmap.participation.answers.services import answer_proposal, source_proposals_of
from roadmap.participation.models import Notification, Proposal
from roadmap.participation.notifications.services import recipients_for
from tests.factories import InitiativeFactory, UserFactory
from tests.participation.factories import (
    CommentFactory,
    ProcessFactory,
    ProposalFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(municipality):
    return ProposalFactory(
        phase__process=ProcessFactory(municipality=municipality), title="Benches by the quay"
    )


def answer_url(proposal, slug=None):
    return reverse(
        "participation:proposal_answer",
        kwargs={"municipality": slug or proposal.process.municipality.slug, "pk": proposal.pk},
    )


def test_the_answer_page_sits_under_answers_not_moderation(proposal):
    assert answer_url(proposal) == f"/m/fjordvik/answers/proposals/{proposal.pk}/"


@pytest.fixture
def involved(proposal, editor):
    """Author (immediate e-mail), a supporter who also comments (daily digest), a commenter
    who wants no e-mail, the answering editor's own comment and a deleted author's comment."""
    proposal.author.notification_frequency = "immediate"
    proposal.author.save()
    supporter = UserFactory(notification_frequency="daily")
    quiet = UserFactory(notification_frequency="none")
    SupportFactory(proposal=proposal, user=supporter)
    CommentFactory(proposal=proposal, author=supporter)
    CommentFactory(proposal=proposal, author=proposal.author)
    CommentFactory(proposal=proposal, author=quiet)
    CommentFactory(proposal=proposal, author=editor)
    CommentFactory(proposal=proposal, author=None)
    return {"author": proposal.author, "supporter": supporter, "quiet": quiet}


def test_answer_sets_status_audits_and_notifies_each_involved_user_once(
    proposal, editor, involved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer_proposal(
            actor=editor, proposal=proposal, status="rejected", answer="The quay is too narrow."
        )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == ("rejected", "The quay is too narrow.")
    assert proposal.answered_by == editor and proposal.answered_at is not None
    event = events_for(proposal).get()
    assert event.actor == editor
    assert event.changes["status"] == ["submitted", "rejected"]

    notified = list(Notification.objects.values_list("user", flat=True))
    assert sorted(notified) == sorted(user.pk for user in involved.values())
    assert "Rejected" in Notification.objects.get(user=involved["author"]).message

    # Only the author wants e-mail at once; the daily and "none" users get none now.
    assert [message.to for message in mail.outbox] == [[involved["author"].email]]
    assert "Benches by the quay" in mail.outbox[0].body
    assert Notification.objects.get(user=involved["author"]).emailed_at is not None


def test_daily_digest_sends_once_per_user_and_only_once(
    proposal, editor, involved, django_capture_on_commit_callbacks
):
    other = ProposalFactory(process=proposal.process, phase=proposal.phase)
    SupportFactory(proposal=other, user=involved["supporter"])
    with django_capture_on_commit_callbacks(execute=True):
        answer_proposal(actor=editor, proposal=proposal, status="under_review", answer="")
        answer_proposal(actor=editor, proposal=other, status="under_review", answer="")
    mail.outbox.clear()

    call_command("send_notification_digest", stdout=StringIO())

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [involved["supporter"].email]
    assert proposal.title in digest.body and other.title in digest.body
    assert not Notification.objects.filter(
        user=involved["supporter"], emailed_at__isnull=True
    ).exists()
    assert Notification.objects.get(user=involved["quiet"]).emailed_at is None

    call_command("send_notification_digest", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_answer_without_status_change_notifies_nobody(proposal, editor, involved):
    answer_proposal(actor=editor, proposal=proposal, status="submitted", answer="Thanks!")
    assert not Notification.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).answer == "Thanks!"


def test_recipients_are_collected_in_one_query(
    proposal, editor, involved, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert len(list(recipients_for(proposal, actor=editor))) == 3


@pytest.mark.parametrize("status", ["accepted", "partly_accepted", "rejected", "implemented"])
def test_decisions_need_a_written_answer(proposal, editor, status):
    with pytest.raises(ValidationError) as error:
        answer_proposal(actor=editor, proposal=proposal, status=status, answer="  ")
    assert "answer" in error.value.message_dict
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_initiative_must_be_of_the_same_municipality(proposal, editor, other_municipality):
    foreign = InitiativeFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as error:
        answer_proposal(
            actor=editor, proposal=proposal, status="accepted", answer="Yes", initiative=foreign
        )
    assert "initiative" in error.value.message_dict
    assert Proposal.objects.get(pk=proposal.pk).initiative is None


def test_rejected_proposal_cannot_name_an_initiative(proposal, editor, municipality):
    initiative = InitiativeFactory(municipality=municipality)
    with pytest.raises(ValidationError):
        answer_proposal(
            actor=editor, proposal=proposal, status="rejected", answer="No", initiative=initiative
        )


def test_editor_answers_on_the_page_and_links_the_initiative(
    client, proposal, editor, municipality
):
    initiative = InitiativeFactory(municipality=municipality, title="Harbour benches")
    client.force_login(editor)
    assert client.get(answer_url(proposal)).status_code == 200

    response = client.post(
        answer_url(proposal),
        {"status": "accepted", "answer": "We will build them.", "initiative": initiative.pk},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.initiative) == ("accepted", initiative)
    assert list(source_proposals_of(initiative)) == [proposal]
    html = render_to_string(
        "participation/_source_proposals.html",
        {"source_proposals": source_proposals_of(initiative)},
    )
    assert "Benches by the quay" in html and "We will build them." in html


def test_answer_page_names_the_missing_answer_and_saves_nothing(client, proposal, editor):
    client.force_login(editor)
    response = client.post(answer_url(proposal), {"status": "accepted", "answer": ""})
    assert response.status_code == 200
    assert "Write a public answer" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"
    assert not events_for(proposal).exists()


def test_answer_page_refuses_another_municipalitys_initiative(
    client, proposal, editor, other_municipality
):
    foreign = InitiativeFactory(municipality=other_municipality)
    client.force_login(editor)
    response = client.post(
        answer_url(proposal), {"status": "accepted", "answer": "Yes", "initiative": foreign.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).initiative is None


def test_hidden_proposals_are_not_shown_as_sources(proposal, municipality):
    initiative = InitiativeFactory(municipality=municipality)
    Proposal.objects.filter(pk=proposal.pk).update(initiative=initiative, visibility="hidden")
    assert not source_proposals_of(initiative).exists()


def test_only_this_municipalitys_editors_may_answer(
    client, proposal, participant, outsider, assessor
):
    url = answer_url(proposal)
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    for user in (participant, outsider, assessor):
        client.force_login(user)
        assert client.post(url, {"status": "under_review"}).status_code == 403
    # The outsider's own municipality does not reach another municipality's proposal.
    client.force_login(outsider)
    assert client.get(answer_url(proposal, slug="elvdal")).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"
