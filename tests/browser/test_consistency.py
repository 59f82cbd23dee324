"""The pages the consistency work added, in a real browser and in both languages: the phase
kind step and the phase form, the finalise confirmation and the assessors' worklist pass axe-core,
and the compare page opens without an error."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.participation.models import Phase, Process
from tests.browser.conftest import LANGUAGES, Portfolio, assert_accessible, login, use_language

pytestmark = pytest.mark.browser


def test_new_pages_pass_axe_in_every_language(page: Page, live_server, portfolio: Portfolio):
    slug = portfolio.municipality.slug
    process = Process.objects.create(
        municipality=portfolio.municipality, title="Harbour", slug="harbour", is_published=True
    )
    draft = portfolio.draft_assessment
    pages = {
        reverse("participation:phase_create", args=[slug, process.slug]): 1,
        reverse("participation:phase_create", args=[slug, process.slug]) + "?kind=workshop": 2,
        # The draft leaves principles unrated: the confirmation lists them, with no button.
        reverse("initiatives:assessment_finalise", args=[slug, draft.initiative_id, draft.pk]): 0,
        reverse("initiatives:assessment_worklist", args=[slug]): 0,
    }
    login(page, live_server, portfolio.administrator)
    for language in LANGUAGES:
        use_language(page, live_server, language)
        for url, forms in pages.items():
            page.goto(live_server.url + url)
            expect(page.locator("h1")).to_have_count(1)
            expect(page.locator("main form")).to_have_count(forms)
            assert_accessible(page)
    assert not Phase.objects.exists()


def test_the_compare_page_opens_without_an_error(page: Page, live_server, portfolio: Portfolio):
    page.goto(live_server.url + reverse("indicator_catalogue:compare"))
    expect(page.locator(".ds-error-summary")).to_have_count(0)
    assert_accessible(page)
