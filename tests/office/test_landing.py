"""Where a signed-in user lands, and the header's Office link."""

import pytest
from django.urls import reverse

from roadmap.municipalities.models import Membership
from roadmap.municipalities.permissions import has_role, roles_everywhere
from roadmap.office.permissions import office_access
from roadmap.participation.models import ResidentVerification
from tests.conftest import member
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

LANDING = "/office/"


def test_signing_in_with_one_role_opens_that_office(client, municipality, editor):
    response = client.post(
        reverse("accounts:login"),
        {"username": editor.username, "password": "correct-horse-battery"},
        follow=True,
    )

    assert response.redirect_chain[0][0] == LANDING
    assert response.redirect_chain[-1][0] == "/m/fjordvik/office/"
    page = response.content.decode()
    assert "Office of Fjordvik" in page
    assert f'href="{LANDING}">Office</a>' in page


def test_several_municipalities_offer_a_choice(client, municipality, other_municipality):
    user = member(municipality, "editor")
    MembershipFactory(user=user, municipality=other_municipality, role="moderator")
    MembershipFactory(user=user, municipality=other_municipality, role="assessor")
    client.force_login(user)

    page = client.get(LANDING).content.decode()

    assert "Choose the office to open." in page
    assert 'href="/m/elvdal/office/">Elvdal</a> · Assessor, Moderator' in page
    assert 'href="/m/fjordvik/office/">Fjordvik</a> · Editor' in page
    assert page.index("Elvdal") < page.index("Fjordvik")


def test_a_confirmed_resident_lands_on_their_municipality(client, municipality, participant):
    ResidentVerification.objects.create(municipality=municipality, user=participant)
    client.force_login(participant)

    response = client.get(LANDING)

    assert response.status_code == 302 and response.url == "/m/fjordvik/"
    page = client.get("/m/fjordvik/").content.decode()
    assert f'href="{LANDING}">Office</a>' not in page


def test_a_participant_of_nowhere_lands_on_the_front_page(client, participant):
    client.force_login(participant)

    response = client.get(LANDING)

    assert response.status_code == 302 and response.url == "/"


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get(LANDING)

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_header_follows_a_role_granted_after_sign_in_at_the_next_office_visit(
    client, municipality
):
    user = UserFactory()
    client.force_login(user)
    before = client.get("/").content.decode()
    Membership.objects.create(user=user, municipality=municipality, role="moderator")

    client.get(LANDING)
    after = client.get("/").content.decode()

    assert f'href="{LANDING}">Office</a>' not in before
    assert f'href="{LANDING}">Office</a>' in after


def test_roles_everywhere_is_one_query_and_answers_later_role_checks(
    municipality, django_assert_num_queries
):
    user = member(municipality, "assessor")
    elsewhere = MunicipalityFactory(name="Aurdal", slug="aurdal")
    MembershipFactory(user=user, municipality=elsewhere, role="editor")

    with django_assert_num_queries(1):
        found = roles_everywhere(user)
        assert has_role(user, municipality, "assessor")
        assert not has_role(user, elsewhere, "moderator")

    assert [(m.name, sorted(roles)) for m, roles in found] == [
        ("Aurdal", ["editor"]),
        ("Fjordvik", ["assessor"]),
    ]


def test_office_access_reads_the_roles_once(municipality, django_assert_num_queries):
    user = member(municipality, "moderator")
    MembershipFactory(user=user, municipality=municipality, role="assessor")

    with django_assert_num_queries(1):
        access = office_access(user, municipality)

    assert (access.moderate, access.moderate_notes, access.assess) == (True, True, True)
    assert (access.edit_initiatives, access.manage_indicators, access.administer) == (
        False,
        False,
        False,
    )


def test_no_role_means_no_office_access(municipality, other_municipality, outsider, participant):
    assert office_access(outsider, municipality) is None
    assert office_access(participant, municipality) is None
    assert office_access(outsider, other_municipality) is not None
