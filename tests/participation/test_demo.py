import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.demo.build import DEMO_ADMIN_PASSWORD, DEMO_SLUG, build_demo
from roadmap.participation.demo import demo_usernames
from roadmap.participation.models import (
    Comment,
    Notification,
    Phase,
    Process,
    Proposal,
    ResidentVerification,
    Support,
    Visibility,
)
from roadmap.participation.permissions import action_decision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def demo():
    return build_demo(today=TODAY)


def fingerprint():
    """Everything the seeded generator decides, in a stable order."""
    proposals = list(
        Proposal.objects.order_by("process__slug", "title").values_list(
            "process__slug",
            "title",
            "author__username",
            "status",
            "visibility",
            "support_count",
            "comment_count",
            "created_at",
        )
    )
    comments = list(
        Comment.objects.order_by("proposal__title", "created_at", "id").values_list(
            "proposal__title", "author__username", "body", "depth", "visibility"
        )
    )
    supports = sorted(Support.objects.values_list("proposal__title", "user__username"))
    notifications = sorted(Notification.objects.values_list("user__username", "message"))
    return proposals, comments, supports, notifications


def test_rebuilding_gives_the_same_participation_data(demo):
    first = fingerprint()
    build_demo(reset=True, today=TODAY)
    assert fingerprint() == first
    assert User.objects.filter(username__in=demo_usernames()).count() == len(demo_usernames())


def test_stored_counts_equal_rows(demo):
    proposals = Proposal.objects.annotate(
        supports_counted=Count("supports", distinct=True),
        comments_counted=Count("comments", distinct=True),
    )
    assert proposals.count() >= 25
    for proposal in proposals:
        assert proposal.support_count == proposal.supports_counted
        assert proposal.comment_count == proposal.comments_counted
    assert Support.objects.count() > 25
    assert Comment.objects.filter(depth=2).exists()


def test_one_process_takes_proposals_now_and_one_shows_results(demo):
    now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(13)))
    current = {
        process.slug: process.phases.get(starts_at__lte=now, ends_at__gt=now).kind
        for process in Process.objects.filter(municipality=demo)
    }
    assert current == {
        "strandvika-park": "proposals",
        "climate-budget-2027": "results",
        "fjordvik-2030-workshop": "workshop",
        "harbour-opinions": "opinion_map",
    }
    park = Process.objects.get(slug="strandvika-park")
    assert list(park.initiatives.values_list("title", flat=True)) == [
        "Youth co-design of Strandvika park"
    ]
    assert park.categories.count() == 3
    assert all(process.data_statement for process in Process.objects.all())


def test_answers_moderation_and_organisation(demo):
    answered = Proposal.objects.exclude(answer="")
    assert answered.count() >= 3
    accepted = answered.get(status="accepted", initiative__isnull=False)
    assert accepted.initiative.municipality == demo
    assert accepted.initiative.source_proposals.filter(pk=accepted.pk).exists()
    assert accepted.answered_by.username == "demo-editor"
    hidden = Comment.objects.get(visibility=Visibility.HIDDEN)
    assert hidden.moderation_reason
    assert Proposal.objects.filter(visibility=Visibility.PENDING).count() == 1
    organisation_proposal = Proposal.objects.get(organisation__isnull=False)
    assert organisation_proposal.author in organisation_proposal.organisation.members.all()
    # Every supporter of the answered proposal heard about the answer.
    told = set(Notification.objects.filter(proposal=accepted).values_list("user_id", flat=True))
    assert set(accepted.supports.values_list("user_id", flat=True)) <= told


def test_supporters_are_verified_residents_with_districts(demo):
    verified = ResidentVerification.objects.filter(municipality=demo)
    assert verified.count() >= 5
    assert not verified.filter(district__isnull=True).exists()
    supporters = set(Support.objects.values_list("user_id", flat=True))
    assert supporters <= set(verified.values_list("user_id", flat=True))


def test_demo_participants_can_sign_in_and_support_in_the_open_phase(client):
    # Phases are dated from the build day, so build for today to ask about now.
    build_demo()
    assert client.login(username="demo-resident-liv", password=DEMO_ADMIN_PASSWORD)
    phase = Phase.objects.get(process__slug="strandvika-park", kind="proposals")
    assert action_decision(User.objects.get(username="demo-resident-liv"), phase, "support")
    unverified = User.objects.get(username="demo-resident-nils")
    assert not action_decision(unverified, phase, "support")
    assert action_decision(unverified, phase, "comment")


def test_everything_lives_in_the_demo_municipality(demo):
    assert set(Process.objects.values_list("municipality__slug", flat=True)) == {DEMO_SLUG}
    assert not Proposal.objects.filter(~Q(process__municipality=demo)).exists()
