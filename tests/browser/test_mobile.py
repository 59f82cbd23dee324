"""Mobile first: no page of the demo scrolls sideways on a phone, chart text stays readable, and
the header's menu collapses without JavaScript and works by keyboard.

The crawl starts at the demo's front page and follows every same-host GET link, for a visitor
and for the demo administrator. Pages of one URL route (one initiative and the next) share a
layout, so at most PER_PATTERN of each are opened; that keeps the crawl to about two minutes
while every kind of page is seen.
"""

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from roadmap.demo.build import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, build_demo
from tests.browser.conftest import Portfolio, blocking_violations, load_reference_data, open_context

pytestmark = pytest.mark.browser

PHONE = 390
NARROW_PHONE = 320
TABLET = 768
MAX_PAGES = 150  # per visitor, a cap the demo stays under
PER_PATTERN = 2
READABLE_PX = 11
# Not ours to lay out (Django's admin, the API's third-party docs), or not pages (downloads, data
# formats, the sign-out form's target).
SKIPPED = re.compile(
    r"^/(admin|api|static|media)/|^/accounts/logout/|\.(csv|xlsx|json|jsonld|ttl|rdf|svg|ico)$"
)

# How far the page reaches beyond the window, and what sticks out (for the failure message).
OVERFLOW = """() => {
    const width = window.innerWidth;
    const scrolled = document.scrollingElement.scrollWidth;
    if (scrolled <= width) return null;
    const culprits = [...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .slice(-3)
        .map((element) => element.tagName.toLowerCase() + (element.className && typeof
            element.className === 'string' ? '.' + element.className.split(' ').join('.') : ''));
    return `${scrolled} px wide in a ${width} px window (${culprits.join(', ')})`;
}"""

# The smallest text of each chart as drawn: its font size times the SVG's scale on the page.
SMALLEST_CHART_TEXT = """() => [...document.querySelectorAll('.chart__svg svg')]
    .filter((svg) => svg.getBoundingClientRect().width > 0)
    .map((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const sizes = [...svg.querySelectorAll('text')]
            .map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
        return [svg.closest('figure').getAttribute('aria-labelledby'), Math.min(...sizes)];
    })"""


@pytest.fixture
def demo(transactional_db) -> None:
    load_reference_data()
    build_demo()


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    context = open_context(browser, live_server, viewport={"width": PHONE, "height": 800})
    yield context.new_page()
    context.close()


def pattern(path: str) -> str:
    """The page's URL route and query keys: /m/fjordvik/initiatives/14/ and
    /m/havvik/initiatives/9/ are one kind of page."""
    parts = urlsplit(path)
    keys = sorted(item.split("=")[0] for item in parts.query.split("&") if item)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    return route + ("?" + "&".join(keys) if keys else "")


