"""Proposals: the list (sorting, filters, random order), writing and editing, and the detail page.

The helpers at the top are shared with test_comments.py and test_supports.py.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmap.core.models import AuditEvent
from roadmap.framework.models import ActionArea
from roadmap.participation.models import (
    Audience,
    Block,
    Category,
    Organisation,
    Proposal,
    ProposalStatus,
    ResidentVerification,
    Visibility,
)
from roadmap.participation.proposals import services as proposal_services
from tests.factories import InitiativeFactory, UserFactory
from tests.participation.factories import (
    PhaseFactory,
    ProcessFactory,
    ProposalFactory,
    SupportFactory,
)

XSS_PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "[click me](javascript:alert(1))",
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phase(municipality):
    """The open phase of Fjordvik's harbour process: anyone with an account may do anything."""
    return PhaseFactory(process=ProcessFactory(municipality=municipality, slug="harbour"))


@pytest.fixture
def process(phase):
    return phase.process


def old_user(**kwargs):
    """An account older than a day, so its links are not held for approval."""
    return UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30), **kwargs)


def process_url(name: str, process, **kwargs) -> str:
    return reverse(
        f"participation:{name}",
        kwargs={"municipality": process.municipality.slug, "process": process.slug, **kwargs},
    )


def detail_url(proposal) -> str:
    return process_url("proposal_detail", proposal.process, pk=proposal.pk)


def assert_same_query_count(client, url, add_rows) -> None:
    """The page makes as many queries after add_rows() as before it."""
    client.get(url)  # warm caches (content types, sessions) so both counts compare like for like
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def titles_on(response) -> list[str]:
    return [proposal.title for proposal in response.context["page_obj"].object_list]


# --- list ---------------------------------------------------------------------------------


def test_list_shows_published_hidden_reasons_and_only_own_pending(client, process, participant):
    ProposalFactory(phase=process.phases.get(), title="Benches by the water")
    ProposalFactory(
        phase=process.phases.get(),
        title="Secret spam title",
        body="Buy cheap things",
        visibility=Visibility.HIDDEN,
        moderation_reason="Advertising",
    )
    ProposalFactory(
        phase=process.phases.get(),
        title="Mine, waiting",
        visibility=Visibility.PENDING,
        author=participant,
    )
    ProposalFactory(
        phase=process.phases.get(), title="Someone else's, waiting", visibility=Visibility.PENDING
    )
    client.force_login(participant)

    response = client.get(process_url("proposal_list", process))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Benches by the water" in content
    assert "Hidden by a moderator: Advertising" in content
    assert "Secret spam title" not in content
    assert "Mine, waiting" in content and "Waiting for a moderator" in content
    assert "Someone else&#x27;s, waiting" not in content


def test_list_names_organisation_author_or_deleted_participant(client, process):
    author = UserFactory(display_name="Kari Nordmann")
    organisation = Organisation.objects.create(
        municipality=process.municipality, name="Harbour Sailing Club", sector="voluntary"
    )
    ProposalFactory(phase=process.phases.get(), author=author)
    ProposalFactory(phase=process.phases.get(), author=author, organisation=organisation)
    ProposalFactory(phase=process.phases.get(), author=None)

    content = client.get(process_url("proposal_list", process)).content.decode()

    assert "By Kari Nordmann" in content
    assert "By Harbour Sailing Club" in content
    assert "By a deleted participant" in content


def test_list_sorts_by_newest_and_by_most_supported(client, process):
    phase = process.phases.get()
    now = timezone.now()
    for title, days_ago, supports in (("Old", 3, 9), ("New", 0, 0), ("Middle", 1, 0)):
        proposal = ProposalFactory(phase=phase, title=title)
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=now - datetime.timedelta(days=days_ago), support_count=supports
        )
    url = process_url("proposal_list", process)

    assert titles_on(client.get(url)) == ["New", "Middle", "Old"]
    assert titles_on(client.get(url, {"sort": "supported"})) == ["Old", "New", "Middle"]


