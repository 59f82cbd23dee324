"""Information pages and sign-up in a real browser: axe-core, one h1, both languages, a 390 px
phone without sideways scrolling, and signing up without JavaScript."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.accounts.models import User
from tests.browser.conftest import (
    LANGUAGES,
    blocking_violations,
    login,
    open_context,
    use_language,
    watch_console,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = open_context(browser, live_server, viewport=PHONE)
    yield context.new_page()
    context.close()


def _paths(municipality) -> list[str]:
    own = {"municipality": municipality.slug}
    return [
        reverse("information:about"),
        reverse("information:terms"),
        reverse("information:privacy"),
        reverse("information:help"),
        reverse("information:help_role", kwargs={"role": "participant"}),
        reverse("information:municipal_page", kwargs={**own, "kind": "accessibility"}),
        reverse("information:municipal_page", kwargs={**own, "kind": "contact"}),
        reverse("accounts:signup"),
    ]


def _check(page: Page, live_server, path: str) -> list[str]:
    problems: list[str] = []
    for language in LANGUAGES:
        use_language(page, live_server, language)
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path} [{language}] answered {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_count(1)
        # The page's own content; the header is the mobile navigation's (issue 11, item 2).
        overflow = page.evaluate(
            "(main => main.scrollWidth - main.clientWidth)(document.querySelector('main'))"
        )
        if overflow > 0:
            problems.append(f"{path} [{language}] scrolls sideways by {overflow} px")
        problems += blocking_violations(page)
    return problems


def test_information_pages_are_accessible_on_a_phone(phone: Page, live_server, municipality):
    console_errors = watch_console(phone)
    problems = [
        problem for path in _paths(municipality) for problem in _check(phone, live_server, path)
    ]
    assert not problems, "\n".join(problems)
    assert not console_errors, "\n".join(console_errors)


def test_the_edit_form_of_the_accessibility_statement_is_accessible(
    phone: Page, live_server, municipality, administrator
):
    login(phone, live_server, administrator)
    path = reverse(
        "information:edit", kwargs={"municipality": municipality.slug, "kind": "accessibility"}
    )
    assert not _check(phone, live_server, path)


def test_signing_up_without_javascript_by_keyboard(no_js_page: Page, live_server):
    page = no_js_page
    page.goto(live_server.url + reverse("accounts:signup"))
    page.locator("#id_username").fill("sigrid")
    page.locator("#id_email").fill("sigrid@example.org")
    page.locator("#id_password1").fill("a-long-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-unusual-passphrase")
    with page.expect_navigation():
        page.locator("main form.stacked-form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Accept the terms of use to create an account.")
    page.locator("#id_password1").fill("a-long-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-unusual-passphrase")
    page.locator("#id_accept_terms").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    assert User.objects.get(username="sigrid").awaiting_email_confirmation
    link = re.search(r"http://[^/]+(/accounts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    expect(page.locator("main")).to_contain_text("Your e-mail address is confirmed.")
