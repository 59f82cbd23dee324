"""Pages of participatory processes, and the administrators' residents and organisations pages."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from roadmap.core.audit import events_for
from roadmap.core.pagination import paginate
from roadmap.municipalities.permissions import can_administer, is_member
from roadmap.municipalities.selectors import municipality_by_slug

from ..permissions import can_manage_processes
from . import selectors, services
from .forms import (
    OrganisationForm,
    OrganisationMemberForm,
    PhaseForm,
    PhaseKindForm,
    ProcessForm,
    ResidentForm,
)

AUDIT_EVENTS_SHOWN = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _guarded(check):
    """Sign-in first; then 403 unless `check(user, municipality)` holds.
    The wrapped view receives the Municipality instead of its slug."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, municipality: str, **kwargs):
            municipality = municipality_by_slug(municipality)
            if not check(request.user, municipality):
                raise PermissionDenied
            return view(request, municipality, **kwargs)

        return wrapper

    return decorator


manager_view = _guarded(can_manage_processes)
administrator_view = _guarded(can_administer)


def _detail_url(process) -> str:
    return reverse(
        "participation:process_detail",
        kwargs={"municipality": process.municipality.slug, "process": process.slug},
    )


# --- reading ------------------------------------------------------------------------------


def process_list(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    return render(
        request,
        "participation/process_list.html",
        {
            "municipality": municipality,
            "page_obj": paginate(request, selectors.process_list(municipality, request.user)),
            "can_manage": can_manage_processes(request.user, municipality),
            "can_administer": can_administer(request.user, municipality),
        },
    )


def process_detail(request, municipality: str, process: str):
    municipality = municipality_by_slug(municipality)
    process = selectors.process_for_page(municipality, request.user, process)
    member = is_member(request.user, municipality)
    return render(
        request,
        "participation/process_detail.html",
        {
            "municipality": municipality,
            "process": process,
            "timeline": selectors.phase_timeline(process),
            "phase_banner": selectors.phase_banner(process, request.user),
            "figures": selectors.process_figures(process),
            "kinds": selectors.phase_kinds(process),
            "can_manage": can_manage_processes(request.user, municipality),
            "audit_events": events_for(process)[:AUDIT_EVENTS_SHOWN] if member else None,
        },
    )


# --- processes and phases -------------------------------------------------------------------


def _process_data(form: ProcessForm) -> dict:
    data = dict(form.cleaned_data)
    data["categories"] = data.pop("categories_text")
    return data


def _form_page(request, municipality, form, title, cancel_url):
    return render(
        request,
        "participation/process_form.html",
        {"municipality": municipality, "form": form, "title": title, "cancel_url": cancel_url},
    )


@manager_view
def process_create(request, municipality):
    form = ProcessForm(_posted(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        process = services.create_process(
            actor=request.user, municipality=municipality, data=_process_data(form)
        )
        messages.success(request, _("The process was created. Add its phases next."))
        return redirect(_detail_url(process))
    cancel_url = reverse("participation:process_list", kwargs={"municipality": municipality.slug})
    return _form_page(request, municipality, form, _("New participatory process"), cancel_url)


@manager_view
def process_edit(request, municipality, process: str):
    process = get_object_or_404(municipality.processes, slug=process)
    form = ProcessForm(_posted(request), instance=process, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        process = services.update_process(
            actor=request.user, process=process, data=_process_data(form)
        )
        messages.success(request, _("The process was saved."))
        return redirect(_detail_url(process))
    return _form_page(request, municipality, form, _("Edit process"), _detail_url(process))


def _phase_page(request, municipality, process, form, title):
    """The phase form, led by a small GET form that switches the kind (and so the fields)."""
    return render(
        request,
        "participation/phase_form.html",
        {
            "municipality": municipality,
            "form": form,
            "kind_form": PhaseKindForm(initial={"kind": form.kind}) if form.kind else None,
            "title": title,
            "cancel_url": _detail_url(process),
        },
    )


def _chosen_kind(request) -> str | None:
    kind_form = PhaseKindForm(request.GET)
    return kind_form.cleaned_data["kind"] if kind_form.is_valid() else None


@manager_view
def phase_create(request, municipality, process: str):
    process = get_object_or_404(municipality.processes, slug=process)
    title = _("Add a phase")
    if request.method == "POST":
        form = PhaseForm(request.POST, process=process)
        if form.is_valid():
            services.create_phase(actor=request.user, process=process, data=form.phase_data())
            messages.success(request, _("The phase was added."))
            return redirect(_detail_url(process))
    elif kind := _chosen_kind(request):
        form = PhaseForm(initial={"kind": kind}, process=process)
    else:  # the first step: choose the kind
        kind_form = PhaseKindForm(request.GET or None)
        return render(
            request,
            "participation/phase_kind.html",
            {"municipality": municipality, "kind_form": kind_form, "title": title},
        )
    return _phase_page(request, municipality, process, form, title)


@manager_view
def phase_edit(request, municipality, process: str, pk: int):
    process = get_object_or_404(municipality.processes, slug=process)
    phase = get_object_or_404(process.phases, pk=pk)
    if request.method == "POST":
        form = PhaseForm(request.POST, instance=phase, process=process)
        if form.is_valid():
            services.update_phase(actor=request.user, phase=phase, data=form.phase_data())
            messages.success(request, _("The phase was saved."))
            return redirect(_detail_url(process))
    else:
        kind = _chosen_kind(request) or phase.kind
        form = PhaseForm(instance=phase, initial={"kind": kind}, process=process)
    return _phase_page(request, municipality, process, form, _("Edit phase"))


# --- resident verification ----------------------------------------------------------------


@administrator_view
def residents(request, municipality):
    form = ResidentForm(_posted(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        services.verify_resident(
            actor=request.user,
            municipality=municipality,
            user=form.cleaned_data["user"],
            district=form.cleaned_data.get("district"),
        )
        messages.success(request, _("The resident was confirmed."))
        return redirect("participation:residents", municipality=municipality.slug)
    return render(
        request,
        "participation/process_residents.html",
        {
            "municipality": municipality,
            "form": form,
            "page_obj": paginate(request, selectors.verified_residents(municipality)),
        },
    )


@require_POST
@administrator_view
def resident_remove(request, municipality, pk: int):
    verification = get_object_or_404(municipality.verified_residents, pk=pk)
    services.remove_resident(actor=request.user, verification=verification)
    messages.success(request, _("The confirmation was removed."))
    return redirect("participation:residents", municipality=municipality.slug)


# --- partner organisations ----------------------------------------------------------------


def _organisations_page(request, municipality, form):
    page_obj = paginate(request, selectors.organisations(municipality))
    member_forms = [
        (
            organisation,
            OrganisationMemberForm(auto_id=f"id_org{organisation.pk}_%s"),
            reverse(
                "participation:organisation_member_add",
                kwargs={"municipality": municipality.slug, "pk": organisation.pk},
            ),
        )
        for organisation in page_obj
    ]
    return render(
        request,
        "participation/process_organisations.html",
        {
            "municipality": municipality,
            "form": form,
            "page_obj": page_obj,
            "member_forms": member_forms,
        },
    )


@administrator_view
def organisations(request, municipality):
    form = OrganisationForm(_posted(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        services.create_organisation(
            actor=request.user, municipality=municipality, data=form.cleaned_data
        )
        messages.success(request, _("The organisation was added."))
        return redirect("participation:organisations", municipality=municipality.slug)
    return _organisations_page(request, municipality, form)


@require_POST
@administrator_view
def organisation_member_add(request, municipality, pk: int):
    organisation = get_object_or_404(municipality.organisations, pk=pk)
    form = OrganisationMemberForm(request.POST)
    if form.is_valid():
        services.add_organisation_member(
            actor=request.user, organisation=organisation, user=form.cleaned_data["user"]
        )
        messages.success(request, _("The member was added."))
    else:
        messages.error(
            request,
            _("No member was added to %(organisation)s: %(error)s")
            % {"organisation": organisation.name, "error": " ".join(map(str, form.errors["user"]))},
        )
    return redirect("participation:organisations", municipality=municipality.slug)


@require_POST
@administrator_view
def organisation_member_remove(request, municipality, pk: int, user_pk: int):
    organisation = get_object_or_404(municipality.organisations, pk=pk)
    user = get_object_or_404(get_user_model(), pk=user_pk)
    services.remove_organisation_member(actor=request.user, organisation=organisation, user=user)
    messages.success(request, _("The member was removed."))
    return redirect("participation:organisations", municipality=municipality.slug)
