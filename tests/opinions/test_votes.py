"""Voting one statement at a time: one vote per statement, refusals that save nothing."""

import datetime

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from roadmap.opinions import services
from roadmap.opinions.models import OpinionMap, Statement, Vote
from roadmap.opinions.tasks import recompute_forgotten_maps
from roadmap.participation.models import Block, ResidentVerification
from tests.core.task_functions import run_worker_batch
from tests.factories import UserFactory
from tests.opinions.conftest import add_statements, make_phase, url


def vote(client, phase, statement, choice="agree", *, follow=False, **headers):
    return client.post(
        url("vote", phase),
        {"statement": statement.pk, "choice": choice},
        follow=follow,
        headers=headers,
    )


def counts(statement):
    return Statement.objects.values_list("agree_count", "disagree_count", "pass_count").get(
        pk=statement.pk
    )


def test_a_vote_is_saved_counted_and_the_next_statement_shown(client, phase, participant):
    first, second = add_statements(phase, 2)
    client.force_login(participant)

    shown = client.get(url("phase", phase)).context["statement"]
    response = vote(client, phase, shown, "disagree")

    assert response.status_code == 302 and response.url == url("phase", phase) + "#vote-card"
    assert Vote.objects.get().value == Vote.Value.DISAGREE
    assert counts(shown) == (0, 1, 0)
    following = client.get(url("phase", phase)).context["statement"]
    assert {shown.pk, following.pk} == {first.pk, second.pk}


def test_a_second_vote_on_the_same_statement_is_refused_and_the_first_stays(
    client, phase, participant
):
    (statement,) = add_statements(phase, 1)
    client.force_login(participant)
    vote(client, phase, statement, "agree")

    response = client.post(
        url("vote", phase), {"statement": statement.pk, "choice": "disagree"}, follow=True
    )

    assert "You have already voted on this statement." in response.content.decode()
    assert list(Vote.objects.values_list("value", flat=True)) == [Vote.Value.AGREE]
    assert counts(statement) == (1, 0, 0)


def test_the_database_allows_one_vote_per_voter_and_statement(phase, participant):
    (statement,) = add_statements(phase, 1)
    services.cast_vote(user=participant, statement=statement, value=1)

    with pytest.raises(services.Refused, match="already voted"):
        services.cast_vote(user=participant, statement=statement, value=0)
    assert Vote.objects.count() == 1


def test_voted_statements_are_never_shown_again(client, phase, participant):
    statements = add_statements(phase, 5)
    client.force_login(participant)
    seen = []
    for _ in statements:
        shown = client.get(url("phase", phase)).context["statement"]
        seen.append(shown.pk)
        vote(client, phase, shown, "pass")

    assert sorted(seen) == sorted(s.pk for s in statements)
    page = client.get(url("phase", phase))
    assert page.context["statement"] is None
    assert "You have voted on every statement." in page.content.decode()


@pytest.mark.parametrize("status", [Statement.Status.PENDING, Statement.Status.REJECTED])
def test_votes_on_statements_not_approved_are_refused(client, phase, participant, status):
    (statement,) = add_statements(phase, 1, status=status)
    client.force_login(participant)

    response = vote(client, phase, statement, follow=True)

    assert "This statement is not open for votes." in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("choice", "message"), [("maybe", "Choose agree, disagree or pass."), ("", "Choose agree")]
)
def test_an_unknown_choice_is_refused(client, phase, participant, choice, message):
    (statement,) = add_statements(phase, 1)
    client.force_login(participant)

    response = vote(client, phase, statement, choice, follow=True)

    assert message in response.content.decode()
    assert not Vote.objects.exists()


def test_votes_in_a_closed_phase_are_refused(client, closed_phase, participant):
    (statement,) = add_statements(closed_phase, 1)
    client.force_login(participant)

    response = vote(client, closed_phase, statement, follow=True)

    assert "This phase has ended." in response.content.decode()
    assert not Vote.objects.exists()


