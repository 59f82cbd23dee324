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
