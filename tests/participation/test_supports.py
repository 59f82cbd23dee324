"""Supports: one per user, withdrawable, the stored count always equal to the rows."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.models import Sum

from roadmap.participation.models import (
    ProcessActivity,
    ProcessParticipant,
    Proposal,
    Support,
    Visibility,
)
from roadmap.participation.proposals import services as proposal_services
from tests.factories import MunicipalityFactory, UserFactory
from tests.participation.factories import PhaseFactory, ProcessFactory, ProposalFactory
from tests.participation.test_proposals import (
    REFUSALS,
    detail_url,
    fresh_rate_limits,  # noqa: F401  (autouse)
    phase,  # noqa: F401  (fixture)
    process,  # noqa: F401  (fixture)
    process_url,
)


@pytest.fixture
def proposal(process):  # noqa: F811
    return ProposalFactory(phase=process.phases.get())


def support_url(proposal) -> str:
    return process_url("proposal_support", proposal.process, pk=proposal.pk)


def stored_count(proposal) -> int:
    return Proposal.objects.values_list("support_count", flat=True).get(pk=proposal.pk)


def test_supporting_twice_keeps_one_row_and_a_count_of_one(client, proposal, participant):
    client.force_login(participant)

    first = client.post(support_url(proposal), {"action": "support"})
    client.post(support_url(proposal), {"action": "support"})

    assert first.status_code == 302 and first.url == detail_url(proposal) + "#support"
    assert Support.objects.filter(proposal=proposal, user=participant).count() == 1
    assert stored_count(proposal) == 1
    assert proposal_services.support(user=participant, proposal=proposal) is False
    assert stored_count(proposal) == 1


def test_withdrawing_removes_the_row_and_lowers_the_count(client, proposal, participant):
    client.force_login(participant)
    client.post(support_url(proposal), {"action": "support"})

    response = client.post(support_url(proposal), {"action": "withdraw"}, follow=True)

    assert not Support.objects.exists() and stored_count(proposal) == 0
    assert "You withdrew your support. Supports now: 0." in response.content.decode()
    assert proposal_services.withdraw_support(user=participant, proposal=proposal) is False
    assert stored_count(proposal) == 0


def test_the_count_equals_the_rows_after_a_mix_of_operations(proposal):
    users = UserFactory.create_batch(5)
    for user in users:
        proposal_services.support(user=user, proposal=proposal)
    for user in users[:3]:
        proposal_services.withdraw_support(user=user, proposal=proposal)
    proposal_services.support(user=users[0], proposal=proposal)
    proposal_services.support(user=users[0], proposal=proposal)
    proposal_services.withdraw_support(user=users[1], proposal=proposal)

    assert stored_count(proposal) == Support.objects.filter(proposal=proposal).count() == 3


def test_the_detail_page_offers_support_then_withdrawal(client, proposal, participant):
    client.force_login(participant)
    before = client.get(detail_url(proposal)).content.decode()
    client.post(support_url(proposal), {"action": "support"})
    after = client.get(detail_url(proposal)).content.decode()

    assert "Support this proposal" in before and 'hx-post="' in before
    assert "Withdraw my support" in after and "1 support" in after


def test_htmx_gets_only_the_widget_and_an_announcement(client, proposal, participant):
    client.force_login(participant)

    response = client.post(support_url(proposal), {"action": "support"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="support-widget"')
    assert "<html" not in content
    assert 'id="support-announcement" hx-swap-oob="innerHTML"' in content
    assert "You support this proposal. Supports now: 1." in content
    assert stored_count(proposal) == 1


def test_the_page_has_a_polite_live_region_for_the_announcement(client, proposal):
    content = client.get(detail_url(proposal)).content.decode()

    assert 'id="support-announcement" class="ds-sr-only" aria-live="polite"' in content


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal):
    response = client.post(support_url(proposal), {"action": "support"})

    assert response.status_code == 302 and "/login" in response.url
    assert not Support.objects.exists()


def test_support_only_accepts_post(client, proposal, participant):
    client.force_login(participant)

    assert client.get(support_url(proposal)).status_code == 405


@pytest.mark.parametrize(("refuse", "reason"), REFUSALS)
def test_support_is_refused_with_the_reason(client, proposal, participant, refuse, reason):
    refuse(proposal.phase, participant)
    client.force_login(participant)

    page = client.get(detail_url(proposal)).content.decode()
    response = client.post(support_url(proposal), {"action": "support"}, follow=True)
    htmx = client.post(support_url(proposal), {"action": "support"}, HTTP_HX_REQUEST="true")

    assert reason in page and "Support this proposal" not in page
    assert reason in response.content.decode() and reason in htmx.content.decode()
    assert not Support.objects.exists() and stored_count(proposal) == 0


def test_a_pending_proposal_cannot_be_supported(proposal, participant):
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.PENDING)
    proposal.refresh_from_db()

    with pytest.raises(proposal_services.Refused, match="not published"):
        proposal_services.support(user=participant, proposal=proposal)
    assert not Support.objects.exists()


@pytest.fixture
def framework_restored(transactional_db):
    """A transactional test empties every table afterwards; put the shipped framework back for
    the tests that run after it on the same database."""
    yield
    call_command("load_framework", verbosity=0)


def _sqlite_shared_cache_lock(error: OperationalError) -> bool:
    """The in-memory SQLite test database is shared between threads through SQLite's shared
    cache, which reports a busy writer as "table is locked" at once instead of waiting for the
    busy timeout as a file database (the real set-up) does. Only that case is retried."""
    return connection.vendor == "sqlite" and "table is locked" in str(error)


@pytest.mark.usefixtures("framework_restored")
def test_concurrent_supports_keep_the_count_equal_to_the_rows():
    proposal = ProposalFactory(
        phase=PhaseFactory(process=ProcessFactory(municipality=MunicipalityFactory()))
    )
    users = UserFactory.create_batch(6)
    # Each user supports from two threads at once, as with a double click in two tabs.
    attempts = [user for user in users for _ in range(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(attempts))

    def support_as(user):
        try:
            start.wait()
            for _attempt in range(500):
                try:
                    proposal_services.support(user=user, proposal=proposal)
                    break
                except OperationalError as error:
                    if not _sqlite_shared_cache_lock(error):
                        raise
                    time.sleep(0.01)
            else:
                raise TimeoutError("the database stayed locked")
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=support_as, args=(user,)) for user in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Support.objects.filter(proposal=proposal).count() == len(users)
    assert stored_count(proposal) == len(users)
    # The inclusion counts were raised once per support too, though all met on one row at once.
    activity = ProcessActivity.objects.filter(process=proposal.process)
    assert activity.aggregate(total=Sum("supports"))["total"] == len(users)
    assert ProcessParticipant.objects.filter(process=proposal.process).count() == len(users)
