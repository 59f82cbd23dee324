"""The portfolio dashboard: numbers on constructed data, visibility, query count and speed."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmap.framework.models import ActionArea, Barrier, BarrierCategory, Principle, Purpose
from roadmap.initiatives.models import (
    Assessment,
    BarrierEncounter,
    Initiative,
    Partner,
    Rating,
    Status,
)
from roadmap.initiatives.portfolio.selectors import portfolio_summary
from tests.factories import (
    FinalAssessmentFactory,
    InitiativeFactory,
    MembershipFactory,
    PartnerFactory,
)
from tests.initiatives.test_assessments import make_principle


def area(code):
    return ActionArea.objects.get(code=code)


def purpose(code):
    return Purpose.objects.get(code=code)


def partners(initiative, *sectors):
    for sector in sectors:
        PartnerFactory(initiative=initiative, sector=sector)


def latest_final(initiative, levels, on=None):
    assessment = FinalAssessmentFactory(
        initiative=initiative, assessed_on=on or datetime.date(2024, 6, 1), is_latest=on is None
    )
    Rating.objects.bulk_create(
        Rating(assessment=assessment, principle=principle, level=level)
        for principle, level in levels.items()
    )
    return assessment


@pytest.fixture
def portfolio(municipality, other_municipality):
    """Two public initiatives and one internal one in Fjordvik, and one in Elvdal that must
    never be counted."""
    p0 = make_principle("adh-0", municipality=municipality, order=0)
    p1 = make_principle("adh-1", municipality=municipality, order=1)
    barrier = Barrier.objects.filter(municipality__isnull=True).first()

    a = InitiativeFactory(
        municipality=municipality,
        status="planned",
        visibility="public",
        action_areas=[area("leadership"), area("inclusion")],
        purposes=[purpose("green")],
    )
    partners(a, "public", "business", "business", "academia")
    latest_final(a, {p0: 2, p1: 4})
    latest_final(a, {p0: 0, p1: 0}, on=datetime.date(2023, 1, 1))  # older: not counted

    b = InitiativeFactory(
        municipality=municipality,
        status="piloting",
        visibility="public",
        action_areas=[area("leadership")],
        purposes=[purpose("green"), purpose("liveable")],
    )
    partners(b, "business")
    latest_final(b, {p0: 2})
    draft = Assessment.objects.create(
        initiative=b, municipality=municipality, assessed_on=datetime.date(2024, 7, 1)
    )
    Rating.objects.create(assessment=draft, principle=p0, level=4)  # drafts are not counted
    BarrierEncounter.objects.create(initiative=b, barrier=barrier)
    BarrierEncounter.objects.create(initiative=b, description="Nobody owns the data")
    BarrierEncounter.objects.create(initiative=b, barrier=barrier, status="overcome")

    c = InitiativeFactory(
        municipality=municipality,
        status="piloting",
        visibility="internal",
        action_areas=[area("leadership")],
        purposes=[purpose("green")],
    )
    partners(c, "voluntary", "inhabitants", "public")
    latest_final(c, {p0: 3})
    BarrierEncounter.objects.create(initiative=c, description="Budget rules")

    d = InitiativeFactory(
        municipality=other_municipality,
        status="idea",
        visibility="public",
        action_areas=[area("leadership")],
        purposes=[purpose("green")],
    )
    partners(d, "public", "business", "academia")
    BarrierEncounter.objects.create(initiative=d, barrier=barrier)
    return {"p0": p0, "p1": p1, "category": barrier.category}


def levels_of(summary, principle):
    return next(row.counts for row in summary.principle_levels if row.principle == principle)


def sectors_of(summary):
    return {row.sector: (row.partners, row.initiatives) for row in summary.sectors}


def test_public_view_counts_public_initiatives_only(municipality, portfolio):
    summary = portfolio_summary(municipality, AnonymousUser())
    assert summary.initiatives == 2
    assert summary.by_status == [
        ("Idea", 0),
        ("Planned", 1),
        ("Piloting", 1),
        ("Scaling", 0),
        ("In operation", 0),
        ("Ended", 0),
    ]
    leadership, inclusion = area("leadership"), area("inclusion")
    assert summary.heat_count(leadership, purpose("green")) == 2
    assert summary.heat_count(inclusion, purpose("green")) == 1
    assert summary.heat_count(leadership, purpose("liveable")) == 1
    assert summary.heat_count(inclusion, purpose("liveable")) == 0
    assert sum(summary.area_purpose.values()) == 4
    assert levels_of(summary, portfolio["p0"]) == [0, 0, 2, 0, 0]
    assert levels_of(summary, portfolio["p1"]) == [0, 0, 0, 0, 1]
    assert sectors_of(summary) == {
        "public": (1, 1),
        "business": (3, 2),
        "academia": (1, 1),
        "voluntary": (0, 0),
        "inhabitants": (0, 0),
    }
    assert summary.initiatives_with_partners == 2
    assert summary.cross_sector_initiatives == 1
    barriers = dict(summary.open_barriers)
    assert barriers[portfolio["category"].name] == 1
    assert barriers["Other / not in catalogue"] == 1
    assert sum(barriers.values()) == 2


def test_members_count_internal_initiatives_too(municipality, portfolio, editor):
    summary = portfolio_summary(municipality, editor)
    assert summary.initiatives == 3
    assert dict(summary.by_status)["Piloting"] == 2
    assert summary.heat_count(area("leadership"), purpose("green")) == 3
    assert levels_of(summary, portfolio["p0"]) == [0, 0, 2, 1, 0]
    assert sectors_of(summary)["public"] == (2, 2)
    assert sectors_of(summary)["voluntary"] == (1, 1)
    assert summary.cross_sector_initiatives == 2
    assert dict(summary.open_barriers)["Other / not in catalogue"] == 2


def test_other_municipalitys_members_see_the_public_numbers(municipality, portfolio, outsider):
    assert portfolio_summary(municipality, outsider).initiatives == 2


def give_budgets(portfolio_initiatives, budgets):
    for initiative, budget in zip(portfolio_initiatives, budgets, strict=True):
        Initiative.objects.filter(pk=initiative.pk).update(budget=budget)


def fjordvik_initiatives(municipality):
    """The fixture's three initiatives in the order made: public a, public b, internal c."""
    return list(Initiative.objects.filter(municipality=municipality).order_by("pk"))


