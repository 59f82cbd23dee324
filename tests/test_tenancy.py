"""One municipality's members can neither read nor change another municipality's
non-public initiatives, whatever URL or id they try."""

import pytest
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.framework.models import Principle
from roadmap.initiatives import services
from roadmap.initiatives.models import BarrierEncounter, Initiative, Lesson, Pilot
from tests.factories import InitiativeFactory
from tests.initiatives.test_initiatives_crud import initiative_payload

FJORDVIK_ROLES = ["editor", "administrator", "assessor"]
PART_ROUTES = {"pilot": "pilots", "barrier": "barriers_met", "lesson": "lessons"}


@pytest.fixture
def elvdal_internal(other_municipality):
    """Elvdal's internal initiative with one of each part."""
    initiative = InitiativeFactory(
        municipality=other_municipality, title="Elvdal secret plan", visibility="internal"
    )
    Pilot.objects.create(initiative=initiative, title="Secret pilot", hypothesis="h")
    BarrierEncounter.objects.create(initiative=initiative, description="Secret barrier")
    Lesson.objects.create(initiative=initiative, text="Secret lesson")
    return initiative


@pytest.fixture
def elvdal_public(other_municipality):
    return InitiativeFactory(
        municipality=other_municipality, title="Elvdal open river", visibility="public"
    )


@pytest.fixture
def fjordvik_own(municipality):
    return InitiativeFactory(municipality=municipality, title="Fjordvik harbour")


def initiative_url(name, slug, pk, **extra):
    return reverse(f"initiatives:{name}", kwargs={"municipality": slug, "pk": pk, **extra})


def part_of(initiative, kind):
    return getattr(initiative, PART_ROUTES[kind]).get()


