"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against the live server.

Browsers cannot be downloaded here, so Playwright launches the system /usr/bin/chromium with flags
that keep it quiet on a closed network. Each test module marks itself `browser`: `make test` leaves
these tests out and `make test-browser` runs them (without xdist: one live server, one browser).

The live server runs in a thread, so its tests use a transactional database that is emptied after
every test: the `portfolio` fixture rebuilds the framework and a small municipality each time.
"""

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from roadmap.accounts.models import User
from roadmap.framework.models import ActionArea, Principle
from roadmap.initiatives.models import Assessment, Initiative
from roadmap.municipalities.models import Municipality
from tests.factories import (
    AssessmentFactory,
    FinalAssessmentFactory,
    InitiativeFactory,
    PartnerFactory,
    RatingFactory,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"  # what tests.factories.UserFactory sets
BLOCKING_IMPACTS = ("critical", "serious")
LANGUAGES = ("en", "nb")
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this in CI)")
    # Playwright's sync API runs an asyncio loop in the test thread; without this Django's ORM
    # refuses the fixture and assertion queries made there. Set only while browsers run.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        expect.set_options(timeout=TIMEOUT_MS)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


def load_reference_data() -> None:
    """What every installation ships (the framework, the U4SSC catalogue, the national vocabulary),
    which the emptied transactional database no longer holds."""
    call_command("load_framework", verbosity=0)
    call_command("load_indicators", verbosity=0)
    call_command("load_national_vocabulary", "--shipped", verbosity=0)


def open_context(browser: Browser, live_server, **options) -> BrowserContext:
    """A fresh browser profile (no cookies) whose browser asks for English pages."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    context = open_context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser, live_server) -> Iterator[Page]:
    context = open_context(browser, live_server, java_script_enabled=False)
    yield context.new_page()
    context.close()


def login(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    # Attached, not visible: on a phone the sign-out button sits in the collapsed menu.
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()


def use_language(page: Page, live_server, language: str) -> None:
    """Choose the UI language as the header's language form would: by Django's cookie."""
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def blocking_violations(page: Page) -> list[str]:
    """axe-core violations of serious or critical impact on the current page, one line each."""
    violations = Axe().run(page).response["violations"]
    return [
        "{url} [{lang}] {id} ({impact}): {help}\n      at {targets}\n      see {helpUrl}".format(
            url=page.url,
            lang=page.locator("html").get_attribute("lang"),
            targets="; ".join(" >> ".join(node["target"]) for node in violation["nodes"]),
            **violation,
        )
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page: Page) -> None:
    problems = blocking_violations(page)
    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)


def watch_console(page: Page) -> list[str]:
    """Collects the page's console errors (CSP refusals, failed loads) as they happen."""
    errors: list[str] = []

    def collect(message) -> None:
        if message.type == "error":
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", collect)
    return errors


def focused_element_shows_focus(page: Page) -> bool:
    """Whether the focused element shows it has focus: an outline or a box shadow on it, or on
    its Designsystemet field (which rings a checkbox or radio together with its label).

    A skip link counts too: it is hidden until focused, so its appearing is the indicator. When
    focus sits in a control's built-in part (a date field's calendar button), the element itself
    does not match :focus and Chromium draws that part's ring; computed styles cannot see it.
    """
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            if (!element.matches(':focus')) return true;
            if (element.matches('.ds-skip-link')) return element.offsetWidth > 1;
            const ringed = (node) => {
                const style = getComputedStyle(node);
                const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                return outline || style.boxShadow !== 'none';
            };
            const field = element.closest('.ds-field');
            return ringed(element) || (field !== null && ringed(field));
        }"""
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 200) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has focus.

    Every element passed on the way must show where focus is, so this doubles as a check of
    visible focus along the route a keyboard user takes.
    """

    def has_focus() -> bool:
        return page.evaluate("(selector) => document.activeElement.matches(selector)", selector)

    key = "Shift+Tab" if backwards else "Tab"
    unmarked: list[str] = []
    presses = 0
    while not has_focus():  # it may have focus already (autofocus)
        assert presses < limit, f"{selector} never got focus in {limit} presses of {key}"
        page.keyboard.press(key)
        presses += 1
        if not focused_element_shows_focus(page):
            unmarked.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))
    assert not unmarked, "Focus was invisible on:\n" + "\n".join(unmarked)


@dataclass
class Portfolio:
    """A municipality with people in every role and initiatives in several states."""

    municipality: Municipality
    editor: User
    assessor: User
    administrator: User
    action_area: ActionArea
    principle: Principle
    assessed: Initiative  # public, with a partner, two final assessments and a draft
    final_assessment: Assessment  # the latest
    draft_assessment: Assessment  # rates one principle only
    unassessed: Initiative


def final_assessment(initiative, assessor, *, days_ago: int, levels: list[int], is_latest: bool):
    assessment = FinalAssessmentFactory(
        initiative=initiative,
        assessor=assessor,
        assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        is_latest=is_latest,
        summary="Strong on co-creation, weak on open data.",
    )
    for principle, level in zip(initiative.principles.order_by("order"), levels, strict=True):
        RatingFactory(assessment=assessment, principle=principle, level=level, evidence="Minutes.")
    return assessment


@pytest.fixture
def portfolio(transactional_db, municipality, editor, assessor, administrator) -> Portfolio:
    call_command("load_framework", verbosity=0)
    action_area = ActionArea.objects.order_by("order").first()
    principles = list(Principle.objects.filter(municipality__isnull=True).order_by("order")[:3])
    assessed = InitiativeFactory(
        municipality=municipality,
        title="Shared mobility hubs",
        status="piloting",
        action_areas=[action_area],
        principles=principles,
        created_by=editor,
    )
    PartnerFactory(initiative=assessed, organisation="Fjordvik bike co-op", sector="voluntary")
    # Two final assessments, so the page also shows the change between them.
    final_assessment(assessed, assessor, days_ago=90, levels=[0, 1, 2], is_latest=False)
    latest = final_assessment(assessed, assessor, days_ago=30, levels=[1, 3, 2], is_latest=True)
    draft = AssessmentFactory(initiative=assessed, assessor=assessor)
    RatingFactory(assessment=draft, principle=principles[0], level=3, evidence="Workshop notes.")
    unassessed = InitiativeFactory(
        municipality=municipality, title="Open data portal", status="idea", created_by=editor
    )
    return Portfolio(
        municipality=municipality,
        editor=editor,
        assessor=assessor,
        administrator=administrator,
        action_area=action_area,
        principle=principles[0],
        assessed=assessed,
        final_assessment=latest,
        draft_assessment=draft,
        unassessed=unassessed,
    )
