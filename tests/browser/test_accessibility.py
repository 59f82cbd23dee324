"""axe-core sweep: every page of the platform foundation, in English and Norwegian Bokmål.

Fails on any serious or critical violation, and on the basics axe cannot judge alone: exactly one
h1 per page, the page in the chosen language, and no console errors (a CSP refusal shows up there).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LANGUAGES,
    Portfolio,
    blocking_violations,
    login,
    use_language,
    watch_console,
)

pytestmark = pytest.mark.browser


def submit_empty_form(page: Page) -> None:
    """Send the page's main form untouched, so the server answers with its errors."""
    with page.expect_navigation():
        page.locator("main form.stacked-form button[type=submit]").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()


def municipal(portfolio: Portfolio) -> dict:
    return {"municipality": portfolio.municipality.slug}


@dataclass(frozen=True)
class Screen:
    name: str
    url_name: str
    kwargs: Callable[[Portfolio], dict] = field(default=lambda portfolio: {})
    query: str = ""
    role: str | None = None  # signs in as this member of the portfolio's municipality
    then: Callable[[Page], None] | None = None

    def path(self, portfolio: Portfolio) -> str:
        return reverse(self.url_name, kwargs=self.kwargs(portfolio)) + self.query


SCREENS = [
    Screen("home", "home"),
    Screen("framework-overview", "framework:overview"),
    Screen(
        "action-area",
        "framework:action_area",
        lambda portfolio: {"code": portfolio.action_area.code},
    ),
    Screen(
        "principle", "framework:principle", lambda portfolio: {"code": portfolio.principle.code}
    ),
    Screen("barriers", "framework:barriers"),
    Screen("local-framework", "local_framework:list", municipal, role="administrator"),
    Screen("municipality-home", "municipalities:home", municipal),
    Screen("initiative-list-filtered", "initiatives:list", municipal, query="?status=piloting"),
    Screen(
        "initiative-detail",
        "initiatives:detail",
        lambda portfolio: {**municipal(portfolio), "pk": portfolio.assessed.pk},
        role="editor",  # members also see drafts, edit links and the change history
    ),
    Screen("initiative-create", "initiatives:create", municipal, role="editor"),
    Screen(
        "initiative-edit",
        "initiatives:edit",
        lambda portfolio: {**municipal(portfolio), "pk": portfolio.assessed.pk},
        role="editor",
    ),
    Screen(
        "initiative-form-errors",
        "initiatives:create",
        municipal,
        role="editor",
        then=submit_empty_form,
    ),
    Screen(
        "assessment-create",
        "initiatives:assessment_create",
        lambda portfolio: {**municipal(portfolio), "pk": portfolio.assessed.pk},
        role="assessor",
    ),
    Screen(
        "assessment-detail",
        "initiatives:assessment_detail",
        lambda portfolio: {
            **municipal(portfolio),
            "pk": portfolio.assessed.pk,
            "assessment_pk": portfolio.final_assessment.pk,
        },
    ),
    Screen(
        "assessment-draft",
        "initiatives:assessment_detail",
        lambda portfolio: {
            **municipal(portfolio),
            "pk": portfolio.assessed.pk,
            "assessment_pk": portfolio.draft_assessment.pk,
        },
        role="assessor",  # with the finalise button and the list of principles left to rate
    ),
    Screen("portfolio-dashboard", "municipalities:dashboard", municipal),
    Screen("sign-in", "accounts:login"),
    Screen("sign-up", "accounts:signup"),
    Screen("sign-up-errors", "accounts:signup", then=submit_empty_form),
    Screen("password-reset", "accounts:password_reset"),
    Screen("account", "accounts:profile", role="editor"),
    Screen("password-change", "accounts:password_change", role="editor"),
    Screen("members", "municipalities:members", municipal, role="administrator"),
]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_page_is_accessible_in_every_language(screen: Screen, page: Page, live_server, portfolio):
    path = screen.path(portfolio)
    console_errors = watch_console(page)
    if screen.role:
        login(page, live_server, getattr(portfolio, screen.role))

    problems: list[str] = []
    for language in LANGUAGES:
        use_language(page, live_server, language)
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path} [{language}] answered {response.status}"
        if screen.then:
            screen.then(page)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_count(1)
        problems += blocking_violations(page)

    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)
    assert not console_errors, "Console errors (CSP refusals?):\n" + "\n".join(console_errors)
