"""Comments: threads two replies deep, permissions by phase, moderation display, query counts."""

import pytest

from roadmap.core.models import AuditEvent
from roadmap.core.text import render_markdown
from roadmap.participation.models import Comment, Proposal, Visibility
from roadmap.participation.moderation import services as moderation_services
from roadmap.participation.proposals import services as proposal_services
from tests.conftest import member
from tests.factories import UserFactory
from tests.participation.factories import CommentFactory, ProposalFactory
from tests.participation.test_proposals import (
    REFUSALS,
    XSS_PAYLOADS,
    assert_same_query_count,
    detail_url,
    fresh_rate_limits,  # noqa: F401  (autouse)
    old_user,
    phase,  # noqa: F401  (fixture)
    process,  # noqa: F401  (fixture)
    process_url,
)


@pytest.fixture
def proposal(process):  # noqa: F811
    return ProposalFactory(phase=process.phases.get(), title="Benches by the water")


def comment_url(proposal) -> str:
    return process_url("comment_create", proposal.process, pk=proposal.pk)


def test_a_participant_comments_and_replies_two_levels_deep(client, proposal, participant):
    client.force_login(participant)

    response = client.post(comment_url(proposal), {"body": "Good idea"})
    top = Comment.objects.get()
    client.post(comment_url(proposal), {"body": "Agreed", "parent": top.pk})
    reply = Comment.objects.get(parent=top)
    client.post(comment_url(proposal), {"body": "Me too", "parent": reply.pk})
    reply_to_reply = Comment.objects.get(parent=reply)

    assert response.status_code == 302 and response.url.endswith(f"#comment-{top.pk}")
    assert (top.depth, reply.depth, reply_to_reply.depth) == (0, 1, 2)
    proposal.refresh_from_db()
    assert proposal.comment_count == 3
    page = client.get(detail_url(proposal)).content.decode()
    assert page.index("Good idea") < page.index("Agreed") < page.index("Me too")
    # "Reply" links under the first two levels only; they set the page's one comment form.
    assert f"?reply_to={top.pk}#" in page
    assert f"?reply_to={reply.pk}#" in page
    assert f"?reply_to={reply_to_reply.pk}#" not in page
    reply_page = client.get(detail_url(proposal) + f"?reply_to={reply.pk}").content.decode()
    assert f'name="parent" value="{reply.pk}"' in reply_page


def test_a_third_reply_level_is_refused_with_a_message(client, proposal, participant):
    deepest = CommentFactory(
        proposal=proposal,
        parent=CommentFactory(proposal=proposal, parent=CommentFactory(proposal=proposal)),
    )
    client.force_login(participant)

    response = client.post(
        comment_url(proposal), {"body": "Too deep", "parent": deepest.pk}, follow=True
    )

    assert "Replies go only two levels deep" in response.content.decode()
    assert not Comment.objects.filter(body="Too deep").exists()


def test_a_reply_to_a_comment_on_another_proposal_is_refused(client, proposal, participant):
    elsewhere = CommentFactory(proposal=ProposalFactory(phase=proposal.phase))
    client.force_login(participant)

    response = client.post(comment_url(proposal), {"body": "Sneaky", "parent": elsewhere.pk})

    assert response.status_code == 400
    assert "The comment you replied to is not on this proposal." in response.content.decode()
    assert not Comment.objects.filter(body="Sneaky").exists()
    with pytest.raises(proposal_services.Refused, match="another proposal"):
        proposal_services.add_comment(
            author=participant, proposal=proposal, body="Sneaky", parent=elsewhere
        )


def test_an_empty_comment_names_the_field_and_saves_nothing(client, proposal, participant):
    client.force_login(participant)

    response = client.post(comment_url(proposal), {"body": "  "})

    assert response.status_code == 400
    assert "Your comment" in response.content.decode()
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal):
    response = client.post(comment_url(proposal), {"body": "Hello"})

    assert response.status_code == 302 and "/login" in response.url
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("refuse", "reason"), REFUSALS)
def test_commenting_is_refused_with_the_reason(client, proposal, participant, refuse, reason):
    refuse(proposal.phase, participant)
    client.force_login(participant)

    page = client.get(detail_url(proposal)).content.decode()
    response = client.post(comment_url(proposal), {"body": "Hello"}, follow=True)

    assert reason in page and "Add a comment" not in page
    assert reason in response.content.decode()
    assert not Comment.objects.exists()
    assert Proposal.objects.get().comment_count == 0


def test_a_pending_proposal_cannot_be_commented(participant, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.PENDING)
    proposal.refresh_from_db()

    with pytest.raises(proposal_services.Refused, match="not published"):
        proposal_services.add_comment(author=participant, proposal=proposal, body="Hi")


def test_a_link_from_a_new_account_waits_and_is_not_counted(client, proposal):
    newcomer = UserFactory()
    client.force_login(newcomer)

    response = client.post(comment_url(proposal), {"body": "See https://spam.example"}, follow=True)

    comment = Comment.objects.get()
    assert comment.visibility == Visibility.PENDING
    assert "a moderator will look at it" in response.content.decode()
    assert Proposal.objects.get().comment_count == 0
    client.force_login(old_user())
    assert "spam.example" not in client.get(detail_url(proposal)).content.decode()


