"""The portfolio list: visibility, filters, pagination, query count, escaping."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.framework.models import ActionArea, Principle, Purpose
from tests.factories import InitiativeFactory, PartnerFactory

LIST_URL = reverse("initiatives:list", kwargs={"municipality": "fjordvik"})


def listed_titles(response) -> list[str]:
    """Titles linked from the result table, in order."""
    return re.findall(r'/initiatives/\d+/">([^<]+)</a></td>', response.content.decode())


@pytest.fixture
def public_and_internal(municipality):
    public = InitiativeFactory(
        municipality=municipality, title="Open bus data", visibility="public"
    )
    internal = InitiativeFactory(
        municipality=municipality, title="Draft sensor plan", visibility="internal"
    )
    return public, internal


def test_outsiders_see_public_initiatives_only(client, public_and_internal, participant):
    for user in (None, participant):
        if user:
            client.force_login(user)
        response = client.get(LIST_URL)
        assert response.status_code == 200
        assert listed_titles(response) == ["Open bus data"]
        assert "1 initiative" in response.content.decode()
        assert "Visibility" not in response.content.decode()


def test_members_see_internal_initiatives_with_visibility_tag(
    client, public_and_internal, assessor
):
    client.force_login(assessor)
    response = client.get(LIST_URL)
    page = response.content.decode()
    assert sorted(listed_titles(response)) == ["Draft sensor plan", "Open bus data"]
    assert "Internal to the municipality" in page
    assert "2 initiatives" in page


def test_other_municipalities_initiatives_are_not_listed(client, municipality, other_municipality):
    InitiativeFactory(municipality=other_municipality, title="Elvdal river walk")
    InitiativeFactory(municipality=municipality, title="Fjordvik harbour")
    assert listed_titles(client.get(LIST_URL)) == ["Fjordvik harbour"]


def test_new_initiative_button_only_for_editors(client, municipality, editor, assessor):
    create_url = reverse("initiatives:create", kwargs={"municipality": "fjordvik"})
    client.force_login(assessor)
    assert create_url not in client.get(LIST_URL).content.decode()
    client.force_login(editor)
    assert create_url in client.get(LIST_URL).content.decode()


def test_filter_by_status_and_text(client, municipality):
    InitiativeFactory(municipality=municipality, title="Smart bins", status="piloting")
    InitiativeFactory(
        municipality=municipality,
        title="Bus app",
        summary="Real-time BINS of buses",
        status="piloting",
    )
    InitiativeFactory(municipality=municipality, title="Bins for paper", status="idea")
    response = client.get(LIST_URL, {"status": "piloting", "text": "bins"})
    page = response.content.decode()
    assert sorted(listed_titles(response)) == ["Bus app", "Smart bins"]
    assert "2 initiatives" in page
    assert "Status: Piloting" in page
    assert "Search titles and summaries: bins" in page
    assert "Clear filters" in page


def test_filter_by_related_entries_gives_no_duplicates(client, municipality):
    leadership = ActionArea.objects.get(code="leadership")
    inclusion = ActionArea.objects.get(code="inclusion")
    green = Purpose.objects.get(code="green")
    principle = Principle.objects.filter(municipality__isnull=True).first()
    matching = InitiativeFactory(
        municipality=municipality,
        title="Matches all",
        action_areas=[leadership, inclusion],
        purposes=[green],
        principles=[principle],
    )
    # Several partners in the same sector would repeat the row under a plain join.
    for name in ("Acme", "Bolt", "Cogs"):
        PartnerFactory(initiative=matching, organisation=name, sector="business")
    InitiativeFactory(municipality=municipality, title="Leadership only", action_areas=[leadership])
    other = InitiativeFactory(municipality=municipality, title="Volunteers", purposes=[green])
    PartnerFactory(initiative=other, sector="voluntary")

    def titles(**filters):
        return sorted(listed_titles(client.get(LIST_URL, filters)))

    assert titles(action_area="leadership") == ["Leadership only", "Matches all"]
    assert titles(purpose="green") == ["Matches all", "Volunteers"]
    assert titles(principle=principle.pk) == ["Matches all"]
    assert titles(sector="business") == ["Matches all"]
    assert titles(sector="voluntary") == ["Volunteers"]
    assert titles(action_area="leadership", purpose="green", sector="business") == ["Matches all"]
    response = client.get(LIST_URL, {"sector": "business"})
    assert "1 initiative" in response.content.decode()


def test_principle_filter_offers_own_local_principles_not_others(
    client, municipality, other_municipality
):
    own = Principle.objects.create(
        municipality=municipality, code="fjord", name="Fjord for all", summary="-", source="local"
    )
    foreign = Principle.objects.create(
        municipality=other_municipality,
        code="river",
        name="River first",
        summary="-",
        source="local",
    )
    InitiativeFactory(municipality=municipality, title="With local", principles=[own])
    page = client.get(LIST_URL).content.decode()
    assert "Fjord for all (local)" in page
    assert "River first" not in page
    assert listed_titles(client.get(LIST_URL, {"principle": own.pk})) == ["With local"]
    refused = client.get(LIST_URL, {"principle": foreign.pk})
    assert "Select a valid choice." in refused.content.decode()


def test_invalid_filter_value_is_reported_not_a_crash(client, municipality):
    InitiativeFactory(municipality=municipality, title="Still listed")
    response = client.get(LIST_URL, {"status": "nonsense", "action_area": "nowhere"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Status: Select a valid choice. nonsense is not one of the available choices." in page
    assert "Action area: Select a valid choice." in page
    assert listed_titles(response) == ["Still listed"]


def test_filter_form_works_without_javascript(client, municipality):
    page = client.get(LIST_URL).content.decode()
    form = re.search(r'<form method="get"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    assert '<button type="submit"' in form.group(1)
    for name in ("text", "status", "action_area", "purpose", "principle", "sector"):
        assert f'name="{name}"' in form.group(1)
        assert f'for="id_{name}"' in form.group(1)


def test_pagination_by_twenty_keeps_filters(client, municipality):
    for number in range(25):
        InitiativeFactory(municipality=municipality, title=f"Pilot {number:02}", status="piloting")
    InitiativeFactory(municipality=municipality, title="Idea only", status="idea")
    first = client.get(LIST_URL, {"status": "piloting"})
    assert len(listed_titles(first)) == 20
    assert "Page 1 of 2" in first.content.decode()
    assert "?page=2&amp;status=piloting" in first.content.decode()
    second = client.get(LIST_URL, {"status": "piloting", "page": 2})
    assert len(listed_titles(second)) == 5
    assert "Idea only" not in second.content.decode()
    assert client.get(LIST_URL, {"page": 9}).status_code == 404


def test_titles_are_escaped(client, municipality):
    InitiativeFactory(municipality=municipality, title="<script>alert(1)</script>")
    page = client.get(LIST_URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_search_text_is_escaped_in_the_result_line(client, municipality):
    page = client.get(LIST_URL, {"text": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def _make_initiatives(municipality, count: int, start: int = 0) -> None:
    areas = list(ActionArea.objects.all())
    for number in range(start, start + count):
        initiative = InitiativeFactory(
            municipality=municipality,
            title=f"Initiative {number}",
            visibility="internal" if number % 2 else "public",
            action_areas=areas[: 1 + number % len(areas)],
        )
        PartnerFactory(initiative=initiative, sector="business")


def test_query_count_does_not_grow_with_the_portfolio(
    client, municipality, editor, django_assert_num_queries
):
    client.force_login(editor)
    _make_initiatives(municipality, 3)
    filters = {"sector": "business", "action_area": "leadership"}
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST_URL, filters).status_code == 200
        assert client.get(LIST_URL).status_code == 200

    _make_initiatives(municipality, 57, start=3)
    with django_assert_num_queries(len(few)):
        assert client.get(LIST_URL, filters).status_code == 200
        response = client.get(LIST_URL)
    assert len(listed_titles(response)) == 20
    assert "60 initiatives" in response.content.decode()