def test_headline_figures_count_what_the_viewer_may_see(municipality, portfolio, editor):
    give_budgets(fjordvik_initiatives(municipality), [1_250_000, None, 500_000])

    public = portfolio_summary(municipality, AnonymousUser())
    assert (public.total_budget, public.budgeted_initiatives) == (1_250_000, 1)
    assert (public.assessed_initiatives, public.assessed_percent) == (2, 100)
    assert public.mean_maturity == 2.7  # levels 2 and 4 (a), 2 (b); a's older one not counted

    member = portfolio_summary(municipality, editor)
    assert (member.total_budget, member.budgeted_initiatives) == (1_750_000, 2)
    assert (member.assessed_initiatives, member.assessed_percent) == (3, 100)
    assert member.mean_maturity == 2.8  # and 3 (c): 11 / 4 = 2.75


def test_dashboard_shows_the_headline_figures(client, municipality, portfolio):
    give_budgets(fjordvik_initiatives(municipality), [1_250_000, None, 500_000])
    InitiativeFactory(municipality=municipality, visibility="public")  # never assessed
    html = client.get(
        reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"})
    ).content.decode()
    figures = html.split('class="headline-figures"')[1].split("</dl>")[0]
    assert '<dd class="headline-figures__value">3</dd>' in figures
    assert "1,250,000 NOK" in figures
    assert "1 of 3 initiatives gives a budget" in figures
    assert '<dd class="headline-figures__value">67 %</dd>' in figures
    assert "2 of 3 initiatives have a final assessment" in figures
    assert "2.7 / 4" in figures


def test_a_municipality_without_initiatives_gets_an_empty_state_not_empty_charts(
    client, municipality, editor
):
    dashboard = reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"})
    html = client.get(dashboard).content.decode()
    assert "No initiatives yet" in html
    assert "<figure" not in html and "<svg" not in html and "headline-figures" not in html
    assert "Add the first initiative" not in html  # visitors cannot add one
    assert "data table below it" not in html

    client.force_login(editor)
    html = client.get(dashboard).content.decode()
    create = reverse("initiatives:create", kwargs={"municipality": "fjordvik"})
    assert f'href="{create}">Add the first initiative</a>' in html