def same_host_links(page: Page, host: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map((link) => link.href)"
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc == host and parts.scheme.startswith("http"):
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIPPED.search(parts.path):
                paths.append(path)
    return paths


def crawl(page: Page, live_server) -> tuple[list[str], list[str], int]:
    """Opens every reachable page once (PER_PATTERN of each kind) from the front page;
    returns the pages that overflow, the charts with text under READABLE_PX, the pages seen."""
    host = urlsplit(live_server.url).netloc
    queue, queued, per_pattern = ["/"], {"/"}, Counter()
    overflowing, small_text, seen = [], [], 0
    while queue and seen < MAX_PAGES:
        path = queue.pop(0)
        try:
            response = page.goto(live_server.url + path)
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                continue  # a file behind a page-like address, not a page
            raise
        assert response is not None and response.status < 500, f"{path}: {response}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        seen += 1
        if problem := page.evaluate(OVERFLOW):
            overflowing.append(f"{path}: {problem}")
        for chart, size in page.evaluate(SMALLEST_CHART_TEXT):
            if size < READABLE_PX:
                small_text.append(f"{path}: {chart} has {size:.1f} px text")
        for link in same_host_links(page, host):
            kind = pattern(link)
            if link not in queued and per_pattern[kind] < PER_PATTERN:
                queued.add(link)
                per_pattern[kind] += 1
                queue.append(link)
    return overflowing, small_text, seen


def sign_in_as_demo_admin(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(DEMO_ADMIN_USERNAME)
    page.locator("#id_password").fill(DEMO_ADMIN_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()


def test_no_page_of_the_demo_scrolls_sideways_on_a_phone(demo, phone: Page, live_server):
    overflowing, small_text, seen = crawl(phone, live_server)
    sign_in_as_demo_admin(phone, live_server)
    member_overflowing, member_small_text, member_seen = crawl(phone, live_server)

    assert seen > 30 and member_seen > seen  # the crawl really went round the demo
    problems = overflowing + [f"(signed in) {line}" for line in member_overflowing]
    assert not problems, f"Pages wider than a {PHONE} px phone:\n" + "\n".join(problems)
    unreadable = small_text + [f"(signed in) {line}" for line in member_small_text]
    assert not unreadable, "Chart text too small on a phone:\n" + "\n".join(unreadable)


REPRESENTATIVE = [
    "/",
    "/framework/",
    "/m/fjordvik/",
    "/m/fjordvik/initiatives/",
    "/m/fjordvik/portfolio/",
    "/m/havvik/portfolio/",  # no initiatives: the empty state
    "/m/fjordvik/indicators/",
    "/m/fjordvik/initiatives/7/",
    "/m/fjordvik/processes/",
    "/accounts/login/",
]


@pytest.mark.parametrize("width", [NARROW_PHONE, PHONE, TABLET])
def test_representative_pages_fit_phones_and_a_tablet_and_stay_accessible(
    demo, browser: Browser, live_server, width
):
    context = open_context(browser, live_server, viewport={"width": width, "height": 900})
    page = context.new_page()
    # The menu open too: its links and the language form must fit as well.
    problems = []
    for path in REPRESENTATIVE:
        page.goto(live_server.url + path)
        if page.locator(".site-menu__toggle").is_visible():
            page.locator(".site-menu__toggle").click()
        if problem := page.evaluate(OVERFLOW):
            problems.append(f"{path}: {problem}")
        # Tables that scroll sideways at this width must be reachable by keyboard, and so on.
        problems += blocking_violations(page)
    context.close()
    assert not problems, f"At {width} px:\n" + "\n".join(problems)


def test_the_menu_collapses_without_javascript_and_opens_by_keyboard(
    browser: Browser, live_server, portfolio: Portfolio
):
    context = open_context(
        browser, live_server, java_script_enabled=False, viewport={"width": PHONE, "height": 800}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/m/{portfolio.municipality.slug}/")
    toggle = page.locator(".site-menu__toggle")
    main_nav = page.get_by_role("navigation", name="Main")
    change = page.get_by_role("button", name="Change")
    expect(toggle).to_have_text(re.compile("Menu"))
    expect(main_nav).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 100  # was 190-230 px

    toggle.focus()
    page.keyboard.press("Enter")
    expect(main_nav.get_by_role("link", name="Portfolio")).to_be_visible()
    page.keyboard.press("Tab")
    expect(main_nav.get_by_role("link", name="The roadmap")).to_be_focused()
    # The language button is whole inside the window, not cut off at its right edge.
    box = change.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(main_nav).to_be_hidden()
    context.close()


def test_wide_screens_show_the_navigation_without_a_toggle(
    browser: Browser, live_server, portfolio: Portfolio
):
    context = open_context(browser, live_server, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/m/{portfolio.municipality.slug}/")
    expect(page.locator(".site-menu__toggle")).to_be_hidden()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Initiatives")).to_be_visible()
    expect(page.get_by_role("button", name="Change")).to_be_visible()
    context.close()
