"""Facilitators edit and delete prompts; the board redraws for everyone watching it."""

import pytest

from roadmap.core.models import AuditEvent
from roadmap.workshops import services
from roadmap.workshops.models import Note, NoteVote, Prompt, Synthesis, Theme, Workshop
from tests.conftest import member
from tests.workshops.factories import (
    NoteFactory,
    NoteVoteFactory,
    PromptFactory,
    ThemeFactory,
    workshop_url,
)

pytestmark = pytest.mark.django_db


def versions(phase) -> tuple[int, int]:
    return Workshop.objects.values_list("version", "layout_version").get(phase=phase)


def edit(client, phase, prompt, text):
    return client.post(workshop_url("prompt_edit", phase, prompt=prompt.pk), {"text": text})


def delete(client, phase, prompt):
    return client.post(workshop_url("prompt_delete", phase, prompt=prompt.pk))


def prompt_texts(phase) -> list[str]:
    return list(Prompt.objects.filter(workshop__phase=phase).values_list("text", flat=True))


# --- editing ----------------------------------------------------------------------------------


def test_editor_rewords_a_prompt_and_the_board_redraws(client, phase, prompt, editor):
    note = NoteFactory(prompt=prompt, theme=ThemeFactory(prompt=prompt))
    version, _layout = versions(phase)
    client.force_login(editor)

    page = client.get(workshop_url("prompt_edit", phase, prompt=prompt.pk))
    response = edit(client, phase, prompt, "  What should we keep?  ")

    assert page.status_code == 200 and 'value="What should we take along?"' in page.content.decode()
    assert response.status_code == 302
    assert response.url == workshop_url("prompt", phase, prompt=prompt.pk)
    assert prompt_texts(phase) == ["What should we keep?"]
    assert Note.objects.get(pk=note.pk).theme is not None
    assert versions(phase) == (version + 1, version + 1)
    poll = client.get(workshop_url("board_notes", phase), {"version": version}).content.decode()
    assert 'id="workshop-notes"' in poll and "What should we keep?" in poll
    event = AuditEvent.objects.get(action="update", object_id=str(prompt.pk))
    assert event.actor == editor
    assert event.changes == {"text": ["What should we take along?", "What should we keep?"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("x" * 201, "Ensure this value has at most 200 characters"),
        ("What should we leave behind?", "This workshop already has that prompt."),
    ],
)
def test_bad_prompt_text_is_refused_and_changes_nothing(
    client, phase, prompt, editor, text, message
):
    PromptFactory(workshop=prompt.workshop, text="What should we leave behind?")
    before = versions(phase)
    client.force_login(editor)

    response = edit(client, phase, prompt, text)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert prompt_texts(phase) == ["What should we take along?", "What should we leave behind?"]
    assert versions(phase) == before and not AuditEvent.objects.exists()


def test_the_service_checks_the_text_as_adding_does(prompt, editor):
    with pytest.raises(services.Refused, match="Write the prompt."):
        services.edit_prompt(actor=editor, prompt=prompt, text="   ")
    with pytest.raises(services.Refused, match="at most 200 characters; this one has 201"):
        services.edit_prompt(actor=editor, prompt=prompt, text="x" * 201)
    with pytest.raises(services.Refused, match="at most 200 characters"):
        services.add_prompt(actor=editor, phase=prompt.workshop.phase, text="x" * 201)
    assert prompt_texts(prompt.workshop.phase) == ["What should we take along?"]


def test_saving_the_same_text_changes_nothing(client, phase, prompt, editor):
    before = versions(phase)
    client.force_login(editor)

    assert edit(client, phase, prompt, "What should we take along?").status_code == 302
    assert versions(phase) == before and not AuditEvent.objects.exists()


# --- deleting ---------------------------------------------------------------------------------


@pytest.fixture
def filled(prompt, editor):
    """A prompt with three notes (one hidden, one +1'd), one theme and a synthesis."""
    theme = ThemeFactory(prompt=prompt, name="Ferries")
    notes = NoteFactory.create_batch(3, prompt=prompt, theme=theme)
    NoteVoteFactory(note=notes[0])
    services.hide_note(actor=editor, note=notes[1], reason="Spam")
    services.recompute_synthesis(actor=editor, prompt=prompt)
    return prompt


def test_confirmation_says_what_goes_with_the_prompt(client, phase, filled, editor):
    client.force_login(editor)

    page = client.get(workshop_url("prompt_delete", phase, prompt=filled.pk)).content.decode()

    assert "Delete the prompt?" in page and "“What should we take along?”" in page
    assert "3 notes (hidden ones too), with their +1s" in page and "1 theme" in page
    assert 'name="csrfmiddlewaretoken"' in page and prompt_texts(phase) == [filled.text]


