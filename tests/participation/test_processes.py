"""Processes and phases: pages, who may edit them, validation, residents and organisations."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmap.core.models import AuditEvent
from roadmap.municipalities.models import District
from roadmap.participation.models import (
    Audience,
    Block,
    Organisation,
    Phase,
    Process,
    ResidentVerification,
)
from roadmap.participation.permissions import action_decision
from roadmap.participation.processes.selectors import current_phase, organisations_of
from tests.factories import InitiativeFactory, UserFactory
from tests.participation.factories import PhaseFactory, ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def url(name, municipality, **kwargs):
    return reverse(f"participation:{name}", kwargs={"municipality": municipality.slug, **kwargs})


@pytest.fixture
def process(municipality):
    return ProcessFactory(municipality=municipality, title="Harbour", slug="harbour")


def _phase(process, start_days, end_days, **kwargs):
    now = timezone.now()
    return PhaseFactory(
        process=process, starts_at=now + start_days * DAY, ends_at=now + end_days * DAY, **kwargs
    )


# --- phases and decisions -----------------------------------------------------------------


def test_current_phase_is_the_one_running_now(process):
    _phase(process, -10, -5, title="Past")
    running = _phase(process, -5, 5, title="Now")
    _phase(process, 5, 10, title="Later")
    assert current_phase(process) == running


def test_no_current_phase_between_phases(process):
    _phase(process, -10, -5)
    _phase(process, 5, 10)
    assert current_phase(process) is None


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [(-10, -5, "This phase has ended."), (5, 10, "This phase has not started yet.")],
)
def test_closed_and_future_phases_refuse(process, participant, start, end, reason):
    decision = action_decision(participant, _phase(process, start, end), "propose")
    assert not decision.allowed
    assert decision.reason == reason


def test_open_phase_allows_anyone_with_an_account_but_not_anonymous(process, participant):
    phase = _phase(process, -1, 1)
    assert action_decision(participant, phase, "comment").allowed
    assert action_decision(AnonymousUser(), phase, "comment").reason == "Sign in to take part."


def test_closed_action_in_an_open_phase(process, participant):
    phase = _phase(process, -1, 1, support=Audience.NOBODY)
    decision = action_decision(participant, phase, "support")
    assert decision.reason == "This is not open in the current phase."


def test_verified_only_phase(process, participant, municipality, other_municipality):
    phase = _phase(process, -1, 1, propose=Audience.VERIFIED)
    assert not action_decision(participant, phase, "propose").allowed
    # A confirmation by another municipality does not count here.
    ResidentVerification.objects.create(municipality=other_municipality, user=participant)
    assert not action_decision(participant, phase, "propose").allowed
    ResidentVerification.objects.create(municipality=municipality, user=participant)
    assert action_decision(participant, phase, "propose").allowed


def test_blocked_user_is_refused(process, participant, municipality):
    phase = _phase(process, -1, 1)
    Block.objects.create(municipality=municipality, user=participant, reason="Spam")
    decision = action_decision(participant, phase, "propose")
    assert decision.reason == "Your account is blocked from taking part here."


# --- reading pages ------------------------------------------------------------------------


def test_list_shows_published_to_public_and_drafts_to_members(client, municipality, editor):
    ProcessFactory(municipality=municipality, title="Open harbour")
    ProcessFactory(municipality=municipality, title="Secret draft", is_published=False)
    public = client.get(url("process_list", municipality)).content.decode()
    assert "Open harbour" in public and "Secret draft" not in public
    client.force_login(editor)
    assert "Secret draft" in client.get(url("process_list", municipality)).content.decode()


def test_draft_page_is_404_for_outsiders(client, municipality, outsider):
    draft = ProcessFactory(municipality=municipality, is_published=False)
    client.force_login(outsider)
    assert client.get(url("process_detail", municipality, process=draft.slug)).status_code == 404


def test_process_from_another_municipality_is_404(client, other_municipality, process):
    response = client.get(url("process_detail", other_municipality, process=process.slug))
    assert response.status_code == 404


def test_process_page_shows_statement_timeline_and_banner(client, municipality, process):
    initiative = InitiativeFactory(municipality=municipality, title="Smart benches")
    InitiativeFactory(municipality=municipality, title="Hidden plan", visibility="internal")
    process.initiatives.set(initiative.municipality.initiatives.all())
    process.data_statement = "We keep your name for one year."
    process.save()
    _phase(process, -10, -5, title="Ideas")
    _phase(process, -5, 5, title="Voting", propose=Audience.NOBODY, support=Audience.VERIFIED)

    content = client.get(url("process_detail", municipality, process="harbour")).content.decode()

    assert "What data we collect and why" in content
    assert "We keep your name for one year." in content
    timeline = content[content.index('id="phases-heading"') :]
    assert timeline.index("Ideas") < timeline.index("Voting")
    assert 'aria-current="step"' in content
    assert "Current phase: Voting" in content
    assert "Support proposals: only residents confirmed by the municipality" in content
    banner_start = content.index('id="phase-banner-heading"')
    banner = content[banner_start : content.index("</section>", banner_start)]
    assert "Make proposals" not in banner, "actions open to nobody are not listed"
    assert "Support proposals:</strong> open once you sign in." in banner
    assert "not possible now" not in banner
    assert "You are not signed in." in banner
    assert 'href="/accounts/login/?next=/m/fjordvik/processes/harbour/">Sign in</a>' in banner
    assert (
        reverse("initiatives:detail", kwargs={"municipality": "fjordvik", "pk": initiative.pk})
        in content
    )
    assert "Hidden plan" not in content


def test_a_workshop_process_offers_no_proposals_and_says_what_its_figures_count(
    client, municipality, process
):
    _phase(process, -1, 1, kind="workshop", propose=Audience.NOBODY, post_notes=Audience.ANYONE)
    content = client.get(url("process_detail", municipality, process="harbour")).content.decode()
    assert "See the proposals" not in content
    assert "No one has taken part yet." not in content
    assert "These figures count proposals, comments and supports, and there are none yet." in (
        content
    )


def test_an_opinion_map_phase_offers_statements_not_proposals(client, municipality, process):
    _phase(process, -1, 1, kind="opinion_map", comment="nobody", support="nobody", vote="anyone")
    content = client.get(url("process_detail", municipality, process="harbour")).content.decode()
    assert "Add statements:</strong> open once you sign in." in content
    assert "Add statements: anyone with an account" in content
    assert "Make proposals" not in content


def test_a_proposals_process_links_its_proposals(client, municipality, process):
    _phase(process, -1, 1, kind="proposals")
    content = client.get(url("process_detail", municipality, process="harbour")).content.decode()
    assert "See the proposals" in content
    assert "No one has taken part yet." in content


def test_a_signed_in_participant_is_not_asked_to_sign_in(
    client, municipality, process, participant
):
    _phase(process, -1, 1)
    client.force_login(participant)
    content = client.get(url("process_detail", municipality, process="harbour")).content.decode()
    assert "Make proposals:</strong> you can do this now." in content
    assert "You are not signed in." not in content


def test_process_page_query_count_is_constant(
    client, municipality, process, django_assert_num_queries
):
    phase = _phase(process, -1, 1)
    page = url("process_detail", municipality, process="harbour")
    ProposalFactory.create_batch(3, phase=phase)
    client.get(page)  # warm the chart cache
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    ProposalFactory.create_batch(60, phase=phase)
    with django_assert_num_queries(len(few)):
        client.get(page)


# --- creating and editing -----------------------------------------------------------------

PROCESS_DATA = {
    "title": "Green squares",
    "slug": "",
    "summary": "Ideas for greener squares.",
    "description": "",
    "data_statement": "We store what you write and your user name.",
    "categories_text": "Trees\nBenches\n\nTrees",
    "is_published": "on",
}


def test_editor_creates_a_process_with_slug_categories_and_audit(client, municipality, editor):
    initiative = InitiativeFactory(municipality=municipality)
    client.force_login(editor)
    response = client.post(
        url("process_create", municipality), {**PROCESS_DATA, "initiatives": [initiative.pk]}
    )
    process = Process.objects.get(municipality=municipality)
    assert response.status_code == 302
    assert process.slug == "green-squares"
    assert sorted(process.categories.values_list("name", flat=True)) == ["Benches", "Trees"]
    assert list(process.initiatives.all()) == [initiative]
    event = AuditEvent.objects.get(action="create", object_id=str(process.pk))
    assert event.actor == editor and event.municipality == municipality


def test_missing_data_statement_and_duplicate_slug_save_nothing(
    client, municipality, editor, process
):
    client.force_login(editor)
    response = client.post(
        url("process_create", municipality),
        {**PROCESS_DATA, "data_statement": "", "slug": "harbour"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "already uses “harbour”" in content
    assert "This field is required." in content
    assert Process.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_reserved_slug_is_refused(client, municipality, editor):
    client.force_login(editor)
    response = client.post(
        url("process_create", municipality), {**PROCESS_DATA, "slug": "residents"}
    )
    assert "is used by another page" in response.content.decode()
    assert not Process.objects.exists()


def test_initiative_of_another_municipality_cannot_be_linked(
    client, municipality, other_municipality, editor
):
    foreign = InitiativeFactory(municipality=other_municipality)
    client.force_login(editor)
    response = client.post(
        url("process_create", municipality), {**PROCESS_DATA, "initiatives": [foreign.pk]}
    )
    assert response.status_code == 200
    assert not Process.objects.exists()


def test_editor_edits_process_and_categories_are_kept(client, municipality, editor, process):
    process.categories.create(name="Trees")
    client.force_login(editor)
    client.post(
        url("process_edit", municipality, process="harbour"),
        {**PROCESS_DATA, "slug": "harbour", "categories_text": "Trees\nLight"},
    )
    process.refresh_from_db()
    assert process.title == "Green squares"
    assert sorted(process.categories.values_list("name", flat=True)) == ["Light", "Trees"]
    event = AuditEvent.objects.get(action="update")
    assert event.changes["title"] == ["Harbour", "Green squares"]


@pytest.mark.parametrize("who", ["participant", "assessor", "outsider"])
def test_others_cannot_create_or_edit(client, request, municipality, process, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("process_create", municipality), PROCESS_DATA).status_code == 403
    edit = url("process_edit", municipality, process="harbour")
    assert client.post(edit, {**PROCESS_DATA, "slug": "harbour"}).status_code == 403
    assert Process.objects.get().title == "Harbour"
    assert not AuditEvent.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, municipality):
    response = client.get(url("process_create", municipality))
    assert response.status_code == 302 and "login" in response.url


def test_outsider_editing_own_municipality_path_cannot_reach_foreign_process(
    client, other_municipality, outsider, process
):
    client.force_login(outsider)
    response = client.post(url("process_edit", other_municipality, process="harbour"), PROCESS_DATA)
    assert response.status_code == 404


def _phase_data(start, end, **overrides):
    return {
        "kind": "proposals",
        "title": "Ideas",
        "description": "",
        "order": 1,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "propose": "anyone",
        "comment": "verified",
        "support": "nobody",
        "post_notes": "nobody",
        "vote": "nobody",
        **overrides,
    }


def test_editor_adds_a_phase_with_audit_on_the_process(client, municipality, editor, process):
    client.force_login(editor)
    start = timezone.localtime().replace(microsecond=0, second=0)
    response = client.post(
        url("phase_create", municipality, process="harbour"), _phase_data(start, start + DAY)
    )
    assert response.status_code == 302
    phase = Phase.objects.get(process=process)
    assert phase.comment == Audience.VERIFIED
    event = AuditEvent.objects.get(action="create")
    assert event.subject_id == str(process.pk)


def test_phase_must_end_after_start(client, municipality, editor, process):
    client.force_login(editor)
    start = timezone.localtime()
    response = client.post(
        url("phase_create", municipality, process="harbour"), _phase_data(start, start - DAY)
    )
    assert "The phase must end after it starts." in response.content.decode()
    assert not Phase.objects.exists()


def test_overlapping_phases_are_refused_naming_the_other(client, municipality, editor, process):
    _phase(process, 0, 10, title="Collecting ideas")
    client.force_login(editor)
    start = timezone.localtime() + 5 * DAY
    response = client.post(
        url("phase_create", municipality, process="harbour"), _phase_data(start, start + 10 * DAY)
    )
    assert "overlap the phase “Collecting ideas”" in response.content.decode()
    assert Phase.objects.count() == 1


def test_editing_a_phase_may_keep_its_own_dates(client, municipality, editor, process):
    phase = _phase(process, 1, 3, title="Ideas")
    client.force_login(editor)
    start, end = timezone.localtime(phase.starts_at), timezone.localtime(phase.ends_at)
    response = client.post(
        url("phase_edit", municipality, process="harbour", pk=phase.pk),
        _phase_data(start, end, title="Ideas and dreams"),
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.title == "Ideas and dreams"


def test_adding_a_phase_asks_for_the_kind_first(client, municipality, editor, process):
    client.force_login(editor)
    content = client.get(url("phase_create", municipality, process="harbour")).content.decode()
    assert "Choose the kind of phase first" in content
    assert 'name="title"' not in content
    bad = client.get(url("phase_create", municipality, process="harbour"), {"kind": "party"})
    assert "Select a valid choice. party is not one of the available choices." in (
        bad.content.decode()
    )


def test_a_workshop_phase_form_shows_only_the_workshop_fields(
    client, municipality, editor, process
):
    client.force_login(editor)
    response = client.get(
        url("phase_create", municipality, process="harbour"), {"kind": "workshop"}
    )
    content = response.content.decode()
    assert "Who may post workshop notes" in content
    assert "Workshop notes are anonymous" in content
    for label in ("Who may propose", "Who may comment", "Who may support", "Who may vote"):
        assert label not in content
    assert "This is a phase of the kind “Workshop”" in content


def test_fields_a_kind_does_not_use_are_stored_closed(client, municipality, editor, process):
    client.force_login(editor)
    start = timezone.localtime().replace(microsecond=0, second=0)
    data = _phase_data(start, start + DAY, kind="workshop", post_notes="verified")
    response = client.post(url("phase_create", municipality, process="harbour"), data)
    assert response.status_code == 302
    phase = Phase.objects.get(process=process)
    assert (phase.post_notes, phase.propose, phase.comment) == ("verified", "nobody", "nobody")


def test_editing_an_opinion_map_phase_names_its_own_fields(client, municipality, editor, process):
    phase = _phase(process, 1, 3, kind="opinion_map", vote=Audience.ANYONE)
    client.force_login(editor)
    content = client.get(
        url("phase_edit", municipality, process="harbour", pk=phase.pk)
    ).content.decode()
    assert "Who may submit statements" in content
    assert "Who may vote on statements" in content
    assert "Who may comment" not in content
    switched = client.get(
        url("phase_edit", municipality, process="harbour", pk=phase.pk), {"kind": "information"}
    ).content.decode()
    assert "Who may vote on statements" not in switched
    assert "This is a phase of the kind “Information”" in switched


def test_phase_of_another_process_is_404(client, municipality, editor, process):
    foreign = PhaseFactory()
    client.force_login(editor)
    response = client.get(url("phase_edit", municipality, process="harbour", pk=foreign.pk))
    assert response.status_code == 404


# --- residents ----------------------------------------------------------------------------


def test_administrator_confirms_and_removes_a_resident(
    client, municipality, administrator, participant
):
    district = District.objects.create(municipality=municipality, name="North")
    client.force_login(administrator)
    response = client.post(
        url("residents", municipality), {"user": participant.email.upper(), "district": district.pk}
    )
    assert response.status_code == 302
    verification = ResidentVerification.objects.get(user=participant, municipality=municipality)
    assert verification.district == district and verification.verified_by == administrator
    client.post(url("resident_remove", municipality, pk=verification.pk))
    assert not ResidentVerification.objects.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "create",
        "delete",
    ]


def test_unknown_user_and_foreign_district_are_refused(
    client, municipality, other_municipality, administrator, participant
):
    foreign = District.objects.create(municipality=other_municipality, name="Far")
    District.objects.create(municipality=municipality, name="North")
    client.force_login(administrator)
    response = client.post(url("residents", municipality), {"user": "nobody-here"})
    assert "No single user has this username" in response.content.decode()
    response = client.post(
        url("residents", municipality), {"user": participant.username, "district": foreign.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ResidentVerification.objects.exists()


def test_editors_and_outsiders_cannot_confirm_residents(
    client, municipality, editor, outsider, participant
):
    for user in (editor, outsider):
        client.force_login(user)
        assert (
            client.post(url("residents", municipality), {"user": participant.username}).status_code
            == 403
        )
    assert not ResidentVerification.objects.exists()


def test_confirmation_of_another_municipality_cannot_be_removed(
    client, municipality, other_municipality, administrator, participant
):
    foreign = ResidentVerification.objects.create(municipality=other_municipality, user=participant)
    client.force_login(administrator)
    assert client.post(url("resident_remove", municipality, pk=foreign.pk)).status_code == 404
    assert ResidentVerification.objects.filter(pk=foreign.pk).exists()


# --- organisations ------------------------------------------------------------------------


def test_administrator_adds_organisation_and_members(
    client, municipality, administrator, participant
):
    client.force_login(administrator)
    client.post(
        url("organisations", municipality), {"name": "Harbour Rowing Club", "sector": "voluntary"}
    )
    organisation = Organisation.objects.get(municipality=municipality)
    client.post(
        url("organisation_member_add", municipality, pk=organisation.pk),
        {"user": participant.username},
    )
    assert list(organisations_of(participant, municipality)) == [organisation]
    page = client.get(url("organisations", municipality)).content.decode()
    assert "Harbour Rowing Club" in page and participant.username in page
    client.post(
        url("organisation_member_remove", municipality, pk=organisation.pk, user_pk=participant.pk)
    )
    assert not organisations_of(participant, municipality).exists()
    assert AuditEvent.objects.filter(object_id=str(organisation.pk)).count() == 3


def test_duplicate_organisation_name_is_refused(client, municipality, administrator):
    Organisation.objects.create(municipality=municipality, name="Rowing Club", sector="voluntary")
    client.force_login(administrator)
    response = client.post(
        url("organisations", municipality), {"name": "rowing club", "sector": "business"}
    )
    assert "already has an organisation of that name" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_organisations_of_another_municipality_do_not_count(other_municipality, municipality):
    user = UserFactory()
    organisation = Organisation.objects.create(
        municipality=other_municipality, name="Far", sector="business"
    )
    organisation.members.add(user)
    assert not organisations_of(user, municipality).exists()


def test_outsider_cannot_add_members_to_foreign_organisation(
    client, municipality, outsider, participant
):
    organisation = Organisation.objects.create(
        municipality=municipality, name="Club", sector="business"
    )
    client.force_login(outsider)
    response = client.post(
        url("organisation_member_add", municipality, pk=organisation.pk),
        {"user": participant.username},
    )
    assert response.status_code == 403
    assert not organisation.members.exists()


def test_workshop_and_opinion_map_phases_link_to_their_pages(client, municipality, process):
    workshop = _phase(process, -5, 5, title="Harbour workshop", kind="workshop")
    opinions = _phase(process, 5, 10, title="Where we disagree", kind="opinion_map")
    _phase(process, 10, 15, title="Results", kind="results")

    content = client.get(url("process_detail", municipality, process="harbour")).content.decode()

    slugs = {"municipality": "fjordvik", "process": "harbour"}
    board = reverse("workshops:board", kwargs={**slugs, "phase": workshop.pk})
    opinion_map = reverse("opinions:phase", kwargs={**slugs, "phase": opinions.pk})
    assert f'href="{board}">Go to the workshop “Harbour workshop”' in content
    assert f'href="{opinion_map}">Go to the opinion map “Where we disagree”' in content
    assert content.count("Go to the") == 2
