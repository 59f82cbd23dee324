"""Pages of a municipality's initiative portfolio: the list and the editors' forms (the detail
page shows other apps too, so it lives in roadmap.pages)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.formsets import all_valid
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roadmap.core.pagination import paginate
from roadmap.municipalities import permissions as municipal_permissions
from roadmap.municipalities.selectors import municipality_by_slug

from . import permissions, selectors, services
from .forms import (
    BarrierEncounterForm,
    InitiativeFilterForm,
    InitiativeForm,
    LessonForm,
    MunicipalFormMixin,
    PilotForm,
    partner_formset,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _detail_url(initiative, section: str = "") -> str:
    url = reverse(
        "initiatives:detail",
        kwargs={"municipality": initiative.municipality.slug, "pk": initiative.pk},
    )
    return f"{url}#{section}" if section else url


def _posted(request):
    return request.POST if request.method == "POST" else None


def editor_view(view):
    """Sign-in first; then 403 unless the user may edit this municipality's initiatives.
    The wrapped view receives the Municipality instead of its slug."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, municipality: str, **kwargs):
        municipality = municipality_by_slug(municipality)
        if not permissions.can_edit_initiatives(request.user, municipality):
            raise PermissionDenied
        return view(request, municipality, **kwargs)

    return wrapper


def initiative_list(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    filter_form = InitiativeFilterForm(request.GET, municipality=municipality)
    page_obj = paginate(
        request, selectors.initiative_list(municipality, request.user, filter_form.filters())
    )
    return render(
        request,
        "initiatives/list.html",
        {
            "municipality": municipality,
            "filter_form": filter_form,
            "active_filters": filter_form.active_filters(),
            "page_obj": page_obj,
            "is_member": municipal_permissions.is_member(request.user, municipality),
            "can_edit": permissions.can_edit_initiatives(request.user, municipality),
            "can_assess": permissions.can_assess(request.user, municipality),
        },
    )


def _initiative_form_page(request, municipality, form, partners, initiative=None):
    return render(
        request,
        "initiatives/initiative_form.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "form": form,
            "partners": partners,
            "cancel_url": _detail_url(initiative)
            if initiative
            else reverse("initiatives:list", kwargs={"municipality": municipality.slug}),
        },
    )


@editor_view
def initiative_create(request, municipality):
    form = InitiativeForm(_posted(request), municipality=municipality)
    partners = partner_formset(_posted(request))
    # all_valid validates forms too; its stub asks for formsets only.
    if request.method == "POST" and all_valid([form, partners]):  # type: ignore[arg-type]
        initiative = services.create_initiative(
            actor=request.user,
            municipality=municipality,
            data=form.cleaned_data,
            partners=partners.partner_rows(),
        )
        messages.success(request, _("The initiative was created."))
        return redirect(_detail_url(initiative))
    return _initiative_form_page(request, municipality, form, partners)


@editor_view
def initiative_edit(request, municipality, pk: int):
    initiative = get_object_or_404(municipality.initiatives.prefetch_related("partners"), pk=pk)
    form = InitiativeForm(_posted(request), instance=initiative, municipality=municipality)
    partners = partner_formset(_posted(request), initiative=initiative)
    # all_valid validates forms too; its stub asks for formsets only.
    if request.method == "POST" and all_valid([form, partners]):  # type: ignore[arg-type]
        initiative = services.update_initiative(
            actor=request.user,
            initiative=initiative,
            data=form.cleaned_data,
            partners=partners.partner_rows(),
        )
        messages.success(request, _("The initiative was saved."))
        return redirect(_detail_url(initiative))
    return _initiative_form_page(request, municipality, form, partners, initiative)


@editor_view
def initiative_delete(request, municipality, pk: int):
    initiative = get_object_or_404(municipality.initiatives, pk=pk)
    if request.method == "POST":
        services.delete_initiative(actor=request.user, initiative=initiative)
        messages.success(request, _("The initiative was deleted."))
        return redirect("initiatives:list", municipality=municipality.slug)
    return render(
        request,
        "initiatives/confirm_delete.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "title": _("Delete this initiative?"),
            "consequence": _(
                "Its partners, pilots, barriers met, lessons learned and assessments are "
                "deleted with it. This cannot be undone."
            ),
            "object_label": initiative.title,
            "cancel_url": _detail_url(initiative),
        },
    )


