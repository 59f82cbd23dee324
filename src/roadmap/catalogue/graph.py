"""The data catalogue as RDF (DCAT-AP 3.0.1 and DCAT-AP-NO 2.0), built with rdflib.

Every node has a hash address under the document that describes it (`/m/<slug>/catalogue/#
observations`), so each document and each page stands alone: a harvester resolves any address
it meets to the document that holds its description. The EU vocabulary terms used are typed and
labelled in the graph too, as the profiles' shapes check the class of every term.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS
from rdflib.term import Node

from roadmap.core.spreadsheet import XLSX_CONTENT_TYPE
from roadmap.municipalities.models import DataLicence, Municipality

from . import api_links
from .selectors import CatalogueEntry, ConceptRef, DatasetFacts, WorkshopExport

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
COUNTRY = Namespace(EU + "country/")
# KS's national vocabulary of the U4SSC indicators, whose concepts the observations are of.
NATIONAL_SCHEME = URIRef("https://data.norge.no/vocabulary/indicator/U4SSC")
# The municipality's country → the EU country vocabulary, so harvesters can place the data
# even where they do not know the municipality's own address.
EU_COUNTRIES = {
    "NO": "NOR",
    "SE": "SWE",
    "DK": "DNK",
    "FI": "FIN",
    "IS": "ISL",
    "FO": "FRO",
    "GL": "GRL",
    "AX": "ALA",
}
IANA = "https://www.iana.org/assignments/media-types/"
# Brønnøysund has no organisation URIs yet; DCAT-AP-NO names these until it does.
NORWEGIAN_ORGANISATION = "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/"

# The language codes of the interface → the EU language vocabulary.
EU_LANGUAGES = {
    "en": "ENG",
    "nb": "NOB",
    "nn": "NNO",
    "sv": "SWE",
    "da": "DAN",
    "fi": "FIN",
    "is": "ISL",
}

# Each EU term used, with its English label, the class the profiles expect of it, and its scheme.
_TERMS: dict[URIRef, tuple[str, URIRef, str]] = {
    DATA_THEME.GOVE: ("Government and public sector", SKOS.Concept, "data-theme"),
    DATA_THEME.ENVI: ("Environment", SKOS.Concept, "data-theme"),
    DATA_THEME.SOCI: ("Population and society", SKOS.Concept, "data-theme"),
    DATA_THEME.TECH: ("Science and technology", SKOS.Concept, "data-theme"),
    FREQUENCY.ANNUAL: ("annual", DCTERMS.Frequency, "frequency"),
    FREQUENCY.IRREG: ("irregular", DCTERMS.Frequency, "frequency"),
    FREQUENCY.UPDATE_CONT: ("continuously updated", DCTERMS.Frequency, "frequency"),
    FILE_TYPE.CSV: ("CSV", DCTERMS.MediaTypeOrExtent, "file-type"),
    FILE_TYPE.XLSX: ("XLSX", DCTERMS.MediaTypeOrExtent, "file-type"),
    FILE_TYPE.JSON: ("JSON", DCTERMS.MediaTypeOrExtent, "file-type"),
    ACCESS_RIGHT.PUBLIC: ("public", DCTERMS.RightsStatement, "access-right"),
    URIRef(DataLicence.NLOD_2_0): (
        "Norwegian Licence for Open Government Data 2.0",
        DCTERMS.LicenseDocument,
        "licence",
    ),
    URIRef(DataLicence.CC_BY_4_0): (
        "Creative Commons Attribution 4.0 International",
        DCTERMS.LicenseDocument,
        "licence",
    ),
    **{
        LANGUAGE[code]: (code, DCTERMS.LinguisticSystem, "language")
        for code in EU_LANGUAGES.values()
    },
    **{COUNTRY[code]: (code, DCTERMS.Location, "country") for code in EU_COUNTRIES.values()},
}
_SCHEME_TITLES = {
    "data-theme": "Data theme",
    "frequency": "Frequency",
    "file-type": "File type",
    "access-right": "Access right",
    "licence": "Licence",
    "language": "Language",
    "country": "Country",
}


# A text to translate: marked with gettext_lazy where it is defined, translated per language.
Text = str | Promise


@dataclass(frozen=True)
class FileSpec:
    """A download the municipality's pages already offer (a URL name with the municipality)."""

    url_name: str
    file_type: URIRef
    media_type: str


