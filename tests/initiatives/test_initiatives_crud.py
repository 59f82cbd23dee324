"""Creating, editing and deleting initiatives: permissions, validation, partners, audit."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.framework.models import ActionArea, Principle, Purpose
from roadmap.initiatives.models import Initiative, Partner
from tests.factories import InitiativeFactory, MunicipalityFactory, PartnerFactory

PARTNER_FIELDS = ("organisation", "sector", "role")


def partner_data(rows=(), *, initial=0, extra=2, deleted=()) -> dict:
    """The partner formset's POST data: given rows, then `extra` blank rows."""
    data = {
        "partners-TOTAL_FORMS": str(len(rows) + extra),
        "partners-INITIAL_FORMS": str(initial),
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name in PARTNER_FIELDS:
            data[f"partners-{index}-{name}"] = row.get(name, "")
        if index in deleted:
            data[f"partners-{index}-DELETE"] = "on"
    for index in range(len(rows), len(rows) + extra):
        for name in PARTNER_FIELDS:
            data[f"partners-{index}-{name}"] = ""
    return data


def initiative_payload(partners=(), **overrides) -> dict:
    data = {
        "title": "Shared e-bikes for home care",
        "summary": "Home-care staff share electric bikes between visits.",
        "description": "First paragraph.\n\nSecond paragraph.",
        "status": "piloting",
        "visibility": "internal",
        "start_date": "2026-01-15",
        "end_date": "2026-12-31",
        "budget": "150000.50",
        "location_name": "Fjordvik centre",
        "latitude": "59.913868",
        "longitude": "10.752245",
        "sdg_goals": ["11", "3"],
        **partner_data(partners),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def create_url(slug="fjordvik"):
    return reverse("initiatives:create", kwargs={"municipality": slug})


def edit_url(initiative):
    return reverse(
        "initiatives:edit",
        kwargs={"municipality": initiative.municipality.slug, "pk": initiative.pk},
    )


def delete_url(initiative):
    return reverse(
        "initiatives:delete",
        kwargs={"municipality": initiative.municipality.slug, "pk": initiative.pk},
    )


@pytest.fixture
def shared_principle(db):
    return Principle.objects.filter(municipality__isnull=True).first()


@pytest.fixture
def local_principle(municipality):
    principle = Principle.objects.create(
        municipality=municipality,
        code="fjord-access",
        name="Keep the fjord open to all",
        summary="Shoreline access for everyone.",
        source="local",
    )
    return principle


# --- create -------------------------------------------------------------------------------


def test_editor_creates_initiative_with_everything(
    client, editor, municipality, shared_principle, local_principle
):
    area = ActionArea.objects.get(code="leadership")
    purpose = Purpose.objects.get(code="green")
    client.force_login(editor)
    response = client.post(
        create_url(),
        initiative_payload(
            partners=[
                {"organisation": "Fjordvik Hospital", "sector": "public", "role": "Owner"},
                {"organisation": "Pedal AS", "sector": "business", "role": ""},
            ],
            action_areas=[area.pk],
            purposes=[purpose.pk],
            principles=[shared_principle.pk, local_principle.pk],
        ),
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "initiatives:detail", kwargs={"municipality": "fjordvik", "pk": initiative.pk}
    )
    assert initiative.municipality == municipality
    assert initiative.created_by == editor
    assert initiative.status == "piloting"
    assert str(initiative.budget) == "150000.50"
    assert initiative.sdg_goals == [3, 11]
    assert list(initiative.action_areas.all()) == [area]
    assert list(initiative.purposes.all()) == [purpose]
    assert set(initiative.principles.all()) == {shared_principle, local_principle}
    assert sorted(initiative.partners.values_list("organisation", "sector")) == [
        ("Fjordvik Hospital", "public"),
        ("Pedal AS", "business"),
    ]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.municipality) == ("create", editor, municipality)
    assert event.subject_id == str(initiative.pk)
    assert event.changes["title"] == "Shared e-bikes for home care"
    assert event.changes["action_areas"] == ["Leadership"]
    assert event.changes["partners"] == [
        "Fjordvik Hospital (Public sector): Owner",
        "Pedal AS (Business)",
    ]


def test_administrator_may_create(client, administrator):
    client.force_login(administrator)
    response = client.post(create_url(), initiative_payload())
    assert response.status_code == 302
    assert Initiative.objects.count() == 1


def test_create_form_offers_shared_and_own_principles_only(
    client, editor, municipality, shared_principle, local_principle, other_municipality
):
    foreign = Principle.objects.create(
        municipality=other_municipality,
        code="river-first",
        name="The river comes first",
        summary="-",
        source="local",
    )
    client.force_login(editor)
    page = client.get(create_url()).content.decode()
    assert shared_principle.name in page
    assert "Keep the fjord open to all (local)" in page
    assert foreign.name not in page
    assert "11. Sustainable cities and communities" in page
    assert 'name="partners-TOTAL_FORMS"' in page
    assert page.count('name="partners-') > 9  # three blank rows without JavaScript


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"start_date": "2026-05-01", "end_date": "2026-04-01"},
            "The end date (1 Apr 2026) is before the start date (1 May 2026).",
        ),
        ({"budget": "-10"}, "The budget cannot be negative."),
        ({"longitude": ""}, "Give both latitude and longitude, or leave both empty."),
        ({"latitude": ""}, "Give both latitude and longitude, or leave both empty."),
        ({"latitude": "91"}, "Latitude must be between -90 and 90 degrees."),
        ({"longitude": "-180.5"}, "Longitude must be between -180 and 180 degrees."),
        ({"title": ""}, "Title: This field is required."),
        ({"budget": "12,34,5"}, "Budget: Enter a number, for example 1 250 000,50 or 1250000.50."),
        ({"sdg_goals": ["18"]}, "18 is not one of the available choices."),
        ({"status": "finished"}, "finished is not one of the available choices."),
    ],
)
def test_bad_input_names_the_problem_and_saves_nothing(client, editor, overrides, message):
    client.force_login(editor)
    response = client.post(create_url(), initiative_payload(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "is violated" not in page  # the form explains; the database constraint never fires
    assert Initiative.objects.count() == 0
    assert Partner.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "budget", "latitude", "longitude"),
    [
        ("en", "1 250 000,50", "59,913868", "10,752245"),
        ("en", "1\u00a0250\u00a0000,50", "59.913868", "10.752245"),
        ("nb", "1\u202f250\u202f000,50", "59,913868", "\u221210,752245"),
        ("en", "1,250,000.50", "59.913868", "-10.752245"),
    ],
)
def test_budget_and_coordinates_are_read_as_people_write_them(
    client, editor, language, budget, latitude, longitude
):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        create_url(), initiative_payload(budget=budget, latitude=latitude, longitude=longitude)
    )
    assert response.status_code == 302, response.content.decode()
    initiative = Initiative.objects.get()
    assert initiative.budget == Decimal("1250000.50")
    assert initiative.latitude == Decimal("59.913868")
    assert abs(initiative.longitude) == Decimal("10.752245")


