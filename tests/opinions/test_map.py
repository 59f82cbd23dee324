"""The stored map: computed in the background after votes, shown with an accessible table."""

import datetime

import numpy as np
import pytest
from django.utils import timezone

from roadmap.accounts.privacy import delete_account, export_user_data
from roadmap.opinions import services
from roadmap.opinions.demo import build_opinion_demo
from roadmap.opinions.models import OpinionMap, Statement, Vote, Voter
from roadmap.opinions.synthetic import planted_votes
from tests.factories import UserFactory
from tests.opinions.conftest import add_statements, make_phase, url


def plant(phase, *, participants: int, statements: int = 12, seed: int = 4):
    """Anonymous voters with three planted groups, written in bulk as the demo does."""
    rows = add_statements(phase, statements)
    planted = planted_votes(
        participants=participants,
        statements=statements,
        groups=3,
        mean_votes=statements - 1,
        consensus_statements=2,
        seed=seed,
    )
    voters = Voter.objects.bulk_create(Voter(phase=phase) for _ in range(participants))
    Vote.objects.bulk_create(
        Vote(phase=phase, statement=rows[c], voter=voters[r], value=int(v))
        for r, c, v in zip(planted.participants, planted.statements, planted.values, strict=True)
    )
    return rows, planted


def test_the_map_finds_the_planted_groups_and_consensus(phase):
    rows, planted = plant(phase, participants=150)

    opinion_map = services.recompute_map(phase_id=phase.pk, full=True)

    result = opinion_map.result
    assert opinion_map.status == OpinionMap.Status.READY and result["k"] == 3
    assert result["participants_counted"] == 150
    placed = np.bincount(planted.participants) >= 7
    planted_sizes = sorted(np.bincount(planted.groups[placed]).tolist())
    found_sizes = sorted(group["size"] for group in result["groups"])
    assert result["participants_placed"] == placed.sum() == sum(found_sizes)
    assert all(abs(f - p) <= 3 for f, p in zip(found_sizes, planted_sizes, strict=True))
    consensus = {item["statement"] for item in result["consensus"] if item["direction"] == "agree"}
    assert {rows[0].pk, rows[1].pk} <= consensus


def test_the_map_page_shows_groups_statements_and_an_svg_with_a_table(client, phase):
    rows, _ = plant(phase, participants=150)
    services.recompute_map(phase_id=phase.pk, full=True)

    page = client.get(url("map", phase)).content.decode()

    assert "<svg" in page and "Data table" in page
    assert "Group A" in page and "Group C" in page
    assert "What all groups share" in page and rows[0].text in page
    assert "How the opinion map works, and what it cannot tell" in page


def test_a_rejected_statement_leaves_the_map_at_the_next_computation(phase):
    rows, _ = plant(phase, participants=120)
    services.recompute_map(phase_id=phase.pk, full=True)
    Statement.objects.filter(pk=rows[0].pk).update(status=Statement.Status.REJECTED)

    result = services.recompute_map(phase_id=phase.pk, full=True).result

    assert result["statements"] == len(rows) - 1
    assert rows[0].pk not in {item["statement"] for item in result["consensus"]}


def test_a_map_not_yet_computed_says_so(client, phase):
    page = client.get(url("map", phase)).content.decode()

    assert "The map has not been computed yet." in page


def test_the_phase_page_and_map_page_use_a_constant_number_of_queries(
    client, municipality, participant, django_assert_max_num_queries
):
    small = make_phase(municipality)
    plant(small, participants=60, statements=10)
    services.recompute_map(phase_id=small.pk, full=True)
    large = make_phase(municipality, slug="large")
    plant(large, participants=300, statements=40)
    services.recompute_map(phase_id=large.pk, full=True)
    client.force_login(participant)

    for name in ("phase", "map"):
        client.get(url(name, small))  # warm caches (session, chart SVG)
        with django_assert_max_num_queries(14) as small_queries:
            client.get(url(name, small))
        client.get(url(name, large))
        with django_assert_max_num_queries(14) as large_queries:
            client.get(url(name, large))
        assert len(small_queries.captured_queries) == len(large_queries.captured_queries), name