@dataclass(frozen=True)
class DatasetSpec:
    kind: str
    title: Text
    description: Text
    keywords: tuple[Text, ...]
    themes: tuple[URIRef, ...]
    frequency: URIRef
    landing_page: str
    files: tuple[FileSpec, ...] = ()


CSV_TYPE, JSON_TYPE = "text/csv", "application/json"

DATASETS = (
    DatasetSpec(
        kind="observations",
        title=_("Impact indicators of %(municipality)s"),
        description=_(
            "Observations of the U4SSC key performance indicators and of the municipality's "
            "own indicators: the value for each period, its source and data quality."
        ),
        keywords=(_("indicators"), "U4SSC", _("sustainable development"), _("smart city")),
        themes=(DATA_THEME.GOVE, DATA_THEME.ENVI),
        frequency=FREQUENCY.ANNUAL,
        landing_page="indicators:profile",
        files=(
            FileSpec("indicators:export_csv", FILE_TYPE.CSV, CSV_TYPE),
            FileSpec("indicators:export_xlsx", FILE_TYPE.XLSX, XLSX_CONTENT_TYPE),
        ),
    ),
    DatasetSpec(
        kind="initiatives",
        title=_("Smart city initiatives of %(municipality)s"),
        description=_(
            "The municipality's public initiatives: status, partners, pilots, barriers met, "
            "lessons learnt and the indicators they expect to move."
        ),
        keywords=(_("initiatives"), _("smart city"), _("innovation")),
        themes=(DATA_THEME.GOVE, DATA_THEME.TECH),
        frequency=FREQUENCY.IRREG,
        landing_page="initiatives:list",
    ),
    DatasetSpec(
        kind="assessments",
        title=_("Assessments of the initiatives of %(municipality)s against the principles"),
        description=_(
            "Final assessments of the public initiatives against the principles of the Nordic "
            "Smart City Roadmap: a maturity level from 0 to 4 per principle, with evidence."
        ),
        keywords=(_("assessments"), _("principles"), _("maturity")),
        themes=(DATA_THEME.GOVE,),
        frequency=FREQUENCY.IRREG,
        landing_page="municipalities:dashboard",
        files=(
            FileSpec("municipalities:assessments_csv", FILE_TYPE.CSV, CSV_TYPE),
            FileSpec("municipalities:assessments_xlsx", FILE_TYPE.XLSX, XLSX_CONTENT_TYPE),
        ),
    ),
    DatasetSpec(
        kind="proposals",
        title=_("Residents' proposals to %(municipality)s"),
        description=_(
            "Proposals published in the municipality's participatory processes, with their "
            "status, supports and the municipality's answers."
        ),
        keywords=(_("participation"), _("proposals"), _("democracy")),
        themes=(DATA_THEME.GOVE, DATA_THEME.SOCI),
        frequency=FREQUENCY.UPDATE_CONT,
        landing_page="participation:process_list",
    ),
    DatasetSpec(
        kind="workshops",
        title=_("Workshop outcomes of %(municipality)s"),
        description=_(
            "The outcomes of the municipality's open digital workshops: the themes participants "
            "grouped their notes into, and the syntheses of each prompt."
        ),
        keywords=(_("participation"), _("workshops"), _("co-creation")),
        themes=(DATA_THEME.GOVE, DATA_THEME.SOCI),
        frequency=FREQUENCY.UPDATE_CONT,
        landing_page="participation:process_list",
    ),
)
WORKSHOP_FILE_TITLE = _("Themes of the workshop “%(workshop)s”")
WORKSHOP_FILES = (
    FileSpec("workshops:export_themes", FILE_TYPE.CSV, CSV_TYPE),
    FileSpec("workshops:export_themes_xlsx", FILE_TYPE.XLSX, XLSX_CONTENT_TYPE),
)


def workshop_files(
    municipality: Municipality, workshop: WorkshopExport
) -> list[tuple[FileSpec, str]]:
    """The theme downloads a workshop's page offers, with their paths."""
    kwargs = {
        "municipality": municipality.slug,
        "process": workshop.process_slug,
        "phase": workshop.phase_pk,
    }
    return [(file, reverse(file.url_name, kwargs=kwargs)) for file in WORKSHOP_FILES]


