"""The back office: where a signed-in user lands, each municipality's office and its inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from roadmap.core.pagination import paginate
from roadmap.municipalities.models import Role
from roadmap.municipalities.permissions import roles_everywhere
from roadmap.municipalities.selectors import municipality_by_slug

from . import selectors
from .permissions import office_access
from .signals import remember_office_link


@login_required
def landing(request):
    """After sign-in: the one office, a choice of offices, or the participant's municipality."""
    offices = roles_everywhere(request.user)
    remember_office_link(request, has_roles=bool(offices))
    if len(offices) == 1:
        return redirect("office:office", municipality=offices[0][0].slug)
    if offices:
        labelled = [
            (municipality, [Role(role).label for role in sorted(roles)])
            for municipality, roles in offices
        ]
        return render(request, "office/landing.html", {"offices": labelled})
    home = selectors.home_municipality(request.user)
    if home is not None:
        return redirect("municipalities:home", municipality=home.slug)
    return redirect("home")


def _office(request, slug: str):
    """The municipality and what this user may do in its office; 404 without a role there,
    so that the office of a municipality one does not work for is not even confirmed."""
    municipality = municipality_by_slug(slug)
    access = office_access(request.user, municipality)
    if access is None:
        raise Http404
    return municipality, access


@login_required
def office(request, municipality: str):
    municipality, access = _office(request, municipality)
    return render(
        request,
        "office/office.html",
        {
            "municipality": municipality,
            "access": access,
            "summary": selectors.office_summary(municipality, access, timezone.localdate()),
        },
    )


@login_required
def inbox(request, municipality: str):
    municipality, access = _office(request, municipality)
    if not access.sees_inbox:
        raise PermissionDenied
    page_obj = paginate(request, selectors.inbox_rows(municipality, access))
    return render(
        request,
        "office/inbox.html",
        {
            "municipality": municipality,
            "access": access,
            "page_obj": page_obj,
            "items": selectors.inbox_items(municipality, access, page_obj.object_list),
        },
    )
