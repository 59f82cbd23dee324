"""Public pages of the roadmap framework, and a municipality's local principles and barriers
(a principle's page lists initiatives, so it lives in roadmap.pages)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from roadmap.core.audit import events_for
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.selectors import municipality_by_slug

from . import permissions, selectors, services
from .forms import LocalBarrierForm, LocalPrincipleForm
from .models import Principle

# --- the shared roadmap ---------------------------------------------------------------------


def overview(request):
    return render(
        request,
        "framework/overview.html",
        {"framework": selectors.framework_overview(), "principles": selectors.principles_for()},
    )


def action_area(request, code: str):
    area = selectors.action_area_by_code(code)
    return render(request, "framework/action_area.html", {"area": area})


def barriers(request):
    return render(request, "framework/barriers.html", {"categories": selectors.barrier_catalogue()})


# --- a municipality's local additions -------------------------------------------------------


def local_framework(request, municipality: str):
    """The municipality's own principles and barriers; administrators manage them here."""
    municipality = municipality_by_slug(municipality)
    context = {
        "municipality": municipality,
        "principles": selectors.local_principles(municipality),
        "barriers": selectors.local_barriers(municipality),
        "can_manage": permissions.can_manage_local_framework(request.user, municipality),
    }
    if permissions.can_see_change_history(request.user, municipality):
        context["audit_events"] = selectors.local_framework_events(municipality)
    return render(request, "framework/local_framework.html", context)


def _managed(request, slug: str) -> Municipality:
    """The municipality, if the signed-in user may change its local framework (else 403)."""
    municipality = municipality_by_slug(slug)
    if not permissions.can_manage_local_framework(request.user, municipality):
        raise PermissionDenied
    return municipality


def _saved(request: HttpRequest, message: str, next_url: str) -> HttpResponse:
    """After a write: confirm it, then show where the entry now stands."""
    messages.success(request, message)
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def principle_create(request, municipality: str):
    municipality = _managed(request, municipality)
    form = LocalPrincipleForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        created = services.create_local_principle(
            actor=request.user, municipality=municipality, **form.service_arguments()
        )
        added = _("The local principle “%(name)s” was added.") % {"name": created.name}
        return _saved(request, added, principle_url(created))
    return _form_page(
        request, municipality, form, _("Add a local principle"), _list_url(municipality)
    )


@login_required
@require_http_methods(["GET", "POST"])
def principle_edit(request, municipality: str, code: str):
    municipality = _managed(request, municipality)
    principle = selectors.local_principle(municipality, code)
    form = LocalPrincipleForm(request.POST or None, municipality=municipality, principle=principle)
    if request.method == "POST" and form.is_valid():
        services.update_local_principle(
            actor=request.user, principle=principle, **form.service_arguments()
        )
        return _saved(request, _("The local principle was saved."), principle_url(principle))
    title = _("Edit the local principle “%(name)s”") % {"name": principle.name}
    return _form_page(request, municipality, form, title, principle_url(principle))


@login_required
@require_http_methods(["GET", "POST"])
def principle_delete(request, municipality: str, code: str):
    municipality = _managed(request, municipality)
    principle = selectors.local_principle(municipality, code)
    return _confirm_delete(
        request,
        municipality,
        entry=principle,
        delete=partial(services.delete_local_principle, actor=request.user, principle=principle),
        blocker=services.principle_deletion_blocker(principle),
        linked_initiatives=principle.initiatives.count(),
        cancel_url=principle_url(principle),
    )


@login_required
@require_http_methods(["GET", "POST"])
def barrier_create(request, municipality: str):
    municipality = _managed(request, municipality)
    form = LocalBarrierForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        created = services.create_local_barrier(
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        added = _("The local barrier “%(name)s” was added.") % {"name": created.name}
        return _saved(request, added, _list_url(municipality))
    return _form_page(
        request, municipality, form, _("Add a local barrier"), _list_url(municipality)
    )


@login_required
@require_http_methods(["GET", "POST"])
def barrier_edit(request, municipality: str, code: str):
    municipality = _managed(request, municipality)
    barrier = selectors.local_barrier(municipality, code)
    form = LocalBarrierForm(request.POST or None, municipality=municipality, barrier=barrier)
    if request.method == "POST" and form.is_valid():
        services.update_local_barrier(actor=request.user, barrier=barrier, **form.cleaned_data)
        return _saved(request, _("The local barrier was saved."), _list_url(municipality))
    title = _("Edit the local barrier “%(name)s”") % {"name": barrier.name}
    return _form_page(
        request, municipality, form, title, _list_url(municipality), events_for(barrier)[:50]
    )


@login_required
@require_http_methods(["GET", "POST"])
def barrier_delete(request, municipality: str, code: str):
    municipality = _managed(request, municipality)
    barrier = selectors.local_barrier(municipality, code)
    return _confirm_delete(
        request,
        municipality,
        entry=barrier,
        delete=partial(services.delete_local_barrier, actor=request.user, barrier=barrier),
        blocker=services.barrier_deletion_blocker(barrier),
        cancel_url=_list_url(municipality),
    )


def _form_page(request, municipality, form, title: str, cancel_url: str, audit_events=None):
    """The add or edit page of a local principle or barrier (again with errors after a POST)."""
    return render(
        request,
        "framework/local_form.html",
        {
            "municipality": municipality,
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "audit_events": audit_events,
        },
    )


def _confirm_delete(
    request,
    municipality,
    *,
    entry,
    delete,
    blocker: str,
    cancel_url: str,
    linked_initiatives: int = 0,
):
    """Ask before deleting; refuse, with the reason, while other records refer to the entry."""
    if request.method == "POST":
        try:
            delete()
        except services.FrameworkEntryInUse as refusal:
            messages.error(request, str(refusal))
            return redirect(request.path)
        deleted = _("“%(name)s” was deleted.") % {"name": entry.name}
        return _saved(request, deleted, _list_url(municipality))
    return render(
        request,
        "framework/confirm_delete.html",
        {
            "municipality": municipality,
            "entry": entry,
            "blocker": blocker,
            "linked_initiatives": linked_initiatives,
            "cancel_url": cancel_url,
        },
    )


def _list_url(municipality: Municipality) -> str:
    return reverse("local_framework:list", kwargs={"municipality": municipality.slug})


def principle_url(principle: Principle) -> str:
    assert principle.municipality is not None, "only local principles have this page"
    return reverse(
        "local_framework:principle",
        kwargs={"municipality": principle.municipality.slug, "code": principle.code},
    )
