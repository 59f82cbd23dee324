"""The assessors' list of what waits: drafts, initiatives never assessed, assessments over a
year old; for the municipality's assessors only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.initiatives.assessments import services
from tests.factories import AssessmentFactory, FinalAssessmentFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def worklist_url(municipality):
    return reverse("initiatives:assessment_worklist", kwargs={"municipality": municipality.slug})


def final(initiative, days_ago):
    assessment = FinalAssessmentFactory(
        initiative=initiative, assessed_on=timezone.localdate() - datetime.timedelta(days_ago)
    )
    services._move_latest_flag(initiative.pk)
    return assessment


def test_the_assessor_sees_drafts_never_assessed_and_long_ago_assessed_initiatives(
    client, municipality, other_municipality, assessor, django_assert_num_queries
):
    drafted = InitiativeFactory(municipality=municipality, title="Harbour sensors")
    AssessmentFactory(initiative=drafted, assessed_on=datetime.date(2026, 3, 4), assessor=assessor)
    InitiativeFactory(municipality=municipality, title="Library makerspace")
    final(InitiativeFactory(municipality=municipality, title="Ferry app"), days_ago=500)
    final(InitiativeFactory(municipality=municipality, title="Fresh benches"), days_ago=30)
    InitiativeFactory(municipality=other_municipality, title="Elvdal secret")
    client.force_login(assessor)
    client.get(worklist_url(municipality))  # warm the session and the municipality

    with django_assert_num_queries(7):
        page = client.get(worklist_url(municipality)).content.decode()

    drafts = page[page.index('id="drafts-heading"') : page.index('id="never-heading"')]
    never = page[page.index('id="never-heading"') : page.index('id="due-heading"')]
    due = page[page.index('id="due-heading"') :]
    assert "1 draft to finalise" in drafts
    assert "Harbour sensors</a> · draft of 4 Mar 2026 by" in drafts
    assert "1 initiative never assessed" in never and "Library makerspace" in never
    assert "Harbour sensors" not in never, "a drafted initiative waits among the drafts only"
    assert "1 initiative last assessed more than a year ago" in due and "Ferry app" in due
    assert "Fresh benches" not in page
    assert "Elvdal secret" not in page


def test_an_empty_worklist_says_so(client, municipality, assessor):
    client.force_login(assessor)
    page = client.get(worklist_url(municipality)).content.decode()
    assert "No drafts wait to be finalised." in page
    assert "Every initiative has been assessed at least once." in page
    assert "No initiative is due for a new assessment." in page


def test_the_initiative_list_links_the_worklist_for_assessors_only(
    client, municipality, assessor, editor
):
    listing = reverse("initiatives:list", kwargs={"municipality": municipality.slug})
    client.force_login(assessor)
    assert worklist_url(municipality) in client.get(listing).content.decode()
    client.force_login(editor)
    assert worklist_url(municipality) not in client.get(listing).content.decode()


def test_only_the_municipalitys_assessors_see_the_worklist(
    client, municipality, editor, outsider, participant
):
    assert client.get(worklist_url(municipality)).status_code == 302  # to sign in
    for user in (editor, outsider, participant):
        client.force_login(user)
        assert client.get(worklist_url(municipality)).status_code == 403
