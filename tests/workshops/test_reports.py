"""Reporting workshop notes: participants report, moderators dismiss or hide."""

import pytest

from roadmap.core.models import AuditEvent
from roadmap.workshops import services
from roadmap.workshops.models import NoteFlag
from tests.conftest import member
from tests.factories import UserFactory
from tests.participation.factories import ProcessFactory
from tests.workshops.factories import (
    NoteFactory,
    NoteFlagFactory,
    PromptFactory,
    WorkshopFactory,
    WorkshopPhaseFactory,
    workshop_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(municipality):
    return member(municipality, "moderator")


@pytest.fixture
def note(prompt):
    return NoteFactory(prompt=prompt, text="The harbour people are fools")


def open_reasons(note) -> list[str]:
    return list(note.flags.filter(resolved_at__isnull=True).values_list("reason", flat=True))


def test_participant_reports_a_note_from_the_board(client, phase, note, participant):
    client.force_login(participant)

    board = client.get(workshop_url("board", phase)).content.decode()
    form = client.get(workshop_url("report", phase, pk=note.pk))
    response = client.post(workshop_url("report", phase, pk=note.pk), {"reason": " Rude "})

    assert workshop_url("report", phase, pk=note.pk) in board
    assert "The harbour people are fools" in form.content.decode()
    assert response.status_code == 302 and response.url.endswith(f"#note-{note.pk}")
    assert open_reasons(note) == ["Rude"]
    followed = client.get(response.url).content.decode()
    assert "Thank you. The moderators will look at your report." in followed


def test_a_second_report_and_an_empty_reason_are_refused(client, phase, note, participant):
    client.force_login(participant)
    client.post(workshop_url("report", phase, pk=note.pk), {"reason": "Rude"})

    again = client.post(workshop_url("report", phase, pk=note.pk), {"reason": "Still rude"})
    empty = client.post(workshop_url("report", phase, pk=note.pk), {"reason": "   "})

    assert again.status_code == 400
    assert "You have already reported this note" in again.content.decode()
    assert empty.status_code == 400
    assert open_reasons(note) == ["Rude"]


def test_signed_out_visitors_are_sent_to_sign_in(client, phase, note):
    response = client.post(workshop_url("report", phase, pk=note.pk), {"reason": "Rude"})

    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not NoteFlag.objects.exists()


def test_authors_and_moderators_see_no_report_link(client, phase, note, moderator):
    client.force_login(note.author)
    own = client.get(workshop_url("board", phase)).content.decode()
    client.force_login(moderator)
    moderated = client.get(workshop_url("board", phase)).content.decode()

    assert workshop_url("report", phase, pk=note.pk) not in own
    assert workshop_url("report", phase, pk=note.pk) not in moderated
    assert workshop_url("hide", phase, pk=note.pk) in moderated


def test_a_hidden_note_cannot_be_reported(note, editor, participant):
    services.hide_note(actor=editor, note=note, reason="Insulting")

    with pytest.raises(services.Refused, match="hidden by a moderator"):
        services.report_note(reporter=participant, note=note, reason="Rude")


def test_moderator_dismisses_a_report_back_to_where_they_came_from(client, phase, note, moderator):
    flag = NoteFlagFactory(note=note)
    client.force_login(moderator)

    response = client.post(workshop_url("dismiss_report", phase, pk=flag.pk), {"next": "/office/"})
    again = client.post(workshop_url("dismiss_report", phase, pk=flag.pk))

    assert response.status_code == 302 and response.url == "/office/"
    assert open_reasons(note) == []
    assert again.status_code == 404
    event = AuditEvent.objects.get(object_id=str(flag.pk), action="update")
    assert event.actor == moderator and "resolved_at" in event.changes


def test_dismissing_needs_a_moderator_of_this_municipality(
    client, phase, note, participant, other_municipality
):
    flag = NoteFlagFactory(note=note)
    elsewhere = member(other_municipality, "moderator")

    for user in (participant, elsewhere):
        client.force_login(user)
        response = client.post(workshop_url("dismiss_report", phase, pk=flag.pk))
        assert response.status_code == 403

    assert open_reasons(note) == ["Insults a neighbour"]


def test_a_report_of_another_phase_is_not_found(client, municipality, note, moderator):
    other_phase = WorkshopPhaseFactory(process=ProcessFactory(municipality=municipality))
    other_prompt = PromptFactory(workshop=WorkshopFactory(phase=other_phase))
    flag = NoteFlagFactory(note=NoteFactory(prompt=other_prompt), reporter=UserFactory())
    client.force_login(moderator)

    response = client.post(workshop_url("dismiss_report", note.prompt.workshop.phase, pk=flag.pk))

    assert response.status_code == 404


def test_hiding_a_note_answers_its_reports(note, moderator):
    NoteFlagFactory(note=note)
    NoteFlagFactory(note=note)

    services.hide_note(actor=moderator, note=note, reason="Insulting")

    assert open_reasons(note) == []
