from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rdflib import Graph

from roadmap.municipalities.permissions import can_administer
from roadmap.municipalities.selectors import municipality_by_slug

from . import formats, graph, selectors


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _not_acceptable() -> HttpResponse:
    offered = ", ".join(formats.OFFERED)
    return HttpResponse(
        _("This catalogue is offered as %(types)s. Ask for one of them in the Accept header.")
        % {"types": offered},
        status=406,
        content_type="text/plain; charset=utf-8",
    )


def _rdf_response(rdf: Graph, rdf_format: formats.RdfFormat) -> HttpResponse:
    options: dict[str, Any] = (
        {"auto_compact": True, "context": dict(rdf.namespaces())}
        if rdf_format is formats.JSON_LD
        else {}
    )
    body = rdf.serialize(format=rdf_format.rdflib_name, **options)
    return HttpResponse(body, content_type=f"{rdf_format.media_type}; charset=utf-8")


def _negotiated(response: HttpResponse, suffix: str | None) -> HttpResponse:
    if not suffix:
        patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def network(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    try:
        rdf_format = formats.chosen(request, suffix)
    except formats.NotAcceptable:
        return _not_acceptable()
    paginator = selectors.catalogue_paginator()
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return HttpResponse(
            _("There is no page “%(page)s”: give a whole number from 1 to %(last)s.")
            % {"page": request.GET.get("page"), "last": paginator.num_pages},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    entries = selectors.catalogue_entries(list(page.object_list))
    if rdf_format is None:
        response = render(
            request,
            "catalogue/network.html",
            {
                "page_obj": page,
                "entries": graph.described(entries),
                "format_query": f"?page={page.number}" if page.number > 1 else "",
            },
        )
        return _negotiated(response, suffix)
    address = request.build_absolute_uri(request.path)

    def page_address(number: int) -> str:
        return f"{address}?page={number}"

    paging = graph.Paging(
        page=page_address(page.number),
        first=page_address(1),
        last=page_address(paginator.num_pages),
        previous=page_address(page.previous_page_number()) if page.has_previous() else None,
        next=page_address(page.next_page_number()) if page.has_next() else None,
        # Items are datasets: every municipality has the same few.
        total=paginator.count * len(selectors.DATASET_KINDS),
        per_page=paginator.per_page * len(selectors.DATASET_KINDS),
    )
    rdf = graph.network_graph(_base(request), entries, paging)
    return _negotiated(_rdf_response(rdf, rdf_format), suffix)


@require_safe
def network_full(request: HttpRequest) -> StreamingHttpResponse:
    """Every municipality in one Turtle document, streamed, for harvesters that take a dump."""
    chunks = graph.network_turtle_chunks(_base(request), selectors.municipality_chunks())
    return StreamingHttpResponse(chunks, content_type="text/turtle; charset=utf-8")


@require_safe
def municipality(
    request: HttpRequest, municipality: str, suffix: str | None = None
) -> HttpResponse:
    try:
        rdf_format = formats.chosen(request, suffix)
    except formats.NotAcceptable:
        return _not_acceptable()
    place = municipality_by_slug(municipality)
    (entry,) = selectors.catalogue_entries([place])
    if rdf_format is None:
        response = render(
            request,
            "catalogue/municipality.html",
            {
                "municipality": place,
                "entry": graph.described([entry])[0],
                "can_edit_publisher": can_administer(request.user, place),
            },
        )
        return _negotiated(response, suffix)
    rdf = graph.municipality_graph(_base(request), entry)
    return _negotiated(_rdf_response(rdf, rdf_format), suffix)
