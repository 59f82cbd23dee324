"""The stored inclusion counts move with every write and always equal a recount from the rows."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from roadmap.municipalities.models import District
from roadmap.participation.activity_services import rebuild_process_activity
from roadmap.participation.models import (
    ProcessActivity,
    ProcessParticipant,
    Proposal,
    ResidentVerification,
)
from roadmap.participation.moderation import services as moderation_services
from roadmap.participation.proposals import services as proposal_services
from tests.conftest import member
from tests.factories import UserFactory
from tests.participation.factories import ProposalFactory
from tests.participation.test_proposals import (
    fresh_rate_limits,  # noqa: F401  (autouse)
    old_user,
    phase,  # noqa: F401  (fixture)
    process,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.django_db
PROPOSAL = {"title": "More benches", "body": "By the harbour.", "category": None}


def stored(counted) -> tuple[list, set]:
    """The process's counts per day and district (empty rows left out) and its participants."""
    rows = (
        ProcessActivity.objects.filter(process=counted)
        .exclude(participants=0, proposals=0, comments=0, supports=0)
        .order_by("day", "district_key")
        .values_list("day", "district_key", "participants", "proposals", "comments", "supports")
    )
    people = set(
        ProcessParticipant.objects.filter(process=counted).values_list("user", "first_day")
    )
    return list(rows), people


def assert_counts_match_a_recount(counted) -> tuple[list, set]:
    kept = stored(counted)
    rebuild_process_activity([counted.pk])
    assert stored(counted) == kept
    return kept


def totals(counted) -> dict:
    return ProcessActivity.objects.filter(process=counted).aggregate(
        participants=Sum("participants"),
        proposals=Sum("proposals"),
        comments=Sum("comments"),
        supports=Sum("supports"),
    )


@pytest.fixture
def north(municipality):
    return District.objects.create(municipality=municipality, name="North")


def resident(municipality, district):
    user = old_user()
    ResidentVerification.objects.create(municipality=municipality, user=user, district=district)
    return user


def test_every_write_moves_the_counts_as_a_recount_would(process, municipality, north):  # noqa: F811
    authors = [resident(municipality, north) for _ in range(3)]
    stranger = old_user()
    proposals = [
        proposal_services.create_proposal(author=author, process=process, data=PROPOSAL)
        for author in authors
    ]
    for supporter in [*authors, stranger]:
        proposal_services.support(user=supporter, proposal=proposals[0])
    comment = proposal_services.add_comment(author=stranger, proposal=proposals[0], body="Yes!")
    reply = proposal_services.add_comment(
        author=authors[1], proposal=proposals[0], body="Agreed.", parent=comment
    )
    assert totals(process) == {"participants": 4, "proposals": 3, "comments": 2, "supports": 4}
    rows, people = assert_counts_match_a_recount(process)
    today = datetime.date.today()
    assert {row[1] for row in rows} == {north.pk, ProcessActivity.UNKNOWN_DISTRICT}
    assert people == {(user.pk, today) for user in [*authors, stranger]}

    proposal_services.withdraw_support(user=stranger, proposal=proposals[0])
    assert totals(process)["supports"] == 3
    assert totals(process)["participants"] == 4, "withdrawing does not undo taking part"
    assert_counts_match_a_recount(process)

    # Someone whose only contribution was a support they took back took part all the same.
    passer_by = old_user()
    proposal_services.support(user=passer_by, proposal=proposals[1])
    proposal_services.withdraw_support(user=passer_by, proposal=proposals[1])
    assert totals(process)["participants"] == 5
    assert_counts_match_a_recount(process)

    moderator = member(municipality, "moderator")
    moderation_services.hide_item(actor=moderator, item=reply, reason="Off topic.")
    assert totals(process)["comments"] == 1
    assert_counts_match_a_recount(process)

    # Hiding a proposal takes its comments and supports out of the figures, restoring brings
    # them back.
    moderation_services.hide_item(actor=moderator, item=proposals[0], reason="Duplicate.")
    assert totals(process) == {"participants": 5, "proposals": 2, "comments": 0, "supports": 0}
    assert_counts_match_a_recount(process)
    moderation_services.restore_item(actor=moderator, item=Proposal.objects.get(pk=proposals[0].pk))
    assert totals(process) == {"participants": 5, "proposals": 3, "comments": 1, "supports": 3}
    assert_counts_match_a_recount(process)


def test_posts_waiting_for_approval_count_once_approved(process, municipality):  # noqa: F811
    newcomer = UserFactory()  # a brand-new account: its links wait for approval
    proposal = proposal_services.create_proposal(
        author=newcomer,
        process=process,
        data={**PROPOSAL, "body": "See https://example.com"},
    )
    assert proposal.visibility == "pending"
    assert totals(process) == {"participants": 1, "proposals": 0, "comments": 0, "supports": 0}
    assert_counts_match_a_recount(process)

    moderator = member(municipality, "moderator")
    moderation_services.approve_item(actor=moderator, item=proposal)
    assert totals(process)["proposals"] == 1
    assert_counts_match_a_recount(process)


def test_an_edit_that_sends_a_proposal_back_to_approval_counts_it_out(process):  # noqa: F811
    newcomer = UserFactory()
    proposal = proposal_services.create_proposal(author=newcomer, process=process, data=PROPOSAL)
    assert totals(process)["proposals"] == 1

    proposal_services.update_proposal(
        actor=newcomer, proposal=proposal, data={**PROPOSAL, "body": "Now https://spam.example"}
    )

    assert totals(process)["proposals"] == 0
    assert_counts_match_a_recount(process)


def test_the_command_recounts_figures_of_rows_loaded_in_bulk(process):  # noqa: F811
    ProposalFactory(phase=process.phases.get())  # written past the services
    assert totals(process)["proposals"] is None

    call_command("rebuild_process_figures", str(process.pk), stdout=io.StringIO())

    assert totals(process) == {"participants": 1, "proposals": 1, "comments": 0, "supports": 0}
