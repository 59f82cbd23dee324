from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from roadmap.core.audit import events_for

from . import permissions, services
from .forms import GrantRoleForm, PublisherForm
from .models import Membership
from .selectors import municipality_by_slug


@login_required
def members(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    if not permissions.can_administer(request.user, municipality):
        raise PermissionDenied
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            membership = get_object_or_404(
                Membership, pk=request.POST.get("revoke"), municipality=municipality
            )
            services.revoke_role(actor=request.user, membership=membership)
            messages.success(request, _("The role was removed."))
            return redirect("municipalities:members", municipality=municipality.slug)
        if form.is_valid():
            services.grant_role(
                actor=request.user,
                municipality=municipality,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
            messages.success(request, _("The role was granted."))
            return redirect("municipalities:members", municipality=municipality.slug)
    return render(
        request,
        "municipalities/members.html",
        {
            "municipality": municipality,
            "form": form,
            "memberships": municipality.memberships.select_related("user").order_by(
                "user__username", "role"
            ),
            "audit_events": events_for(municipality)[:50],
        },
    )


@login_required
def publisher(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    if not permissions.can_administer(request.user, municipality):
        raise PermissionDenied
    # No instance: the form validates its own, so the service sees what changed.
    form = PublisherForm(
        request.POST or None,
        initial=model_to_dict(municipality, fields=PublisherForm.Meta.fields),
    )
    if request.method == "POST" and form.is_valid():
        services.update_publisher(
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        messages.success(request, _("The open data publisher was saved."))
        return redirect("municipalities:publisher", municipality=municipality.slug)
    return render(
        request,
        "municipalities/publisher.html",
        {"municipality": municipality, "form": form},
    )
