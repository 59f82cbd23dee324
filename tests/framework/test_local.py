"""A municipality's local principles and barriers: CRUD, permissions, bad input, audit trail."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.framework.models import ActionArea, Barrier, BarrierCategory, Principle
from roadmap.framework.selectors import principles_for
from roadmap.framework.services import unique_code
from roadmap.initiatives.models import BarrierEncounter
from tests.factories import InitiativeFactory, MembershipFactory, RatingFactory

pytestmark = pytest.mark.django_db


def principle_data(**changes) -> dict:
    areas = ActionArea.objects.filter(code__in=["inclusion", "living-environment"])
    data = {
        "name": "Open the fjord to everyone",
        "summary": "Every shoreline project must welcome the public.",
        "action_areas": [str(area.pk) for area in areas],
        "guiding_questions": "Who can reach the water?\n\nWho is kept away?\nWhat do children say?",
        **{f"maturity_{level}": f"What level {level} looks like." for level in range(5)},
    }
    data.update(changes)
    return data


def url(name: str, slug: str = "fjordvik", **kwargs) -> str:
    return reverse(f"local_framework:{name}", kwargs={"municipality": slug, **kwargs})


def create_principle(client, administrator, **changes) -> Principle:
    client.force_login(administrator)
    response = client.post(url("principle_create"), principle_data(**changes))
    assert response.status_code == 302, response.content.decode()
    name = changes.get("name", principle_data()["name"])
    return Principle.objects.get(municipality__slug="fjordvik", name_en=name)


def events(obj, action: str):
    return AuditEvent.objects.filter(
        subject_content_type=ContentType.objects.get_for_model(obj),
        subject_id=str(obj.pk),
        action=action,
    )


@pytest.fixture
def elvdal_admin(other_municipality):
    return MembershipFactory(municipality=other_municipality, role="administrator").user


# --- creating ------------------------------------------------------------------------------


def test_administrator_creates_a_local_principle(client, municipality, administrator):
    principle = create_principle(client, administrator)
    assert principle.code == "open-the-fjord-to-everyone"
    assert principle.source == "local"
    assert principle.municipality == municipality
    assert principle.summary_en == "Every shoreline project must welcome the public."
    assert set(principle.action_areas.values_list("code", flat=True)) == {
        "inclusion",
        "living-environment",
    }
    assert list(principle.guiding_questions.values_list("text_en", flat=True)) == [
        "Who can reach the water?",
        "Who is kept away?",
        "What do children say?",
    ]
    assert list(principle.maturity_levels.values_list("level", "descriptor_en")) == [
        (level, f"What level {level} looks like.") for level in range(5)
    ]
    event = events(principle, "create").get()
    assert event.municipality == municipality
    assert event.actor == administrator
    assert event.changes["name"] == "Open the fjord to everyone"
    assert len(event.changes["guiding_questions"]) == 3


def test_created_principle_is_shown_and_used_by_its_municipality_only(
    client, municipality, other_municipality, administrator
):
    principle = create_principle(client, administrator)
    response = client.get(url("principle", code=principle.code))
    assert response.status_code == 200
    assert "Who is kept away?" in response.content.decode()
    assert principle in principles_for(municipality)
    assert principle not in principles_for(other_municipality)
    assert principle not in principles_for()
    assert client.get(url("principle", "elvdal", code=principle.code)).status_code == 404


def test_principles_for_lists_shared_principles_first(municipality, client, administrator):
    create_principle(client, administrator, name="Aaa comes first alphabetically")
    principles = list(principles_for(municipality))
    assert principles[-1].municipality_id == municipality.pk
    assert all(p.municipality_id is None for p in principles[:-1])


def test_codes_are_unique_within_the_municipality_and_avoid_shared_codes(
    client, administrator, elvdal_admin
):
    first = create_principle(client, administrator, name="Open fjord!")
    second = create_principle(client, administrator, name="Open fjord?")
    clash = create_principle(client, administrator, name="Open data")
    reserved = create_principle(client, administrator, name="New")
    assert (first.code, second.code, clash.code, reserved.code) == (
        "open-fjord",
        "open-fjord-2",
        "open-data-2",
        "new-2",
    )
    client.force_login(elvdal_admin)
    client.post(url("principle_create", "elvdal"), principle_data(name="Open fjord!"))
    assert Principle.objects.get(municipality__slug="elvdal").code == "open-fjord"


def test_unique_code_falls_back_for_names_without_letters():
    assert unique_code("!!!", set()) == "entry"
    assert unique_code("Å", {"a"}) == "a-2"


def four_action_areas() -> dict:
    return {"action_areas": [str(area.pk) for area in ActionArea.objects.all()[:4]]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (lambda: {"guiding_questions": "Only one?\nAnd two?"}, "Write between 3 and 5 questions"),
        (lambda: {"guiding_questions": "\n".join(f"Q{n}?" for n in range(6))}, "you wrote 6"),
        (lambda: {"maturity_3": ""}, "Maturity level 3: This field is required"),
        (lambda: {"action_areas": []}, "Action areas: This field is required"),
        (four_action_areas, "you chose 4"),
        (lambda: {"name": "  "}, "Name: This field is required"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, administrator, changes, message):
    client.force_login(administrator)
    response = client.post(url("principle_create"), principle_data(**changes()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Principle.objects.filter(municipality__isnull=False).exists()
    assert not AuditEvent.objects.exists()


def test_a_duplicate_name_is_refused(client, administrator):
    create_principle(client, administrator)
    response = client.post(
        url("principle_create"), principle_data(name="open the FJORD to everyone")
    )
    assert response.status_code == 200
    assert "already has a local principle called" in response.content.decode()
    assert Principle.objects.filter(municipality__isnull=False).count() == 1


# --- editing and deleting ------------------------------------------------------------------


def test_administrator_edits_a_local_principle(client, administrator):
    principle = create_principle(client, administrator)
    edit_url = url("principle_edit", code=principle.code)
    form_page = client.get(edit_url).content.decode()
    assert "Who is kept away?" in form_page and "What level 4 looks like." in form_page

    response = client.post(
        edit_url,
        principle_data(
            name="Open every shore",
            guiding_questions="One?\nTwo?\nThree?\nFour?",
            maturity_2="Something concrete.",
        ),
    )
    assert response.status_code == 302
    principle.refresh_from_db()
    assert principle.name_en == "Open every shore"
    assert principle.code == "open-the-fjord-to-everyone"  # the address stays stable
    assert list(principle.guiding_questions.values_list("text_en", flat=True)) == [
        "One?",
        "Two?",
        "Three?",
        "Four?",
    ]
    assert principle.maturity_levels.get(level=2).descriptor_en == "Something concrete."
    changes = events(principle, "update").get().changes
    assert changes["name"] == ["Open the fjord to everyone", "Open every shore"]
    assert set(changes) == {"name", "guiding_questions", "maturity"}


def test_saving_without_changes_records_no_event(client, administrator):
    principle = create_principle(client, administrator)
    client.post(url("principle_edit", code=principle.code), principle_data())
    assert not events(principle, "update").exists()


def test_administrator_deletes_an_unrated_principle(client, municipality, administrator):
    principle = create_principle(client, administrator)
    InitiativeFactory(municipality=municipality, principles=[principle])
    delete_url = url("principle_delete", code=principle.code)
    assert "1 initiative names this principle" in client.get(delete_url).content.decode()
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Principle.objects.filter(pk=principle.pk).exists()
    event = events(principle, "delete").get()
    assert event.municipality == municipality
    assert event.changes == {"name": "Open the fjord to everyone"}


def test_a_rated_principle_cannot_be_deleted(client, municipality, administrator):
    principle = create_principle(client, administrator)
    RatingFactory(assessment__initiative__municipality=municipality, principle=principle)
    delete_url = url("principle_delete", code=principle.code)
    confirm = client.get(delete_url).content.decode()
    assert "cannot be deleted because 1 assessment rating refers to it" in confirm
    assert "Yes, delete" not in confirm

    response = client.post(delete_url, follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Principle.objects.filter(pk=principle.pk).exists()
    assert not events(principle, "delete").exists()


def test_shared_principles_cannot_be_edited_or_deleted_locally(client, administrator):
    client.force_login(administrator)
    assert client.get(url("principle_edit", code="open-data")).status_code == 404
    assert client.post(url("principle_delete", code="open-data")).status_code == 404
    assert Principle.objects.filter(code="open-data", municipality__isnull=True).exists()


# --- permissions ---------------------------------------------------------------------------

WRITE_PAGES = [
    ("principle_create", {}),
    ("principle_edit", {"code": "fjord-first"}),
    ("principle_delete", {"code": "fjord-first"}),
    ("barrier_create", {}),
    ("barrier_edit", {"code": "ferry-timetables"}),
    ("barrier_delete", {"code": "ferry-timetables"}),
]


@pytest.fixture
def local_entries(municipality):
    principle = Principle.objects.create(
        municipality=municipality,
        code="fjord-first",
        name_en="Fjord first",
        summary_en="…",
        source="local",
    )
    barrier = Barrier.objects.create(
        municipality=municipality,
        code="ferry-timetables",
        name_en="Ferry timetables",
        description_en="Ferries decide when meetings can happen.",
        category=BarrierCategory.objects.get(code="scaling"),
    )
    return principle, barrier


@pytest.mark.parametrize(("name", "kwargs"), WRITE_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, local_entries, name, kwargs):
    for method in (client.get, client.post):
        response = method(url(name, **kwargs))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "kwargs"), WRITE_PAGES)
@pytest.mark.parametrize("who", ["editor", "assessor", "outsider", "participant", "elvdal_admin"])
def test_only_administrators_of_the_municipality_may_write(
    client, request, local_entries, name, kwargs, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(name, **kwargs)).status_code == 403
    assert client.post(url(name, **kwargs), principle_data()).status_code == 403
    assert Principle.objects.filter(municipality__isnull=False).count() == 1
    assert Barrier.objects.filter(municipality__isnull=False).count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("name", "kwargs"), [p for p in WRITE_PAGES if p[1]])
def test_another_municipalitys_entries_are_not_found_from_ones_own(
    client, local_entries, elvdal_admin, name, kwargs
):
    client.force_login(elvdal_admin)
    assert client.get(url(name, "elvdal", **kwargs)).status_code == 404
    assert client.post(url(name, "elvdal", **kwargs)).status_code == 404


def test_list_page_shows_controls_to_administrators_only(
    client, local_entries, administrator, editor
):
    body = client.get(url("list")).content.decode()
    assert "Fjord first" in body and "Ferry timetables" in body
    assert "Add a local principle" not in body and "Change history" not in body
    client.force_login(editor)
    body = client.get(url("list")).content.decode()
    assert "Add a local principle" not in body and "Change history" in body
    client.force_login(administrator)
    body = client.get(url("list")).content.decode()
    assert "Add a local principle" in body and "Add a local barrier" in body
    assert url("principle_edit", code="fjord-first") in body


def test_other_municipalities_do_not_list_anothers_entries(client, local_entries):
    body = client.get(url("list", "elvdal")).content.decode()
    assert "Fjord first" not in body and "Ferry timetables" not in body


# --- local barriers ------------------------------------------------------------------------


def barrier_data(**changes) -> dict:
    category = BarrierCategory.objects.get(code="data-infrastructure")
    return {
        "category": str(category.pk),
        "name": "Ferry timetables",
        "description": "Ferries decide when meetings can happen.",
        **changes,
    }


def test_administrator_manages_local_barriers(client, municipality, administrator):
    client.force_login(administrator)
    assert client.post(url("barrier_create"), barrier_data()).status_code == 302
    barrier = Barrier.objects.get(municipality=municipality)
    assert barrier.code == "ferry-timetables"
    assert barrier.category.code == "data-infrastructure"
    assert events(barrier, "create").get().municipality == municipality

    response = client.post(
        url("barrier_edit", code=barrier.code),
        barrier_data(category=str(BarrierCategory.objects.get(code="scaling").pk)),
    )
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert barrier.category.code == "scaling"
    assert set(events(barrier, "update").get().changes) == {"category"}

    assert client.post(url("barrier_delete", code=barrier.code)).status_code == 302
    assert not Barrier.objects.filter(pk=barrier.pk).exists()
    assert events(barrier, "delete").get().municipality == municipality
    history = client.get(url("list")).content.decode()
    assert "Ferry timetables" in history  # the deleted barrier stays in the change history


def test_local_barrier_bad_input_changes_nothing(client, administrator):
    client.force_login(administrator)
    response = client.post(url("barrier_create"), barrier_data(description="", category="999"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Description" in body and "Select a valid choice" in body
    assert not Barrier.objects.filter(municipality__isnull=False).exists()
    assert not AuditEvent.objects.exists()


def test_a_barrier_met_by_an_initiative_cannot_be_deleted(client, municipality, administrator):
    client.force_login(administrator)
    client.post(url("barrier_create"), barrier_data())
    barrier = Barrier.objects.get(municipality=municipality)
    BarrierEncounter.objects.create(
        initiative=InitiativeFactory(municipality=municipality), barrier=barrier
    )
    response = client.post(url("barrier_delete", code=barrier.code), follow=True)
    assert "cannot be deleted because it is recorded 1 time" in response.content.decode()
    assert Barrier.objects.filter(pk=barrier.pk).exists()


def test_local_list_queries_do_not_grow_with_entries(
    client, municipality, administrator, django_assert_num_queries
):
    category = BarrierCategory.objects.get(code="scaling")
    areas = list(ActionArea.objects.all()[:2])

    def add(start: int, count: int) -> None:
        for number in range(start, start + count):
            principle = Principle.objects.create(
                municipality=municipality, code=f"p{number}", name_en=f"P{number}", source="local"
            )
            principle.action_areas.set(areas)
            Barrier.objects.create(
                municipality=municipality,
                code=f"b{number}",
                name_en=f"B{number}",
                category=category,
            )

    client.force_login(administrator)
    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("list")).status_code == 200
    add(2, 50)
    with django_assert_num_queries(len(few)):
        assert "P51" in client.get(url("list")).content.decode()
