"""Query parameters of the API lists (django-filter). A bad value, or a parameter the list does
not know, is a 400 that names the parameter; nothing is silently ignored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from roadmap.indicators.models import Dimension, Granularity, Level
from roadmap.initiatives.models import Status
from roadmap.municipalities.models import Municipality
from roadmap.participation.models import Phase, ProposalStatus

from . import selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing parameters the list does not know (a typo would otherwise return
    the whole list as if it were the answer)."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        paginator = view.paginator
        known = {"format", paginator.page_size_query_param}
        known.add(getattr(paginator, "cursor_query_param", None) or paginator.page_query_param)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        problems = {}
        for name, given in request.query_params.lists():
            if len(given) > 1:
                problems[name] = [_("Give this parameter once.")]
            elif given[0] == "":
                problems[name] = [_("Give a value, or leave the parameter out.")]
        if problems:
            raise ValidationError(problems)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {
                    name: [
                        _("Unknown parameter. This list takes: %(known)s.")
                        % {"known": ", ".join(sorted(known - {"format"}))}
                    ]
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)


def municipality_filter(field_name: str = "municipality") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        label=_("Short name (slug) of a municipality"),
        error_messages={
            "invalid_choice": _("There is no municipality with the short name %(value)s.")
        },
    )


def modified_since() -> django_filters.IsoDateTimeFilter:
    return django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Only rows changed at or after this time (ISO 8601, e.g. 2026-01-31T12:00:00Z)"),
    )


MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2200


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class WholeNumberFilter(django_filters.NumberFilter):
    """An id: anything but a whole number in range is a 400, never a database error."""

    field_class = forms.IntegerField
    bounds = (1, MAX_ID)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=self.bounds[0], max_value=self.bounds[1], **kwargs)


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(WholeNumberFilter):
    bounds = (FIRST_YEAR, LAST_YEAR)


@extend_schema_field({"type": "boolean"})
class TrueFalseFilter(django_filters.TypedChoiceFilter):
    """true or false, nothing else (django-filter's own boolean lets "null" through as no
    filter)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            **kwargs,
        )


def year_filter(lookup: str, label: StrOrPromise) -> YearFilter:
    return YearFilter(field_name="period__year", lookup_expr=lookup, label=label)


def code_filter(field_name: str, label: StrOrPromise) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, label=label)


class SharedOrLocalFilterSet(django_filters.FilterSet):
    """For the framework and the indicator catalogue: the shared rows plus one municipality's."""

    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        method="shared_or_local",
        label=_("Short name of a municipality: the shared rows and that municipality's own"),
        error_messages={
            "invalid_choice": _("There is no municipality with the short name %(value)s.")
        },
    )

    def shared_or_local(
        self, queryset: QuerySet[Any], name: str, value: Municipality
    ) -> QuerySet[Any]:
        return selectors.shared_or_local(queryset, value)


class NoFilters(django_filters.FilterSet):
    pass


class MunicipalityFilterSet(django_filters.FilterSet):
    country = django_filters.CharFilter(label=_("Country code (ISO 3166-1 alpha-2), e.g. NO"))
    modified_since = modified_since()


class InitiativeFilterSet(django_filters.FilterSet):
    municipality = municipality_filter()
    status = django_filters.ChoiceFilter(choices=Status.choices)
    action_area = code_filter("action_areas__code", _("Code of an action area"))
    purpose = code_filter("purposes__code", _("Code of a purpose"))
    principle = code_filter("principles__code", _("Code of a principle"))
    modified_since = modified_since()


class AssessmentFilterSet(django_filters.FilterSet):
    municipality = municipality_filter()
    initiative = WholeNumberFilter(field_name="initiative_id")
    latest = TrueFalseFilter(
        field_name="is_latest", label=_("Only each initiative's newest final assessment")
    )
    modified_since = modified_since()


class ProcessFilterSet(django_filters.FilterSet):
    municipality = municipality_filter()
    modified_since = modified_since()


class PhaseFilterSet(django_filters.FilterSet):
    municipality = municipality_filter("process__municipality")
    process = code_filter("process__slug", _("Short name of a process"))
    kind = django_filters.ChoiceFilter(choices=Phase.Kind.choices)


class ProposalFilterSet(django_filters.FilterSet):
    municipality = municipality_filter("process__municipality")
    process = code_filter("process__slug", _("Short name of a process"))
    phase = WholeNumberFilter(field_name="phase_id")
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)
    modified_since = modified_since()


class CommentFilterSet(django_filters.FilterSet):
    municipality = municipality_filter("proposal__process__municipality")
    proposal = WholeNumberFilter(field_name="proposal_id")
    modified_since = modified_since()


class PhaseResultFilterSet(django_filters.FilterSet):
    """Workshops and opinion maps, found through their phase's process."""

    municipality = municipality_filter("phase__process__municipality")
    process = code_filter("phase__process__slug", _("Short name of a process"))


class IndicatorFilterSet(SharedOrLocalFilterSet):
    dimension = django_filters.ChoiceFilter(choices=Dimension.choices)
    level = django_filters.ChoiceFilter(choices=Level.choices)
    category = code_filter("category__code", _("Code of an indicator category"))


class ObservationFilterSet(django_filters.FilterSet):
    municipality = municipality_filter()
    indicator = code_filter("indicator__code", _("Code of an indicator, e.g. EC-ICT-ICT-1C"))
    granularity = django_filters.ChoiceFilter(choices=Granularity.choices)
    year_from = year_filter("gte", _("First year"))
    year_to = year_filter("lte", _("Last year"))


class TargetFilterSet(django_filters.FilterSet):
    municipality = municipality_filter()
    indicator = code_filter("indicator__code", _("Code of an indicator"))
    modified_since = modified_since()


class ScoreFilterSet(django_filters.FilterSet):
    municipality = municipality_filter()
    indicator = code_filter("indicator__code", _("Code of an indicator"))
