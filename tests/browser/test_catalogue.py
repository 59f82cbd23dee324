"""The data catalogue's pages for people, and the publisher settings: axe-core in every language,
at 390 px with nothing in the page's main part wider than the screen, and the settings form sent
by keyboard without JavaScript."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES, blocking_violations, login, use_language

pytestmark = pytest.mark.browser


def _paths(portfolio) -> list[str]:
    slug = portfolio.municipality.slug
    return [
        reverse("catalogue:network"),
        reverse("catalogue:municipality", args=[slug]),
        reverse("municipalities:publisher", args=[slug]),
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_catalogue_pages_are_accessible_and_fit_the_screen(page, live_server, portfolio, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, portfolio.administrator)
    problems: list[str] = []
    for language in LANGUAGES:
        use_language(page, live_server, language)
        for path in _paths(portfolio):
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path} [{language}] answered {response.status}"
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.locator("h1")).to_have_count(1)
            # The page's own content; the shared header is another page's concern.
            right = page.evaluate(
                "Math.max(...[...document.querySelectorAll('main *')]"
                ".map(e => e.getBoundingClientRect().right))"
            )
            assert right <= width, f"{path} [{language}] reaches {right} px at {width} px"
            problems += blocking_violations(page)
    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)


def test_the_administrator_sets_the_publisher_by_keyboard_without_javascript(
    no_js_page, live_server, portfolio
):
    page = no_js_page
    login(page, live_server, portfolio.administrator)
    page.goto(
        live_server.url + reverse("municipalities:publisher", args=[portfolio.municipality.slug])
    )
    page.locator("#id_organisation_number").fill("974760674")
    page.locator("#id_contact_email").fill("apnedata@fjordvik.example")
    page.locator("#id_organisation_number").press("Enter")
    expect(page.locator("main")).to_contain_text("974760674 is not a valid organisation number")
    page.locator("#id_organisation_number").fill("974760673")
    cc_by = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    page.locator("#id_data_licence").select_option(label=cc_by)
    page.locator("#id_organisation_number").press("Enter")
    expect(page.locator(".messages")).to_contain_text("The open data publisher was saved.")
    page.goto(
        live_server.url + reverse("catalogue:municipality", args=[portfolio.municipality.slug])
    )
    expect(page.locator("main")).to_contain_text("organisation number 974760673")
    expect(page.locator("main")).to_contain_text("CC BY 4.0")
