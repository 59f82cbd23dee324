"""The back office in a real browser: the demo administrator signs in, lands on the office,
opens the moderation inbox and acts on it; both pages pass axe-core and fit a 390 px phone."""

import pytest
from playwright.sync_api import Page, expect

from roadmap.accounts.models import User
from roadmap.demo.build import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, build_demo
from roadmap.participation.models import Proposal, Visibility
from roadmap.workshops.models import Note, NoteFlag
from tests.browser.conftest import (
    assert_accessible,
    load_reference_data,
    login,
    tab_to,
    use_language,
    watch_console,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    load_reference_data()
    fjordvik = build_demo()
    # Something of each family waiting, whatever the demo holds today.
    pending = Proposal.objects.filter(process__municipality=fjordvik).first()
    Proposal.objects.filter(pk=pending.pk).update(visibility=Visibility.PENDING)
    note = Note.objects.filter(prompt__workshop__phase__process__municipality=fjordvik).first()
    NoteFlag.objects.create(note=note, reporter=UserFactory(), reason="Insults a neighbour")
    return fjordvik


def page_overflow(page: Page) -> float:
    """How far the page reaches past the viewport's right edge (so scrolls sideways)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def test_demo_administrator_lands_on_the_office_and_works_the_inbox(page, live_server, demo):
    page.set_viewport_size(PHONE)
    errors = watch_console(page)
    admin = User.objects.get(username=DEMO_ADMIN_USERNAME)

    login(page, live_server, admin, DEMO_ADMIN_PASSWORD)

    assert page.url == f"{live_server.url}/m/{demo.slug}/office/"
    expect(page.locator("h1")).to_have_text(f"Office of {demo.name}")
    page.locator("summary", has_text="Menu").click()  # a phone shows the navigation on demand
    expect(page.locator("header nav a", has_text="Office")).to_be_visible()
    expect(page.locator("#office-inbox")).to_contain_text("wait for a moderator")
    assert_accessible(page)
    assert page_overflow(page) <= 0

    tab_to(page, "#office-inbox a[href$='/office/inbox/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Moderation inbox")
    reported = page.locator(".inbox-item", has_text="Insults a neighbour")
    expect(reported).to_contain_text("Reported workshop note")
    assert_accessible(page)
    assert page_overflow(page) <= 0

    reported.get_by_role("button", name="Dismiss the report").click()

    expect(page.locator(".messages")).to_contain_text("The report was dismissed.")
    expect(page.locator("h1")).to_have_text("Moderation inbox")
    expect(page.locator(".inbox-item", has_text="Insults a neighbour")).to_have_count(0)
    assert not errors


def test_the_office_and_inbox_pass_axe_core_in_norwegian(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, User.objects.get(username=DEMO_ADMIN_USERNAME), DEMO_ADMIN_PASSWORD)
    use_language(page, live_server, "nb")

    page.goto(f"{live_server.url}/m/{demo.slug}/office/")
    expect(page.locator("h1")).to_have_text(f"Kontoret for {demo.name}")
    page.locator("summary", has_text="Meny").click()
    expect(page.locator("header nav a", has_text="Kontor")).to_be_visible()
    assert_accessible(page)
    assert page_overflow(page) <= 0
    page.goto(f"{live_server.url}/m/{demo.slug}/office/inbox/")
    expect(page.locator("h1")).to_have_text("Modereringsinnboks")
    expect(page.locator(".inbox-item", has_text="Insults a neighbour")).to_contain_text(
        "Rapportert verkstedlapp"
    )
    assert_accessible(page)
    assert page_overflow(page) <= 0


def test_a_participant_reports_a_note_from_the_board(page, live_server, demo):
    page.set_viewport_size(PHONE)
    note = (
        Note.objects.filter(prompt__workshop__phase__process__municipality=demo)
        .exclude(flags__isnull=False)
        .select_related("prompt__workshop__phase__process")
        .first()
    )
    phase = note.prompt.workshop.phase
    reporter = UserFactory()
    login(page, live_server, reporter)

    page.goto(
        f"{live_server.url}/m/{demo.slug}/processes/{phase.process.slug}/workshop/{phase.pk}/"
    )
    with page.expect_navigation():
        page.locator(f"#note-{note.pk} a", has_text="Report").click()
    expect(page.locator("h1")).to_have_text("Report a note")
    assert_accessible(page)
    assert page_overflow(page) <= 0
    page.locator("#id_reason").fill("Names a neighbour")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("The moderators will look at your report.")
    assert NoteFlag.objects.get(note=note, reporter=reporter).reason == "Names a neighbour"
