"""The initiative page: every field, grouped partners, parts, audit trail, escaping."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.framework.models import ActionArea, Barrier, Principle, Purpose
from roadmap.initiatives import services
from roadmap.initiatives.models import BarrierEncounter, Lesson, Pilot
from tests.factories import InitiativeFactory, PartnerFactory


def detail_url(initiative):
    return reverse(
        "initiatives:detail",
        kwargs={"municipality": initiative.municipality.slug, "pk": initiative.pk},
    )


@pytest.fixture
def local_principle(municipality):
    return Principle.objects.create(
        municipality=municipality,
        code="fjord-access",
        name="Keep the fjord open to all",
        summary="-",
        source="local",
    )


@pytest.fixture
def initiative(municipality, local_principle, editor):
    initiative = InitiativeFactory(
        municipality=municipality,
        title="Harbour sensors",
        summary="Measuring water quality with schools.",
        description="Pupils read the sensors.\n\nData is open.",
        status="piloting",
        visibility="public",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2027, 2, 28),
        budget=Decimal("1250000.00"),
        sdg_goals=[14, 4],
        location_name="Inner harbour",
        latitude=Decimal("59.9"),
        longitude=Decimal("10.7"),
        action_areas=[ActionArea.objects.get(code="living-environment")],
        purposes=[Purpose.objects.get(code="green")],
        principles=[Principle.objects.get(code="people-at-the-centre"), local_principle],
    )
    PartnerFactory(initiative=initiative, organisation="Fjordvik School", sector="public")
    PartnerFactory(initiative=initiative, organisation="Sensor AS", sector="business")
    PartnerFactory(initiative=initiative, organisation="Harbour Friends", sector="voluntary")
    Pilot.objects.create(
        initiative=initiative,
        title="Two buoys",
        hypothesis="Pupils keep sensors running.",
        decision="scale",
    )
    BarrierEncounter.objects.create(
        initiative=initiative,
        barrier=Barrier.objects.get(code="sector-silos"),
        mitigation="Joint budget",
        status="mitigated",
    )
    BarrierEncounter.objects.create(initiative=initiative, description="Salt water corrodes")
    Lesson.objects.create(initiative=initiative, text="Start with the teachers.", author=editor)
    return initiative


def test_public_page_shows_every_field(client, initiative):
    response = client.get(detail_url(initiative))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        '<h1 class="ds-heading" data-size="lg">Harbour sensors</h1>',
        "Measuring water quality with schools.",
        "<p>Pupils read the sensors.</p>\n\n<p>Data is open.</p>",
        "Piloting",
        "1,250,000.00 NOK",
        'datetime="2026-03-01"',
        'datetime="2027-02-28"',
        "Inner harbour (59.900000, 10.700000)",
        "Living environment",
        "Green",
        "Put inhabitants at the centre",
        "Keep the fjord open to all",
        "Goal 4: Quality education",
        "Goal 14: Life below water",
        "Two buoys",
        "Pupils keep sensors running.",
        "Scale",
        "Sector silos (Organisation and silos)",
        "Joint budget",
        "Mitigated",
        "Salt water corrodes",
        "Start with the teachers.",
        "Assessment against the principles",
    ):
        assert text in page, text
    assert page.count("<h1") == 1


def test_partners_are_grouped_by_sector_in_sector_order(client, initiative):
    page = client.get(detail_url(initiative)).content.decode()
    public = page.index("Public sector</h3>")
    business = page.index("Business</h3>")
    voluntary = page.index("Voluntary sector</h3>")
    assert public < page.index("Fjordvik School") < business
    assert business < page.index("Sensor AS") < voluntary < page.index("Harbour Friends")
    assert "Academia</h3>" not in page


def test_principles_link_to_their_framework_pages(client, initiative, local_principle):
    shared_url = reverse("framework:principle", kwargs={"code": "people-at-the-centre"})
    local_url = reverse(
        "local_framework:principle",
        kwargs={"municipality": "fjordvik", "code": local_principle.code},
    )
    page = client.get(detail_url(initiative)).content.decode()
    assert f'href="{shared_url}"' in page
    assert f'href="{local_url}"' in page


def test_editing_links_only_for_editors(client, initiative, assessor, editor):
    edit = reverse("initiatives:edit", kwargs={"municipality": "fjordvik", "pk": initiative.pk})
    add_pilot = reverse(
        "initiatives:pilot_add", kwargs={"municipality": "fjordvik", "pk": initiative.pk}
    )
    assert edit not in client.get(detail_url(initiative)).content.decode()
    client.force_login(assessor)
    assert add_pilot not in client.get(detail_url(initiative)).content.decode()
    client.force_login(editor)
    page = client.get(detail_url(initiative)).content.decode()
    assert edit in page
    assert add_pilot in page


def test_audit_trail_is_shown_to_members_only(client, municipality, editor, assessor, participant):
    initiative = services.create_initiative(
        actor=editor,
        municipality=municipality,
        data={"title": "Audited", "summary": "s", "visibility": "public"},
    )
    services.add_lesson(actor=editor, initiative=initiative, data={"text": "Ask early."})
    client.force_login(assessor)
    page = client.get(detail_url(initiative)).content.decode()
    assert "Change history" in page
    assert "Created: initiative “Audited”" in page
    assert "Created: lesson learned “Ask early.”" in page
    for outsider in (participant, None):
        if outsider:
            client.force_login(outsider)
        else:
            client.logout()
        page = client.get(detail_url(initiative)).content.decode()
        assert "Change history" not in page
        assert "Created: lesson learned" not in page


def test_visibility_tag_only_for_members(client, initiative, assessor):
    assert "Public</span>" not in client.get(detail_url(initiative)).content.decode()
    client.force_login(assessor)
    assert "Public</span>" in client.get(detail_url(initiative)).content.decode()


def test_internal_initiative_is_404_for_non_members(client, municipality, participant, assessor):
    internal = InitiativeFactory(municipality=municipality, visibility="internal")
    assert client.get(detail_url(internal)).status_code == 404
    client.force_login(participant)
    assert client.get(detail_url(internal)).status_code == 404
    client.force_login(assessor)
    assert client.get(detail_url(internal)).status_code == 200


def test_user_text_is_escaped(client, municipality, editor):
    initiative = InitiativeFactory(
        municipality=municipality,
        title="<script>alert(1)</script>",
        summary="<img src=x onerror=alert(2)>",
        description="<b>bold</b>\n\nline",
    )
    PartnerFactory(initiative=initiative, organisation="<i>Evil</i> AS")
    Lesson.objects.create(initiative=initiative, text="<script>alert(3)</script>")
    client.force_login(editor)
    page = client.get(detail_url(initiative)).content.decode()
    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "<i>Evil</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>&lt;b&gt;bold&lt;/b&gt;</p>" in page


def test_detail_query_count_does_not_grow_with_parts(
    client, initiative, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(initiative))
    for number in range(10):
        PartnerFactory(initiative=initiative, sector="academia")
        Pilot.objects.create(initiative=initiative, title=f"Pilot {number}", hypothesis="h")
        BarrierEncounter.objects.create(
            initiative=initiative, barrier=Barrier.objects.get(code="sector-silos")
        )
        Lesson.objects.create(initiative=initiative, text=f"Lesson {number}", author=editor)
    with django_assert_max_num_queries(len(few)):
        client.get(detail_url(initiative))
