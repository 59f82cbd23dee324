"""Every JSON distribution the catalogue names is an API list that answers with that
municipality's rows."""

import pytest

from roadmap.catalogue.api_links import api_description, api_endpoint, api_list
from roadmap.catalogue.graph import DATASETS
from roadmap.initiatives.models import Visibility
from tests.factories import InitiativeFactory


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [spec.kind for spec in DATASETS])
def test_each_dataset_links_to_an_api_list_that_answers(client, municipality, kind):
    response = client.get(api_list(kind, municipality.slug), HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert "results" in response.json()


@pytest.mark.django_db
def test_the_initiatives_link_lists_only_that_municipalitys_public_initiatives(
    client, municipality, other_municipality
):
    InitiativeFactory(municipality=municipality, title="Harbour heat", visibility=Visibility.PUBLIC)
    InitiativeFactory(municipality=other_municipality, title="Elsewhere")

    rows = client.get(api_list("initiatives", municipality.slug)).json()["results"]

    assert [row["title"] for row in rows] == ["Harbour heat"]


@pytest.mark.django_db
def test_the_data_service_points_at_the_api_and_its_schema(client):
    assert api_endpoint() == "/api/v1/"
    assert client.get(api_description()).status_code == 200