def test_dashboard_page_shows_five_charts_with_tables(client, municipality, portfolio):
    response = client.get(reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<figure") == 5
    # Each chart twice: the wide drawing and the narrow one for phones.
    assert html.count('class="chart__svg chart__svg--wide"') == 5
    assert html.count('class="chart__svg chart__svg--narrow"') == 5
    assert html.count("<table") == 5
    assert html.count("<h1") == 1
    assert "2 public initiatives." in html
    # The lifecycle table lists every status in order, zeros included.
    statuses = [str(label) for label in Status.labels]
    positions = [html.index(f'<th scope="row">{label}</th>') for label in statuses]
    assert positions == sorted(positions)
    assert "1 of 2 initiatives (50 %) have partners from three or more sectors" in html
    assert "<script>" not in html.split("</head>")[1]
    assert 'style="' not in html


def test_dashboard_escapes_user_text_in_charts(client, municipality):
    InitiativeFactory(municipality=municipality, visibility="public")
    principle = make_principle("xss", municipality=municipality)
    Principle.objects.filter(pk=principle.pk).update(name_en="<script>alert(1)</script>")
    html = client.get(
        reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"})
    ).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def build_portfolio(municipality, count, principles, assessments_per_initiative=1):
    """`count` initiatives with areas, purposes, partners, barriers and final assessments,
    written in bulk."""
    statuses = itertools.cycle(Status.values)
    sectors = ["public", "business", "academia", "voluntary", "inhabitants"]
    areas, purposes = list(ActionArea.objects.all()), list(Purpose.objects.all())
    barrier = Barrier.objects.filter(municipality__isnull=True).first()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            municipality=municipality,
            title=f"Bulk {n}",
            summary="Bulk",
            status=next(statuses),
            visibility="public" if n % 3 else "internal",
        )
        for n in range(count)
    )
    Initiative.action_areas.through.objects.bulk_create(
        Initiative.action_areas.through(initiative=i, actionarea=areas[n % len(areas)])
        for n, i in enumerate(initiatives)
    )
    Initiative.purposes.through.objects.bulk_create(
        Initiative.purposes.through(initiative=i, purpose=purposes[(n * 2) % len(purposes)])
        for n, i in enumerate(initiatives)
    )
    Partner.objects.bulk_create(
        Partner(initiative=i, organisation=f"Org {k}", sector=sectors[(n + k) % 5])
        for n, i in enumerate(initiatives)
        for k in range(n % 4 + 1)
    )
    BarrierEncounter.objects.bulk_create(
        BarrierEncounter(
            initiative=i,
            barrier=barrier if n % 2 else None,
            description="" if n % 2 else "Free text",
        )
        for n, i in enumerate(initiatives)
    )
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            initiative=i,
            municipality=municipality,
            assessed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=k),
            status="final",
            finalised_at=now,
            is_latest=k == assessments_per_initiative - 1,
        )
        for i in initiatives
        for k in range(assessments_per_initiative)
    )
    Rating.objects.bulk_create(
        Rating(assessment=a, principle=p, level=(a.pk + j) % 5)
        for a in assessments
        for j, p in enumerate(principles)
    )


def dashboard_queries(client, slug):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("municipalities:dashboard", kwargs={"municipality": slug}))
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", [None, "editor"])
def test_dashboard_query_count_is_constant(client, request, municipality, other_municipality, who):
    principles = [make_principle(f"q{n}", municipality=municipality, order=n) for n in range(3)]
    other_principles = [
        make_principle(f"o{n}", municipality=other_municipality, order=n) for n in range(3)
    ]
    build_portfolio(municipality, 3, principles)
    build_portfolio(other_municipality, 60, other_principles, assessments_per_initiative=3)
    if who:
        client.force_login(request.getfixturevalue(who))
        # The same role in the other municipality, so both pages count everything.
        MembershipFactory(user=request.getfixturevalue(who), municipality=other_municipality)
    assert dashboard_queries(client, "fjordvik") == dashboard_queries(client, "elvdal")


def test_dashboard_summarises_a_large_portfolio(client, municipality, editor):
    """How fast it answers is measured by benchmarks/profile_page.py (docs/performance.md);
    here: a large portfolio renders and adds up."""
    principles = [make_principle(f"big{n}", municipality=municipality, order=n) for n in range(8)]
    build_portfolio(municipality, 400, principles, assessments_per_initiative=3)
    assert Assessment.objects.filter(municipality=municipality).count() == 1200
    client.force_login(editor)
    dashboard = reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"})

    response = client.get(dashboard)

    assert response.status_code == 200
    summary = portfolio_summary(municipality, editor)
    assert summary.initiatives == 400
    assert sum(row.total for row in summary.principle_levels) == 400 * 8
    assert BarrierCategory.objects.exists()
