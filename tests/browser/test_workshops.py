"""Workshops in a real browser: the pages through axe, posting, +1 without a reload, the board
refreshing by itself, theming by keyboard, and the same journey without JavaScript."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.accounts.models import User
from roadmap.participation.models import Phase
from roadmap.workshops import services
from roadmap.workshops.models import Note, NoteVote, Prompt, Theme
from tests.browser.conftest import LANGUAGES, assert_accessible, login, use_language, watch_console
from tests.factories import UserFactory
from tests.participation.factories import ProcessFactory
from tests.workshops.factories import (
    NoteFactory,
    PromptFactory,
    ThemeFactory,
    WorkshopFactory,
    WorkshopPhaseFactory,
)

pytestmark = pytest.mark.browser

NOTES = (
    "Safe bike lanes to school",
    "Bike lanes along the harbour",
    "Winter clearing of bike lanes",
    "More trees in the park",
    "Plant trees for shade in the park",
    "A park with old trees",
)


@dataclass
class Scene:
    phase: Phase
    prompt: Prompt
    participant: User
    editor: User

    def url(self, live_server, name: str, **kwargs) -> str:
        return live_server.url + reverse(
            f"workshops:{name}",
            kwargs={
                "municipality": self.phase.process.municipality.slug,
                "process": self.phase.process.slug,
                "phase": self.phase.pk,
                **kwargs,
            },
        )


@pytest.fixture
def scene(transactional_db, municipality, editor) -> Scene:
    process = ProcessFactory(municipality=municipality, title="Fjordvik 2030", slug="fjordvik-2030")
    phase = WorkshopPhaseFactory(process=process, title="Open workshop")
    prompt = PromptFactory(workshop=WorkshopFactory(phase=phase), text="What should we take along?")
    writer = UserFactory(display_name="Kari")
    for text in NOTES:
        NoteFactory(prompt=prompt, text=text, author=writer)
    ThemeFactory(prompt=prompt, name="Greenery")
    services.recompute_synthesis(actor=editor, prompt=prompt)
    return Scene(phase=phase, prompt=prompt, participant=UserFactory(), editor=editor)


SCREENS = [
    ("board", {}, "participant", "#workshop-notes .workshop-note"),
    ("board", {}, "editor", "form[action$='/prompts/']"),
    ("prompt", {"prompt": True}, "editor", "input[name=notes]"),
    ("synthesis", {"prompt": True}, "editor", "figure svg"),
    ("summary", {}, None, ".workshop-summary"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("name", "kwargs", "role", "shows"), SCREENS, ids=[f"{s[0]}-{s[2]}" for s in SCREENS]
)
def test_workshop_pages_are_accessible(
    page: Page, live_server, scene, language, name, kwargs, role, shows
):
    use_language(page, live_server, language)
    if role:
        login(page, live_server, getattr(scene, role))
    errors = watch_console(page)
    kwargs = {key: scene.prompt.pk for key in kwargs}
    page.goto(scene.url(live_server, name, **kwargs))
    expect(page.locator(shows).first).to_be_visible()
    assert_accessible(page)
    assert not errors


FORM_PAGES = [
    ("hide", "main textarea"),
    ("restore", "main textarea"),
    ("prompt_edit", "main input[name=text]"),
    ("prompt_delete", "main button[type=submit]"),
]


@pytest.mark.parametrize(("name", "shows"), FORM_PAGES, ids=[name for name, _ in FORM_PAGES])
def test_facilitator_form_pages_are_accessible(page: Page, live_server, scene, name, shows):
    note = Note.objects.first()
    if name == "restore":
        services.hide_note(actor=scene.editor, note=note, reason="Off topic")
    kwargs = {"prompt": scene.prompt.pk} if name.startswith("prompt") else {"pk": note.pk}
    login(page, live_server, scene.editor)
    errors = watch_console(page)
    page.goto(scene.url(live_server, name, **kwargs))
    expect(page.locator(shows).first).to_be_visible()
    assert_accessible(page)
    assert not errors


def test_post_plus_one_and_see_others_notes_arrive_without_reload(page: Page, live_server, scene):
    login(page, live_server, scene.participant)
    errors = watch_console(page)
    page.goto(scene.url(live_server, "board"))

    page.get_by_role("textbox", name="Your note").fill("Keep the night ferry")
    with page.expect_navigation():
        page.get_by_role("button", name="Post note").click()
    expect(page.locator(".workshop-note", has_text="Keep the night ferry")).to_be_visible()

    # +1 through htmx: the widget changes in place and the live region tells what happened.
    note = Note.objects.get(text="Safe bike lanes to school")
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator(f"#vote-{note.pk}").click()
    expect(page.locator(f"#vote-{note.pk}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#workshop-announcement")).to_contain_text("It now has 1.")
    assert NoteVote.objects.filter(note=note, user=scene.participant).exists()

    # Someone else posts: the board polls and shows it without a reload.
    services.post_note(
        author=UserFactory(), prompt=scene.prompt, text="Ferries at night", language="en"
    )
    expect(page.locator(".workshop-note", has_text="Ferries at night")).to_be_visible(
        timeout=15_000
    )
    assert page.evaluate("() => window.notReloaded === true")
    assert not errors


def test_facilitator_themes_notes_by_keyboard(page: Page, live_server, scene):
    login(page, live_server, scene.editor)
    page.goto(scene.url(live_server, "prompt", prompt=scene.prompt.pk))

    for text in ("More trees in the park", "A park with old trees"):
        checkbox = page.get_by_label(text)
        checkbox.focus()
        page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
    page.get_by_label("Existing theme").select_option(label="Greenery")
    page.get_by_role("button", name="Put in theme").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".ds-alert")).to_contain_text("Greenery")
    themed = Note.objects.filter(theme__name="Greenery").values_list("text", flat=True)
    assert sorted(themed) == ["A park with old trees", "More trees in the park"]


def test_board_works_without_javascript(no_js_page: Page, live_server, scene):
    page = no_js_page
    login(page, live_server, scene.participant)
    page.goto(scene.url(live_server, "board"))

    page.get_by_role("textbox", name="Your note").fill("Keep the library open late")
    page.get_by_label("Language of your note").select_option("nb")
    with page.expect_navigation():
        page.get_by_role("button", name="Post note").click()
    expect(page.locator(".ds-alert")).to_contain_text("Your note was posted.")

    note = Note.objects.get(text="More trees in the park")
    with page.expect_navigation():
        page.locator(f"#vote-{note.pk}").click()
    expect(page.locator(".ds-alert")).to_contain_text("You gave this note +1. It now has 1.")
    assert Note.objects.get(text="Keep the library open late").language == "nb"
    assert Theme.objects.count() == 1
