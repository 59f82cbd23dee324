"""The one moderation inbox: proposals, comments, statements and notes, paged, with actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.opinions.models import Statement
from roadmap.participation.models import Flag, Proposal, Visibility
from roadmap.workshops.models import NoteFlag
from tests.conftest import member
from tests.office.conftest import make_waiting
from tests.participation.factories import ProposalFactory

pytestmark = pytest.mark.django_db

INBOX = "/m/fjordvik/office/inbox/"


def titles_in_order(page: str, titles: list[str]) -> list[str]:
    return sorted((title for title in titles if title in page), key=page.index)


def test_moderator_sees_every_kind_of_waiting_post_of_this_municipality_only(
    client, waiting, waiting_elsewhere, moderator
):
    client.force_login(moderator)

    page = client.get(INBOX).content.decode()

    assert "6 posts wait for a moderator." in page
    for heading, text in (
        ("Proposal waiting for approval", "Fjordvik pending proposal"),
        ("Comment waiting for approval", "Fjordvik pending comment"),
        ("Reported proposal", "Fjordvik proposal is rude"),
        ("Reported comment", "Fjordvik comment is spam"),
        ("Opinion statement waiting for approval", "Fjordvik pending statement"),
        ("Reported workshop note", "Fjordvik note insults"),
    ):
        assert heading in page and text in page
    assert "Elvdal" not in page


def test_the_inbox_lists_the_longest_waiting_first(client, municipality, waiting, moderator):
    Proposal.objects.filter(pk=waiting.pending_proposal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    Statement.objects.filter(pk=waiting.statement.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    client.force_login(moderator)

    page = client.get(INBOX).content.decode()

    assert titles_in_order(
        page, ["Fjordvik pending proposal", "Fjordvik pending statement", "Fjordvik note insults"]
    ) == ["Fjordvik pending statement", "Fjordvik pending proposal", "Fjordvik note insults"]


def test_the_inbox_is_paged(client, municipality, moderator):
    phase = make_waiting(municipality, "Paged").pending_proposal.phase
    for number in range(20):
        ProposalFactory(phase=phase, title=f"Waiting {number:02}", visibility=Visibility.PENDING)
    client.force_login(moderator)

    first = client.get(INBOX).content.decode()
    second = client.get(INBOX, {"page": 2}).content.decode()
    beyond = client.get(INBOX, {"page": 9})

    assert "26 posts wait for a moderator." in first
    assert first.count('class="ds-card inbox-item"') == 20
    assert second.count('class="ds-card inbox-item"') == 6
    assert "Page 2 of 2" in second
    assert beyond.status_code == 404


def test_editors_see_only_the_workshop_notes_they_moderate(client, waiting, editor):
    client.force_login(editor)

    page = client.get(INBOX).content.decode()

    assert "1 post waits for a moderator." in page
    assert "Fjordvik note insults" in page
    assert "Fjordvik pending proposal" not in page


def test_assessors_may_not_open_the_inbox(client, waiting, assessor):
    client.force_login(assessor)

    assert client.get(INBOX).status_code == 403


@pytest.mark.parametrize("role", ["moderator", "administrator"])
def test_moderators_of_another_municipality_get_not_found(
    client, waiting, other_municipality, role
):
    client.force_login(member(other_municipality, role))

    assert client.get(INBOX).status_code == 404


def test_an_empty_inbox_says_so(client, municipality, moderator):
    client.force_login(moderator)

    page = client.get(INBOX).content.decode()

    assert "0 posts wait for a moderator." in page
    assert "Nothing waits. Well done." in page


def test_approving_from_the_inbox_returns_to_it(client, waiting, moderator):
    client.force_login(moderator)
    page = client.get(INBOX).content.decode()
    approve = reverse(
        "participation:moderation_approve",
        kwargs={"municipality": "fjordvik", "kind": "proposals", "pk": waiting.pending_proposal.pk},
    )
    assert f'action="{approve}"' in page

    response = client.post(approve, {"next": INBOX}, follow=True)

    assert response.redirect_chain == [(INBOX, 302)]
    assert "The post is published." in response.content.decode()
    assert "Fjordvik pending proposal" not in response.content.decode()
    waiting.pending_proposal.refresh_from_db()
    assert waiting.pending_proposal.visibility == Visibility.PUBLISHED


def test_dismissing_reports_from_the_inbox(client, waiting, moderator):
    client.force_login(moderator)
    dismiss_flag = reverse(
        "participation:moderation_dismiss_flag",
        kwargs={"municipality": "fjordvik", "pk": waiting.proposal_flag.pk},
    )
    phase = waiting.note_flag.note.prompt.workshop.phase
    dismiss_note = reverse(
        "workshops:dismiss_report",
        kwargs={
            "municipality": "fjordvik",
            "process": phase.process.slug,
            "phase": phase.pk,
            "pk": waiting.note_flag.pk,
        },
    )
    page = client.get(INBOX).content.decode()
    assert f'action="{dismiss_flag}"' in page and f'action="{dismiss_note}"' in page

    first = client.post(dismiss_flag, {"next": INBOX})
    second = client.post(dismiss_note, {"next": INBOX})

    assert first.url == INBOX and second.url == INBOX
    assert Flag.objects.get(pk=waiting.proposal_flag.pk).resolved_at is not None
    assert NoteFlag.objects.get(pk=waiting.note_flag.pk).resolved_at is not None
    assert "4 posts wait for a moderator." in client.get(INBOX).content.decode()


def test_approving_and_rejecting_statements_from_the_inbox(client, waiting, moderator):
    statement = waiting.statement
    moderate = reverse(
        "opinions:moderate",
        kwargs={
            "municipality": "fjordvik",
            "process": statement.phase.process.slug,
            "phase": statement.phase.pk,
            "pk": statement.pk,
        },
    )
    client.force_login(moderator)
    assert f'action="{moderate}"' in client.get(INBOX).content.decode()

    response = client.post(moderate, {"decision": "reject", "next": INBOX})

    assert response.url == INBOX
    statement.refresh_from_db()
    assert statement.status == Statement.Status.REJECTED


def test_a_next_address_off_the_site_is_ignored(client, waiting, moderator):
    client.force_login(moderator)
    approve = reverse(
        "participation:moderation_approve",
        kwargs={"municipality": "fjordvik", "kind": "comments", "pk": waiting.pending_comment.pk},
    )

    response = client.post(approve, {"next": "https://evil.example/"})

    assert response.url == "/m/fjordvik/processes/moderation/"


def test_hide_links_lead_to_the_existing_hide_pages(client, waiting, moderator):
    client.force_login(moderator)

    page = client.get(INBOX).content.decode()

    hide_comment = reverse(
        "participation:moderation_hide",
        kwargs={
            "municipality": "fjordvik",
            "kind": "comments",
            "pk": waiting.comment_flag.comment_id,
        },
    )
    phase = waiting.note_flag.note.prompt.workshop.phase
    hide_note = reverse(
        "workshops:hide",
        kwargs={
            "municipality": "fjordvik",
            "process": phase.process.slug,
            "phase": phase.pk,
            "pk": waiting.note_flag.note_id,
        },
    )
    assert f'href="{hide_comment}"' in page and f'href="{hide_note}"' in page
    assert client.get(hide_comment).status_code == 200
    assert client.get(hide_note).status_code == 200


def test_the_inbox_reads_a_constant_number_of_queries(
    client, municipality, moderator, django_assert_max_num_queries, django_assert_num_queries
):
    make_waiting(municipality, "First")
    client.force_login(moderator)
    client.get(INBOX)

    with django_assert_max_num_queries(20) as small:
        assert client.get(INBOX).status_code == 200
    for label in ("Second", "Third", "Fourth", "Fifth"):
        make_waiting(municipality, label)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(INBOX).content.decode()

    assert "30 posts wait for a moderator." in page
    assert page.count('class="ds-card inbox-item"') == 20