FILE_LABELS = {
    FILE_TYPE.CSV: pgettext_lazy("file format", "CSV"),
    FILE_TYPE.XLSX: pgettext_lazy("file format", "Excel workbook (XLSX)"),
    FILE_TYPE.JSON: pgettext_lazy("file format", "JSON through the API"),
}


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    graph.bind("hydra", HYDRA)
    return graph


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _texts(text: Text, **params: str) -> Iterable[Literal]:
    """A translated text as one literal per language the platform offers."""
    for code in _languages():
        with translation.override(code):
            yield Literal(str(text) % params if params else str(text), lang=code)


class TripleList(Graph):
    """A graph that only collects what is added, in order, for writing out as N-Triples: the
    full dump is too large to index triples it never reads back."""

    def __init__(self) -> None:
        super().__init__(bind_namespaces="none")
        self.collected: list[tuple[Node, Node, Node]] = []

    def add(self, triple: tuple[Node, Node, Node]) -> TripleList:  # collects, indexes nothing
        self.collected.append(triple)
        return self

    def ntriples(self) -> str:
        # N-Triples is Turtle too, so these lines may follow the dump's Turtle header.
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self.collected)


def _date(value: datetime.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _datetime(value: datetime.datetime) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


class CatalogueBuilder:
    """Adds catalogue nodes to one graph; `base` is the site's address without a final slash."""

    def __init__(self, base: str, graph: Graph | None = None) -> None:
        self.base = base.rstrip("/")
        self.graph = new_graph() if graph is None else graph
        self.terms: set[URIRef] = set()
        # id(text) → (text, its literals): the text is kept so its id is never reused meanwhile.
        self._translations: dict[tuple[int, str], tuple[Text, list[Literal]]] = {}

    def add_texts(self, subject: URIRef, predicate: URIRef, text: Text, **params: str) -> None:
        """A translated text in every language; each text is translated once per builder."""
        key = (id(text), repr(sorted(params.items())))
        if key not in self._translations:
            self._translations[key] = (text, list(_texts(text, **params)))
        for literal in self._translations[key][1]:
            self.graph.add((subject, predicate, literal))

    def url(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def network_document(self) -> str:
        return self.base + reverse("catalogue:network")

    def municipality_document(self, municipality: Municipality) -> str:
        return self.base + reverse("catalogue:municipality", args=[municipality.slug])

    def _typed(self, resource: URIRef, kind: URIRef) -> URIRef:
        """A resource with the class the shapes expect of it (they infer none)."""
        self.graph.add((resource, RDF.type, kind))
        return resource

    def term(self, term: URIRef) -> URIRef:
        self.terms.add(term)
        return term

    # The platform: its operator and the API -------------------------------------------------

    @property
    def operator(self) -> URIRef:
        return URIRef(self.network_document() + "#operator")

    @property
    def service(self) -> URIRef:
        return URIRef(self.network_document() + "#api")

    def add_operator(self) -> URIRef:
        graph, operator = self.graph, self.operator
        graph.add((operator, RDF.type, FOAF.Agent))
        graph.add((operator, FOAF.name, Literal(settings.CATALOGUE_OPERATOR_NAME)))
        graph.add((operator, DCTERMS.identifier, Literal(str(operator))))
        self._add_contact(
            URIRef(self.network_document() + "#contact"),
            settings.CATALOGUE_OPERATOR_NAME,
            settings.CATALOGUE_CONTACT_EMAIL,
            self.base + "/",
        )
        return operator

    def add_service(self, datasets: Iterable[URIRef]) -> URIRef:
        """The API as a data service, serving the datasets given."""
        graph, service = self.graph, self.service
        graph.add((service, RDF.type, DCAT.DataService))
        graph.add((service, DCTERMS.identifier, Literal(str(service))))
        self.add_texts(service, DCTERMS.title, _("Nordic Smart City Roadmap open API"))
        self.add_texts(
            service,
            DCTERMS.description,
            _("Read access to everything public on the platform, as JSON, described in OpenAPI 3."),
        )
        graph.add(
            (
                service,
                DCAT.endpointURL,
                self._typed(self.url(api_links.api_endpoint()), RDFS.Resource),
            )
        )
        graph.add(
            (
                service,
                DCAT.endpointDescription,
                self._typed(self.url(api_links.api_description()), RDFS.Resource),
            )
        )
        graph.add((service, DCTERMS.publisher, self.add_operator()))
        graph.add((service, DCAT.contactPoint, URIRef(self.network_document() + "#contact")))
        graph.add((service, DCTERMS.format, self.term(FILE_TYPE.JSON)))
        graph.add((service, DCTERMS.license, self.term(URIRef(DataLicence.NLOD_2_0))))
        graph.add((service, DCTERMS.accessRights, self.term(ACCESS_RIGHT.PUBLIC)))
        for dataset in datasets:
            graph.add((service, DCAT.servesDataset, dataset))
        return service

    # A municipality: publisher, contact point, datasets ---------------------------------------

    def publisher(self, municipality: Municipality) -> URIRef:
        if municipality.organisation_number:
            return URIRef(NORWEGIAN_ORGANISATION + municipality.organisation_number)
        return URIRef(self.municipality_document(municipality) + "#publisher")

    def _add_publisher(self, municipality: Municipality) -> URIRef:
        graph, publisher = self.graph, self.publisher(municipality)
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, FOAF.name, Literal(municipality.name)))
        identifier = municipality.organisation_number or str(publisher)
        graph.add((publisher, DCTERMS.identifier, Literal(identifier)))
        if municipality.website:
            graph.add(
                (publisher, FOAF.homepage, self._typed(URIRef(municipality.website), FOAF.Document))
            )
        return publisher

    def _add_contact(self, contact: URIRef, name: str, email: str, url: str) -> None:
        graph = self.graph
        # Typed as the subclass and its class: the shapes check the class without inference.
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(name)))
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + email)))
        if url:
            graph.add((contact, VCARD.hasURL, URIRef(url)))

    def _municipality_contact(self, municipality: Municipality) -> URIRef | None:
        if not municipality.contact_email:
            return None
        contact = URIRef(self.municipality_document(municipality) + "#contact")
        self._add_contact(
            contact, municipality.name, municipality.contact_email, municipality.website
        )
        return contact

    def languages_of(self, municipality: Municipality) -> list[URIRef]:
        codes = [EU_LANGUAGES[code] for code in municipality.languages if code in EU_LANGUAGES]
        return [self.term(LANGUAGE[code]) for code in codes or ["ENG"]]

    def _country_of(self, municipality: Municipality) -> list[URIRef]:
        code = EU_COUNTRIES.get(municipality.country)
        return [self.term(COUNTRY[code])] if code else []

    def add_municipality(self, entry: CatalogueEntry) -> list[URIRef]:
        """The municipality's five datasets with their distributions; returns the datasets."""
        municipality = entry.municipality
        document = self.municipality_document(municipality)
        publisher = self._add_publisher(municipality)
        contact = self._municipality_contact(municipality)
        place = self.url(reverse("municipalities:home", args=[municipality.slug]))
        self.graph.add((place, RDF.type, DCTERMS.Location))
        self.graph.add((place, SKOS.prefLabel, Literal(municipality.name)))
        context = _DatasetContext(
            document=document,
            municipality=municipality,
            publisher=publisher,
            contact=contact,
            places=[place, *self._country_of(municipality)],
            languages=self.languages_of(municipality),
            licence=self.term(URIRef(municipality.data_licence)),
            workshops=entry.workshops,
            concepts=entry.concepts,
        )
        return [self._add_dataset(spec, entry.datasets[spec.kind], context) for spec in DATASETS]

    def _add_dataset(
        self, spec: DatasetSpec, facts: DatasetFacts, context: _DatasetContext
    ) -> URIRef:
        graph = self.graph
        municipality = context.municipality
        dataset = URIRef(f"{context.document}#{spec.kind}")
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
        self.add_texts(dataset, DCTERMS.title, spec.title, municipality=municipality.name)
        self.add_texts(dataset, DCTERMS.description, spec.description)
        for keyword in spec.keywords:
            self.add_texts(dataset, DCAT.keyword, keyword)
        for theme in spec.themes:
            graph.add((dataset, DCAT.theme, self.term(theme)))
        if spec.kind == "observations":
            for concept in context.concepts:
                graph.add((dataset, DCTERMS.subject, self._add_national_concept(concept)))
        graph.add((dataset, DCTERMS.publisher, context.publisher))
        if context.contact:
            graph.add((dataset, DCAT.contactPoint, context.contact))
        graph.add((dataset, DCTERMS.accrualPeriodicity, self.term(spec.frequency)))
        graph.add((dataset, DCTERMS.accessRights, self.term(ACCESS_RIGHT.PUBLIC)))
        for place in context.places:
            graph.add((dataset, DCTERMS.spatial, place))
        for language in context.languages:
            graph.add((dataset, DCTERMS.language, language))
        landing = reverse(spec.landing_page, args=[municipality.slug])
        graph.add((dataset, DCAT.landingPage, self._typed(self.url(landing), FOAF.Document)))
        if facts.modified:
            graph.add((dataset, DCTERMS.modified, _datetime(facts.modified)))
        if facts.first and facts.last:
            period = URIRef(f"{context.document}#{spec.kind}-period")
            graph.add((dataset, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, _date(facts.first)))
            graph.add((period, DCAT.endDate, _date(facts.last)))
        for file in spec.files:
            address = self.url(reverse(file.url_name, args=[municipality.slug]))
            self._add_distribution(dataset, spec.kind, address, file, context)
        if spec.kind == "workshops":
            for workshop in context.workshops:
                for file, path in workshop_files(municipality, workshop):
                    label = f"workshops-{workshop.phase_pk}"
                    title = (WORKSHOP_FILE_TITLE, {"workshop": workshop.title})
                    self._add_distribution(
                        dataset, label, self.url(path), file, context, title=title
                    )
        api = FileSpec("", FILE_TYPE.JSON, JSON_TYPE)
        address = self.url(api_links.api_list(spec.kind, municipality.slug))
        # The API pages its answer: an access address, not one file to download.
        distribution = self._add_distribution(
            dataset, spec.kind, address, api, context, download=False
        )
        graph.add((distribution, DCAT.accessService, self.service))
        return dataset

    def _add_national_concept(self, concept: ConceptRef) -> URIRef:
        """A KS concept, labelled as KS does, so a harvester joins on its URI or notation.
        dct:subject is DCAT-AP-NO's link from a dataset to its concepts; DCAT-AP allows it."""
        graph = self.graph
        node = URIRef(concept.uri)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(concept.title, lang="en")))
        graph.add((node, SKOS.notation, Literal(concept.notation)))
        graph.add((node, SKOS.inScheme, NATIONAL_SCHEME))
        graph.add((NATIONAL_SCHEME, RDF.type, SKOS.ConceptScheme))
        graph.add((NATIONAL_SCHEME, DCTERMS.title, Literal("U4SSC", lang="en")))
        return node

    def _add_distribution(
        self,
        dataset: URIRef,
        kind: str,
        address: URIRef,
        file: FileSpec,
        context: _DatasetContext,
        *,
        download: bool = True,
        title: tuple[Text, dict[str, str]] | None = None,
    ) -> URIRef:
        graph = self.graph
        label = str(file.file_type).rsplit("/", 1)[-1].lower()
        distribution = URIRef(f"{context.document}#{kind}-{label}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        text, params = title or (FILE_LABELS[file.file_type], {})
        self.add_texts(distribution, DCTERMS.title, text, **params)
        graph.add((distribution, DCAT.accessURL, address))
        if download:
            graph.add((distribution, DCAT.downloadURL, address))
        graph.add((distribution, DCTERMS.format, self.term(file.file_type)))
        media_type = self._typed(URIRef(IANA + file.media_type), DCTERMS.MediaType)
        graph.add((distribution, DCAT.mediaType, media_type))
        graph.add((distribution, DCTERMS.license, context.licence))
        return distribution

    # Catalogues ---------------------------------------------------------------------------------

    def add_catalogue(
        self,
        catalogue: URIRef,
        *,
        title: Iterable[Literal],
        description: Iterable[Literal],
        publisher: URIRef,
        contact: URIRef | None,
        homepage: str,
        datasets: Iterable[URIRef],
        languages: Iterable[URIRef],
        licence: URIRef,
        modified: datetime.datetime | None,
    ) -> None:
        graph = self.graph
        graph.add((catalogue, RDF.type, DCAT.Catalog))
        graph.add((catalogue, DCTERMS.identifier, Literal(str(catalogue))))
        for literal in title:
            graph.add((catalogue, DCTERMS.title, literal))
        for literal in description:
            graph.add((catalogue, DCTERMS.description, literal))
        graph.add((catalogue, DCTERMS.publisher, publisher))
        if contact:
            graph.add((catalogue, DCAT.contactPoint, contact))
        graph.add((catalogue, FOAF.homepage, self._typed(URIRef(homepage), FOAF.Document)))
        graph.add((catalogue, DCTERMS.license, self.term(licence)))
        graph.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
        for language in languages:
            graph.add((catalogue, DCTERMS.language, language))
        if modified:
            graph.add((catalogue, DCTERMS.modified, _datetime(modified)))
        for dataset in datasets:
            graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((catalogue, DCAT.service, self.service))

    def add_terms(self) -> None:
        """Type and label every EU term used, and its scheme, so the graph validates alone."""
        graph = self.graph
        self.terms.add(URIRef(EU + "data-theme"))
        for term in sorted(self.terms):
            if term == URIRef(EU + "data-theme"):
                continue
            label, kind, scheme_name = _TERMS[term]
            scheme = URIRef(EU + scheme_name)
            graph.add((term, RDF.type, SKOS.Concept))
            graph.add((term, RDF.type, kind))
            graph.add((term, SKOS.prefLabel, Literal(label, lang="en")))
            graph.add((term, SKOS.inScheme, scheme))
            graph.add((scheme, RDF.type, SKOS.ConceptScheme))
            graph.add((scheme, DCTERMS.title, Literal(_SCHEME_TITLES[scheme_name], lang="en")))

    def add_paging(
        self,
        page_url: str,
        *,
        first: str,
        last: str,
        previous: str | None,
        next_: str | None,
        total: int,
        per_page: int,
    ) -> None:
        """Hydra paging, in the current terms and the legacy ones harvesters still read."""
        graph = self.graph
        page = URIRef(page_url)
        graph.add((URIRef(self.network_document() + "#catalogue"), HYDRA.view, page))
        graph.add((page, RDF.type, HYDRA.PartialCollectionView))
        graph.add((page, RDF.type, HYDRA.PagedCollection))
        graph.add((page, HYDRA.totalItems, Literal(total)))
        graph.add((page, HYDRA.itemsPerPage, Literal(per_page)))
        for current, legacy, address in (
            (HYDRA.first, HYDRA.firstPage, first),
            (HYDRA.last, HYDRA.lastPage, last),
            (HYDRA.previous, HYDRA.previousPage, previous),
            (HYDRA.next, HYDRA.nextPage, next_),
        ):
            if address:
                graph.add((page, current, URIRef(address)))
                graph.add((page, legacy, URIRef(address)))


@dataclass(frozen=True)
class _DatasetContext:
    document: str
    municipality: Municipality
    publisher: URIRef
    contact: URIRef | None
    places: list[URIRef]
    languages: list[URIRef]
    licence: URIRef
    workshops: list[WorkshopExport]
    concepts: list[ConceptRef]


def _latest(entries: Iterable[CatalogueEntry]) -> datetime.datetime | None:
    changes = [
        facts.modified
        for entry in entries
        for facts in entry.datasets.values()
        if facts.modified is not None
    ]
    return max(changes, default=None)


def municipality_graph(base: str, entry: CatalogueEntry) -> Graph:
    """One municipality's catalogue: its datasets, the API serving them, its publisher."""
    builder = CatalogueBuilder(base)
    municipality = entry.municipality
    datasets = builder.add_municipality(entry)
    builder.add_service(datasets)
    document = builder.municipality_document(municipality)
    builder.add_catalogue(
        URIRef(document + "#catalogue"),
        title=_texts(_("Open data of %(municipality)s"), municipality=municipality.name),
        description=_texts(
            _(
                "The datasets %(municipality)s publishes on the Nordic Smart City Roadmap "
                "platform: indicators, initiatives, assessments and participation."
            ),
            municipality=municipality.name,
        ),
        publisher=builder.publisher(municipality),
        contact=URIRef(document + "#contact") if municipality.contact_email else None,
        homepage=builder.base + reverse("municipalities:home", args=[municipality.slug]),
        datasets=datasets,
        languages=builder.languages_of(municipality),
        licence=URIRef(municipality.data_licence),
        modified=_latest([entry]),
    )
    builder.add_terms()
    return builder.graph


@dataclass(frozen=True)
class Paging:
    """Addresses of a page of the network catalogue and of its neighbours."""

    page: str
    first: str
    last: str
    previous: str | None
    next: str | None
    total: int
    per_page: int


def _network_catalogue(
    builder: CatalogueBuilder, datasets: list[URIRef], modified: datetime.datetime | None
) -> None:
    builder.add_operator()
    builder.add_catalogue(
        URIRef(builder.network_document() + "#catalogue"),
        title=_texts(_("Nordic Smart City Roadmap: open data of the municipalities")),
        description=_texts(
            _(
                "Every municipality's datasets on the platform: impact indicators, initiatives, "
                "assessments against the principles, residents' proposals and workshop outcomes."
            )
        ),
        publisher=builder.operator,
        contact=URIRef(builder.network_document() + "#contact"),
        homepage=builder.base + "/",
        datasets=datasets,
        languages=[builder.term(LANGUAGE[EU_LANGUAGES[code]]) for code in _languages()],
        licence=URIRef(DataLicence.NLOD_2_0),
        modified=modified,
    )


def network_graph(base: str, entries: list[CatalogueEntry], paging: Paging) -> Graph:
    """A page of the network catalogue, complete in itself: its municipalities' datasets with
    their publishers, the catalogue, the API and the links to the other pages."""
    builder = CatalogueBuilder(base)
    datasets = [dataset for entry in entries for dataset in builder.add_municipality(entry)]
    builder.add_service(datasets)
    _network_catalogue(builder, datasets, _latest(entries))
    builder.add_paging(
        paging.page,
        first=paging.first,
        last=paging.last,
        previous=paging.previous,
        next_=paging.next,
        total=paging.total,
        per_page=paging.per_page,
    )
    builder.add_terms()
    return builder.graph


def network_turtle_chunks(base: str, chunks: Iterable[list[CatalogueEntry]]) -> Iterable[str]:
    """The whole network catalogue as Turtle: a header with the catalogue, the operator and the
    API, then each chunk of municipalities as N-Triples lines (valid Turtle, and far quicker to
    write). Turtle lets a subject's statements come in several places, so nothing is merged."""
    builder = CatalogueBuilder(base)
    builder.add_service([])
    _network_catalogue(builder, [], None)
    builder.add_terms()
    yield builder.graph.serialize(format="turtle")
    catalogue = URIRef(builder.network_document() + "#catalogue")
    for entries in chunks:
        builder.graph = triples = TripleList()
        builder.terms.clear()
        for entry in entries:
            for dataset in builder.add_municipality(entry):
                triples.add((catalogue, DCAT.dataset, dataset))
                triples.add((builder.service, DCAT.servesDataset, dataset))
        builder.add_terms()
        yield triples.ntriples()


@dataclass(frozen=True)
class DatasetLine:
    """A dataset as the HTML page lists it."""

    title: str
    description: str
    landing_page: str
    downloads: list[tuple[str, str]]
    facts: DatasetFacts


@dataclass(frozen=True)
class DescribedEntry:
    municipality: Municipality
    datasets: list[DatasetLine]


def described(entries: Iterable[CatalogueEntry]) -> list[DescribedEntry]:
    """The same datasets and downloads as the RDF, for people, in the current language."""
    result = []
    for entry in entries:
        slug = entry.municipality.slug
        lines = [
            DatasetLine(
                title=str(spec.title) % {"municipality": entry.municipality.name},
                description=str(spec.description),
                landing_page=reverse(spec.landing_page, args=[slug]),
                downloads=[
                    (str(FILE_LABELS[file.file_type]), reverse(file.url_name, args=[slug]))
                    for file in spec.files
                ]
                + [
                    (
                        f"{WORKSHOP_FILE_TITLE % {'workshop': workshop.title}} "
                        f"({FILE_LABELS[file.file_type]})",
                        path,
                    )
                    for workshop in (entry.workshops if spec.kind == "workshops" else [])
                    for file, path in workshop_files(entry.municipality, workshop)
                ]
                + [(str(FILE_LABELS[FILE_TYPE.JSON]), api_links.api_list(spec.kind, slug))],
                facts=entry.datasets[spec.kind],
            )
            for spec in DATASETS
        ]
        result.append(DescribedEntry(entry.municipality, lines))
    return result