def test_list_filters_by_status_category_action_area_and_text(client, process):
    phase = process.phases.get()
    transport = Category.objects.create(process=process, name="Transport")
    area = ActionArea.objects.first()
    ProposalFactory(phase=phase, title="Bike lanes", category=transport)
    ProposalFactory(phase=phase, title="Solar roofs", action_area=area)
    ProposalFactory(phase=phase, title="Shade trees", status=ProposalStatus.ACCEPTED)
    ProposalFactory(phase=phase, title="Harbour bath", body="A place to SWIM in summer")
    url = process_url("proposal_list", process)

    assert titles_on(client.get(url, {"category": transport.pk})) == ["Bike lanes"]
    assert titles_on(client.get(url, {"action_area": area.pk})) == ["Solar roofs"]
    assert titles_on(client.get(url, {"status": "accepted"})) == ["Shade trees"]
    assert titles_on(client.get(url, {"text": "swim"})) == ["Harbour bath"]
    assert titles_on(client.get(url, {"text": "SOLAR"})) == ["Solar roofs"]
    ProposalFactory(phase=phase, body="Hidden swim text", visibility=Visibility.HIDDEN)
    assert titles_on(client.get(url, {"text": "swim"})) == ["Harbour bath"]


def test_list_reports_an_invalid_filter_and_ignores_it(client, process):
    ProposalFactory(phase=process.phases.get(), title="Bike lanes")
    other_category = Category.objects.create(process=ProcessFactory(), name="Elsewhere")

    response = client.get(process_url("proposal_list", process), {"category": other_category.pk})

    assert "Select a valid choice" in response.content.decode()
    assert "category" in response.context["filter_form"].errors
    assert titles_on(response) == ["Bike lanes"]


