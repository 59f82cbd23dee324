"""Paging. Large lists page by cursor (stable while rows are added); the small ones by page
number. A bad cursor, page or page size is a 400 that names the parameter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class StrictPageSize:
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Any) -> int:
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not given.isdigit() or not 1 <= int(given) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(given)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        bounds = {
            "page_size": {"minimum": 1, "maximum": self.max_page_size},
            "page": {"minimum": 1},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class PagePagination(StrictPageSize, PageNumberPagination):
    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({self.page_query_param: [str(error.detail)]}) from error


class Cursor(StrictPageSize, CursorPagination):
    """Cursor paging in the view's `cursor_ordering` (unique, so no row is seen twice)."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.ordering = view.cursor_ordering
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not one the API gave out.")]}
            ) from error
