"""The municipality's administrator says who publishes its open data, for the data catalogue."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmap.core.models import AuditEvent
from roadmap.municipalities.models import DataLicence, validate_organisation_number
from tests.conftest import member

NLOD = DataLicence.NLOD_2_0.value
CC_BY = DataLicence.CC_BY_4_0.value


def _url(municipality):
    return reverse("municipalities:publisher", kwargs={"municipality": municipality.slug})


def _form(**changes):
    data = {
        "organisation_number": "974760673",
        "contact_email": "apnedata@fjordvik.example",
        "website": "https://fjordvik.example/",
        "data_licence": CC_BY,
    }
    return data | changes


@pytest.mark.parametrize("number", ["974760673", "940000017", "958935420"])
def test_valid_organisation_numbers_pass(number):
    validate_organisation_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("974760674", "974760674 is not a valid organisation number"),
        ("12345678", "An organisation number is nine digits"),
        ("97476067a", "An organisation number is nine digits"),
        ("９７４７６０６７３", "An organisation number is nine digits"),
    ],
)
def test_invalid_organisation_numbers_are_named(number, message):
    with pytest.raises(ValidationError) as raised:
        validate_organisation_number(number)
    assert message in raised.value.messages[0]


def test_the_administrator_sets_the_publisher_and_it_is_audited(
    client, municipality, administrator
):
    client.force_login(administrator)
    page = client.get(_url(municipality)).content.decode()
    assert "Open data publisher" in page
    response = client.post(_url(municipality), _form(), follow=True)
    assert "The open data publisher was saved." in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.organisation_number == "974760673"
    assert municipality.contact_email == "apnedata@fjordvik.example"
    assert municipality.data_licence == CC_BY
    event = AuditEvent.objects.get(municipality=municipality, action="update")
    assert event.actor == administrator
    assert event.changes["organisation_number"] == "974760673"
    assert event.changes["data_licence"] == CC_BY
    # The catalogue now names it as publisher.
    catalogue = client.get(
        reverse("catalogue:municipality", args=[municipality.slug]), HTTP_ACCEPT="text/html"
    ).content.decode()
    assert "organisation number 974760673" in catalogue
    assert "Edit the open data publisher" in catalogue


def test_saving_unchanged_values_records_no_event(client, municipality, administrator):
    client.force_login(administrator)
    client.post(_url(municipality), _form())
    client.post(_url(municipality), _form())
    assert AuditEvent.objects.filter(municipality=municipality, action="update").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation_number": "974760674"}, "is not a valid organisation number"),
        ({"organisation_number": "1234"}, "An organisation number is nine digits"),
        ({"contact_email": "not an address"}, "Enter a valid email address."),
        ({"data_licence": "http://example.org/my-licence"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_named_and_changes_nothing(
    client, municipality, administrator, changes, message
):
    client.force_login(administrator)
    response = client.post(_url(municipality), _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.organisation_number == ""
    assert municipality.data_licence == NLOD
    assert not AuditEvent.objects.filter(municipality=municipality, action="update").exists()


def test_an_editor_or_another_municipalitys_administrator_may_not(
    client, municipality, other_municipality, editor
):
    client.force_login(editor)
    assert client.post(_url(municipality), _form()).status_code == 403
    client.force_login(member(other_municipality, "administrator"))
    assert client.post(_url(municipality), _form()).status_code == 403
    client.logout()
    assert client.get(_url(municipality)).status_code == 302
    municipality.refresh_from_db()
    assert municipality.organisation_number == ""