def test_the_budget_box_is_a_text_box_a_browser_does_not_empty(client, editor):
    client.force_login(editor)
    page = client.get(create_url()).content.decode()
    assert 'type="text" name="budget" inputmode="decimal"' in page


def test_duplicate_partner_is_refused_whatever_the_case(client, editor):
    client.force_login(editor)
    response = client.post(
        create_url(),
        initiative_payload(
            partners=[
                {"organisation": "Pedal AS", "sector": "business"},
                {"organisation": "pedal as", "sector": "voluntary"},
            ]
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "pedal as is listed more than once. List each partner once." in page
    assert "Partner 2, Organisation" in page  # the error summary points at the row
    assert Initiative.objects.count() == 0
    assert Partner.objects.count() == 0


def test_partner_row_without_sector_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(
        create_url(), initiative_payload(partners=[{"organisation": "Pedal AS"}])
    )
    assert "Partner 1, Sector: This field is required." in response.content.decode()
    assert Initiative.objects.count() == 0


def test_a_spare_partner_row_needs_nothing_until_it_is_filled_in(client, editor):
    client.force_login(editor)
    page = client.get(create_url()).content.decode()
    rows = page[page.index('class="ds-fieldset partner-formset"') : page.index("form-actions")]
    assert rows.count('class="ds-fieldset partner-row"') == 3
    assert "(required)" not in rows
    response = client.post(create_url(), initiative_payload(partners=[{"role": "Funder"}]))
    text = response.content.decode()
    assert "Partner 1, Organisation: This field is required." in text
    assert "Partner 1, Sector: This field is required." in text
    assert Initiative.objects.count() == 0


def test_listed_partners_keep_their_required_fields_marked(client, editor, initiative):
    client.force_login(editor)
    page = client.get(edit_url(initiative)).content.decode()
    rows = page[page.index('class="ds-fieldset partner-row"') : page.index("form-actions")]
    listed, spare = rows.split("</fieldset>")[:2], rows.split("</fieldset>")[2:]
    assert [row.count("(required)") for row in listed] == [2, 2]
    assert "(required)" not in "".join(spare)


def test_principle_of_another_municipality_is_refused(client, editor, other_municipality):
    foreign = Principle.objects.create(
        municipality=other_municipality,
        code="river-first",
        name="The river comes first",
        summary="-",
        source="local",
    )
    client.force_login(editor)
    response = client.post(create_url(), initiative_payload(principles=[foreign.pk]))
    assert "Select a valid choice." in response.content.decode()
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize("role_fixture", ["assessor", "participant", "outsider"])
def test_only_editors_and_administrators_may_create(client, request, municipality, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(create_url()).status_code == 403
    assert client.post(create_url(), initiative_payload()).status_code == 403
    assert Initiative.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, municipality):
    response = client.post(create_url(), initiative_payload())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Initiative.objects.count() == 0


# --- edit ---------------------------------------------------------------------------------


@pytest.fixture
def initiative(municipality):
    initiative = InitiativeFactory(
        municipality=municipality,
        title="Old title",
        status="idea",
        visibility="internal",
        action_areas=[ActionArea.objects.get(code="leadership")],
    )
    PartnerFactory(initiative=initiative, organisation="Pedal AS", sector="business")
    PartnerFactory(initiative=initiative, organisation="Old Partner", sector="academia")
    return initiative


def test_edit_form_is_filled_in(client, editor, initiative):
    client.force_login(editor)
    page = client.get(edit_url(initiative)).content.decode()
    assert 'value="Old title"' in page
    assert 'value="Pedal AS"' in page
    assert 'name="partners-INITIAL_FORMS" value="2"' in page


def test_editor_updates_fields_relations_and_partners(client, editor, initiative):
    inclusion = ActionArea.objects.get(code="inclusion")
    client.force_login(editor)
    response = client.post(
        edit_url(initiative),
        {
            **initiative_payload(title="New title", action_areas=[inclusion.pk]),
            **partner_data(
                [
                    {"organisation": "Pedal AS", "sector": "voluntary", "role": "Bikes"},
                    {"organisation": "Old Partner", "sector": "academia"},
                    {"organisation": "Fjordvik University", "sector": "academia"},
                ],
                initial=2,
                deleted={1},
            ),
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "New title"
    assert list(initiative.action_areas.all()) == [inclusion]
    assert sorted(initiative.partners.values_list("organisation", "sector", "role")) == [
        ("Fjordvik University", "academia", ""),
        ("Pedal AS", "voluntary", "Bikes"),
    ]
    event = AuditEvent.objects.get(action="update")
    assert event.actor == editor
    assert event.changes["title"] == ["Old title", "New title"]
    assert event.changes["action_areas"] == [["Leadership"], ["Inclusion"]]
    assert event.changes["partners"] == [
        ["Old Partner (Academia)", "Pedal AS (Business)"],
        ["Fjordvik University (Academia)", "Pedal AS (Voluntary sector): Bikes"],
    ]
    assert "created_at" not in event.changes


def test_failed_edit_changes_nothing(client, editor, initiative):
    client.force_login(editor)
    response = client.post(
        edit_url(initiative),
        {
            **initiative_payload(title="New title"),
            **partner_data(
                [
                    {"organisation": "Pedal AS", "sector": "business"},
                    {"organisation": "Pedal AS", "sector": "business"},
                ],
                initial=2,
            ),
        },
    )
    assert response.status_code == 200
    initiative.refresh_from_db()
    assert initiative.title == "Old title"
    assert initiative.partners.count() == 2
    assert not AuditEvent.objects.exists()


def test_assessor_may_not_edit(client, assessor, initiative):
    client.force_login(assessor)
    response = client.post(edit_url(initiative), initiative_payload(title="Hijacked"))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Old title"


# --- delete -------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_on_post(client, editor, initiative, municipality):
    client.force_login(editor)
    confirmation = client.get(delete_url(initiative))
    assert confirmation.status_code == 200
    assert "Delete this initiative?" in confirmation.content.decode()
    assert Initiative.objects.filter(pk=initiative.pk).exists()

    response = client.post(delete_url(initiative))
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:list", kwargs={"municipality": "fjordvik"})
    assert not Initiative.objects.filter(pk=initiative.pk).exists()
    assert not Partner.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert (event.object_repr, event.actor, event.municipality) == (
        "Old title",
        editor,
        municipality,
    )


@pytest.mark.parametrize("role_fixture", ["assessor", "participant"])
def test_only_editors_may_delete(client, request, initiative, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.post(delete_url(initiative)).status_code == 403
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_unknown_municipality_is_404_for_editors(client, editor):
    MunicipalityFactory(slug="somewhere")
    client.force_login(editor)
    assert client.get(create_url("nowhere")).status_code == 404
    assert client.get(create_url("somewhere")).status_code == 403
