"""Participation in a real browser: every page through axe in English and Norwegian, and the
journey of writing, supporting and discussing a proposal, with and without JavaScript."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.accounts.models import User
from roadmap.municipalities.models import Municipality
from roadmap.participation.activity_services import rebuild_process_activity
from roadmap.participation.models import (
    Block,
    Comment,
    Flag,
    Notification,
    Organisation,
    Process,
    Proposal,
    ResidentVerification,
)
from tests.browser.conftest import (
    LANGUAGES,
    assert_accessible,
    blocking_violations,
    login,
    use_language,
    watch_console,
)
from tests.factories import MembershipFactory, UserFactory
from tests.participation.factories import (
    CommentFactory,
    PhaseFactory,
    ProcessFactory,
    ProposalFactory,
    SupportFactory,
)

pytestmark = pytest.mark.browser


@dataclass
class Scene:
    """An open process with a discussed proposal, and people in every participation role."""

    municipality: Municipality
    process: Process
    proposal: Proposal
    participant: User  # no role; has not supported the proposal yet
    editor: User
    moderator: User
    administrator: User

    def url(self, live_server, name: str, **kwargs) -> str:
        return live_server.url + reverse(
            f"participation:{name}", kwargs={"municipality": self.municipality.slug, **kwargs}
        )

    def proposal_url(self, live_server, proposal: Proposal | None = None) -> str:
        proposal = proposal or self.proposal
        return self.url(live_server, "proposal_detail", process=self.process.slug, pk=proposal.pk)


@pytest.fixture
def scene(transactional_db, municipality, editor, administrator) -> Scene:
    process = ProcessFactory(
        municipality=municipality, title="Harbour renewal", slug="harbour", description="Ideas."
    )
    phase = PhaseFactory(process=process, title="Ideas for the harbour")
    proposal = ProposalFactory(phase=phase, title="Benches by the water")
    # A few people taking part, so the process page draws its figures.
    for supporter in UserFactory.create_batch(3):
        SupportFactory(proposal=proposal, user=supporter)
    comment = CommentFactory(proposal=proposal)
    CommentFactory(proposal=proposal, parent=comment, body="And trees for the shade.")
    # Something in every part of the moderators' queue.
    ProposalFactory(phase=phase, title="Pending idea", visibility="pending")
    CommentFactory(proposal=proposal, visibility="hidden", moderation_reason="Off topic.")
    Flag.objects.create(comment=comment, reporter=UserFactory(), reason="Rude.")
    Block.objects.create(
        municipality=municipality, user=UserFactory(), reason="Spam.", blocked_by=administrator
    )
    # Rows for the administrators' pages and the notification list.
    participant = UserFactory()
    ResidentVerification.objects.create(
        municipality=municipality, user=participant, verified_by=administrator
    )
    organisation = Organisation.objects.create(
        municipality=municipality, name="Harbour sailing club", sector="voluntary"
    )
    organisation.members.add(UserFactory())
    Notification.objects.create(
        user=participant, proposal=proposal, message="Your proposal got an answer."
    )
    # The factories write past the services that keep the figures: count them once.
    rebuild_process_activity([process.pk])
    return Scene(
        municipality=municipality,
        process=process,
        proposal=proposal,
        participant=participant,
        editor=editor,
        moderator=MembershipFactory(municipality=municipality, role="moderator").user,
        administrator=administrator,
    )


# --- accessibility sweep ------------------------------------------------------------------


def submit_empty_form(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form.stacked-form button[type=submit]").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()


def in_process(scene: Scene) -> dict:
    return {"process": scene.process.slug}


def on_proposal(scene: Scene) -> dict:
    return {"process": scene.process.slug, "pk": scene.proposal.pk}


@dataclass(frozen=True)
class Screen:
    name: str
    url_name: str
    kwargs: Callable[[Scene], dict] = field(default=lambda scene: {})
    query: str = ""
    role: str | None = None  # signs in as this person of the scene
    then: Callable[[Page], None] | None = None
    shows: tuple[str, ...] = ()  # on the page, so the sweep checks the state it is meant to

    def url(self, scene: Scene, live_server) -> str:
        if ":" in self.url_name:  # outside participation: no municipality in the address
            return live_server.url + reverse(self.url_name) + self.query
        return scene.url(live_server, self.url_name, **self.kwargs(scene)) + self.query


SCREENS = [
    Screen("process-list", "process_list", shows=("main a[href$='/harbour/']",)),
    Screen("process-detail", "process_detail", in_process, shows=("figure svg",)),
    Screen(
        "proposal-list-filtered",
        "proposal_list",
        in_process,
        query="?text=bench&sort=newest",
        shows=(".active-filter", ".proposal-card"),
    ),
    Screen(
        "proposal-detail",
        "proposal_detail",
        on_proposal,
        role="participant",
        shows=("#support-button", "form.comment-form", ".comment-list--replies"),
    ),
    Screen("proposal-create", "proposal_create", in_process, role="participant"),
    Screen(
        "proposal-create-errors",
        "proposal_create",
        in_process,
        role="participant",
        then=submit_empty_form,
    ),
    Screen(
        "moderation-queue",
        "moderation_queue",
        role="moderator",
        shows=(  # a pending proposal, a hidden comment, a report and a blocked user
            "form[action$='/approve/']",
            "form[action$='/restore/']",
            "form[action*='/flags/']",
            "form[action$='/unblock/']",
        ),
    ),
    Screen(
        "answer",
        "proposal_answer",
        lambda scene: {"pk": scene.proposal.pk},
        role="editor",
        shows=("main form textarea",),
    ),
    Screen("notifications", "notifications", role="participant", shows=(".notification-unread",)),
    Screen("residents", "residents", role="administrator", shows=("main td form",)),
    Screen(
        "organisations",
        "organisations",
        role="administrator",
        shows=("form[action*='/members/'][action$='/remove/']",),
    ),
    Screen("process-create", "process_create", role="editor", shows=("main form textarea",)),
    Screen("account-delete", "accounts:delete", role="participant", shows=("main form",)),
]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_participation_page_is_accessible_in_every_language(
    screen: Screen, page: Page, live_server, scene
):
    url = screen.url(scene, live_server)
    console_errors = watch_console(page)
    if screen.role:
        login(page, live_server, getattr(scene, screen.role))

    problems: list[str] = []
    for language in LANGUAGES:
        use_language(page, live_server, language)
        response = page.goto(url)
        assert response.status == 200, f"{url} [{language}] answered {response.status}"
        if screen.then:
            screen.then(page)
        for selector in screen.shows:
            expect(page.locator(selector).first).to_be_attached()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_count(1)
        problems += blocking_violations(page)

    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)
    assert not console_errors, "Console errors (CSP refusals?):\n" + "\n".join(console_errors)


# --- journeys -----------------------------------------------------------------------------


def support_count(page: Page):
    return page.locator("#support-widget .support-widget__count")


def test_proposal_is_written_then_supported_in_place_by_another_participant(
    page: Page, live_server, scene
):
    console_errors = watch_console(page)
    author = UserFactory()
    login(page, live_server, author)
    page.goto(scene.url(live_server, "process_list"))
    page.get_by_role("link", name="Harbour renewal").click()
    page.get_by_role("link", name="See the proposals").click()
    page.get_by_role("link", name="Write a proposal").click()

    page.get_by_label("Title").fill("A floating sauna")
    page.get_by_label("Your proposal").fill("Open **all year**, run by the\n\n- sailing club")
    page.get_by_role("button", name="Publish proposal").click()

    expect(page.locator("h1")).to_have_text("A floating sauna")
    expect(page.locator(".proposal__body strong")).to_have_text("all year")  # Markdown rendered
    expect(page.locator(".proposal__body li")).to_have_text("sailing club")
    proposal = Proposal.objects.get(title="A floating sauna", author=author)
    page.get_by_role("link", name="Proposals", exact=True).click()
    expect(page.get_by_role("link", name="A floating sauna")).to_be_visible()

    page.context.clear_cookies()  # signs the author out
    login(page, live_server, scene.participant)
    page.goto(scene.proposal_url(live_server, proposal))
    expect(support_count(page)).to_have_text("0 supports")
    with page.expect_response(lambda response: "/support/" in response.url) as answer:
        page.get_by_role("button", name="Support this proposal").click()
    assert answer.value.request.headers.get("hx-request") == "true"  # htmx, not a reload

    expect(support_count(page)).to_have_text("1 support")
    announcement = page.locator("#support-announcement")
    expect(announcement).to_have_attribute("aria-live", "polite")
    expect(announcement).to_have_text("You support this proposal. Supports now: 1.")
    expect(page.get_by_role("button", name="Withdraw my support")).to_be_focused()
    assert proposal.supports.filter(user=scene.participant).exists()
    assert_accessible(page)

    page.reload()
    expect(support_count(page)).to_have_text("1 support")
    expect(page.get_by_role("button", name="Withdraw my support")).to_be_visible()
    assert not console_errors, "\n".join(console_errors)


def test_support_works_without_javascript(no_js_page: Page, live_server, scene):
    page = no_js_page
    login(page, live_server, scene.participant)
    page.goto(scene.proposal_url(live_server))

    with page.expect_navigation():
        page.get_by_role("button", name="Support this proposal").click()
    assert page.url.endswith(f"/proposals/{scene.proposal.pk}/#support")  # the plain redirect
    expect(page.locator(".messages")).to_contain_text("Supports now: 4.")
    expect(support_count(page)).to_have_text("4 supports")
    expect(page.get_by_role("button", name="Withdraw my support")).to_be_visible()
    assert scene.proposal.supports.filter(user=scene.participant).exists()


def test_comment_and_reply_appear_nested(page: Page, live_server, scene):
    proposal = ProposalFactory(phase=scene.process.phases.get(), title="Bike racks")
    login(page, live_server, scene.participant)
    page.goto(scene.proposal_url(live_server, proposal))

    expect(page.locator("#comment-form-heading")).to_have_text("Add a comment")
    page.get_by_label("Your comment").fill("Near the ferry, please.")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish comment").click()
    comment = Comment.objects.get(proposal=proposal)
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Near the ferry, please.")

    with page.expect_navigation():  # a plain link: the page comes back with the form replying
        page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Reply").click()
    assert f"?reply_to={comment.pk}" in page.url
    expect(page.locator("#comment-form-heading")).to_have_text("Your reply")
    expect(page.locator("form.comment-form")).to_have_count(1)  # the one form, now a reply
    page.get_by_label("Your comment").fill("With a roof against the rain.")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish reply").click()

    reply = Comment.objects.get(parent=comment)
    nested = page.locator(f"#comment-{comment.pk} > ol.comment-list--replies > #comment-{reply.pk}")
    expect(nested).to_contain_text("With a roof against the rain.")
    assert_accessible(page)
