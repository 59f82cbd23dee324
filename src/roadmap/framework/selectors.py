from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from .models import ActionArea, Principle, Purpose, Value


@dataclass
class FrameworkOverview:
    values: list[Value]
    purposes: list[Purpose]
    action_areas: list[ActionArea]


def framework_overview() -> FrameworkOverview:
    return FrameworkOverview(
        values=list(Value.objects.all()),
        purposes=list(Purpose.objects.all()),
        action_areas=list(ActionArea.objects.all()),
    )


def principles_for(municipality=None) -> QuerySet[Principle]:
    """The shared principles plus the municipality's own, with their action areas."""
    scope = Q(municipality__isnull=True)
    if municipality is not None:
        scope |= Q(municipality=municipality)
    return (
        Principle.objects.filter(scope)
        .prefetch_related(Prefetch("action_areas", queryset=ActionArea.objects.order_by("order")))
        .order_by("municipality_id", "order", "code")
    )