# --- pilots, barriers met and lessons learned ----------------------------------------------


@dataclass(frozen=True)
class PartKind:
    """One kind of record kept on an initiative's page, with its form, services and wording."""

    related_name: str  # the initiative's related manager, e.g. "pilots"
    section: str  # id of its section on the initiative page
    form_class: type[MunicipalFormMixin]
    argument: str  # the keyword its update and delete services take, e.g. "pilot"
    add: Callable
    update: Callable
    delete: Callable
    add_title: StrOrPromise
    edit_title: StrOrPromise
    delete_title: StrOrPromise
    saved_message: StrOrPromise
    deleted_message: StrOrPromise


PILOTS = PartKind(
    related_name="pilots",
    section="pilots",
    form_class=PilotForm,
    argument="pilot",
    add=services.add_pilot,
    update=services.update_pilot,
    delete=services.delete_pilot,
    add_title=_("Add a pilot"),
    edit_title=_("Edit pilot"),
    delete_title=_("Delete this pilot?"),
    saved_message=_("The pilot was saved."),
    deleted_message=_("The pilot was deleted."),
)
BARRIERS_MET = PartKind(
    related_name="barriers_met",
    section="barriers",
    form_class=BarrierEncounterForm,
    argument="encounter",
    add=services.add_barrier_encounter,
    update=services.update_barrier_encounter,
    delete=services.delete_barrier_encounter,
    add_title=_("Add a barrier met"),
    edit_title=_("Edit barrier met"),
    delete_title=_("Delete this barrier?"),
    saved_message=_("The barrier was saved."),
    deleted_message=_("The barrier was deleted."),
)
LESSONS = PartKind(
    related_name="lessons",
    section="lessons",
    form_class=LessonForm,
    argument="lesson",
    add=services.add_lesson,
    update=services.update_lesson,
    delete=services.delete_lesson,
    add_title=_("Add a lesson learned"),
    edit_title=_("Edit lesson learned"),
    delete_title=_("Delete this lesson?"),
    saved_message=_("The lesson was saved."),
    deleted_message=_("The lesson was deleted."),
)


def _initiative_and_part(municipality, pk: int, part_pk: int, kind: PartKind):
    """The municipality's initiative and its record of this kind: 404 when either is not there."""
    initiative = get_object_or_404(municipality.initiatives, pk=pk)
    return initiative, get_object_or_404(getattr(initiative, kind.related_name), pk=part_pk)


def _part_form_page(request, municipality, initiative, form, title, kind: PartKind):
    return render(
        request,
        "initiatives/part_form.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "form": form,
            "title": title,
            "cancel_url": _detail_url(initiative, kind.section),
        },
    )


@editor_view
def part_add(request, municipality, pk: int, kind: PartKind):
    initiative = get_object_or_404(municipality.initiatives, pk=pk)
    form = kind.form_class(_posted(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        kind.add(actor=request.user, initiative=initiative, data=form.cleaned_data)
        messages.success(request, kind.saved_message)
        return redirect(_detail_url(initiative, kind.section))
    return _part_form_page(request, municipality, initiative, form, kind.add_title, kind)


@editor_view
def part_edit(request, municipality, pk: int, part_pk: int, kind: PartKind):
    initiative, part = _initiative_and_part(municipality, pk, part_pk, kind)
    form = kind.form_class(_posted(request), instance=part, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        kind.update(actor=request.user, data=form.cleaned_data, **{kind.argument: part})
        messages.success(request, kind.saved_message)
        return redirect(_detail_url(initiative, kind.section))
    return _part_form_page(request, municipality, initiative, form, kind.edit_title, kind)


@editor_view
def part_delete(request, municipality, pk: int, part_pk: int, kind: PartKind):
    initiative, part = _initiative_and_part(municipality, pk, part_pk, kind)
    if request.method == "POST":
        kind.delete(actor=request.user, **{kind.argument: part})
        messages.success(request, kind.deleted_message)
        return redirect(_detail_url(initiative, kind.section))
    return render(
        request,
        "initiatives/confirm_delete.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "title": kind.delete_title,
            "consequence": _("This cannot be undone."),
            "object_label": str(part),
            "cancel_url": _detail_url(initiative, kind.section),
        },
    )
