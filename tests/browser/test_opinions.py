"""Opinion maps in a real browser: the pages through axe in English and Norwegian, and voting
and adding a statement by keyboard, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from roadmap.opinions import services
from roadmap.opinions.models import Statement, Vote
from tests.browser.conftest import LANGUAGES, assert_accessible, login, use_language, watch_console
from tests.conftest import member
from tests.factories import MunicipalityFactory, UserFactory
from tests.opinions.conftest import add_statements, make_phase, url
from tests.opinions.test_map import plant

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    municipality = MunicipalityFactory(name="Fjordvik", slug="fjordvik")
    phase = make_phase(municipality)
    plant(phase, participants=90, statements=12)
    add_statements(phase, 1, status=Statement.Status.PENDING)
    services.recompute_map(phase_id=phase.pk, full=True)
    return phase


@pytest.mark.parametrize("language", LANGUAGES)
def test_opinion_pages_pass_axe(page, live_server, scene, language):
    moderator = member(scene.process.municipality, "moderator")
    use_language(page, live_server, language)
    login(page, live_server, moderator)
    errors = watch_console(page)

    for name in ("phase", "map", "moderation"):
        page.goto(live_server.url + url(name, scene))
        assert_accessible(page)
    assert page.locator("main svg").count() == 0  # the moderation page has no chart
    page.goto(live_server.url + url("map", scene))
    expect(page.locator("figure.chart svg:visible")).to_be_visible()  # wide or narrow drawing
    assert errors == []


def test_voting_by_keyboard_swaps_in_the_next_statement(page, live_server, scene):
    participant = UserFactory()
    login(page, live_server, participant)
    errors = watch_console(page)
    page.goto(live_server.url + url("phase", scene))
    first = page.locator("#vote-card blockquote").inner_text()

    page.locator("#vote-card button[value=agree]").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#vote-card")).to_contain_text("Your vote was saved.")
    expect(page.locator("#vote-card blockquote")).not_to_have_text(first)
    assert page.url.endswith(url("phase", scene))  # swapped in place, no navigation
    expect(page.locator("#vote-card button[value=agree]")).to_be_focused()
    assert Vote.objects.filter(voter__user=participant).count() == 1
    assert errors == []


def test_voting_and_adding_a_statement_work_without_javascript(no_js_page, live_server, scene):
    participant = UserFactory()
    login(no_js_page, live_server, participant)
    no_js_page.goto(live_server.url + url("phase", scene))

    no_js_page.locator("#vote-card button[value=disagree]").click()
    expect(no_js_page.locator(".messages")).to_contain_text("Your vote was saved.")
    no_js_page.locator("#id_text").fill("The harbour needs more shade in summer.")
    no_js_page.locator("form.stacked-form button[type=submit]").click()

    expect(no_js_page.locator(".messages")).to_contain_text("Your statement is open for votes.")
    assert Vote.objects.get(voter__user=participant).value == Vote.Value.DISAGREE
    assert Statement.objects.filter(author=participant).count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_the_three_vote_buttons_share_one_row_and_show_keyboard_focus(
    page, live_server, scene, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, UserFactory())
    page.goto(live_server.url + url("phase", scene))
    buttons = page.locator(".vote-card__choices button")

    tops = {round(buttons.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1
    faces = {buttons.nth(i).evaluate("b => getComputedStyle(b).backgroundColor") for i in range(3)}
    assert len(faces) == 3
    buttons.first.focus()
    assert buttons.first.evaluate("b => b.matches(':focus-visible')")
    assert buttons.first.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
