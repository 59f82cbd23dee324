"""Submitting statements and moderating them: bad input is refused clearly and saves nothing."""

import pytest

from roadmap.core.models import AuditEvent
from roadmap.opinions import services
from roadmap.opinions.models import Statement
from tests.conftest import member
from tests.factories import UserFactory
from tests.opinions.conftest import add_statements, make_phase, url


def post_statement(client, phase, text, language="en"):
    return client.post(url("statement_create", phase), {"text": text, "language": language})


def test_a_statement_is_open_for_votes_at_once_when_the_phase_does_not_hold_them(
    client, phase, participant
):
    client.force_login(participant)

    response = post_statement(client, phase, "  Benches along the harbour.  ")

    assert response.status_code == 302 and response.url == url("phase", phase)
    statement = Statement.objects.get()
    assert (statement.text, statement.status, statement.author) == (
        "Benches along the harbour.",
        Statement.Status.APPROVED,
        participant,
    )


def test_a_held_statement_waits_and_only_its_author_sees_it(client, municipality, participant):
    phase = make_phase(municipality, hold_statements=True)
    client.force_login(participant)

    post_statement(client, phase, "A pier for swimming.")

    assert Statement.objects.get().status == Statement.Status.PENDING
    assert "A pier for swimming." in client.get(url("phase", phase)).content.decode()
    client.force_login(UserFactory())
    page = client.get(url("phase", phase)).content.decode()
    assert "A pier for swimming." not in page
    assert "There are no statements to vote on yet." in page


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("", "en", "Write a statement: it cannot be empty."),
        ("    ", "en", "Write a statement: it cannot be empty."),
        ("x" * 281, "en", "A statement can be at most 280 characters; this one has 281."),
        ("Fine text", "xx", "Choose one of the platform&#x27;s languages for the statement."),
    ],
)
def test_bad_statements_are_refused_with_a_message_and_nothing_saved(
    client, phase, participant, text, language, message
):
    client.force_login(participant)

    response = post_statement(client, phase, text, language)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Statement.objects.exists()


def test_exactly_280_characters_is_accepted(client, phase, participant):
    client.force_login(participant)

    post_statement(client, phase, "y" * 280)

    assert len(Statement.objects.get().text) == 280


def test_statement_text_is_escaped_everywhere_it_is_shown(client, phase, participant):
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    client.force_login(participant)
    post_statement(client, phase, payload)

    page = client.get(url("phase", phase)).content.decode()

    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_statements_are_refused_in_a_closed_phase(client, closed_phase, participant):
    client.force_login(participant)

    response = post_statement(client, closed_phase, "Too late.")

    assert response.status_code == 400
    assert "This phase has ended." in response.content.decode()
    assert not Statement.objects.exists()


def test_posting_statements_is_rate_limited(phase, participant):
    for number in range(services.STATEMENT_POSTING.limit):
        services.submit_statement(
            author=participant, phase=phase, text=f"Statement {number}", language="en"
        )

    with pytest.raises(services.Refused, match="many statements in the last hour"):
        services.submit_statement(author=participant, phase=phase, text="One more", language="en")
    assert Statement.objects.count() == services.STATEMENT_POSTING.limit


def test_moderators_approve_and_reject_with_an_audit_event(client, phase):
    pending = add_statements(phase, 2, status=Statement.Status.PENDING)
    moderator = member(phase.process.municipality, "moderator")
    client.force_login(moderator)

    queue = client.get(url("moderation", phase)).content.decode()
    client.post(url("moderate", phase, pk=pending[0].pk), {"decision": "approve"})
    client.post(url("moderate", phase, pk=pending[1].pk), {"decision": "reject"})

    assert "Statement number 0" in queue and "Statement number 1" in queue
    statuses = dict(Statement.objects.values_list("pk", "status"))
    assert statuses == {pending[0].pk: "approved", pending[1].pk: "rejected"}
    assert AuditEvent.objects.filter(actor=moderator).count() == 2


def test_people_from_outside_cannot_moderate(client, phase, outsider, participant):
    (statement,) = add_statements(phase, 1, status=Statement.Status.PENDING)

    for user in (outsider, participant):
        client.force_login(user)
        assert client.get(url("moderation", phase)).status_code == 403
        response = client.post(url("moderate", phase, pk=statement.pk), {"decision": "approve"})
        assert response.status_code == 403

    statement.refresh_from_db()
    assert statement.status == Statement.Status.PENDING
    assert not AuditEvent.objects.exists()


def test_the_moderation_queue_pages_with_a_constant_number_of_queries(
    client, phase, django_assert_max_num_queries
):
    moderator = member(phase.process.municipality, "moderator")
    client.force_login(moderator)
    add_statements(phase, 3, status=Statement.Status.PENDING)
    client.get(url("moderation", phase))
    with django_assert_max_num_queries(12) as few:
        client.get(url("moderation", phase))
    add_statements(phase, 60, status=Statement.Status.PENDING)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("moderation", phase))

    assert "63 statements waiting" in response.content.decode()
    assert response.content.decode().count('name="decision" value="approve"') == 20