def test_blocked_and_unverified_users_cannot_vote(client, municipality, participant):
    phase = make_phase(municipality, vote="verified")
    (statement,) = add_statements(phase, 1)
    client.force_login(participant)

    unverified = vote(client, phase, statement, follow=True).content.decode()
    ResidentVerification.objects.create(municipality=municipality, user=participant)
    Block.objects.create(municipality=municipality, user=participant, reason="Spam")
    blocked = vote(client, phase, statement, follow=True).content.decode()

    assert "Only residents confirmed by the municipality can take part here." in unverified
    assert "Your account is blocked from taking part here." in blocked
    assert not Vote.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, phase):
    (statement,) = add_statements(phase, 1)

    response = vote(client, phase, statement)
    page = client.get(url("phase", phase)).content.decode()

    assert response.status_code == 302 and "/accounts/" in response.url
    assert "Sign in to vote" in page and not Vote.objects.exists()
    assert "You cannot vote now" not in page


def test_a_statement_of_another_phase_cannot_be_voted_through_this_one(
    client, phase, other_municipality, participant
):
    elsewhere = make_phase(other_municipality)
    (statement,) = add_statements(elsewhere, 1)
    client.force_login(participant)

    response = vote(client, phase, statement)

    assert response.status_code == 404 and not Vote.objects.exists()


def test_with_htmx_the_card_is_swapped_with_the_next_statement(client, phase, participant):
    first, second = add_statements(phase, 2)
    client.force_login(participant)
    shown = client.get(url("phase", phase)).context["statement"]

    response = vote(client, phase, shown, "agree", HX_Request="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section id="vote-card"') and "<html" not in body
    assert "Your vote was saved." in body
    remaining = second if shown.pk == first.pk else first
    assert remaining.text in body


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_vote_marks_the_map_and_queues_its_recompute_which_the_worker_runs(
    settings, phase, participant
):
    settings.TASKS = DATABASE_QUEUE
    statements = add_statements(phase, 1)

    services.cast_vote(user=participant, statement=statements[0], value=1)

    opinion_map = OpinionMap.objects.get(phase=phase)
    assert opinion_map.dirty_since is not None and opinion_map.computed_at is None
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "roadmap.opinions.tasks.recompute_opinion_map"
    assert queued.args_kwargs["kwargs"] == {"phase_id": phase.pk}
    DBTaskResult.objects.update(run_after=timezone.now())  # skip the debounce wait

    run_worker_batch()

    opinion_map.refresh_from_db()
    assert opinion_map.dirty_since is None and opinion_map.votes_seen == 1
    assert opinion_map.status == OpinionMap.Status.READY
    assert DBTaskResult.objects.get(pk=queued.pk).status == TaskResultStatus.SUCCESSFUL


def test_a_burst_of_votes_writes_one_mark_and_queues_one_recompute(settings, phase):
    settings.TASKS = DATABASE_QUEUE
    (statement,) = add_statements(phase, 1)
    services.cast_vote(user=UserFactory(), statement=statement, value=1)
    marked = OpinionMap.objects.get(phase=phase).dirty_since

    for value in (-1, 0, 1, 1):
        services.cast_vote(user=UserFactory(), statement=statement, value=value)

    assert OpinionMap.objects.get(phase=phase).dirty_since == marked
    assert DBTaskResult.objects.count() == 1


def test_a_map_whose_task_was_lost_is_recomputed_by_the_periodic_sweep(settings, phase):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    (statement,) = add_statements(phase, 1)
    services.cast_vote(user=UserFactory(), statement=statement, value=1)  # its task goes nowhere
    OpinionMap.objects.filter(phase=phase).update(
        dirty_since=timezone.now()
        - datetime.timedelta(seconds=services.FORGOTTEN_AFTER_SECONDS + 1)
    )

    assert recompute_forgotten_maps.call() == 1
    assert OpinionMap.objects.get(phase=phase).votes_seen == 1


def test_with_htmx_a_refusal_is_shown_in_the_card(client, phase, participant):
    (statement,) = add_statements(phase, 1)
    client.force_login(participant)
    vote(client, phase, statement, "agree")

    response = vote(client, phase, statement, "pass", HX_Request="true")

    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body
    assert "You have already voted on this statement." in body
    assert list(Vote.objects.values_list("value", flat=True)) == [Vote.Value.AGREE]
