"""The board: posting notes, +1s, polling, moderation, permissions and query counts."""

import datetime

import pytest
from django.utils import timezone

from roadmap.core.models import AuditEvent
from roadmap.participation.models import Audience, ResidentVerification, Visibility
from roadmap.workshops import selectors, services
from roadmap.workshops.models import Note, NoteVote, Workshop
from tests.conftest import member
from tests.factories import UserFactory
from tests.participation.factories import PhaseFactory, ProcessFactory
from tests.workshops.factories import (
    NoteFactory,
    NoteVoteFactory,
    PromptFactory,
    workshop_url,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_note(client, phase, prompt, text="Keep the ferry", language="en"):
    return client.post(
        workshop_url("note_create", phase),
        {"prompt": prompt.pk, "text": text, "language": language},
    )


def version(phase) -> int:
    return Workshop.objects.get(phase=phase).version


# --- reading the board ----------------------------------------------------------------------


def test_board_shows_prompts_notes_counts_and_authors(client, phase, prompt):
    note = NoteFactory(prompt=prompt, text="Keep the night ferry", author__display_name="Kari")
    NoteVoteFactory(note=note)

    page = client.get(workshop_url("board", phase)).content.decode()

    assert "What should we take along?" in page
    assert "Keep the night ferry" in page
    assert "By Kari" in page
    assert "1 +1" in page


def test_anonymous_phase_shows_notes_without_names(client, phase, prompt):
    phase.anonymous_notes = True
    phase.save()
    NoteFactory(prompt=prompt, author__display_name="Kari Nordmann")

    page = client.get(workshop_url("board", phase)).content.decode()

    assert "Kari Nordmann" not in page
    assert "More benches by the harbour" in page


def test_note_text_is_escaped_everywhere(client, phase, prompt, editor):
    NoteFactory(prompt=prompt, text=XSS)
    NoteFactory(prompt=prompt, text=XSS + " again")
    client.force_login(editor)
    pages = [
        workshop_url("board", phase),
        workshop_url("board_notes", phase),
        workshop_url("prompt", phase, prompt=prompt.pk),
        workshop_url("summary", phase),
    ]
    for address in pages:
        page = client.get(address).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, address
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, address


def test_board_query_count_does_not_grow_with_notes(
    client, phase, prompt, django_assert_max_num_queries
):
    voter = UserFactory()
    client.force_login(voter)
    second = PromptFactory(workshop=prompt.workshop)

    def fill(count):
        for target in (prompt, second):
            for note in NoteFactory.create_batch(count, prompt=target):
                NoteVoteFactory(note=note, user=voter)

    fill(2)
    with django_assert_max_num_queries(20) as small:
        client.get(workshop_url("board", phase))
    fill(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(workshop_url("board", phase))
    assert response.content.decode().count('aria-pressed="true"') == 64


def test_board_shows_only_the_latest_notes_of_a_busy_prompt(client, phase, prompt, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_NOTES_PER_PROMPT", 3)
    notes = [NoteFactory(prompt=prompt, text=f"note number {n}") for n in range(5)]

    page = client.get(workshop_url("board", phase)).content.decode()

    assert notes[4].text in page and notes[2].text in page
    assert notes[1].text not in page and notes[0].text not in page
    assert "2 older notes are on the prompt" in page
    prompt_page = client.get(workshop_url("prompt", phase, prompt=prompt.pk)).content.decode()
    assert all(note.text in prompt_page for note in notes)


def test_board_without_prompts_says_so(client, phase):
    page = client.get(workshop_url("board", phase)).content.decode()
    assert "The facilitators have not set any prompts yet." in page
    assert 'id="workshop-version" value="0"' in page


def test_draft_process_board_is_hidden_from_outsiders(client, phase, prompt, outsider, editor):
    phase.process.is_published = False
    phase.process.save()
    client.force_login(outsider)
    assert client.get(workshop_url("board", phase)).status_code == 404
    assert client.get(workshop_url("board_notes", phase)).status_code == 404
    assert client.get(workshop_url("export_notes", phase)).status_code == 404
    client.force_login(editor)
    assert client.get(workshop_url("board", phase)).status_code == 200


def test_only_workshop_phases_of_the_named_process_have_a_board(client, phase, municipality):
    proposals_phase = PhaseFactory(process=phase.process)
    other_process = ProcessFactory(municipality=municipality, slug="other")
    assert client.get(workshop_url("board", proposals_phase)).status_code == 404
    wrong = workshop_url("board", phase).replace("/harbour/", "/other/")
    assert other_process and client.get(wrong).status_code == 404


# --- polling --------------------------------------------------------------------------------


def test_poll_answers_204_until_the_board_changes_then_only_the_changes(
    client, phase, prompt, participant
):
    old = NoteFactory(prompt=prompt, text="Keep the bus")
    current = version(phase)
    poll = workshop_url("board_notes", phase)

    assert client.get(poll, {"version": current}).status_code == 204
    services.post_note(author=participant, prompt=prompt, text="Keep the ferry", language="en")
    services.add_vote(user=participant, note=old)
    changed = client.get(poll, {"version": current})

    body = changed.content.decode()
    assert changed.status_code == 200 and changed["HX-Reswap"] == "none"
    assert f'id="workshop-version" value="{current + 2}" hx-swap-oob="true"' in body
    assert f'hx-swap-oob="afterbegin:#prompt-{prompt.pk}-notes"' in body
    assert "Keep the ferry" in body
    # The +1'd note comes again in place, with its new count; unchanged notes do not come.
    assert f'id="note-{old.pk}" hx-swap-oob="true"' in body and "1 +1" in body
    assert f'id="prompt-{prompt.pk}-total" hx-swap-oob="true">2 notes' in body
    assert client.get(poll, {"version": current + 2}).status_code == 204


def test_poll_gets_the_whole_region_when_it_has_no_version_or_a_prompt_was_added(
    client, phase, prompt, editor
):
    NoteFactory(prompt=prompt, text="Keep the bus")
    current = version(phase)
    poll = workshop_url("board_notes", phase)
    services.add_prompt(actor=editor, phase=phase, text="What should we leave behind?")

    for response in (client.get(poll), client.get(poll, {"version": current})):
        body = response.content.decode()
        assert response.status_code == 200 and "HX-Reswap" not in response
        assert 'id="workshop-notes"' in body and "Keep the bus" in body
        assert "What should we leave behind?" in body
        assert f'id="workshop-version" value="{current + 1}"' in body


def test_poll_for_changes_costs_a_constant_number_of_queries(
    client, phase, prompt, participant, django_assert_max_num_queries
):
    client.force_login(participant)
    poll = workshop_url("board_notes", phase)

    def changes(count):
        since = version(phase)
        for note in NoteFactory.create_batch(count, prompt=prompt):
            services.add_vote(user=participant, note=note)
        return since

    since = changes(1)
    with django_assert_max_num_queries(12) as small:
        client.get(poll, {"version": since})
    since = changes(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(poll, {"version": since})
    assert response.content.decode().count('aria-pressed="true"') == 15


def test_unchanged_poll_costs_one_query(client, phase, prompt, django_assert_num_queries):
    current = version(phase)
    with django_assert_num_queries(1):
        response = client.get(workshop_url("board_notes", phase), {"version": current})
    assert response.status_code == 204


# --- posting notes --------------------------------------------------------------------------


def test_participant_posts_a_note(client, phase, prompt, participant):
    client.force_login(participant)
    before = version(phase)

    response = post_note(client, phase, prompt, text="  Keep   the ferry  ", language="nb")

    note = Note.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#note-{note.pk}")
    assert (note.text, note.language, note.author) == ("Keep the ferry", "nb", participant)
    assert version(phase) == before + 1


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("", "en", "Write something in the note."),
        ("x" * 301, "en", "at most 300 characters; this one has 301"),
        ("Keep the ferry", "de", "“de” is not one of them"),
    ],
)
def test_bad_notes_are_refused_with_a_reason_and_change_nothing(
    client, phase, prompt, participant, text, language, message
):
    client.force_login(participant)
    before = version(phase)

    response = post_note(client, phase, prompt, text=text, language=language)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Note.objects.exists() and version(phase) == before


def test_a_prompt_of_another_workshop_is_refused(client, phase, prompt, participant):
    foreign = PromptFactory()
    client.force_login(participant)

    response = post_note(client, phase, foreign)

    assert response.status_code == 400
    assert "Choose one of this workshop" in response.content.decode()
    assert not Note.objects.exists()


def test_services_refuse_unknown_language_and_overlong_text(prompt, participant):
    with pytest.raises(services.Refused, match="“xx”"):
        services.post_note(author=participant, prompt=prompt, text="ok", language="xx")
    with pytest.raises(services.Refused, match="at most 300"):
        services.post_note(author=participant, prompt=prompt, text="x" * 301, language="en")
    assert not Note.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client, phase, prompt):
    response = post_note(client, phase, prompt)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Note.objects.exists()


def test_closed_phase_refuses_notes_and_says_why(client, phase, prompt, participant):
    phase.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    phase.starts_at = phase.ends_at - datetime.timedelta(days=1)
    phase.save()
    client.force_login(participant)

    response = post_note(client, phase, prompt)
    page = client.get(workshop_url("board", phase)).content.decode()

    assert response.status_code == 400 and "This phase has ended." in response.content.decode()
    assert "You cannot post notes now: This phase has ended." in page
    assert not Note.objects.exists()


def test_verified_only_phase_refuses_unverified_users(client, phase, prompt, participant):
    phase.post_notes = Audience.VERIFIED
    phase.save()
    client.force_login(participant)

    assert post_note(client, phase, prompt).status_code == 400
    ResidentVerification.objects.create(municipality=phase.process.municipality, user=participant)
    assert post_note(client, phase, prompt).status_code == 302
    assert Note.objects.count() == 1


def test_posting_is_rate_limited(client, phase, prompt, participant):
    client.force_login(participant)
    for n in range(services.NOTE_POSTING.limit):
        assert post_note(client, phase, prompt, text=f"note {n}").status_code == 302

    response = post_note(client, phase, prompt, text="one too many")

    assert response.status_code == 400
    assert "You have posted many notes" in response.content.decode()
    assert Note.objects.count() == services.NOTE_POSTING.limit


# --- +1s ------------------------------------------------------------------------------------


def vote(client, phase, note, action="add", **headers):
    return client.post(workshop_url("vote", phase, pk=note.pk), {"action": action}, **headers)


def stored_votes(note) -> int:
    return Note.objects.values_list("vote_count", flat=True).get(pk=note.pk)


def test_plus_one_twice_keeps_one_row_and_take_back_removes_it(client, phase, prompt, participant):
    note = NoteFactory(prompt=prompt)
    client.force_login(participant)

    first = vote(client, phase, note)
    vote(client, phase, note)

    assert first.status_code == 302 and first.url.endswith(f"#note-{note.pk}")
    assert NoteVote.objects.filter(note=note).count() == 1 and stored_votes(note) == 1
    assert services.add_vote(user=participant, note=note) is False

    vote(client, phase, note, action="remove")
    assert not NoteVote.objects.exists() and stored_votes(note) == 0


def test_htmx_plus_one_returns_the_widget_and_an_announcement(client, phase, prompt, participant):
    note = NoteFactory(prompt=prompt)
    client.force_login(participant)

    response = vote(client, phase, note, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="vote-widget-{note.pk}"' in body and 'aria-pressed="true"' in body
    assert "You gave this note +1. It now has 1." in body
    assert "<html" not in body


def test_own_and_hidden_notes_cannot_be_plus_oned(client, phase, prompt, participant):
    own = NoteFactory(prompt=prompt, author=participant)
    hidden = NoteFactory(prompt=prompt, visibility=Visibility.HIDDEN, moderation_reason="spam")
    client.force_login(participant)

    own_response = vote(client, phase, own, HTTP_HX_REQUEST="true")
    vote(client, phase, hidden)

    assert "You cannot +1 your own note." in own_response.content.decode()
    assert not NoteVote.objects.exists()


# --- moderation -----------------------------------------------------------------------------


def test_moderator_hides_a_note_with_a_public_reason_and_an_audit_event(
    client, phase, prompt, municipality
):
    moderator = member(municipality, "moderator")
    note = NoteFactory(prompt=prompt, text="Buy my product")
    client.force_login(moderator)

    empty = client.post(workshop_url("hide", phase, pk=note.pk), {"reason": "  "})
    response = client.post(workshop_url("hide", phase, pk=note.pk), {"reason": "Advertising"})

    assert empty.status_code == 400
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.visibility == Visibility.HIDDEN and note.moderation_reason == "Advertising"
    page = client.get(workshop_url("board", phase)).content.decode()
    assert "Buy my product" not in page and "Note hidden by a moderator: Advertising" in page
    event = AuditEvent.objects.get(object_id=str(note.pk))
    assert event.actor == moderator and event.changes["visibility"] == ["published", "hidden"]


def test_participants_and_outsiders_cannot_hide_notes(client, phase, prompt, participant, outsider):
    note = NoteFactory(prompt=prompt)
    for user in (participant, outsider):
        client.force_login(user)
        assert (
            client.post(workshop_url("hide", phase, pk=note.pk), {"reason": "x"}).status_code == 403
        )
    note.refresh_from_db()
    assert note.visibility == Visibility.PUBLISHED


# --- prompts --------------------------------------------------------------------------------


def test_editor_adds_prompts_and_others_cannot(client, phase, editor, outsider, participant):
    client.force_login(editor)
    response = client.post(
        workshop_url("prompt_create", phase), {"text": "What should we leave behind?"}
    )
    duplicate = client.post(
        workshop_url("prompt_create", phase), {"text": "What should we leave behind?"}
    )

    assert response.status_code == 302
    assert duplicate.status_code == 400 and "already has that prompt" in duplicate.content.decode()
    workshop = Workshop.objects.get(phase=phase)
    assert list(workshop.prompts.values_list("text", flat=True)) == ["What should we leave behind?"]
    for user in (outsider, participant):
        client.force_login(user)
        assert (
            client.post(workshop_url("prompt_create", phase), {"text": "Mine"}).status_code == 403
        )
    assert workshop.prompts.count() == 1


def test_prompts_only_go_to_workshop_phases(editor, municipality):
    phase = PhaseFactory(process=ProcessFactory(municipality=municipality))
    with pytest.raises(services.Refused, match="workshop phase"):
        services.add_prompt(actor=editor, phase=phase, text="Hello")


def test_a_change_read_with_the_notes_is_not_sent_twice(phase, prompt, participant):
    """A note committed after the workshop row was read but before its notes were: the page
    shows it, so the version it reports covers it."""
    since = version(phase)
    services.post_note(author=participant, prompt=prompt, text="Early", language="en")
    phase = selectors.workshop_phase(
        phase.process.municipality.slug, phase.process.slug, phase.pk, participant
    )
    stale = phase.workshop.version
    late = services.post_note(author=participant, prompt=prompt, text="Late", language="en")

    changes = selectors.board_changes(phase, participant, since)
    board = selectors.board(phase, participant)

    assert phase.workshop.version == stale  # the row as read before the late note
    assert [note.text for note in changes.new_notes] == ["Early", "Late"]
    assert changes.version == board.version == late.version