def stored_state(initiative):
    """Everything a forbidden request might have changed."""
    initiative = Initiative.objects.get(pk=initiative.pk)
    return (
        initiative.title,
        initiative.updated_at,
        list(initiative.pilots.values_list("title", flat=True)),
        list(initiative.barriers_met.values_list("description", flat=True)),
        list(initiative.lessons.values_list("text", flat=True)),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("role", FJORDVIK_ROLES)
def test_other_municipalitys_internal_initiative_is_404_by_any_address(
    client, request, role, municipality, elvdal_internal
):
    client.force_login(request.getfixturevalue(role))
    pk = elvdal_internal.pk
    assert client.get(initiative_url("detail", "fjordvik", pk)).status_code == 404
    assert client.get(initiative_url("detail", "elvdal", pk)).status_code == 404
    listing = client.get(reverse("initiatives:list", kwargs={"municipality": "elvdal"}))
    assert "Elvdal secret plan" not in listing.content.decode()


@pytest.mark.parametrize("role", FJORDVIK_ROLES)
def test_other_municipalitys_public_initiative_is_readable_but_not_its_history(
    client, request, role, municipality, elvdal_public, outsider
):
    services.add_lesson(actor=outsider, initiative=elvdal_public, data={"text": "Public lesson"})
    client.force_login(request.getfixturevalue(role))
    page = client.get(initiative_url("detail", "elvdal", elvdal_public.pk)).content.decode()
    assert "Elvdal open river" in page
    assert "Public lesson" in page
    assert "Change history" not in page
    assert initiative_url("edit", "elvdal", elvdal_public.pk) not in page
    # Under Fjordvik's address the same id does not exist.
    assert client.get(initiative_url("detail", "fjordvik", elvdal_public.pk)).status_code == 404


@pytest.mark.parametrize("role", FJORDVIK_ROLES)
def test_other_municipalitys_initiative_cannot_be_edited_or_deleted(
    client, request, role, municipality, elvdal_internal, elvdal_public
):
    client.force_login(request.getfixturevalue(role))
    for target in (elvdal_internal, elvdal_public):
        before = stored_state(target)
        for slug, expected in (("elvdal", 403), ("fjordvik", 404 if role != "assessor" else 403)):
            for name in ("edit", "delete"):
                address = initiative_url(name, slug, target.pk)
                assert client.get(address).status_code == expected, (slug, name)
                assert client.post(address, initiative_payload(title="Taken over")).status_code == (
                    expected
                ), (slug, name)
        assert stored_state(target) == before


@pytest.mark.parametrize("role", FJORDVIK_ROLES)
@pytest.mark.parametrize("kind", PART_ROUTES)
def test_other_municipalitys_parts_cannot_be_reached(
    client, request, role, kind, municipality, elvdal_internal, fjordvik_own
):
    client.force_login(request.getfixturevalue(role))
    part = part_of(elvdal_internal, kind)
    before = stored_state(elvdal_internal)
    may_edit_fjordvik = role != "assessor"
    attempts = [
        # Elvdal's own addresses: not an editor there.
        (initiative_url(f"{kind}_add", "elvdal", elvdal_internal.pk), 403),
        (initiative_url(f"{kind}_edit", "elvdal", elvdal_internal.pk, part_pk=part.pk), 403),
        (initiative_url(f"{kind}_delete", "elvdal", elvdal_internal.pk, part_pk=part.pk), 403),
        # Elvdal's initiative id under Fjordvik's address.
        (
            initiative_url(f"{kind}_add", "fjordvik", elvdal_internal.pk),
            404 if may_edit_fjordvik else 403,
        ),
        # Elvdal's part id under Fjordvik's own initiative.
        (
            initiative_url(f"{kind}_edit", "fjordvik", fjordvik_own.pk, part_pk=part.pk),
            404 if may_edit_fjordvik else 403,
        ),
        (
            initiative_url(f"{kind}_delete", "fjordvik", fjordvik_own.pk, part_pk=part.pk),
            404 if may_edit_fjordvik else 403,
        ),
    ]
    payload = {
        "title": "Taken",
        "hypothesis": "x",
        "text": "Taken",
        "description": "Taken",
        "status": "open",
        "decision": "",
    }
    for address, expected in attempts:
        assert client.get(address).status_code == expected, address
        assert client.post(address, payload).status_code == expected, address
    assert stored_state(elvdal_internal) == before
    assert not fjordvik_own.pilots.exists()
    assert not fjordvik_own.lessons.exists()


def test_outsider_cannot_see_or_change_fjordvik_internal(client, municipality, outsider):
    internal = InitiativeFactory(municipality=municipality, visibility="internal", title="Quiet")
    client.force_login(outsider)
    assert client.get(initiative_url("detail", "fjordvik", internal.pk)).status_code == 404
    assert client.get(initiative_url("detail", "elvdal", internal.pk)).status_code == 404
    assert client.post(initiative_url("delete", "fjordvik", internal.pk)).status_code == 403
    assert client.post(initiative_url("delete", "elvdal", internal.pk)).status_code == 404
    assert Initiative.objects.filter(pk=internal.pk).exists()


def test_editor_cannot_create_initiatives_in_another_municipality(
    client, editor, other_municipality
):
    client.force_login(editor)
    address = reverse("initiatives:create", kwargs={"municipality": "elvdal"})
    assert client.post(address, initiative_payload()).status_code == 403
    assert not Initiative.objects.exists()


def test_editor_cannot_attach_another_municipalitys_local_principle(
    client, editor, other_municipality
):
    foreign = Principle.objects.create(
        municipality=other_municipality,
        code="river",
        name="River first",
        summary="-",
        source="local",
    )
    client.force_login(editor)
    address = reverse("initiatives:create", kwargs={"municipality": "fjordvik"})
    response = client.post(address, initiative_payload(principles=[foreign.pk]))
    assert response.status_code == 200
    assert not Initiative.objects.exists()


def test_anonymous_sees_public_only(client, municipality, elvdal_internal, elvdal_public):
    listing = client.get(reverse("initiatives:list", kwargs={"municipality": "elvdal"}))
    assert "Elvdal open river" in listing.content.decode()
    assert "Elvdal secret plan" not in listing.content.decode()
    assert client.get(initiative_url("detail", "elvdal", elvdal_public.pk)).status_code == 200
    assert client.get(initiative_url("detail", "elvdal", elvdal_internal.pk)).status_code == 404
    pilot = elvdal_internal.pilots.get()
    edit_pilot = initiative_url("pilot_edit", "elvdal", elvdal_internal.pk, part_pk=pilot.pk)
    response = client.post(edit_pilot, {"title": "Taken", "hypothesis": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert elvdal_internal.pilots.get().title == "Secret pilot"
