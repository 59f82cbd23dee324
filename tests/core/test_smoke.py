import pytest
from django.urls import reverse

from roadmap.framework.models import Principle


@pytest.mark.django_db
def test_home_lists_purposes_and_municipalities(client, municipality):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Fjordvik" in response.content.decode()
    assert "Resilient" in response.content.decode()


@pytest.mark.django_db
def test_framework_is_loaded_in_test_database():
    assert Principle.objects.filter(municipality__isnull=True).exists()


def test_security_headers(client, db):
    response = client.get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/m/no-such-place/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_audit_trail_shows_readable_labels_and_values(client, editor, municipality):
    from roadmap.core import audit
    from tests.factories import InitiativeFactory

    initiative = InitiativeFactory(municipality=municipality, visibility="internal")
    audit.record(
        actor=editor,
        action="update",
        obj=initiative,
        municipality=municipality,
        changes={
            "action_areas": [[], ["Inclusion", "Leadership"]],
            "budget": [None, "1000.00"],
            "status": ["idea", "operation"],
        },
    )
    client.force_login(editor)
    url = reverse(
        "initiatives:detail", kwargs={"municipality": municipality.slug, "pk": initiative.pk}
    )
    body = client.get(url).content.decode()
    assert "Action areas</strong>: — → Inclusion, Leadership" in body
    assert "Budget</strong>: — → 1000.00" in body
    assert "Lifecycle status</strong>: Idea → In operation" in body


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(editor, municipality):
    from django.test import Client

    from roadmap.initiatives.models import Initiative

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("initiatives:create", kwargs={"municipality": municipality.slug})
    response = client.post(url, {"title": "Forged", "summary": "No token"})
    assert response.status_code == 403
    assert not Initiative.objects.filter(title="Forged").exists()
