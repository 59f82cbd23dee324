"""Pilots, barriers met and lessons learned: their own add, edit and delete pages."""

import pytest
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.framework.models import Barrier, BarrierCategory
from roadmap.initiatives.models import BarrierEncounter, Lesson, Pilot
from tests.factories import InitiativeFactory


@pytest.fixture
def initiative(municipality):
    return InitiativeFactory(municipality=municipality, title="Harbour sensors")


def url(name, initiative, part=None):
    kwargs = {"municipality": initiative.municipality.slug, "pk": initiative.pk}
    if part is not None:
        kwargs["part_pk"] = part.pk
    return reverse(f"initiatives:{name}", kwargs=kwargs)


def detail(initiative, section):
    return (
        reverse("initiatives:detail", kwargs={"municipality": "fjordvik", "pk": initiative.pk})
        + f"#{section}"
    )


PILOT = {
    "title": "Two buoys",
    "hypothesis": "Pupils keep the sensors running.",
    "start_date": "2026-04-01",
    "end_date": "2026-06-30",
    "result": "",
    "decision": "",
}


# --- pilots -------------------------------------------------------------------------------


def test_pilot_lifecycle_with_audit(client, editor, initiative, municipality):
    client.force_login(editor)
    assert client.get(url("pilot_add", initiative)).status_code == 200
    response = client.post(url("pilot_add", initiative), PILOT)
    assert response.status_code == 302
    assert response["Location"] == detail(initiative, "pilots")
    pilot = Pilot.objects.get(initiative=initiative)
    assert (pilot.title, pilot.decision) == ("Two buoys", "")

    response = client.post(
        url("pilot_edit", initiative, pilot),
        {**PILOT, "result": "Worked for three months.", "decision": "scale"},
    )
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.decision == "scale"

    assert "Two buoys" in client.get(url("pilot_delete", initiative, pilot)).content.decode()
    assert client.post(url("pilot_delete", initiative, pilot)).status_code == 302
    assert not Pilot.objects.exists()

    events = list(AuditEvent.objects.order_by("id"))
    assert [event.action for event in events] == ["create", "update", "delete"]
    assert {event.subject_id for event in events} == {str(initiative.pk)}
    assert {event.municipality for event in events} == {municipality}
    assert events[0].changes["hypothesis"] == "Pupils keep the sensors running."
    assert events[1].changes == {
        "result": ["", "Worked for three months."],
        "decision": ["", "scale"],
    }


def test_pilot_end_before_start_is_refused(client, editor, initiative):
    client.force_login(editor)
    response = client.post(
        url("pilot_add", initiative),
        {**PILOT, "start_date": "2026-06-01", "end_date": "2026-05-01"},
    )
    assert "The end date (1 May 2026) is before the start date (1 Jun 2026)." in (
        response.content.decode()
    )
    assert not Pilot.objects.exists()
    assert not AuditEvent.objects.exists()


def test_pilot_needs_title_and_hypothesis(client, editor, initiative):
    client.force_login(editor)
    response = client.post(url("pilot_add", initiative), {**PILOT, "title": "", "hypothesis": ""})
    page = response.content.decode()
    assert "Title: This field is required." in page
    assert "Hypothesis: This field is required." in page
    assert not Pilot.objects.exists()


