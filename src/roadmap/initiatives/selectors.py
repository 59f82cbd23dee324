from django.db.models import QuerySet

from roadmap.municipalities import permissions

from .models import Initiative, Visibility


def visible_initiatives(municipality, user) -> QuerySet[Initiative]:
    """Initiatives of a municipality that this user may read: all for members, public otherwise."""
    queryset = Initiative.objects.filter(municipality=municipality)
    if not permissions.is_member(user, municipality):
        queryset = queryset.filter(visibility=Visibility.PUBLIC)
    return queryset


def recent_initiatives_for(municipality, user, limit: int = 8) -> list[Initiative]:
    return list(visible_initiatives(municipality, user).order_by("-updated_at", "-id")[:limit])