def test_editor_deletes_a_prompt_with_everything_under_it(client, phase, filled, editor):
    other = PromptFactory(workshop=filled.workshop, text="What should we leave behind?")
    kept = NoteFactory(prompt=other, text="Leave the cars")
    version, _layout = versions(phase)
    client.force_login(editor)

    response = delete(client, phase, filled)

    assert response.status_code == 302 and response.url == workshop_url("board", phase)
    assert prompt_texts(phase) == ["What should we leave behind?"]
    assert list(Note.objects.all()) == [kept]
    assert not Theme.objects.exists() and not NoteVote.objects.exists()
    assert not Synthesis.objects.exists()
    assert versions(phase) == (version + 1, version + 1)
    poll = client.get(workshop_url("board_notes", phase), {"version": version}).content.decode()
    assert "Leave the cars" in poll and "What should we take along?" not in poll
    event = AuditEvent.objects.get(action="delete")
    assert (event.actor, event.object_id) == (editor, str(filled.pk))
    assert event.changes == {
        "text": ["What should we take along?", None],
        "notes": [3, 0],
        "themes": [1, 0],
    }


# --- who may ----------------------------------------------------------------------------------


def test_only_the_municipalitys_facilitators_edit_or_delete_prompts(
    client, phase, prompt, municipality, participant, outsider
):
    NoteFactory(prompt=prompt)
    moderator = member(municipality, "moderator")
    before = versions(phase)
    for user in (participant, outsider, moderator):
        client.force_login(user)
        for name in ("prompt_edit", "prompt_delete"):
            assert client.get(workshop_url(name, phase, prompt=prompt.pk)).status_code == 403
        assert edit(client, phase, prompt, "Mine now").status_code == 403
        assert delete(client, phase, prompt).status_code == 403
    for service, extra in ((services.edit_prompt, {"text": "Mine"}), (services.delete_prompt, {})):
        with pytest.raises(services.Refused, match="Only the municipality's editors"):
            service(actor=outsider, prompt=prompt, **extra)
    assert prompt_texts(phase) == ["What should we take along?"] and Note.objects.count() == 1
    assert versions(phase) == before and not AuditEvent.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, phase, prompt):
    for name in ("prompt_edit", "prompt_delete"):
        address = workshop_url(name, phase, prompt=prompt.pk)
        for response in (client.get(address), client.post(address, {"text": "Mine"})):
            assert response.status_code == 302 and "/accounts/login/" in response.url
    assert prompt_texts(phase) == ["What should we take along?"]


def test_a_prompt_of_another_workshop_is_not_found(client, phase, editor):
    foreign = PromptFactory(text="Elsewhere")
    client.force_login(editor)
    assert edit(client, phase, foreign, "Mine").status_code == 404
    assert delete(client, phase, foreign).status_code == 404
    assert Prompt.objects.filter(pk=foreign.pk, text="Elsewhere").exists()


def test_edit_and_delete_links_are_for_facilitators_only(
    client, phase, prompt, editor, participant
):
    links = [
        workshop_url("prompt_edit", phase, prompt=prompt.pk),
        workshop_url("prompt_delete", phase, prompt=prompt.pk),
    ]
    pages = [workshop_url("board", phase), workshop_url("prompt", phase, prompt=prompt.pk)]
    client.force_login(editor)
    for address in pages:
        page = client.get(address).content.decode()
        assert all(link in page for link in links), address
    client.force_login(participant)
    for address in pages:
        page = client.get(address).content.decode()
        assert not any(link in page for link in links), address


# --- two facilitators at once ---------------------------------------------------------------


def test_a_prompt_deleted_meanwhile_is_refused_clearly_for_edit_and_delete(
    client, phase, prompt, editor
):
    """Both facilitators opened the prompt's page; one deletes it, then the other acts."""
    client.force_login(editor)
    services.delete_prompt(actor=editor, prompt=prompt)
    events = AuditEvent.objects.count()
    with pytest.raises(services.Refused, match="just deleted"):
        services.edit_prompt(actor=editor, prompt=prompt, text="Something else")
    with pytest.raises(services.Refused, match="just deleted"):
        services.delete_prompt(actor=editor, prompt=prompt)
    assert AuditEvent.objects.count() == events
    assert not Prompt.objects.filter(pk=prompt.pk).exists()