def test_a_hidden_comment_shows_why_without_its_text(client, proposal):
    CommentFactory(
        proposal=proposal,
        body="Nasty words",
        visibility=Visibility.HIDDEN,
        moderation_reason="Personal attack",
    )

    content = client.get(detail_url(proposal)).content.decode()

    assert "Hidden by a moderator: Personal attack" in content
    assert "Nasty words" not in content


def test_a_deleted_participants_comment_stays_without_a_name(client, proposal):
    CommentFactory(proposal=proposal, author=None, body="Still useful")

    content = client.get(detail_url(proposal)).content.decode()

    assert "Still useful" in content and "By a deleted participant" in content


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_comments_is_neutralised(client, proposal, payload):
    client.force_login(old_user())
    client.post(comment_url(proposal), {"body": payload})

    content = client.get(detail_url(proposal)).content.decode()

    assert Comment.objects.count() == 1
    assert "<img" not in content and "<script>alert" not in content
    assert 'href="javascript' not in content.replace(" ", "")


def test_an_officials_comment_is_audited_and_a_participants_is_not(proposal, participant, editor):
    proposal_services.add_comment(author=participant, proposal=proposal, body="From me")
    assert not AuditEvent.objects.exists()

    proposal_services.add_comment(author=editor, proposal=proposal, body="From the municipality")
    event = AuditEvent.objects.get()
    assert event.actor == editor and event.subject_id == str(proposal.pk)


def test_the_detail_page_makes_the_same_number_of_queries_for_3_or_60_comments(
    client, proposal, participant
):
    CommentFactory.create_batch(3, proposal=proposal)
    client.force_login(participant)

    def add_rows():
        tops = CommentFactory.create_batch(19, proposal=proposal)
        replies = [CommentFactory(proposal=proposal, parent=top) for top in tops]
        for reply in replies:
            CommentFactory(proposal=proposal, parent=reply, author=None)

    assert_same_query_count(client, detail_url(proposal), add_rows)
    assert Comment.objects.count() == 60


def test_the_detail_page_keeps_its_query_count_with_500_comments(client, proposal, participant):
    author = UserFactory()

    def add_threads(count):
        tops = Comment.objects.bulk_create(
            Comment(proposal=proposal, author=author, body="Top", body_html=render_markdown("Top"))
            for _ in range(count)
        )
        Comment.objects.bulk_create(
            Comment(
                proposal=proposal,
                author=author,
                parent=top,
                depth=1,
                body="Reply",
                body_html=render_markdown("Reply"),
            )
            for top in tops
        )

    add_threads(1)
    client.force_login(participant)
    assert_same_query_count(client, detail_url(proposal), lambda: add_threads(249))

    # 250 threads of two comments: 20 threads per page, each with its reply.
    first = client.get(detail_url(proposal)).content.decode()
    last = client.get(detail_url(proposal) + "?page=13").content.decode()
    assert first.count('class="comment comment--depth-0"') == 20
    assert first.count('class="comment comment--depth-1"') == 20
    assert "Page 1 of 13" in first
    assert last.count('class="comment comment--depth-') == 20
    assert client.get(detail_url(proposal) + "?page=14").status_code == 404


def test_a_reply_returns_to_the_page_that_shows_its_thread(client, proposal, participant):
    author = UserFactory()
    threads = Comment.objects.bulk_create(
        Comment(proposal=proposal, author=author, body="Top", body_html=render_markdown("Top"))
        for _ in range(41)
    )
    client.force_login(participant)

    early = client.post(comment_url(proposal), {"body": "First!", "parent": threads[0].pk})
    late = client.post(comment_url(proposal), {"body": "Last!", "parent": threads[40].pk})

    early_reply, late_reply = Comment.objects.filter(author=participant).order_by("pk")
    assert early.url == detail_url(proposal) + f"#comment-{early_reply.pk}"
    assert late.url == detail_url(proposal) + f"?page=3#comment-{late_reply.pk}"
    assert f'id="comment-{late_reply.pk}"' in client.get(late.url).content.decode()


def test_cached_threads_show_every_change_at_once(client, proposal, municipality):
    author = UserFactory(display_name="Kari")
    comment = CommentFactory(proposal=proposal, author=author, body="Benches!")
    assert "By Kari" in client.get(detail_url(proposal)).content.decode()

    author.display_name = "Kari N."
    author.save()
    assert "By Kari N." in client.get(detail_url(proposal)).content.decode()

    moderation_services.hide_item(
        actor=member(municipality, "moderator"), item=comment, reason="Off topic"
    )
    content = client.get(detail_url(proposal)).content.decode()
    assert "Hidden by a moderator: Off topic" in content

    reply = CommentFactory(proposal=proposal, parent=comment, depth=1, body="Fair.")
    assert f'id="comment-{reply.pk}"' in client.get(detail_url(proposal)).content.decode()
