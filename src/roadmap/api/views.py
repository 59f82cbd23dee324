"""The open API, version 1: read-only lists and details over the API's selectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from . import filters, selectors, serializers
from .pagination import Cursor, PagePagination

# ETag from the body, and 304 for a matching If-None-Match or an unchanged If-Modified-Since.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


@method_decorator(conditional_get, name="dispatch")
class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource. `selector` gives the public rows. Small lists page by number;
    large ones set `pagination_class = Cursor` and the `cursor_ordering` it pages in."""

    selector: Any
    filterset_class: Any = filters.NoFilters
    pagination_class = PagePagination
    cursor_ordering: tuple[str, ...] | None = None

    def get_queryset(self) -> Any:
        return type(self).selector()

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = list(self.paginate_queryset(queryset))
        response = self.get_paginated_response(self.serialize(page, many=True))
        return self.with_last_modified(response, page)

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        return self.with_last_modified(Response(self.serialize(item)), [item])

    def serialize(self, data: Any, many: bool = False) -> Any:
        return self.get_serializer(data, many=many).data

    @staticmethod
    def with_last_modified(response: Response, items: Sequence[Any]) -> Response:
        changed = [item.updated_at for item in items if getattr(item, "updated_at", None)]
        if changed:
            response["Last-Modified"] = http_date(max(changed).timestamp())
        return response


class ValueViewSet(PublicViewSet):
    """The roadmap's values."""

    selector = staticmethod(selectors.values)
    serializer_class = serializers.ValueSerializer
    lookup_field = "code"


class PurposeViewSet(PublicViewSet):
    """The five purposes (qualities) of the roadmap."""

    selector = staticmethod(selectors.purposes)
    serializer_class = serializers.PurposeSerializer
    lookup_field = "code"


class ActionAreaViewSet(PublicViewSet):
    """The roadmap's action areas."""

    selector = staticmethod(selectors.action_areas)
    serializer_class = serializers.ActionAreaSerializer
    lookup_field = "code"


class PrincipleViewSet(PublicViewSet):
    """Principles, shared and local, with guiding questions and the 0–4 maturity scale."""

    selector = staticmethod(selectors.principles)
    serializer_class = serializers.PrincipleSerializer
    filterset_class = filters.SharedOrLocalFilterSet


class BarrierViewSet(PublicViewSet):
    """The barrier catalogue, shared and local."""

    selector = staticmethod(selectors.barriers)
    serializer_class = serializers.BarrierSerializer
    filterset_class = filters.SharedOrLocalFilterSet


class MunicipalityViewSet(PublicViewSet):
    """Municipalities on the platform, with their number of public initiatives."""

    selector = staticmethod(selectors.municipalities)
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilterSet
    lookup_field = "slug"


class InitiativeViewSet(PublicViewSet):
    """Public initiatives, newest change first. The detail adds partners, pilots, barriers met,
    lessons, indicator links and the latest principle profile."""

    selector = staticmethod(selectors.public_initiatives)
    filterset_class = filters.InitiativeFilterSet
    cursor_ordering = ("-updated_at", "-id")
    pagination_class = Cursor

    def get_queryset(self) -> Any:
        if self.action == "retrieve":
            return selectors.public_initiative_details()
        return super().get_queryset()

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.InitiativeDetailSerializer
        return serializers.InitiativeSerializer


class AssessmentViewSet(PublicViewSet):
    """Final assessments of public initiatives against the principles."""

    selector = staticmethod(selectors.final_assessments)
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilterSet
    cursor_ordering = ("-id",)
    pagination_class = Cursor


class ProcessViewSet(PublicViewSet):
    """Published participatory processes with their phases."""

    selector = staticmethod(selectors.published_processes)
    serializer_class = serializers.ProcessSerializer
    filterset_class = filters.ProcessFilterSet


class PhaseViewSet(PublicViewSet):
    """Phases of published processes."""

    selector = staticmethod(selectors.published_phases)
    serializer_class = serializers.PhaseSerializer
    filterset_class = filters.PhaseFilterSet


class ProposalViewSet(PublicViewSet):
    """Published proposals with the municipality's answer and their support and comment counts."""

    selector = staticmethod(selectors.published_proposals)
    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilterSet
    cursor_ordering = ("-created_at", "-id")
    pagination_class = Cursor


