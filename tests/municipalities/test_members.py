import pytest
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.municipalities.models import Membership
from roadmap.municipalities.permissions import has_role, roles_in
from tests.factories import UserFactory


def members_url(municipality):
    return reverse("municipalities:members", kwargs={"municipality": municipality.slug})


@pytest.mark.django_db
def test_administrator_grants_and_revokes_a_role(client, administrator, municipality):
    person = UserFactory(email="kari@example.org")
    client.force_login(administrator)
    response = client.post(
        members_url(municipality), {"user": "KARI@example.org", "role": "assessor"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, municipality=municipality)
    assert membership.role == "assessor"
    client.post(members_url(municipality), {"revoke": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = list(
        AuditEvent.objects.filter(municipality=municipality).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete"]
    assert all(event.actor == administrator for event in AuditEvent.objects.all())


@pytest.mark.django_db
def test_unknown_person_gets_a_clear_message(client, administrator, municipality):
    client.force_login(administrator)
    before = Membership.objects.count()
    response = client.post(members_url(municipality), {"user": "nobody", "role": "editor"})
    assert "No account has that username or e-mail address." in response.content.decode()
    assert Membership.objects.count() == before


@pytest.mark.django_db
def test_invalid_role_is_refused(client, administrator, municipality, participant):
    client.force_login(administrator)
    before = Membership.objects.count()
    response = client.post(
        members_url(municipality), {"user": participant.username, "role": "king"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "assessor", "moderator"])
def test_only_administrators_manage_members(client, municipality, role, participant):
    from tests.conftest import member

    client.force_login(member(municipality, role))
    assert client.get(members_url(municipality)).status_code == 403
    response = client.post(
        members_url(municipality), {"user": participant.username, "role": "administrator"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_administrator_of_another_municipality_cannot_manage_members(
    client, municipality, other_municipality, administrator, participant
):
    client.force_login(administrator)
    response = client.post(
        members_url(other_municipality), {"user": participant.username, "role": "editor"}
    )
    assert response.status_code == 403
    foreign = Membership.objects.create(
        user=participant, municipality=other_municipality, role="editor"
    )
    # Revoking another municipality's membership through one's own page finds nothing.
    response = client.post(members_url(municipality), {"revoke": foreign.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, municipality):
    response = client.get(members_url(municipality))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_roles_are_per_municipality(municipality, other_municipality, administrator):
    assert has_role(administrator, municipality, "editor")  # administrators hold every role
    assert roles_in(administrator, other_municipality) == frozenset()
    assert not has_role(administrator, other_municipality, "editor")
