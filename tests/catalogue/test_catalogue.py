"""The data catalogue: what a harvester reads, checked with rdflib on the graph (the SHACL
validation against the published shapes is `make catalogue-check`, which needs the shared
standards folder)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from roadmap.catalogue import selectors
from roadmap.indicators.models import Indicator, Observation
from roadmap.municipalities.models import DataLicence
from roadmap.workshops.models import Workshop
from tests.factories import FinalAssessmentFactory, InitiativeFactory, MunicipalityFactory
from tests.participation.factories import ProcessFactory, ProposalFactory
from tests.workshops.factories import NoteFactory, PromptFactory, WorkshopFactory

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"
BASE = "http://testserver"
KINDS = ("observations", "initiatives", "assessments", "proposals", "workshops")


def dataset(slug: str, kind: str) -> URIRef:
    return URIRef(f"{BASE}/m/{slug}/catalogue/#{kind}")


def fetch(client: Client, path: str, accept: str = "text/turtle", rdf_format: str = "turtle"):
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.content
    return Graph().parse(data=response.content.decode(), format=rdf_format)


def texts(graph: Graph, subject, predicate) -> dict[str, str]:
    return {literal.language: str(literal) for literal in graph.objects(subject, predicate)}


@pytest.fixture
def publishing(municipality):
    municipality.name = "Fjordvik kommune"
    municipality.organisation_number = "974760673"
    municipality.contact_email = "apnedata@fjordvik.example"
    municipality.website = "https://fjordvik.example/"
    municipality.data_licence = DataLicence.CC_BY_4_0
    municipality.save()
    indicator = Indicator.objects.filter(municipality__isnull=True).first()
    for year, value in ((2019, 40.0), (2024, 55.0)):
        Observation.objects.create(
            municipality=municipality,
            indicator=indicator,
            period=datetime.date(year, 1, 1),
            value=value,
        )
    public = InitiativeFactory(municipality=municipality, visibility="public")
    InitiativeFactory(municipality=municipality, visibility="internal")
    FinalAssessmentFactory(initiative=public, assessed_on=datetime.date(2025, 3, 1))
    ProposalFactory(phase__process=ProcessFactory(municipality=municipality))
    ProposalFactory(phase__process=ProcessFactory(municipality=municipality, is_published=False))
    prompt = PromptFactory(workshop=WorkshopFactory(phase__process__municipality=municipality))
    NoteFactory(prompt=prompt)
    return municipality


def test_the_municipality_catalogue_has_every_required_property(client, publishing):
    graph = fetch(client, "/m/fjordvik/catalogue/")
    document = f"{BASE}/m/fjordvik/catalogue/"
    catalogue = URIRef(document + "#catalogue")
    publisher = URIRef(
        "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673"
    )
    contact = URIRef(document + "#contact")
    assert (catalogue, RDF.type, DCAT.Catalog) in graph
    assert texts(graph, catalogue, DCTERMS.title)["en"] == "Open data of Fjordvik kommune"
    assert graph.value(catalogue, DCTERMS.description)
    assert graph.value(catalogue, DCTERMS.identifier) == Literal(str(catalogue))
    assert graph.value(catalogue, DCTERMS.publisher) == publisher
    assert graph.value(catalogue, DCAT.contactPoint) == contact
    assert set(graph.objects(catalogue, DCAT.dataset)) == {dataset("fjordvik", k) for k in KINDS}
    # The publisher: its organisation number, name and home page.
    assert graph.value(publisher, FOAF.name) == Literal("Fjordvik kommune")
    assert graph.value(publisher, DCTERMS.identifier) == Literal("974760673")
    assert graph.value(publisher, FOAF.homepage) == URIRef("https://fjordvik.example/")
    # The contact point is a vCard organisation with a name and an e-mail address.
    assert (contact, RDF.type, VCARD.Organization) in graph
    assert graph.value(contact, VCARD.fn) == Literal("Fjordvik kommune")
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:apnedata@fjordvik.example")


def test_each_dataset_says_what_it_holds_who_publishes_it_and_under_which_licence(
    client, publishing
):
    graph = fetch(client, "/m/fjordvik/catalogue/")
    licence = URIRef(EU + "licence/CC_BY_4_0")
    for kind in KINDS:
        item = dataset("fjordvik", kind)
        assert (item, RDF.type, DCAT.Dataset) in graph
        assert graph.value(item, DCTERMS.title), kind
        assert graph.value(item, DCTERMS.description), kind
        assert graph.value(item, DCTERMS.identifier) == Literal(str(item))
        assert graph.value(item, DCTERMS.publisher).endswith("/974760673")
        assert graph.value(item, DCAT.contactPoint) == URIRef(
            f"{BASE}/m/fjordvik/catalogue/#contact"
        )
        assert URIRef(EU + "data-theme/GOVE") in set(graph.objects(item, DCAT.theme))
        assert set(graph.objects(item, DCTERMS.language)) == {
            URIRef(EU + "language/NOB"),
            URIRef(EU + "language/ENG"),
        }
        assert set(graph.objects(item, DCTERMS.spatial)) == {
            URIRef(f"{BASE}/m/fjordvik/"),
            URIRef(EU + "country/NOR"),
        }
        assert graph.value(item, DCTERMS.accrualPeriodicity).startswith(EU + "frequency/")
        assert list(graph.objects(item, DCAT.keyword))
        distributions = list(graph.objects(item, DCAT.distribution))
        assert distributions, kind
        for distribution in distributions:
            assert graph.value(distribution, DCAT.accessURL), distribution
            assert graph.value(distribution, DCTERMS.license) == licence
    observations = dataset("fjordvik", "observations")
    assert texts(graph, observations, DCTERMS.title) == {
        "en": "Impact indicators of Fjordvik kommune",
        "nb": "Effektindikatorer for Fjordvik kommune",
    }
    assert {str(keyword) for keyword in graph.objects(observations, DCAT.keyword)} >= {
        "smart city",
        "smartby",
        "U4SSC",
    }
    assert graph.value(observations, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/ANNUAL")
    period = graph.value(observations, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(datetime.date(2019, 1, 1))
    assert graph.value(period, DCAT.endDate) == Literal(datetime.date(2024, 1, 1))


def test_distributions_are_the_downloads_the_pages_offer_and_the_api(client, publishing):
    graph = fetch(client, "/m/fjordvik/catalogue/")
    formats = {
        (str(graph.value(distribution, DCTERMS.format)).rsplit("/", 1)[1]): str(
            graph.value(distribution, DCAT.accessURL)
        )
        for distribution in graph.objects(dataset("fjordvik", "observations"), DCAT.distribution)
    }
    assert formats == {
        "CSV": f"{BASE}/m/fjordvik/indicators/export.csv",
        "XLSX": f"{BASE}/m/fjordvik/indicators/export.xlsx",
        "JSON": f"{BASE}/api/v1/observations/?municipality=fjordvik",
    }
    proposals = list(graph.objects(dataset("fjordvik", "proposals"), DCAT.distribution))
    assert [str(graph.value(item, DCAT.accessURL)) for item in proposals] == [
        f"{BASE}/api/v1/proposals/?municipality=fjordvik"
    ]
    assert graph.value(proposals[0], DCAT.accessService) == URIRef(f"{BASE}/catalogue/#api")
    # The CSV download really is there.
    assert client.get("/m/fjordvik/indicators/export.csv").status_code == 200
    # Each workshop of a published process offers its themes as CSV and XLSX.
    workshop = Workshop.objects.get(phase__process__municipality=publishing)
    phase = workshop.phase
    base = f"/m/fjordvik/processes/{phase.process.slug}/workshop/{phase.pk}"
    workshops = {
        str(graph.value(item, DCAT.accessURL)): texts(graph, item, DCTERMS.title)["en"]
        for item in graph.objects(dataset("fjordvik", "workshops"), DCAT.distribution)
    }
    title = f"Themes of the workshop “{phase.title}”"
    assert workshops == {
        f"{BASE}{base}/themes.csv": title,
        f"{BASE}{base}/themes.xlsx": title,
        f"{BASE}/api/v1/workshops/?municipality=fjordvik": "JSON through the API",
    }
    assert client.get(f"{base}/themes.csv").status_code == 200


def test_the_api_is_a_data_service_with_its_endpoint_and_description(client, publishing):
    graph = fetch(client, "/m/fjordvik/catalogue/")
    service = URIRef(f"{BASE}/catalogue/#api")
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCTERMS.title)
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{BASE}/api/v1/")
    assert graph.value(service, DCAT.endpointDescription) == URIRef(f"{BASE}/api/v1/schema/")
    assert graph.value(service, DCTERMS.identifier) == Literal(str(service))
    operator = graph.value(service, DCTERMS.publisher)
    assert graph.value(operator, FOAF.name) == Literal("Nordic Smart City Roadmap")
    contact = graph.value(service, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail)
    assert set(graph.objects(service, DCAT.servesDataset)) == {
        dataset("fjordvik", kind) for kind in KINDS
    }


def test_only_public_records_are_counted(client, publishing, other_municipality):
    InitiativeFactory(municipality=other_municipality, visibility="public")
    (entry,) = selectors.catalogue_entries([publishing])
    facts = entry.datasets
    assert facts["observations"].records == 2
    assert facts["initiatives"].records == 1  # the internal one is left out
    assert facts["assessments"].records == 1
    assert facts["proposals"].records == 1  # the draft process's is left out
    assert facts["workshops"].records == 1
    (other,) = selectors.catalogue_entries([other_municipality])
    assert other.datasets["initiatives"].records == 1
    assert other.datasets["observations"].records == 0


def test_a_municipality_without_an_organisation_number_is_its_own_publisher(client, municipality):
    graph = fetch(client, "/m/fjordvik/catalogue/")
    publisher = URIRef(f"{BASE}/m/fjordvik/catalogue/#publisher")
    assert graph.value(dataset("fjordvik", "observations"), DCTERMS.publisher) == publisher
    assert graph.value(publisher, FOAF.name) == Literal("Fjordvik")
    # Without a contact e-mail no contact point is invented.
    assert graph.value(dataset("fjordvik", "observations"), DCAT.contactPoint) is None


@pytest.mark.parametrize(
    ("accept", "content_type", "rdf_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("*/*", "text/turtle", "turtle"),
        ("text/html;q=0.5, application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_the_accept_header_chooses_the_format(client, publishing, accept, content_type, rdf_format):
    response = client.get("/m/fjordvik/catalogue/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert "Accept" in response["Vary"]
    graph = Graph().parse(data=response.content.decode(), format=rdf_format)
    assert (dataset("fjordvik", "initiatives"), RDF.type, DCAT.Dataset) in graph


def test_the_three_formats_carry_the_same_graph(client, publishing):
    turtle = fetch(client, "/m/fjordvik/catalogue.ttl")
    xml = fetch(client, "/m/fjordvik/catalogue.rdf", rdf_format="xml")
    json_ld = fetch(client, "/m/fjordvik/catalogue.jsonld", rdf_format="json-ld")
    assert len(turtle) > 100
    assert turtle.isomorphic(xml)
    assert turtle.isomorphic(json_ld)


def test_harvesters_may_ask_with_head_but_not_write(client, publishing):
    head = client.head("/m/fjordvik/catalogue/", HTTP_ACCEPT="text/turtle")
    assert head.status_code == 200
    assert head["Content-Type"] == "text/turtle; charset=utf-8"
    assert client.post("/catalogue/").status_code == 405


def test_a_suffix_wins_over_the_accept_header(client, publishing):
    response = client.get("/m/fjordvik/catalogue.rdf", HTTP_ACCEPT="text/turtle")
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"


def test_an_unsupported_accept_gets_406_naming_what_is_offered(client, publishing):
    response = client.get("/catalogue/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 406
    text = response.content.decode()
    assert "text/turtle, application/rdf+xml, application/ld+json, text/html" in text
    assert client.get("/m/fjordvik/catalogue/", HTTP_ACCEPT="image/png").status_code == 406


def test_an_unknown_municipality_or_suffix_is_not_found(client, publishing):
    assert client.get("/m/nowhere/catalogue/", HTTP_ACCEPT="text/turtle").status_code == 404
    assert client.get("/m/fjordvik/catalogue.pdf").status_code == 404


def test_the_network_catalogue_pages_with_hydra(client, db, monkeypatch):
    monkeypatch.setattr(selectors, "MUNICIPALITIES_PER_PAGE", 2)
    for name in ("Alvik", "Berg", "Dal", "Eid", "Fjell"):
        MunicipalityFactory(name=name, slug=name.lower())
    graph = fetch(client, "/catalogue/?page=2")
    page = URIRef(f"{BASE}/catalogue/?page=2")
    assert (page, RDF.type, HYDRA.PartialCollectionView) in graph
    assert (page, RDF.type, HYDRA.PagedCollection) in graph
    assert graph.value(page, HYDRA.first) == URIRef(f"{BASE}/catalogue/?page=1")
    assert graph.value(page, HYDRA.previous) == URIRef(f"{BASE}/catalogue/?page=1")
    assert graph.value(page, HYDRA.next) == URIRef(f"{BASE}/catalogue/?page=3")
    assert graph.value(page, HYDRA.last) == URIRef(f"{BASE}/catalogue/?page=3")
    assert graph.value(page, HYDRA.nextPage) == URIRef(f"{BASE}/catalogue/?page=3")
    assert graph.value(page, HYDRA.totalItems).toPython() == 25  # 5 municipalities × 5
    assert graph.value(page, HYDRA.itemsPerPage).toPython() == 10
    catalogue = URIRef(f"{BASE}/catalogue/#catalogue")
    # Page 2 holds Dal and Eid (name order), each page complete with its publishers.
    assert {str(item).split("/")[4] for item in graph.objects(catalogue, DCAT.dataset)} == {
        "dal",
        "eid",
    }
    assert graph.value(URIRef(f"{BASE}/m/dal/catalogue/#publisher"), FOAF.name) == Literal("Dal")
    assert graph.value(catalogue, DCTERMS.publisher) == URIRef(f"{BASE}/catalogue/#operator")
    last = fetch(client, "/catalogue.ttl?page=3")
    assert last.value(URIRef(f"{BASE}/catalogue.ttl?page=3"), HYDRA.next) is None


@pytest.mark.parametrize("page", ["0", "4", "two", "-1"])
def test_a_page_out_of_range_is_refused_clearly(client, db, monkeypatch, page):
    monkeypatch.setattr(selectors, "MUNICIPALITIES_PER_PAGE", 2)
    for name in ("Alvik", "Berg", "Dal", "Eid", "Fjell"):
        MunicipalityFactory(name=name, slug=name.lower())
    response = client.get(f"/catalogue/?page={page}", HTTP_ACCEPT="text/turtle")
    assert response.status_code == 400
    assert response.content.decode() == (
        f"There is no page “{page}”: give a whole number from 1 to 3."
    )


def test_the_full_catalogue_streams_every_municipality(client, db, monkeypatch):
    monkeypatch.setattr(selectors, "MUNICIPALITIES_PER_PAGE", 2)
    for name in ("Alvik", "Berg", "Dal", "Eid", "Fjell"):
        MunicipalityFactory(name=name, slug=name.lower())
    response = client.get(reverse("catalogue:network_full"))
    assert response.streaming
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=b"".join(response.streaming_content).decode(), format="turtle")
    catalogue = URIRef(f"{BASE}/catalogue/#catalogue")
    assert len(set(graph.objects(catalogue, DCAT.dataset))) == 25
    assert graph.value(catalogue, DCTERMS.title)
    service = URIRef(f"{BASE}/catalogue/#api")
    assert len(set(graph.objects(service, DCAT.servesDataset))) == 25


def _network_queries(client, django_assert_num_queries, count, accept):
    with django_assert_num_queries(count):
        assert client.get("/catalogue/", HTTP_ACCEPT=accept).status_code == 200


@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_the_catalogue_pages_cost_the_same_queries_however_many_municipalities(
    client, publishing, django_assert_num_queries, accept
):
    # A count, the page, one grouped query per dataset (observations two), the workshops and
    # the national concepts observed.
    expected = 10
    _network_queries(client, django_assert_num_queries, expected, accept)
    for name in ("Alvik", "Berg", "Dal"):
        town = MunicipalityFactory(name=name, slug=name.lower())
        InitiativeFactory(municipality=town, visibility="public")
        ProposalFactory(phase__process=ProcessFactory(municipality=town))
    _network_queries(client, django_assert_num_queries, expected, accept)
    with django_assert_num_queries(9):
        assert client.get("/m/fjordvik/catalogue/", HTTP_ACCEPT=accept).status_code == 200


def test_the_html_catalogue_lists_datasets_with_their_figures_and_downloads(client, publishing):
    response = client.get("/m/fjordvik/catalogue/", HTTP_ACCEPT="text/html")
    text = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1" in text and "Open data of Fjordvik kommune" in text
    assert "Impact indicators of Fjordvik kommune" in text
    assert "2 records" in text
    assert 'href="/m/fjordvik/indicators/export.csv"' in text
    assert 'href="/api/v1/initiatives/?municipality=fjordvik"' in text
    assert "organisation number 974760673" in text
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in text
    assert 'href="/m/fjordvik/catalogue.ttl"' in text
    # Harvesters that read the page find the RDF through its head.
    assert '<link rel="alternate" type="text/turtle" href="/m/fjordvik/catalogue.ttl">' in text
    # Only the administrator is offered the publisher settings.
    assert "Edit the open data publisher" not in text
    network = client.get("/catalogue/", HTTP_ACCEPT="text/html").content.decode()
    assert "Fjordvik kommune" in network
    assert 'href="/catalogue/full.ttl"' in network


def test_the_observations_dataset_names_the_national_concepts_it_holds(
    client, publishing, other_municipality
):
    scheme = URIRef("https://data.norge.no/vocabulary/indicator/U4SSC")
    air = Indicator.objects.get(slug="en-en-aq-1c")
    for series in ("PM10", "NO2"):
        Observation.objects.create(
            municipality=publishing,
            indicator=air,
            series=series,
            period=datetime.date(2024, 1, 1),
            value=9,
        )
    graph = fetch(client, "/m/fjordvik/catalogue/")
    concepts = set(graph.objects(dataset("fjordvik", "observations"), DCTERMS.subject))
    # The concept of each observed series (PM10, NO2) and of the fixture's household internet
    # access, a whole indicator; none of SO2, O3 or PM2.5, which are not observed.
    assert concepts == {URIRef(f"{scheme}/{number}") for number in (2150, 2205, 2206)}
    pm10 = URIRef(f"{scheme}/2205")
    assert graph.value(pm10, SKOS.notation) == Literal("EN: EN: AQ: 1C")
    assert graph.value(pm10, SKOS.prefLabel) == Literal("Air Pollution - PM 10", lang="en")
    assert graph.value(pm10, SKOS.inScheme) == scheme
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert not set(graph.objects(dataset("fjordvik", "initiatives"), DCTERMS.subject))
    # A municipality with no observations names no concept.
    other = fetch(client, "/m/elvdal/catalogue/")
    assert not set(other.objects(dataset("elvdal", "observations"), DCTERMS.subject))