def test_random_order_is_stable_per_visitor_and_pages_cover_everything(client, process):
    ProposalFactory.create_batch(45, phase=process.phases.get())
    url = process_url("proposal_list", process)
    all_ids = set(Proposal.objects.values_list("pk", flat=True))

    first_pass = [
        proposal.pk
        for page in (1, 2, 3)
        for proposal in client.get(url, {"sort": "random", "page": page})
        .context["page_obj"]
        .object_list
    ]
    second_pass = [
        proposal.pk
        for page in (1, 2, 3)
        for proposal in client.get(url, {"sort": "random", "page": page})
        .context["page_obj"]
        .object_list
    ]

    assert len(first_pass) == 45 and set(first_pass) == all_ids
    assert second_pass == first_pass
    newest_first = list(
        Proposal.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert first_pass != newest_first


def test_list_makes_the_same_number_of_queries_for_3_or_60_proposals(client, process, participant):
    phase = process.phases.get()
    category = Category.objects.create(process=process, name="Parks")
    organisation = Organisation.objects.create(
        municipality=process.municipality, name="Sailing Club", sector="voluntary"
    )
    ProposalFactory.create_batch(3, phase=phase, category=category)
    client.force_login(participant)

    def add_rows():
        ProposalFactory.create_batch(
            57,
            phase=phase,
            category=category,
            organisation=organisation,
            action_area=ActionArea.objects.first(),
        )

    for sort in ("newest", "supported", "random"):
        url = process_url("proposal_list", process) + f"?sort={sort}"
        assert_same_query_count(client, url, add_rows if sort == "newest" else lambda: None)


def test_list_of_an_unpublished_process_is_404_for_outsiders(client, municipality, participant):
    process = ProcessFactory(municipality=municipality, is_published=False)
    client.force_login(participant)

    assert client.get(process_url("proposal_list", process)).status_code == 404


# --- writing ------------------------------------------------------------------------------


def proposal_data(**changes):
    return {"title": "Benches by the water", "body": "We need **more** benches.", **changes}


def test_participant_writes_a_proposal_without_an_audit_event(client, process):
    author = old_user()
    client.force_login(author)
    url = process_url("proposal_create", process)

    assert client.get(url).status_code == 200
    response = client.post(url, proposal_data(location_name="Harbour square"))

    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == detail_url(proposal)
    assert proposal.author == author and proposal.visibility == Visibility.PUBLISHED
    assert proposal.body_html == "<p>We need <strong>more</strong> benches.</p>\n"
    assert proposal.phase == process.phases.get()
    assert not AuditEvent.objects.exists()


def test_an_officials_proposal_is_audited(client, process, editor):
    client.force_login(editor)

    client.post(process_url("proposal_create", process), proposal_data())

    event = AuditEvent.objects.get()
    assert event.actor == editor and event.action == "create"
    assert event.changes["title"] == "Benches by the water"


def test_anonymous_visitors_are_sent_to_sign_in(client, process):
    response = client.get(process_url("proposal_create", process))

    assert response.status_code == 302 and "/login" in response.url


def test_bad_input_names_the_field_and_saves_nothing(client, process, participant):
    client.force_login(participant)

    response = client.post(process_url("proposal_create", process), proposal_data(title=""))

    assert response.status_code == 200
    assert "Title" in response.content.decode() and "This field is required" in (
        response.content.decode()
    )
    assert not Proposal.objects.exists()


def test_a_category_of_another_process_is_refused(client, process, participant):
    other = Category.objects.create(process=ProcessFactory(), name="Elsewhere")
    client.force_login(participant)

    response = client.post(
        process_url("proposal_create", process), proposal_data(category=other.pk)
    )

    assert response.context["form"].errors["category"]
    assert not Proposal.objects.exists()


def refuse_closed(phase, user):
    phase.starts_at = timezone.now() - datetime.timedelta(days=10)
    phase.ends_at = timezone.now() - datetime.timedelta(days=1)
    phase.save()


def refuse_future(phase, user):
    phase.starts_at = timezone.now() + datetime.timedelta(days=1)
    phase.ends_at = timezone.now() + datetime.timedelta(days=10)
    phase.save()


def refuse_unverified(phase, user):
    phase.propose = phase.comment = phase.support = Audience.VERIFIED
    phase.save()


def refuse_blocked(phase, user):
    Block.objects.create(municipality=phase.process.municipality, user=user, reason="Spam")


def refuse_nobody(phase, user):
    phase.propose = phase.comment = phase.support = Audience.NOBODY
    phase.save()


REFUSALS = [
    (refuse_closed, "This process has no open phase."),
    (refuse_future, "This process has no open phase."),
    (refuse_unverified, "Only residents confirmed by the municipality can take part here."),
    (refuse_blocked, "Your account is blocked from taking part here."),
    (refuse_nobody, "This is not open in the current phase."),
]


@pytest.mark.parametrize(("refuse", "reason"), REFUSALS)
def test_writing_is_refused_with_the_reason_when_the_phase_does_not_allow_it(
    client, phase, participant, refuse, reason
):
    refuse(phase, participant)
    client.force_login(participant)
    url = process_url("proposal_create", phase.process)

    page = client.get(url)
    posted = client.post(url, proposal_data())

    assert reason in page.content.decode() and "<textarea" not in page.content.decode()
    assert posted.status_code == 403 and reason in posted.content.decode()
    assert not Proposal.objects.exists()
    with pytest.raises(proposal_services.Refused, match=reason.rstrip(".")):
        proposal_services.create_proposal(
            author=participant, process=phase.process, data=proposal_data()
        )


def test_a_verified_resident_may_write_in_a_verified_only_phase(client, phase, participant):
    refuse_unverified(phase, participant)
    ResidentVerification.objects.create(municipality=phase.process.municipality, user=participant)
    client.force_login(participant)

    client.post(process_url("proposal_create", phase.process), proposal_data())

    assert Proposal.objects.filter(author=participant).exists()


def test_a_link_from_a_new_account_waits_for_approval(client, process):
    newcomer = UserFactory()  # joined just now
    client.force_login(newcomer)

    response = client.post(
        process_url("proposal_create", process),
        proposal_data(body="See https://example.org for more"),
        follow=True,
    )

    proposal = Proposal.objects.get()
    assert proposal.visibility == Visibility.PENDING
    assert "a moderator will look at it" in response.content.decode()
    client.logout()
    assert client.get(detail_url(proposal)).status_code == 404


def test_links_from_older_accounts_and_plain_text_from_new_ones_are_published(client, process):
    client.force_login(old_user())
    client.post(process_url("proposal_create", process), proposal_data(body="https://example.org"))
    client.force_login(UserFactory())
    client.post(process_url("proposal_create", process), proposal_data(body="No link here."))

    assert set(Proposal.objects.values_list("visibility", flat=True)) == {Visibility.PUBLISHED}


def test_a_member_posts_as_an_organisation_and_others_cannot(client, process, participant):
    club = Organisation.objects.create(
        municipality=process.municipality, name="Sailing Club", sector="voluntary"
    )
    club.members.add(participant)
    client.force_login(participant)
    client.post(process_url("proposal_create", process), proposal_data(organisation=club.pk))
    stranger = UserFactory()

    assert Proposal.objects.get().organisation == club
    with pytest.raises(proposal_services.Refused):
        proposal_services.create_proposal(
            author=stranger, process=process, data=proposal_data(organisation=club)
        )
    assert Proposal.objects.count() == 1


def test_posting_is_rate_limited(client, process, participant):
    client.force_login(participant)
    url = process_url("proposal_create", process)
    for number in range(proposal_services.POSTING.limit):
        client.post(url, proposal_data(title=f"Idea {number}"))

    response = client.post(url, proposal_data(title="One too many"))

    assert "Please wait a while before posting again" in response.content.decode()
    assert Proposal.objects.count() == proposal_services.POSTING.limit


# --- editing ------------------------------------------------------------------------------


def test_the_author_edits_until_the_first_support(client, process):
    author = old_user()
    proposal = ProposalFactory(phase=process.phases.get(), author=author)
    client.force_login(author)
    url = process_url("proposal_edit", process, pk=proposal.pk)

    client.post(url, proposal_data(title="Better benches", body="*Wooden* benches"))
    proposal.refresh_from_db()
    assert proposal.title == "Better benches" and "<em>Wooden</em>" in proposal.body_html

    SupportFactory(proposal=proposal)
    page = client.get(url)
    posted = client.post(url, proposal_data(title="Changed after support"))

    message = "people have already supported it as it is"
    assert message in page.content.decode() and "<textarea" not in page.content.decode()
    assert posted.status_code == 403 and message in posted.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Better benches"


def test_only_the_author_may_edit(client, process, participant):
    proposal = ProposalFactory(phase=process.phases.get(), title="Original")

    client.force_login(participant)
    response = client.post(
        process_url("proposal_edit", process, pk=proposal.pk), proposal_data(title="Taken over")
    )

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Original"


def test_an_edit_adding_a_link_from_a_new_account_waits_for_approval(client, process):
    author = UserFactory()
    proposal = ProposalFactory(phase=process.phases.get(), author=author)
    client.force_login(author)

    client.post(
        process_url("proposal_edit", process, pk=proposal.pk),
        proposal_data(body="Now with www.example.org"),
    )

    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.PENDING


# --- detail and escaping ------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_title_and_body_is_neutralised_on_list_and_detail(client, process, payload):
    author = old_user()
    client.force_login(author)
    client.post(process_url("proposal_create", process), proposal_data(title=payload, body=payload))
    proposal = Proposal.objects.get()
    client.logout()

    for url in (process_url("proposal_list", process), detail_url(proposal)):
        content = client.get(url).content.decode()
        assert "<img" not in content
        assert "<script>alert" not in content
        assert 'href="javascript' not in content.replace(" ", "")


def test_detail_shows_the_answer_status_counts_and_initiative(client, process):
    initiative = InitiativeFactory(municipality=process.municipality, title="Harbour benches")
    proposal = ProposalFactory(
        phase=process.phases.get(),
        status=ProposalStatus.ACCEPTED,
        answer="We will place twenty benches.",
        answered_at=timezone.now(),
        initiative=initiative,
    )
    SupportFactory(proposal=proposal)

    content = client.get(detail_url(proposal)).content.decode()

    assert "We will place twenty benches." in content
    assert "Accepted" in content and "1 support" in content
    assert (
        reverse("initiatives:detail", kwargs={"municipality": "fjordvik", "pk": initiative.pk})
        in content
    )


def test_an_internal_initiative_is_not_linked_for_the_public(client, process):
    initiative = InitiativeFactory(municipality=process.municipality, visibility="internal")
    proposal = ProposalFactory(phase=process.phases.get(), initiative=initiative)

    content = client.get(detail_url(proposal)).content.decode()

    assert initiative.title not in content


def test_a_hidden_proposal_shows_why_without_its_text(client, process):
    proposal = ProposalFactory(
        phase=process.phases.get(),
        title="Rude words",
        body="More rude words",
        visibility=Visibility.HIDDEN,
        moderation_reason="Insults",
    )

    content = client.get(detail_url(proposal)).content.decode()

    assert "Hidden by a moderator: Insults" in content
    assert "Rude words" not in content and "More rude words" not in content


def test_proposals_are_only_found_through_their_own_municipality(
    client, process, other_municipality
):
    proposal = ProposalFactory(phase=process.phases.get())
    other_process = ProcessFactory(municipality=other_municipality, slug=process.slug)

    response = client.get(process_url("proposal_detail", other_process, pk=proposal.pk))

    assert response.status_code == 404
