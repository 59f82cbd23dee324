"""Reports, the moderators' queue, hide/restore/approve, blocks: audited and kept in scope."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.core.audit import events_for
from roadmap.participation.models import Block, Comment, Flag, Proposal
from roadmap.participation.permissions import action_decision
from tests.conftest import member
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def moderator(municipality):
    return member(municipality, "moderator")


@pytest.fixture
def other_moderator(other_municipality):
    return member(other_municipality, "moderator")


@pytest.fixture
def proposal(municipality):
    return ProposalFactory(phase__process=ProcessFactory(municipality=municipality))


def mod_url(name, slug="fjordvik", **kwargs):
    return reverse(f"participation:{name}", kwargs={"municipality": slug, **kwargs})


def item_url(name, item, slug="fjordvik"):
    kind = "proposals" if isinstance(item, Proposal) else "comments"
    return mod_url(name, slug, kind=kind, pk=item.pk)


# --- reports (flags) ----------------------------------------------------------------------


def test_participant_reports_a_post_once(client, proposal, participant):
    client.force_login(participant)
    back = "/m/fjordvik/processes/"
    response = client.post(item_url("flag", proposal), {"reason": "Spam", "next": back})
    assert response.status_code == 302 and response.url == back

    response = client.post(item_url("flag", proposal), {"reason": "Spam again"})
    assert response.status_code == 200
    assert "already reported" in response.content.decode()
    assert Flag.objects.filter(proposal=proposal, reporter=participant).count() == 1


def test_report_needs_a_reason_and_a_local_next(client, proposal, participant):
    client.force_login(participant)
    response = client.post(item_url("flag", proposal), {"reason": " "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    response = client.post(
        item_url("flag", proposal), {"reason": "Spam", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    assert Flag.objects.count() == 1


def test_reports_are_rate_limited(client, municipality, participant):
    process = ProcessFactory(municipality=municipality)
    proposals = ProposalFactory.create_batch(11, phase__process=process)
    client.force_login(participant)
    for proposal in proposals[:10]:
        assert client.post(item_url("flag", proposal), {"reason": "Spam"}).status_code == 302
    response = client.post(item_url("flag", proposals[10]), {"reason": "Spam"})
    assert response.status_code == 200
    assert "Please try again in an hour" in response.content.decode()
    assert Flag.objects.count() == 10


def test_hidden_posts_and_other_municipalities_cannot_be_reported(client, proposal, participant):
    client.force_login(participant)
    hidden = CommentFactory(proposal=proposal, visibility="hidden")
    assert client.post(item_url("flag", hidden), {"reason": "x"}).status_code == 404
    assert client.post(item_url("flag", proposal, "elvdal"), {"reason": "x"}).status_code == 404
    assert (
        client.post(mod_url("flag", kind="initiatives", pk=1), {"reason": "x"}).status_code == 404
    )
    assert not Flag.objects.exists()


def test_anonymous_and_blocked_users_cannot_report(client, proposal, municipality, participant):
    assert client.post(item_url("flag", proposal), {"reason": "x"}).status_code == 302
    Block.objects.create(municipality=municipality, user=participant, reason="Abuse")
    client.force_login(participant)
    response = client.post(item_url("flag", proposal), {"reason": "x"})
    assert "blocked" in response.content.decode()
    assert not Flag.objects.exists()


# --- the queue ----------------------------------------------------------------------------


def _fill_queue(process, count):
    for n in range(count):
        proposal = ProposalFactory(
            phase__process=process, visibility="pending" if n % 2 else "published"
        )
        comment = CommentFactory(proposal=proposal, visibility="pending")
        Flag.objects.create(proposal=proposal, reporter=UserFactory(), reason="Rude")
        Flag.objects.create(comment=comment, reporter=UserFactory(), reason="Off topic")
        Block.objects.create(municipality=process.municipality, user=UserFactory(), reason="Spam")


def test_queue_shows_reports_and_waiting_posts_in_constant_queries(client, municipality, moderator):
    process = ProcessFactory(municipality=municipality)
    client.force_login(moderator)
    _fill_queue(process, 2)
    with CaptureQueriesContext(connection) as few:
        response = client.get(mod_url("moderation_queue"))
    page = response.content.decode()
    assert "Rude" in page and "Off topic" in page and "Approve" in page

    _fill_queue(process, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(mod_url("moderation_queue")).status_code == 200
    assert len(many) == len(few)


def test_queue_is_for_this_municipalitys_moderators(
    client, municipality, other_moderator, participant, editor, administrator
):
    assert client.get(mod_url("moderation_queue")).status_code == 302
    for user in (participant, editor, other_moderator):
        client.force_login(user)
        assert client.get(mod_url("moderation_queue")).status_code == 403
    client.force_login(administrator)
    assert client.get(mod_url("moderation_queue")).status_code == 200


def test_queue_leaves_out_other_municipalities(client, other_municipality, moderator):
    foreign = ProposalFactory(
        phase__process=ProcessFactory(municipality=other_municipality), title="Foreign post"
    )
    Flag.objects.create(proposal=foreign, reporter=UserFactory(), reason="Elsewhere")
    client.force_login(moderator)
    page = client.get(mod_url("moderation_queue")).content.decode()
    assert "Elsewhere" not in page and "Foreign post" not in page


# --- hide, restore, approve, dismiss -----------------------------------------------------


def test_hiding_needs_a_public_reason(client, proposal, moderator):
    client.force_login(moderator)
    response = client.post(item_url("moderation_hide", proposal), {"reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).visibility == "published"
    assert not events_for(proposal).exists()


def test_hide_keeps_the_text_resolves_reports_and_is_audited(client, proposal, moderator):
    flag = Flag.objects.create(proposal=proposal, reporter=UserFactory(), reason="Rude")
    client.force_login(moderator)
    response = client.post(item_url("moderation_hide", proposal), {"reason": "Personal attack"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.visibility, proposal.moderation_reason) == ("hidden", "Personal attack")
    assert proposal.body  # the text stays stored
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    event = events_for(proposal).get()
    assert event.actor == moderator
    assert event.changes["visibility"] == ["published", "hidden"]

    assert client.post(item_url("moderation_restore", proposal)).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.visibility, proposal.moderation_reason) == ("published", "")
    assert events_for(proposal).count() == 2


def test_comment_count_follows_published_comments(client, proposal, moderator):
    published = CommentFactory(proposal=proposal)
    pending = Comment.objects.create(
        proposal=proposal, body="See http://x.example", body_html="", visibility="pending"
    )
    client.force_login(moderator)

    client.post(item_url("moderation_approve", pending))
    assert Comment.objects.get(pk=pending.pk).visibility == "published"
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 2
    assert events_for(pending).get().actor == moderator

    client.post(item_url("moderation_hide", published), {"reason": "Off topic"})
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1


def test_only_pending_posts_can_be_approved(client, proposal, moderator):
    client.force_login(moderator)
    response = client.post(item_url("moderation_approve", proposal), follow=True)
    assert "Only posts waiting for approval" in response.content.decode()
    assert not events_for(proposal).exists()


def test_dismissing_a_report_is_audited_on_the_post(client, proposal, moderator):
    flag = Flag.objects.create(proposal=proposal, reporter=UserFactory(), reason="Meh")
    client.force_login(moderator)
    assert client.post(mod_url("moderation_dismiss_flag", pk=flag.pk)).status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert events_for(proposal).get().content_type.model == "flag"
    assert Proposal.objects.get(pk=proposal.pk).visibility == "published"


def test_moderators_of_another_municipality_change_nothing(client, proposal, other_moderator):
    flag = Flag.objects.create(proposal=proposal, reporter=UserFactory(), reason="Rude")
    client.force_login(other_moderator)
    # Through this municipality's address: not their municipality.
    assert client.post(item_url("moderation_hide", proposal), {"reason": "x"}).status_code == 403
    assert client.post(mod_url("moderation_dismiss_flag", pk=flag.pk)).status_code == 403
    # Through their own municipality's address: the item is not found there.
    assert (
        client.post(item_url("moderation_hide", proposal, "elvdal"), {"reason": "x"}).status_code
        == 404
    )
    assert client.post(mod_url("moderation_dismiss_flag", "elvdal", pk=flag.pk)).status_code == 404
    assert client.post(item_url("moderation_restore", proposal, "elvdal")).status_code == 404
    proposal.refresh_from_db()
    flag.refresh_from_db()
    assert proposal.visibility == "published" and flag.resolved_at is None


# --- blocks -------------------------------------------------------------------------------


def test_block_and_unblock_a_participant(client, proposal, municipality, moderator):
    author = proposal.author
    phase = proposal.phase
    assert action_decision(author, phase, "comment")
    client.force_login(moderator)
    block_url = mod_url("moderation_block", user_id=author.pk)

    response = client.post(block_url, {"reason": ""})
    assert response.status_code == 200 and not Block.objects.exists()

    assert client.post(block_url, {"reason": "Repeated abuse"}).status_code == 302
    block = Block.objects.get(user=author, municipality=municipality)
    assert block.blocked_by == moderator
    decision = action_decision(author, phase, "comment")
    assert not decision and "blocked" in decision.reason
    assert events_for(municipality).get().action == "create"

    assert client.post(mod_url("moderation_unblock", user_id=author.pk)).status_code == 302
    assert not Block.objects.exists()
    assert action_decision(author, phase, "comment")
    assert [event.action for event in events_for(municipality)] == ["delete", "create"]


def test_only_users_who_took_part_here_can_be_blocked(
    client, municipality, other_municipality, moderator, other_moderator, proposal
):
    client.force_login(moderator)
    stranger = UserFactory()
    response = client.post(mod_url("moderation_block", user_id=stranger.pk), {"reason": "x"})
    assert response.status_code == 404
    client.force_login(other_moderator)
    url = mod_url("moderation_block", "elvdal", user_id=proposal.author.pk)
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Block.objects.exists()
