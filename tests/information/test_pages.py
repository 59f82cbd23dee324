"""Information pages: the platform's defaults, a municipality's own texts written by its
administrators (audited), the terms and help pages, the footer links and the favicon."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.accounts.models import TERMS_VERSION
from roadmap.core.models import AuditEvent
from roadmap.information.models import MunicipalPage
from tests.conftest import member
from tests.participation.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def _page(municipality, kind):
    return reverse(
        "information:municipal_page", kwargs={"municipality": municipality.slug, "kind": kind}
    )


def _edit(municipality, kind):
    return reverse("information:edit", kwargs={"municipality": municipality.slug, "kind": kind})


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        (
            "about",
            ["About", "puts the Nordic Smart City Roadmap (Nordic Innovation, 2021) to work"],
        ),
        ("contact", ["Questions about a municipality's initiatives"]),
        (
            "accessibility",
            [
                "Last checked:",
                "3 December 2026",
                "<h2>What is not yet accessible</h2>",
                "<h2>How to report a problem</h2>",
                "Tilsynet for universell utforming av ikt",
            ],
        ),
        ("privacy", ["<h2>What we keep and why</h2>", "<h2>Your rights</h2>", "Datatilsynet"]),
        ("terms", [f'Version:</strong> <time datetime="{TERMS_VERSION}">', "<h2>Moderation</h2>"]),
    ],
)
def test_the_platform_pages_show_their_default_text(client, name, texts):
    content = client.get(reverse(f"information:{name}")).content.decode()
    for text in texts:
        assert text in content


def test_the_default_texts_follow_the_reader_language(client):
    client.cookies["django_language"] = "nb"
    content = client.get(reverse("information:accessibility")).content.decode()
    assert "Tilgjengelighetserklæring" in content
    assert "Hva som ennå ikke er tilgjengelig" in content


def test_a_municipality_page_names_it_and_its_country_authority(client, municipality):
    municipality.country = "SE"
    municipality.save()
    content = client.get(_page(municipality, "privacy")).content.decode()
    assert "Fjordvik is responsible for the personal data" in content
    assert "Integritetsskyddsmyndigheten, IMY" in content
    assert "Edit this page" not in content


def test_the_footer_links_a_municipalitys_own_pages(client, municipality):
    content = client.get(_page(municipality, "about")).content.decode()
    for kind in ("about", "contact", "accessibility", "privacy"):
        assert f'href="{_page(municipality, kind)}"' in content
    assert f'href="{reverse("information:terms")}"' in content
    assert f'href="{reverse("information:help")}"' in content


def test_an_administrator_writes_the_accessibility_statement_with_an_audit_event(
    client, municipality, administrator
):
    client.force_login(administrator)
    form = client.get(_edit(municipality, "accessibility")).content.decode()
    assert "## How to report a problem" in form  # starts from the default text
    response = client.post(
        _edit(municipality, "accessibility"),
        {
            "body": "## What is not yet accessible\n\n- The <b>map</b> of districts.",
            "checked_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "20 November 2026" in page
    assert "<li>The &lt;b&gt;map&lt;/b&gt; of districts.</li>" in page
    assert "Edit this page" in page
    event = AuditEvent.objects.get(action="create", object_id=MunicipalPage.objects.get().pk)
    assert event.actor == administrator
    assert event.municipality == municipality
    assert event.changes["checked_on"] == [None, "2026-11-20"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "   ", "checked_on": "2026-11-20"}, "This field is required."),
        ({"body": "Text", "checked_on": "20.11.2026x"}, "Enter a valid date."),
        ({"body": "Text", "checked_on": ""}, "This field is required."),
        ({"body": "x" * 20_001, "checked_on": "2026-11-20"}, "at most 20000 characters"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(client, municipality, administrator, data, message):
    client.force_login(administrator)
    response = client.post(_edit(municipality, "accessibility"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MunicipalPage.objects.exists()


def test_a_last_check_in_the_future_is_refused(client, municipality, administrator):
    client.force_login(administrator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        _edit(municipality, "accessibility"), {"body": "Text", "checked_on": tomorrow}
    )
    assert "The last check cannot be in the future." in response.content.decode()


def test_restoring_the_default_text(client, municipality, administrator):
    client.force_login(administrator)
    client.post(_edit(municipality, "contact"), {"body": "Call 12 34 56 78."})
    assert "Call 12 34 56 78." in client.get(_page(municipality, "contact")).content.decode()
    client.post(_edit(municipality, "contact"), {"restore": "1"})
    content = client.get(_page(municipality, "contact")).content.decode()
    assert "has not written its contact details here yet" in content
    assert AuditEvent.objects.filter(action="delete", municipality=municipality).count() == 1


def test_only_the_municipalitys_administrators_edit_its_pages(
    client, municipality, other_municipality, editor
):
    outsider_admin = member(other_municipality, "administrator")
    for user in (editor, outsider_admin):
        client.force_login(user)
        assert client.get(_edit(municipality, "about")).status_code == 403
        assert client.post(_edit(municipality, "about"), {"body": "Taken over"}).status_code == 403
    client.logout()
    assert client.get(_edit(municipality, "about")).status_code == 302
    assert not MunicipalPage.objects.exists()


def test_one_municipalitys_text_does_not_show_on_anothers(
    client, municipality, other_municipality, administrator
):
    client.force_login(administrator)
    client.post(_edit(municipality, "about"), {"body": "Fjordvik's own words."})
    assert (
        "Fjordvik's own words."
        not in client.get(_page(other_municipality, "about")).content.decode()
    )


def test_unknown_pages_and_roles_are_not_found(client, municipality):
    assert client.get(_page(municipality, "terms")).status_code == 404
    assert client.get(reverse("information:help_role", kwargs={"role": "king"})).status_code == 404


def test_a_help_page_per_role(client):
    index = client.get(reverse("information:help")).content.decode()
    for role in ("participant", "editor", "assessor", "moderator", "administrator"):
        url = reverse("information:help_role", kwargs={"role": role})
        assert f'href="{url}"' in index
        assert client.get(url).status_code == 200
    assessor = client.get(reverse("information:help_role", kwargs={"role": "assessor"}))
    assert "rate each principle from 0 to 4" in assessor.content.decode()


def test_the_favicon_is_served_as_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_sign_up_links_the_terms_and_the_privacy_notice(client):
    content = client.get(reverse("accounts:signup")).content.decode()
    assert f'href="{reverse("information:terms")}"' in content
    assert f'href="{reverse("information:privacy")}"' in content
    assert "I accept the terms of use and have read the privacy notice" in content


def test_the_workshop_board_links_the_municipalitys_privacy_notice(client, municipality):
    process = ProcessFactory(municipality=municipality, slug="w")
    phase = PhaseFactory(process=process, kind="workshop", post_notes="anyone")
    board = client.get(
        reverse(
            "workshops:board",
            kwargs={"municipality": municipality.slug, "process": "w", "phase": phase.pk},
        )
    )
    assert board.status_code == 200
    assert f'href="{_page(municipality, "privacy")}">How your data is handled</a>' in (
        board.content.decode()
    )