class CommentViewSet(PublicViewSet):
    """Published comments on published proposals, oldest first."""

    selector = staticmethod(selectors.published_comments)
    serializer_class = serializers.CommentSerializer
    filterset_class = filters.CommentFilterSet
    cursor_ordering = ("created_at", "id")
    pagination_class = Cursor


class WorkshopViewSet(PublicViewSet):
    """Workshops of published processes: each prompt's synthesis and themes."""

    selector = staticmethod(selectors.published_workshops)
    serializer_class = serializers.WorkshopSerializer
    filterset_class = filters.PhaseResultFilterSet


class OpinionMapViewSet(PublicViewSet):
    """Computed opinion maps: groups, what distinguishes each, and common ground. Never who is
    in which group."""

    selector = staticmethod(selectors.published_opinion_maps)
    serializer_class = serializers.OpinionMapSerializer
    filterset_class = filters.PhaseResultFilterSet

    def serialize(self, data: Any, many: bool = False) -> Any:
        maps = data if many else [data]
        context = {
            **self.get_serializer_context(),
            "statements": selectors.statements_named_in(maps),
        }
        return self.get_serializer_class()(data, many=many, context=context).data


class IndicatorViewSet(PublicViewSet):
    """The indicator catalogue (U4SSC) and municipalities' own indicators."""

    selector = staticmethod(selectors.indicators)
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet


class ObservationViewSet(PublicViewSet):
    """Indicator observations of every municipality."""

    selector = staticmethod(selectors.observations)
    serializer_class = serializers.ObservationSerializer
    filterset_class = filters.ObservationFilterSet
    cursor_ordering = ("id",)
    pagination_class = Cursor


class TargetViewSet(PublicViewSet):
    """Municipalities' targets for indicators."""

    selector = staticmethod(selectors.targets)
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilterSet


class ScoreViewSet(PublicViewSet):
    """Each target's score from the newest yearly value (method: docs/indicators.md)."""

    selector = staticmethod(selectors.scored_targets)
    serializer_class = serializers.ScoreSerializer
    filterset_class = filters.ScoreFilterSet


# (URL path, view set, name) of every resource; urls.py routes them and the root lists them.
RESOURCES = [
    ("framework/values", ValueViewSet, "values"),
    ("framework/purposes", PurposeViewSet, "purposes"),
    ("framework/action-areas", ActionAreaViewSet, "action-areas"),
    ("framework/principles", PrincipleViewSet, "principles"),
    ("framework/barriers", BarrierViewSet, "barriers"),
    ("municipalities", MunicipalityViewSet, "municipalities"),
    ("initiatives", InitiativeViewSet, "initiatives"),
    ("assessments", AssessmentViewSet, "assessments"),
    ("processes", ProcessViewSet, "processes"),
    ("phases", PhaseViewSet, "phases"),
    ("proposals", ProposalViewSet, "proposals"),
    ("comments", CommentViewSet, "comments"),
    ("workshops", WorkshopViewSet, "workshops"),
    ("opinion-maps", OpinionMapViewSet, "opinion-maps"),
    ("indicators", IndicatorViewSet, "indicators"),
    ("observations", ObservationViewSet, "observations"),
    ("targets", TargetViewSet, "targets"),
    ("scores", ScoreViewSet, "scores"),
]


@method_decorator(conditional_get, name="dispatch")
class RootView(APIView):
    """Where everything is: each resource's list, the OpenAPI schema and its documentation."""

    @extend_schema(responses={200: {"type": "object", "additionalProperties": {"type": "string"}}})
    def get(self, request: Any) -> Response:
        links = {
            name: reverse(f"api:{name}-list", request=request) for _path, _view, name in RESOURCES
        }
        for name in ("schema", "docs", "redoc"):
            links[name] = reverse(f"api:{name}", request=request)
        return Response(links)


def not_found(request: Any, path: str) -> JsonResponse:
    """Any other address under /api/v1/: a JSON 404, like the resources' own."""
    return JsonResponse({"detail": str(_("No such address in the API."))}, status=404)


class RedocView(SpectacularRedocView):
    """Redoc from the installed package, without the web fonts the stock page loads."""

    template_name = "api/redoc.html"