def test_editing_a_pilot_without_changes_records_nothing(client, editor, initiative):
    pilot = Pilot.objects.create(initiative=initiative, title="Two buoys", hypothesis="h")
    client.force_login(editor)
    response = client.post(
        url("pilot_edit", initiative, pilot),
        {"title": "Two buoys", "hypothesis": "h", "decision": ""},
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


# --- barriers met -------------------------------------------------------------------------


@pytest.fixture
def local_barrier(municipality):
    category = BarrierCategory.objects.create(code="weather", name="Weather", order=9)
    return Barrier.objects.create(
        municipality=municipality, category=category, code="storms", name="Winter storms"
    )


def test_barrier_choices_are_grouped_by_category_and_scoped(
    client, editor, initiative, local_barrier, other_municipality
):
    Barrier.objects.create(
        municipality=other_municipality,
        category=local_barrier.category,
        code="floods",
        name="River floods",
    )
    client.force_login(editor)
    page = client.get(url("barrier_add", initiative)).content.decode()
    assert '<optgroup label="Organisation and silos">' in page
    assert '<optgroup label="Weather">' in page
    assert page.index('<optgroup label="Weather">') < page.index("Winter storms (local)")
    assert "River floods" not in page


def test_barrier_from_catalogue_or_free_text(client, editor, initiative, local_barrier):
    client.force_login(editor)
    client.post(
        url("barrier_add", initiative),
        {"barrier": local_barrier.pk, "description": "", "mitigation": "Indoor", "status": "open"},
    )
    client.post(
        url("barrier_add", initiative),
        {
            "barrier": "",
            "description": "No mobile coverage",
            "mitigation": "",
            "status": "overcome",
        },
    )
    assert set(BarrierEncounter.objects.values_list("barrier__code", "description", "status")) == {
        (None, "No mobile coverage", "overcome"),
        ("storms", "", "open"),
    }
    assert AuditEvent.objects.filter(action="create", subject_id=str(initiative.pk)).count() == 2


def test_barrier_needs_catalogue_entry_or_description(client, editor, initiative):
    client.force_login(editor)
    response = client.post(
        url("barrier_add", initiative),
        {"barrier": "", "description": "  ", "mitigation": "Something", "status": "open"},
    )
    assert "Choose a barrier from the catalogue or describe the barrier." in (
        response.content.decode()
    )
    assert not BarrierEncounter.objects.exists()


def test_barrier_of_another_municipality_is_refused(client, editor, initiative, other_municipality):
    category = BarrierCategory.objects.create(code="rivers", name="Rivers")
    foreign = Barrier.objects.create(
        municipality=other_municipality, category=category, code="floods", name="River floods"
    )
    client.force_login(editor)
    response = client.post(
        url("barrier_add", initiative),
        {"barrier": foreign.pk, "description": "", "mitigation": "", "status": "open"},
    )
    assert "Select a valid choice." in response.content.decode()
    assert not BarrierEncounter.objects.exists()


def test_barrier_edit_and_delete(client, editor, initiative):
    encounter = BarrierEncounter.objects.create(initiative=initiative, description="Silo thinking")
    client.force_login(editor)
    client.post(
        url("barrier_edit", initiative, encounter),
        {
            "barrier": "",
            "description": "Silo thinking",
            "mitigation": "Joint team",
            "status": "mitigated",
        },
    )
    encounter.refresh_from_db()
    assert (encounter.status, encounter.mitigation) == ("mitigated", "Joint team")
    client.post(url("barrier_delete", initiative, encounter))
    assert not BarrierEncounter.objects.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "update",
        "delete",
    ]


# --- lessons ------------------------------------------------------------------------------


def test_lesson_lifecycle_keeps_author(client, editor, administrator, initiative):
    client.force_login(editor)
    client.post(url("lesson_add", initiative), {"text": "Involve teachers early."})
    lesson = Lesson.objects.get()
    assert lesson.author == editor
    client.force_login(administrator)
    client.post(url("lesson_edit", initiative, lesson), {"text": "Involve teachers first."})
    lesson.refresh_from_db()
    assert (lesson.text, lesson.author) == ("Involve teachers first.", editor)
    update = AuditEvent.objects.get(action="update")
    assert update.actor == administrator
    assert update.changes == {"text": ["Involve teachers early.", "Involve teachers first."]}
    client.post(url("lesson_delete", initiative, lesson))
    assert not Lesson.objects.exists()


def test_empty_lesson_is_refused(client, editor, initiative):
    client.force_login(editor)
    response = client.post(url("lesson_add", initiative), {"text": ""})
    assert "Lesson learned: This field is required." in response.content.decode()
    assert not Lesson.objects.exists()


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["assessor", "participant"])
def test_only_editors_manage_parts(client, request, initiative, role_fixture):
    pilot = Pilot.objects.create(initiative=initiative, title="Kept", hypothesis="h")
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(url("pilot_add", initiative)).status_code == 403
    assert client.post(url("pilot_add", initiative), PILOT).status_code == 403
    assert client.post(url("pilot_edit", initiative, pilot), PILOT).status_code == 403
    assert client.post(url("pilot_delete", initiative, pilot)).status_code == 403
    assert client.post(url("lesson_add", initiative), {"text": "x"}).status_code == 403
    assert list(Pilot.objects.values_list("title", flat=True)) == ["Kept"]
    assert not Lesson.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, initiative):
    response = client.post(url("lesson_add", initiative), {"text": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Lesson.objects.exists()


def test_part_of_another_initiative_is_404(client, editor, municipality, initiative):
    sibling = InitiativeFactory(municipality=municipality)
    pilot = Pilot.objects.create(initiative=sibling, title="Sibling's", hypothesis="h")
    client.force_login(editor)
    assert client.get(url("pilot_edit", initiative, pilot)).status_code == 404
    assert client.post(url("pilot_delete", initiative, pilot)).status_code == 404
    assert Pilot.objects.filter(pk=pilot.pk).exists()
