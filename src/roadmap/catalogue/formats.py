"""The RDF formats the catalogue is served in, and how a request picks one."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class RdfFormat:
    suffix: str
    media_type: str
    rdflib_name: str


TURTLE = RdfFormat("ttl", "text/turtle", "turtle")
RDF_XML = RdfFormat("rdf", "application/rdf+xml", "xml")
JSON_LD = RdfFormat("jsonld", "application/ld+json", "json-ld")
RDF_FORMATS = (TURTLE, RDF_XML, JSON_LD)
BY_SUFFIX = {rdf_format.suffix: rdf_format for rdf_format in RDF_FORMATS}
BY_MEDIA_TYPE = {rdf_format.media_type: rdf_format for rdf_format in RDF_FORMATS}
HTML = "text/html"
# Turtle first: a client that accepts anything (or sends no Accept) is most likely a harvester;
# browsers ask for text/html by name.
OFFERED = [TURTLE.media_type, RDF_XML.media_type, JSON_LD.media_type, HTML]


class NotAcceptable(Exception):
    pass


def chosen(request: HttpRequest, suffix: str | None) -> RdfFormat | None:
    """The RDF format asked for, or None for the HTML page. Raises NotAcceptable when the
    Accept header names nothing offered."""
    if suffix:
        return BY_SUFFIX[suffix]
    preferred = request.get_preferred_type(OFFERED)
    if preferred is None:
        raise NotAcceptable
    return BY_MEDIA_TYPE.get(preferred)