def test_an_unpublished_process_stays_hidden_from_other_municipalities(
    client, municipality, outsider, participant
):
    phase = make_phase(municipality, published=False)
    (statement,) = add_statements(phase, 1)

    for user in (outsider, participant):
        client.force_login(user)
        for name in ("phase", "map"):
            assert client.get(url(name, phase)).status_code == 404
        response = client.post(url("vote", phase), {"statement": statement.pk, "choice": "agree"})
        assert response.status_code == 404
    assert not Vote.objects.exists()


def test_a_phase_of_another_kind_has_no_opinion_pages(client, municipality):
    phase = make_phase(municipality, kind="proposals")

    assert client.get(url("phase", phase)).status_code == 404


def test_recompute_waits_while_another_computation_runs(phase):
    plant(phase, participants=30, statements=5)
    OpinionMap.objects.filter(phase=phase).update(
        dirty_since=timezone.now(), computing_since=timezone.now()
    )

    assert services.recompute_when_due(phase_id=phase.pk) is False
    assert OpinionMap.objects.get(phase=phase).computed_at is None


def test_a_computation_left_by_a_dead_worker_is_taken_over(phase):
    plant(phase, participants=30, statements=5)
    long_ago = timezone.now() - services.STALE_COMPUTATION - datetime.timedelta(minutes=1)
    OpinionMap.objects.filter(phase=phase).update(
        dirty_since=timezone.now(), computing_since=long_ago
    )

    assert services.recompute_when_due(phase_id=phase.pk) is True
    opinion_map = OpinionMap.objects.get(phase=phase)
    assert opinion_map.computed_at is not None and opinion_map.computing_since is None


def test_an_update_starts_from_the_stored_map(phase):
    rows, _ = plant(phase, participants=150)
    before = services.recompute_map(phase_id=phase.pk, full=True).result
    newcomer = UserFactory()
    for statement in rows[:8]:
        services.cast_vote(user=newcomer, statement=statement, value=1)

    after = OpinionMap.objects.get(phase=phase).result

    assert after["participants_counted"] == before["participants_counted"] + 1
    assert after["k"] == before["k"]


def test_deleting_an_account_keeps_statements_anonymised_and_votes_as_anonymous_data(phase):
    user = UserFactory(username="ingrid")
    services.submit_statement(author=user, phase=phase, text="ingrid thinks so too", language="en")
    statement = Statement.objects.get()
    services.cast_vote(user=user, statement=statement, value=1)

    exported = export_user_data(user=user)
    delete_account(user=user)

    assert exported["opinion_statements"][0]["text"] == "ingrid thinks so too"
    assert exported["opinion_votes"][0]["value"] == 1
    statement.refresh_from_db()
    assert statement.author is None and "ingrid" not in statement.text
    vote = Vote.objects.get()
    assert vote.voter.user is None and vote.value == 1


@pytest.mark.django_db
def test_the_demo_builds_a_map_with_three_groups(municipality):
    UserFactory(username="demo-editor")

    phase = build_opinion_demo(municipality=municipality, today=timezone.localdate())

    result = OpinionMap.objects.get(phase=phase).result
    assert result["participants_counted"] == 120 and result["k"] == 3
    assert Statement.objects.filter(phase=phase, status="pending").count() == 2
    again = services.recompute_map(phase_id=phase.pk, full=True).result
    assert again["groups"] == result["groups"]


def test_without_a_statement_shared_everywhere_the_page_says_so_and_ranks_the_closest(
    client, phase
):
    rows, _ = plant(phase, participants=150)
    opinion_map = services.recompute_map(phase_id=phase.pk, full=True)
    result = opinion_map.result
    for item in result["consensus"]:
        item["majority"] = False
    OpinionMap.objects.filter(pk=opinion_map.pk).update(result=result)
    closest = Statement.objects.get(pk=result["consensus"][0]["statement"])

    page = client.get(url("map", phase)).content.decode()

    assert "No statement has a majority in every group yet." in page
    assert "Closest to common ground" in page and closest.text in page
