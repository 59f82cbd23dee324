"""Keyboard-only use: the skip link, visible focus, and an editor's whole task without a mouse."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.initiatives.models import Initiative
from tests.browser.conftest import PASSWORD, focused_element_shows_focus, tab_to

pytestmark = pytest.mark.browser


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.ds-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    assert focused_element_shows_focus(page)

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the main content, past the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_editor_signs_in_and_creates_an_initiative_with_the_keyboard_alone(
    page: Page, live_server, portfolio
):
    editor, municipality = portfolio.editor, portfolio.municipality
    page.goto(live_server.url + reverse("accounts:login"))
    tab_to(page, "#id_username")
    page.keyboard.type(editor.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_visible()

    page.goto(live_server.url + reverse("initiatives:list", args=[municipality.slug]))
    tab_to(page, "main a[href$='/initiatives/new/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/initiatives/new/$"))

    tab_to(page, "#id_title")
    page.keyboard.type("Benches that count footfall")
    page.keyboard.press("Tab")
    expect(page.locator("#id_summary")).to_be_focused()
    page.keyboard.type("Sensors in park benches, planned with the neighbourhood council.")
    tab_to(page, "#id_action_areas_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_action_areas_0")).to_be_checked()
    # Back up to the title and press Enter there: a text field's Enter submits its form.
    tab_to(page, "#id_title", backwards=True)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/initiatives/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("The initiative was created.")
    expect(page.locator("h1")).to_have_text("Benches that count footfall")
    created = Initiative.objects.get(municipality=municipality, title="Benches that count footfall")
    assert list(created.action_areas.all()) == [portfolio.action_area]
    assert created.created_by == editor
