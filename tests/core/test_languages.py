"""Languages: English and Norwegian Bokmål now; the others need only catalogues and content."""

import pytest
from django.conf import settings
from django.utils import translation

from roadmap.framework.models import Principle, Purpose


def test_content_columns_exist_for_every_nordic_language():
    field_names = {field.name for field in Principle._meta.get_fields()}
    for language in ("en", "nb", "sv", "da", "fi", "is"):
        assert f"name_{language}" in field_names


def test_ui_offers_english_and_norwegian_by_default():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "nb"]


@pytest.mark.django_db
def test_framework_content_is_complete_in_english_and_norwegian():
    for purpose in Purpose.objects.all():
        assert purpose.name_en and purpose.name_nb
    for principle in Principle.objects.filter(municipality__isnull=True):
        assert principle.name_nb and principle.summary_nb


@pytest.mark.django_db
def test_a_new_language_falls_back_until_its_content_exists():
    purpose = Purpose.objects.get(code="green")
    with translation.override("fi"):
        assert purpose.name == purpose.name_en
    # Swedish readers get Norwegian before English: the languages are mutually readable.
    with translation.override("sv"):
        assert purpose.name == purpose.name_nb
    purpose.name_sv = "Grön"
    with translation.override("sv"):
        assert purpose.name == "Grön"


@pytest.mark.django_db
def test_norwegian_content_is_shown_in_norwegian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    body = client.get("/").content.decode()
    assert Purpose.objects.get(code="green").name_nb in body
