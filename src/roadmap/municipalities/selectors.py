from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Membership, Municipality

if TYPE_CHECKING:
    from roadmap.accounts.models import User


def municipality_by_slug(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def municipalities_with_public_counts() -> QuerySet[Municipality]:
    return Municipality.objects.annotate(
        public_initiatives=Count("initiatives", filter=Q(initiatives__visibility="public"))
    ).order_by("name")


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name", "role")
    )
