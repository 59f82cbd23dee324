"""Inclusion figures on the process page: correct counts, small counts suppressed, few queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.municipalities.models import District
from roadmap.participation.activity_services import rebuild_process_activity
from roadmap.participation.models import Comment, Proposal, ResidentVerification, Support
from roadmap.participation.processes.selectors import process_figures
from tests.factories import UserFactory
from tests.participation.factories import (
    CommentFactory,
    PhaseFactory,
    ProcessFactory,
    ProposalFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db
FEWER = "fewer than 5"


def _at(model, obj, when):
    """Move a contribution's creation time (auto_now_add cannot be set on create)."""
    model.objects.filter(pk=obj.pk).update(created_at=when)


@pytest.fixture
def phase(municipality):
    return PhaseFactory(process=ProcessFactory(municipality=municipality))


def figures_from_rows(process):
    """The figures after recounting from the rows the test wrote (factories skip the services)."""
    rebuild_process_activity([process.pk])
    return process_figures(process)


def _row(chart, category):
    return next(row for row in chart.rows if row[0] == category)


def test_counts_per_week_with_suppression(phase):
    monday = timezone.make_aware(datetime.datetime(2025, 3, 3, 12))
    authors = UserFactory.create_batch(6)
    proposals = [ProposalFactory(phase=phase, author=author) for author in authors]
    for proposal in proposals:
        _at(Proposal, proposal, monday)
    # The next week: three comments by new people and seven supports by the authors and others.
    for user in UserFactory.create_batch(3):
        _at(
            Comment,
            CommentFactory(proposal=proposals[0], author=user),
            monday + datetime.timedelta(days=7),
        )
    supporters = [*authors, *UserFactory.create_batch(1)]
    for user in supporters:
        _at(
            Support,
            SupportFactory(proposal=proposals[1], user=user),
            monday + datetime.timedelta(days=8),
        )
    # A hidden proposal does not count; its author took part all the same.
    hidden = ProposalFactory(phase=phase, visibility="hidden")
    _at(Proposal, hidden, monday)

    chart = figures_from_rows(phase.process).over_time

    assert chart.columns == ["Week starting", "Participants", "Proposals", "Comments", "Supports"]
    assert _row(chart, "2025-03-03") == ["2025-03-03", "7", "6", FEWER, FEWER]
    # 3 commenters + 1 new supporter are new participants in week two; authors are not new.
    assert _row(chart, "2025-03-10") == ["2025-03-10", FEWER, FEWER, FEWER, "7"]
    labels = [value["label"] for value in chart.spec["data"]["values"]]
    assert "3" not in labels and "1" not in labels and "<5" in labels
    assert "fewer than 5" in chart.svg


def test_months_when_weeks_would_be_too_many(phase):
    start = timezone.make_aware(datetime.datetime(2024, 1, 10, 12))
    for months in (0, 8):
        proposal = ProposalFactory(phase=phase)
        _at(Proposal, proposal, start + datetime.timedelta(days=31 * months))

    chart = figures_from_rows(phase.process).over_time

    assert chart.columns[0] == "Month"
    assert [row[0] for row in chart.rows] == [f"2024-{month:02}" for month in range(1, 10)]


def test_by_district_uses_verification_and_suppresses(phase, municipality):
    north = District.objects.create(municipality=municipality, name="North")
    District.objects.create(municipality=municipality, name="South")
    residents = UserFactory.create_batch(5)
    for user in residents:
        ResidentVerification.objects.create(municipality=municipality, user=user, district=north)
        ProposalFactory(phase=phase, author=user)
    ProposalFactory(phase=phase)  # an unverified author

    chart = figures_from_rows(phase.process).by_district

    assert _row(chart, "North") == ["North", "5", "5", FEWER, FEWER]
    assert _row(chart, "South") == ["South", FEWER, FEWER, FEWER, FEWER]
    assert _row(chart, "Unknown district") == ["Unknown district", FEWER, FEWER, FEWER, FEWER]


def test_no_district_figure_without_districts(phase):
    ProposalFactory(phase=phase)
    figures = figures_from_rows(phase.process)
    assert figures.over_time is not None
    assert figures.by_district is None


def test_no_figures_before_anyone_takes_part(phase):
    figures = process_figures(phase.process)
    assert figures.over_time is None and figures.by_district is None


@pytest.fixture
def districts(municipality):
    District.objects.create(municipality=municipality, name="North")


def _queries_for_figures(phase, count, django_assert_num_queries, expected):
    for _ in range(count):
        proposal = ProposalFactory(phase=phase)
        CommentFactory(proposal=proposal)
        SupportFactory(proposal=proposal)
    rebuild_process_activity([phase.process.pk])
    with django_assert_num_queries(expected):
        figures = process_figures(phase.process)
        assert figures.over_time.rows and figures.by_district.rows


def test_figures_take_a_constant_number_of_queries(
    phase, districts, django_assert_num_queries, municipality
):
    other = PhaseFactory(process=ProcessFactory(municipality=municipality))
    _queries_for_figures(phase, 3, django_assert_num_queries, 3)
    _queries_for_figures(other, 60, django_assert_num_queries, 3)


def test_process_page_shows_figures_with_suppressed_counts(client, phase):
    for _ in range(6):
        ProposalFactory(phase=phase)
    CommentFactory(proposal=Proposal.objects.first())
    rebuild_process_activity([phase.process.pk])
    url = reverse(
        "participation:process_detail",
        kwargs={"municipality": phase.process.municipality.slug, "process": phase.process.slug},
    )
    response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Participation over time" in content
    assert "<td>6</td>" in content
    assert f"<td>{FEWER}</td>" in content
    assert "<td>1</td>" not in content
