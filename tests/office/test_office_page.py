"""The office of one municipality: counts and links for what waits on the user's roles."""

import pytest
from django.urls import reverse

from roadmap.core.audit import record
from roadmap.participation.models import ResidentVerification
from tests.conftest import member
from tests.factories import UserFactory
from tests.office.conftest import make_waiting

pytestmark = pytest.mark.django_db


def office_url(slug="fjordvik") -> str:
    return reverse("office:office", kwargs={"municipality": slug})


def card(page: str, card_id: str) -> str:
    """The markup of one card of the office page, up to the next card or section."""
    start = page.index(f'id="{card_id}"')
    ends = [page.find(marker, start) for marker in ('<li class="ds-card"', "<section")]
    return page[start : min(end for end in ends if end != -1)]


def test_moderator_sees_the_inbox_counts_and_nothing_else(
    client, waiting, waiting_elsewhere, moderator
):
    client.force_login(moderator)

    page = client.get(office_url()).content.decode()

    assert "Office of Fjordvik" in page
    inbox = card(page, "office-inbox")
    assert "6</span> posts wait for a moderator" in inbox
    for line in (
        "1 proposal waiting for approval",
        "1 comment waiting for approval",
        "1 report of a proposal",
        "1 report of a comment",
        "1 opinion statement waiting for approval",
        "1 report of a workshop note",
    ):
        assert line in inbox
    assert 'href="/m/fjordvik/office/inbox/"' in inbox
    for hidden in ("office-drafts", "office-imports", "office-pilot-reviews", "office-residents"):
        assert hidden not in page
    assert "Elvdal" not in page


def test_assessor_sees_drafts_and_initiatives_to_assess(client, municipality, waiting, assessor):
    client.force_login(assessor)

    page = client.get(office_url()).content.decode()

    drafts = card(page, "office-drafts")
    assert "1</span> draft" in drafts and "Fjordvik drafted initiative" in drafts
    never = card(page, "office-never-assessed")
    assert "1</span> initiative without a final assessment" in never
    assert "Assess Fjordvik never assessed" in never
    due = card(page, "office-assessment-due")
    assert "1</span> initiative is due for a new assessment" in due
    assert "Assess Fjordvik assessed long ago" in due
    assert "office-inbox" not in page and "office-imports" not in page


def test_editor_sees_imports_pilot_reviews_unanswered_proposals_and_note_reports(
    client, waiting, editor
):
    client.force_login(editor)

    page = client.get(office_url()).content.decode()

    imports = card(page, "office-imports")
    assert "1</span> indicator import to confirm" in imports
    assert f'href="/m/fjordvik/indicators/import/{waiting.batch.pk}/"' in imports
    assert "Fjordvik ended pilot" in card(page, "office-pilot-reviews")
    assert "Fjordvik published proposal" in card(page, "office-unanswered")
    # Editors facilitate workshops, so they moderate notes, but not proposals or statements.
    assert "1 report of a workshop note" in page
    assert "proposal waiting for approval" not in page
    assert "office-drafts" not in page and "office-residents" not in page


def test_administrator_sees_everything_with_the_admin_tasks_and_recent_activity(
    client, municipality, waiting, administrator
):
    ResidentVerification.objects.create(municipality=municipality, user=UserFactory())
    record(actor=administrator, action="update", obj=municipality, municipality=municipality)
    client.force_login(administrator)

    page = client.get(office_url()).content.decode()

    assert "6</span> posts wait for a moderator" in page
    assert "1</span> resident confirmed" in card(page, "office-residents")
    assert "Residents cannot ask to be confirmed here yet" in page
    for link in (
        "/m/fjordvik/framework/",
        "/m/fjordvik/members/",
        "/m/fjordvik/indicators/import/",
        "/m/fjordvik/processes/",
        "/m/fjordvik/processes/moderation/",
    ):
        assert f'href="{link}"' in page
    activity = page[page.index('id="office-activity-heading"') :]
    assert f"{administrator} · updated: municipality “Fjordvik”" in activity


def test_an_empty_office_says_nothing_waits(client, municipality, moderator):
    client.force_login(moderator)

    page = client.get(office_url()).content.decode()

    assert "0</span> posts wait for a moderator" in page
    assert "No changes recorded yet." in page


@pytest.mark.parametrize("role", ["editor", "moderator", "assessor", "administrator"])
def test_members_of_another_municipality_get_not_found(
    client, municipality, other_municipality, role
):
    client.force_login(member(other_municipality, role))

    assert client.get(office_url()).status_code == 404
    assert client.get(office_url("elvdal")).status_code == 200


def test_participants_and_visitors_have_no_office(client, municipality, participant):
    assert client.get(office_url()).status_code == 302
    client.force_login(participant)
    assert client.get(office_url()).status_code == 404
    assert client.get(office_url("nowhere")).status_code == 404


def test_the_office_page_reads_a_constant_number_of_queries(
    client, municipality, administrator, django_assert_max_num_queries, django_assert_num_queries
):
    make_waiting(municipality, "First")
    client.force_login(administrator)
    client.get(office_url())  # the session's first read is not the page's

    with django_assert_max_num_queries(30) as small:
        assert client.get(office_url()).status_code == 200
    for label in ("Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh"):
        make_waiting(municipality, label)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(office_url()).content.decode()

    assert "42</span> posts wait for a moderator" in page
