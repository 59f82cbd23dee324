"""The public framework pages and the initiatives listed on a principle's page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from roadmap.framework.models import ActionArea, Barrier, BarrierCategory, Principle, Purpose, Value
from tests.factories import InitiativeFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def shared(code: str) -> Principle:
    return Principle.objects.get(code=code, municipality__isnull=True)


def local_principle(municipality, code="fjord-first") -> Principle:
    principle = Principle.objects.create(
        municipality=municipality,
        code=code,
        name_en="Fjord first",
        summary_en="Everything starts at the water.",
        source="local",
    )
    principle.action_areas.set(ActionArea.objects.filter(code="living-environment"))
    return principle


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert len(re.findall(r"<h1\b", body)) == 1
    return body


def test_overview_shows_values_purposes_areas_principles_and_links_barriers(client):
    body = page(client, reverse("framework:overview"))
    for value in Value.objects.all():
        assert escape(value.name) in body and escape(value.description) in body
    for purpose in Purpose.objects.all():
        assert f'<th scope="row">{escape(purpose.name)}</th>' in body
        assert f"<td>{escape(purpose.replaces)}</td>" in body
    for area in ActionArea.objects.all():
        assert reverse("framework:action_area", kwargs={"code": area.code}) in body
    for principle in Principle.objects.filter(municipality__isnull=True):
        assert reverse("framework:principle", kwargs={"code": principle.code}) in body
    assert reverse("framework:barriers") in body
    assert '<th scope="col">' in body and "<caption>" in body


def test_overview_leaves_out_local_principles(client, municipality):
    local_principle(municipality)
    assert "Fjord first" not in page(client, reverse("framework:overview"))


def test_overview_is_in_norwegian_for_norwegian_readers(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    body = page(client, reverse("framework:overview"))
    assert "Sett innbyggerne i sentrum" in body
    assert "ressurskrevende" in body


def test_action_area_page_shows_scope_and_its_principles(client, municipality):
    local_principle(municipality)
    area = ActionArea.objects.get(code="living-environment")
    body = page(client, reverse("framework:action_area", kwargs={"code": area.code}))
    assert escape(area.scope) in body
    assert shared("climate-and-environment").name in body
    assert shared("open-data").name not in body
    assert "Fjord first" not in body


def test_unknown_action_area_is_404(client):
    assert client.get(reverse("framework:action_area", kwargs={"code": "nope"})).status_code == 404


def test_principle_page_shows_everything_about_the_principle(client):
    principle = shared("open-data")
    body = page(client, reverse("framework:principle", kwargs={"code": "open-data"}))
    assert escape(principle.summary) in body
    assert escape(principle.source_note) in body
    for area in principle.action_areas.all():
        assert escape(area.name) in body
    for question in principle.guiding_questions.all():
        assert escape(question.text) in body
    for level in principle.maturity_levels.all():
        assert f'<th scope="row">{level.level}</th>' in body
        assert escape(level.descriptor) in body
    assert "<caption>Maturity levels 0 to 4" in body


def test_shared_principle_address_does_not_serve_local_principles(client, municipality):
    local_principle(municipality)
    response = client.get(reverse("framework:principle", kwargs={"code": "fjord-first"}))
    assert response.status_code == 404


def test_barrier_page_groups_the_shared_catalogue(client, municipality):
    Barrier.objects.create(
        municipality=municipality,
        category=BarrierCategory.objects.get(code="scaling"),
        code="ferry-timetables",
        name_en="Ferry timetables",
    )
    body = page(client, reverse("framework:barriers"))
    for category in BarrierCategory.objects.all():
        assert escape(category.name) in body
    for barrier in Barrier.objects.filter(municipality__isnull=True):
        assert escape(barrier.name) in body and escape(barrier.description) in body
    assert "Ferry timetables" not in body


def test_principle_page_lists_only_public_initiatives_to_outsiders(
    client, municipality, editor, outsider
):
    principle = shared("open-data")
    InitiativeFactory(municipality=municipality, principles=[principle], title="Open harbour data")
    InitiativeFactory(
        municipality=municipality,
        principles=[principle],
        title="Internal sensor plan",
        visibility="internal",
    )
    InitiativeFactory(municipality=municipality, principles=[shared("open-data")], title="Other")
    InitiativeFactory(municipality=municipality, title="Not about open data")
    url = reverse("framework:principle", kwargs={"code": principle.code})

    body = page(client, url)
    assert "Open harbour data" in body and "Fjordvik" in body
    assert "Internal sensor plan" not in body
    assert "Not about open data" not in body

    client.force_login(outsider)
    assert "Internal sensor plan" not in page(client, url, municipality="fjordvik")

    client.force_login(editor)
    assert "Internal sensor plan" not in page(client, url)
    assert "Internal sensor plan" in page(client, url, municipality="fjordvik")


def test_principle_page_filters_by_municipality(client, municipality, other_municipality):
    principle = shared("open-data")
    InitiativeFactory(municipality=municipality, principles=[principle], title="Fjordvik data")
    InitiativeFactory(municipality=other_municipality, principles=[principle], title="Elvdal data")
    url = reverse("framework:principle", kwargs={"code": principle.code})
    both = page(client, url)
    assert "Fjordvik data" in both and "Elvdal data" in both
    only_elvdal = page(client, url, municipality="elvdal")
    assert "Elvdal data" in only_elvdal and "Fjordvik data" not in only_elvdal
    assert client.get(url, {"municipality": "atlantis"}).status_code == 404


def test_principle_page_paginates_newest_first(client, municipality):
    principle = shared("open-data")
    for number in range(25):
        InitiativeFactory(
            municipality=municipality, principles=[principle], title=f"Case {number:02}"
        )
    url = reverse("framework:principle", kwargs={"code": principle.code})
    first = page(client, url)
    assert "Case 24" in first and "Case 05" in first and "Case 04" not in first
    assert "25 initiatives" in first
    second = page(client, url, page=2)
    assert "Case 04" in second and "Case 00" in second and "Case 05" not in second


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("as_member", [False, True])
def test_principle_page_queries_do_not_grow_with_initiatives(
    client, municipality, editor, as_member, django_assert_num_queries
):
    principle = shared("people-at-the-centre")
    if as_member:
        client.force_login(editor)
    params = {"municipality": "fjordvik"} if as_member else {}
    url = reverse("framework:principle", kwargs={"code": principle.code})
    towns = [municipality, *MunicipalityFactory.create_batch(2)]
    for town in towns:
        InitiativeFactory(municipality=town, principles=[principle])
    few = count_queries(client, url, **params)

    for number in range(57):
        InitiativeFactory(
            municipality=towns[number % 3],
            principles=[principle],
            visibility="internal" if number % 4 == 0 else "public",
        )
    with django_assert_num_queries(few):
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 20


def test_local_principle_page_is_under_its_municipality(client, municipality, other_municipality):
    principle = local_principle(municipality)
    InitiativeFactory(municipality=municipality, principles=[principle], title="Quay life")
    url = reverse(
        "local_framework:principle", kwargs={"municipality": "fjordvik", "code": principle.code}
    )
    body = page(client, url)
    assert "Fjord first" in body and "Quay life" in body
    assert "Added by the municipality" in body
    elsewhere = reverse(
        "local_framework:principle", kwargs={"municipality": "elvdal", "code": principle.code}
    )
    assert client.get(elsewhere).status_code == 404


def test_municipal_principle_page_shows_that_municipality_only(
    client, municipality, other_municipality, editor
):
    principle = shared("open-data")
    InitiativeFactory(municipality=municipality, principles=[principle], title="Fjordvik data")
    InitiativeFactory(
        municipality=municipality,
        principles=[principle],
        title="Fjordvik draft",
        visibility="internal",
    )
    InitiativeFactory(municipality=other_municipality, principles=[principle], title="Elvdal data")
    url = reverse(
        "local_framework:principle", kwargs={"municipality": "fjordvik", "code": principle.code}
    )
    body = page(client, url)
    assert "Fjordvik data" in body
    assert "Elvdal data" not in body and "Fjordvik draft" not in body
    client.force_login(editor)
    assert "Fjordvik draft" in page(client, url)
