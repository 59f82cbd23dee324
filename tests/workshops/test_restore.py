"""Restoring hidden notes: back on the board, in the synthesis and the exports, in their theme."""

import csv
import io

import pytest

from roadmap.core.models import AuditEvent
from roadmap.participation.models import Visibility
from roadmap.workshops import services
from roadmap.workshops.models import Note, Workshop
from tests.conftest import member
from tests.workshops.factories import NoteFactory, PromptFactory, ThemeFactory, workshop_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(municipality):
    return member(municipality, "moderator")


@pytest.fixture
def hidden(prompt, editor):
    """A themed note, hidden by a facilitator."""
    note = NoteFactory(
        prompt=prompt, text="Keep the night ferry", theme=ThemeFactory(prompt=prompt)
    )
    return services.hide_note(actor=editor, note=note, reason="Off topic")


def restore(client, phase, note, reason="It was on topic after all"):
    return client.post(workshop_url("restore", phase, pk=note.pk), {"reason": reason})


def version(phase) -> int:
    return Workshop.objects.get(phase=phase).version


def stored(note) -> tuple:
    return Note.objects.values_list("visibility", "moderation_reason", "theme__name").get(
        pk=note.pk
    )


def test_moderator_restores_a_note_everywhere_with_its_theme_and_reason(
    client, phase, prompt, hidden, moderator, editor
):
    theme_name = hidden.theme.name
    since = version(phase)
    client.force_login(moderator)

    page = client.get(workshop_url("restore", phase, pk=hidden.pk))
    response = restore(client, phase, hidden)

    assert page.status_code == 200
    assert "Keep the night ferry" in page.content.decode()
    assert "Hidden now, with the reason: Off topic" in page.content.decode()
    assert response.status_code == 302 and response.url.endswith(f"#prompt-{prompt.pk}")
    assert stored(hidden) == (Visibility.PUBLISHED, "It was on topic after all", theme_name)
    board = client.get(workshop_url("board", phase)).content.decode()
    assert "Keep the night ferry" in board
    assert "Shown again by a moderator: It was on topic after all" in board
    assert "Note hidden by a moderator" not in board
    exported = client.get(workshop_url("export_notes", phase))
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Keep the night ferry"]
    assert rows[1][3] == theme_name
    assert version(phase) == since + 1
    assert services.recompute_synthesis(actor=editor, prompt=prompt).note_count == 1


def test_restoring_is_audited_and_pollers_get_the_note_again(
    client, phase, prompt, hidden, moderator
):
    since = version(phase)

    services.restore_note(actor=moderator, note=hidden, reason="A mistake")
    response = client.get(workshop_url("board_notes", phase), {"version": since})

    body = response.content.decode()
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert f'id="note-{hidden.pk}" hx-swap-oob="true"' in body
    assert "Keep the night ferry" in body and "Shown again by a moderator: A mistake" in body
    assert f'id="prompt-{prompt.pk}-total" hx-swap-oob="true">1 note' in body
    event = AuditEvent.objects.filter(object_id=str(hidden.pk)).latest("pk")
    assert event.actor == moderator and event.action == "update"
    assert event.changes == {
        "visibility": ["hidden", "published"],
        "moderation_reason": ["Off topic", "A mistake"],
    }


def test_facilitators_and_moderators_see_restore_on_hidden_notes_others_do_not(
    client, phase, prompt, hidden, editor, moderator, participant
):
    restore_url = workshop_url("restore", phase, pk=hidden.pk)
    pages = [workshop_url("board", phase), workshop_url("prompt", phase, prompt=prompt.pk)]
    for user in (editor, moderator):
        client.force_login(user)
        for address in pages:
            assert restore_url in client.get(address).content.decode(), (user, address)
    client.force_login(participant)
    for address in pages:
        assert restore_url not in client.get(address).content.decode(), address


def test_a_note_that_is_not_hidden_is_not_restored(client, phase, prompt, moderator):
    note = NoteFactory(prompt=prompt)
    since = version(phase)
    client.force_login(moderator)

    response = restore(client, phase, note)

    assert response.status_code == 400
    assert "This note is not hidden, so there is nothing to restore." in response.content.decode()
    assert stored(note) == (Visibility.PUBLISHED, "", None)
    assert version(phase) == since and not AuditEvent.objects.exists()


def test_restoring_without_a_reason_is_refused_and_changes_nothing(
    client, phase, hidden, moderator
):
    since, events = version(phase), AuditEvent.objects.count()
    client.force_login(moderator)

    response = restore(client, phase, hidden, reason="   ")

    assert response.status_code == 400
    assert "Public reason for restoring the note" in response.content.decode()
    assert stored(hidden)[:2] == (Visibility.HIDDEN, "Off topic")
    assert version(phase) == since and AuditEvent.objects.count() == events
    with pytest.raises(services.Refused, match="public reason for restoring"):
        services.restore_note(actor=moderator, note=hidden, reason=" ")


def test_participants_and_other_municipalities_cannot_restore(
    client, phase, hidden, participant, outsider, other_municipality
):
    other_moderator = member(other_municipality, "moderator")
    for user in (participant, outsider, other_moderator):
        client.force_login(user)
        assert client.get(workshop_url("restore", phase, pk=hidden.pk)).status_code == 403
        assert restore(client, phase, hidden).status_code == 403
    with pytest.raises(services.Refused, match="can restore notes"):
        services.restore_note(actor=outsider, note=hidden, reason="Mine now")
    assert stored(hidden)[:2] == (Visibility.HIDDEN, "Off topic")


def test_signed_out_visitors_are_sent_to_sign_in(client, phase, hidden):
    for response in (
        client.get(workshop_url("restore", phase, pk=hidden.pk)),
        restore(client, phase, hidden),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert stored(hidden)[0] == Visibility.HIDDEN


def test_a_note_of_another_workshop_is_not_found(client, phase, editor):
    foreign = NoteFactory(prompt=PromptFactory(), visibility=Visibility.HIDDEN)
    client.force_login(editor)
    assert restore(client, phase, foreign).status_code == 404
    assert stored(foreign)[0] == Visibility.HIDDEN


def test_the_restore_page_of_a_shown_note_says_so_instead_of_offering_the_form(
    client, phase, prompt, hidden, moderator
):
    shown = NoteFactory(prompt=prompt)
    client.force_login(moderator)
    page = client.get(workshop_url("restore", phase, pk=shown.pk)).content.decode()
    assert "This note is not hidden, so there is nothing to restore." in page
    assert 'name="reason"' not in page
    assert (
        'name="reason"' in client.get(workshop_url("restore", phase, pk=hidden.pk)).content.decode()
    )
