import datetime
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from roadmap.accounts.models import User
from roadmap.core.models import AuditEvent
from roadmap.demo.build import (
    DEMO_ADMIN_PASSWORD,
    DEMO_ADMIN_USERNAME,
    DEMO_SLUG,
    NEIGHBOUR_SLUG,
    build_demo,
)
from roadmap.framework.models import ActionArea, Principle
from roadmap.initiatives.models import (
    Assessment,
    BarrierEncounter,
    Initiative,
    Partner,
    Pilot,
    Rating,
    Sector,
    Status,
)
from roadmap.municipalities.models import Membership, Municipality

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def demo():
    return build_demo(today=TODAY)


def fingerprint():
    """Everything the seeded generator decides, in a stable order."""
    initiatives = list(
        Initiative.objects.order_by("municipality__slug", "title").values_list(
            "municipality__slug", "title", "status", "start_date", "end_date", "visibility"
        )
    )
    ratings = list(
        Rating.objects.order_by(
            "assessment__initiative__title", "assessment__assessed_on", "principle__code"
        ).values_list(
            "assessment__initiative__title",
            "assessment__assessed_on",
            "assessment__status",
            "principle__code",
            "level",
        )
    )
    barriers = sorted(
        BarrierEncounter.objects.values_list("initiative__title", "barrier__code", "status"),
        key=str,
    )
    return initiatives, ratings, barriers


def test_rebuilding_gives_the_same_data(demo):
    first = fingerprint()
    build_demo(reset=True, today=TODAY)
    second = fingerprint()
    assert first == second
    assert len(first[1]) > 100


def test_building_twice_without_reset_is_refused(demo):
    with pytest.raises(CommandError, match="--reset"):
        call_command("build_demo")
    assert Municipality.objects.filter(slug=DEMO_SLUG).count() == 1


def test_reset_replaces_the_demo_without_duplicates(demo):
    call_command("build_demo", "--reset")
    assert Municipality.objects.filter(slug__in=[DEMO_SLUG, NEIGHBOUR_SLUG]).count() == 2
    assert User.objects.filter(username=DEMO_ADMIN_USERNAME).count() == 1


def test_portfolio_covers_every_status_area_and_sector(demo):
    initiatives = Initiative.objects.filter(municipality=demo)
    assert initiatives.count() >= 25
    assert set(initiatives.values_list("status", flat=True)) == set(Status.values)
    assert set(initiatives.values_list("action_areas", flat=True)) == set(
        ActionArea.objects.values_list("pk", flat=True)
    )
    sectors = set(
        Partner.objects.filter(initiative__municipality=demo).values_list("sector", flat=True)
    )
    assert sectors == set(Sector.values)
    assert initiatives.filter(visibility="internal").exists()
    assert initiatives.filter(visibility="public").count() > initiatives.count() / 2


def test_most_initiatives_have_several_assessments_rating_every_principle(demo):
    counts = Initiative.objects.filter(municipality=demo).annotate(n=Count("assessments"))
    with_two_or_more = [initiative for initiative in counts if initiative.n >= 2]
    assert len(with_two_or_more) >= 0.75 * len(counts)
    in_scope = Principle.objects.filter(Q(municipality__isnull=True) | Q(municipality=demo)).count()
    rated = Assessment.objects.filter(municipality=demo).annotate(n=Count("ratings"))
    assert {assessment.n for assessment in rated} == {in_scope}
    assert Rating.objects.filter(assessment__municipality=demo, evidence="").count() == 0
    assert Assessment.objects.filter(municipality=demo, status="draft").exists()


def test_latest_marks_the_newest_final_assessment_of_each_initiative(demo):
    for initiative in Initiative.objects.all():
        finals = initiative.assessments.filter(status="final").order_by("-assessed_on", "-id")
        latest = list(initiative.assessments.filter(is_latest=True))
        assert latest == list(finals[:1])


def test_latest_assessments_usually_show_progress(demo):
    improved = 0
    initiatives = Initiative.objects.filter(municipality=demo).annotate(
        finals=Count("assessments", filter=Q(assessments__status="final"))
    )
    several = [initiative for initiative in initiatives if initiative.finals >= 2]
    for initiative in several:
        finals = initiative.assessments.filter(status="final").order_by("assessed_on", "id")
        first, last = finals.first(), finals.last()
        first_sum = sum(first.ratings.values_list("level", flat=True))
        last_sum = sum(last.ratings.values_list("level", flat=True))
        improved += last_sum > first_sum
    assert improved > len(several) / 2


def test_dates_fit_the_status(demo):
    for initiative in Initiative.objects.all():
        if initiative.status == Status.IDEA:
            assert initiative.start_date is None
        elif initiative.status == Status.PLANNED:
            assert initiative.start_date > TODAY
        else:
            assert initiative.start_date < TODAY
        if initiative.status == Status.ENDED:
            assert initiative.end_date < TODAY
        for assessment in initiative.assessments.all():
            assert assessment.assessed_on <= TODAY
    for pilot in Pilot.objects.exclude(decision=""):
        assert pilot.start_date <= pilot.end_date < TODAY


def test_barriers_met_in_every_state_from_catalogue_and_free_text(demo):
    barriers = BarrierEncounter.objects.filter(initiative__municipality=demo)
    assert set(barriers.values_list("status", flat=True)) == {"open", "mitigated", "overcome"}
    assert barriers.filter(barrier__isnull=False).exists()
    assert barriers.filter(barrier__isnull=True).count() >= 3


def test_demo_accounts_and_roles(demo, client):
    roles = Counter(Membership.objects.filter(municipality=demo).values_list("role", flat=True))
    assert set(roles) == {"administrator", "editor", "assessor", "moderator"}
    admin = User.objects.get(username=DEMO_ADMIN_USERNAME)
    assert admin.is_superuser and admin.is_staff
    assert not Membership.objects.filter(user__username="demo-participant").exists()
    assert client.login(username=DEMO_ADMIN_USERNAME, password=DEMO_ADMIN_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_neighbour_shows_up_for_cross_municipality_browsing(demo):
    neighbour = Municipality.objects.get(slug=NEIGHBOUR_SLUG)
    assert neighbour.country != demo.country
    assert neighbour.initiatives.filter(visibility="public").count() >= 3


def test_audit_trail_records_the_demo_editor(demo):
    events = AuditEvent.objects.filter(municipality=demo)
    assert events.count() >= 5
    assert set(events.values_list("actor__username", flat=True)) == {"demo-editor"}


def test_setup_demo_builds_on_an_empty_database_and_then_leaves_it(capsys):
    call_command("setup_demo")
    printed = capsys.readouterr().out
    assert DEMO_ADMIN_PASSWORD in printed
    assert f"The platform is ready at http://127.0.0.1:8000/m/{DEMO_SLUG}/" in printed
    initiative = Initiative.objects.get(municipality__slug=DEMO_SLUG, title__startswith="Open data")
    initiative.title = "Changed by a user"
    initiative.save()
    counts = (Initiative.objects.count(), Assessment.objects.count(), Rating.objects.count())

    call_command("setup_demo", host="0.0.0.0", port="8102")  # noqa: S104 (as make run HOST=0.0.0.0)

    printed = capsys.readouterr().out
    assert "left as it is" in printed
    assert f"The platform is ready at http://127.0.0.1:8102/m/{DEMO_SLUG}/" in printed
    assert "platform administrator: http://127.0.0.1:8102/admin/" in printed
    assert (
        Initiative.objects.count(),
        Assessment.objects.count(),
        Rating.objects.count(),
    ) == counts
    assert Initiative.objects.filter(title="Changed by a user").exists()
