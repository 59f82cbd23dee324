"""Indicator pages: the city profile, purpose view, indicator page, imports and exports under
/m/<municipality>/indicators/, and the catalogue and comparison under /indicators/."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from roadmap.core.pagination import paginate
from roadmap.core.spreadsheet import FileFormat
from roadmap.framework.models import Purpose
from roadmap.initiatives.selectors import visible_initiatives
from roadmap.municipalities.selectors import municipality_by_slug

from . import charts, exports, imports, selectors, services
from .forms import (
    COMPARE_MIN,
    ClaimForm,
    CompareForm,
    ImportForm,
    MappingForm,
    ObservationForm,
    OwnIndicatorForm,
    TargetForm,
)
from .models import Dimension, ImportBatch, InitiativeIndicator, MappingAdjustment
from .permissions import can_manage_indicators
from .scoring import BANDS, CAP

RECENT_IMPORTS = 10


def manager_view(view):
    """Sign-in first; then 403 unless the user manages this municipality's indicators.
    The wrapped view receives the Municipality instead of its slug."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, municipality: str, **kwargs):
        municipality = municipality_by_slug(municipality)
        if not can_manage_indicators(request.user, municipality):
            raise PermissionDenied
        return view(request, municipality, **kwargs)

    return wrapper


def _posted(request):
    return request.POST if request.method == "POST" else None


def _indicator_url(municipality, indicator) -> str:
    return reverse(
        "indicators:indicator",
        kwargs={"municipality": municipality.slug, "indicator": indicator.slug},
    )


# --- reading ------------------------------------------------------------------------------


def profile(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    return render(
        request,
        "indicators/profile.html",
        {
            "municipality": municipality,
            "profile": selectors.city_profile(municipality),
            "can_manage": can_manage_indicators(request.user, municipality),
            "bands": BANDS,
            "cap_percent": round(CAP * 100),
        },
    )


def purpose(request, municipality: str, code: str):
    municipality = municipality_by_slug(municipality)
    chosen = get_object_or_404(Purpose, code=code)
    return render(
        request,
        "indicators/purpose.html",
        {
            "municipality": municipality,
            "purpose": chosen,
            "group": selectors.purpose_view(municipality, chosen),
            "purposes": Purpose.objects.all(),
        },
    )


def indicator(request, municipality: str, indicator: str):
    municipality = municipality_by_slug(municipality)
    chosen = selectors.indicator_by_slug(municipality, indicator)
    page = selectors.indicator_page(municipality, chosen, request.user)
    return render(
        request,
        "indicators/indicator.html",
        {
            "municipality": municipality,
            "page": page,
            "indicator": chosen,
            "series_charts": [charts.series_chart(row) for row in page.rows if row.points],
            "others_chart": charts.others_chart(chosen, page.others) if page.others else None,
            "can_manage": can_manage_indicators(request.user, municipality),
        },
    )


def export_table(request, municipality: str, file_format: FileFormat):
    municipality = municipality_by_slug(municipality)
    return exports.table_download(
        file_format, municipality, exports.observations_for_export(municipality)
    )


def export_json(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    response = HttpResponse(
        exports.json_text(municipality, exports.observations_for_export(municipality)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-indicators.json"'
    return response


def catalogue(request):
    indicators = list(selectors.indicators_for(None).prefetch_related("purposes", "action_areas"))
    return render(
        request,
        "indicators/catalogue.html",
        {
            "dimensions": [
                (label, [item for item in indicators if item.dimension == code])
                for code, label in Dimension.choices
            ],
            "count": len(indicators),
            "core": sum(1 for item in indicators if item.level == "core"),
        },
    )


def compare(request):
    municipalities = selectors.municipalities_publishing()
    chosen = request.GET.getlist("m")
    # A first load, or a profile's link naming its own municipality, preselects without an
    # error; the form is checked once its button was pressed or a link names enough to compare.
    submitted = "compare" in request.GET or len(chosen) >= COMPARE_MIN
    form = CompareForm(
        request.GET if submitted else None, initial={"m": chosen}, municipalities=municipalities
    )
    comparison = chart = None
    if form.is_bound and form.is_valid():
        comparison = selectors.compare(list(form.cleaned_data["m"]))
        chart = charts.comparison_chart(comparison)
    return render(
        request,
        "indicators/compare.html",
        {"form": form, "comparison": comparison, "chart": chart},
    )


# --- managing -----------------------------------------------------------------------------


def _form_page(
    request,
    municipality,
    form,
    *,
    title: str,
    cancel_url: str,
    intro: str = "",
    template: str = "indicators/form.html",
    **context,
):
    """A management form page; after a POST again with its errors, answered with 400."""
    return render(
        request,
        template,
        {
            "municipality": municipality,
            "form": form,
            "title": title,
            "intro": intro,
            "cancel_url": cancel_url,
            **context,
        },
        status=400 if form.errors else 200,
    )


def _confirm_delete(request, municipality, *, title: str, facts, consequence: str, cancel_url):
    """The page that asks before a deletion; only its POST deletes."""
    return render(
        request,
        "indicators/confirm_delete.html",
        {
            "municipality": municipality,
            "title": title,
            "facts": facts,
            "consequence": consequence,
            "cancel_url": cancel_url,
        },
    )


@manager_view
def target_edit(request, municipality, indicator: str):
    chosen = selectors.indicator_by_slug(municipality, indicator)
    current = selectors.target_for(municipality, chosen)
    form = TargetForm(_posted(request), instance=current)
    if request.method == "POST" and form.is_valid():
        services.set_target(
            actor=request.user, municipality=municipality, indicator=chosen, data=form.cleaned_data
        )
        messages.success(request, _("The target was saved."))
        return redirect(_indicator_url(municipality, chosen))
    return _form_page(
        request,
        municipality,
        form,
        title=_("Target for %(name)s") % {"name": chosen.name},
        intro=_("Unit: %(unit)s. %(direction)s.")
        % {"unit": chosen.unit, "direction": chosen.get_direction_display()},
        cancel_url=_indicator_url(municipality, chosen),
    )


@manager_view
def mapping_edit(request, municipality, indicator: str):
    chosen = selectors.indicator_by_slug(municipality, indicator)
    adjustment = MappingAdjustment.objects.filter(
        municipality=municipality, indicator=chosen
    ).first()
    source = adjustment or chosen
    initial = {
        "purposes": list(source.purposes.all()),
        "action_areas": list(source.action_areas.all()),
    }
    form = MappingForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.adjust_mapping(
            actor=request.user, municipality=municipality, indicator=chosen, **form.cleaned_data
        )
        messages.success(request, _("The mapping was saved."))
        return redirect(_indicator_url(municipality, chosen))
    return _form_page(
        request,
        municipality,
        form,
        title=_("Purposes and action areas of %(name)s") % {"name": chosen.name},
        intro=_("Your choice replaces the catalogue's default mapping for %(municipality)s.")
        % {"municipality": municipality.name},
        cancel_url=_indicator_url(municipality, chosen),
    )


@manager_view
def own_indicator_create(request, municipality):
    form = OwnIndicatorForm(_posted(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        created = services.create_own_indicator(
            actor=request.user, municipality=municipality, data=form.cleaned_data
        )
        messages.success(request, _("The indicator was added."))
        return redirect(_indicator_url(municipality, created))
    return _form_page(
        request,
        municipality,
        form,
        title=_("Add an indicator of your own"),
        cancel_url=reverse("indicators:profile", kwargs={"municipality": municipality.slug}),
    )


@manager_view
def own_indicator_edit(request, municipality, indicator: str):
    own = selectors.own_indicator(municipality, indicator)
    # Before validation, which writes the posted values onto the form's instance.
    title = _("Edit the indicator %(name)s") % {"name": own.name}
    cancel_url = _indicator_url(municipality, own)
    form = OwnIndicatorForm(_posted(request), instance=own, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        updated = services.update_own_indicator(
            actor=request.user, indicator=own, data=form.cleaned_data
        )
        messages.success(request, _("The indicator was saved."))
        return redirect(_indicator_url(municipality, updated))
    return _form_page(request, municipality, form, title=title, cancel_url=cancel_url)


@manager_view
def own_indicator_delete(request, municipality, indicator: str):
    own = selectors.own_indicator(municipality, indicator)
    if request.method == "POST":
        services.delete_own_indicator(actor=request.user, indicator=own)
        messages.success(request, _("The indicator “%(name)s” was deleted.") % {"name": own.name})
        return redirect("indicators:profile", municipality=municipality.slug)
    counts = selectors.own_indicator_dependants(own)
    return _confirm_delete(
        request,
        municipality,
        title=_("Delete the indicator “%(name)s”?") % {"name": own.name},
        facts=[
            (_("Code"), own.code),
            (_("Observations"), counts["observations"]),
            (_("Targets"), counts["targets"]),
            (_("Links to initiatives"), counts["initiative_links"]),
        ],
        consequence=_(
            "Its observations, targets and links to initiatives are deleted with it. This "
            "cannot be undone."
        ),
        cancel_url=_indicator_url(municipality, own),
    )


def _observations_url(municipality, indicator) -> str:
    return reverse(
        "indicators:observation_create",
        kwargs={"municipality": municipality.slug, "indicator": indicator.slug},
    )


@manager_view
def observation_create(request, municipality, indicator: str):
    chosen = selectors.indicator_by_slug(municipality, indicator)
    # "Correct" in the list below opens the form filled in with that observation.
    correcting = request.GET.get("correct", "")
    shown = selectors.observations_of(municipality, chosen)
    initial = {}
    if correcting.isdigit() and (observation := shown.filter(pk=correcting).first()):
        initial = ObservationForm.initial_from(observation)
    form = ObservationForm(_posted(request), indicator=chosen, initial=initial)
    if request.method == "POST" and form.is_valid():
        observation, outcome = services.record_observation(
            actor=request.user,
            municipality=municipality,
            indicator=chosen,
            data=form.observation_data(),
        )
        saved = {
            "created": _("The observation for %(period)s was added."),
            "updated": _(
                "There was already an observation for %(period)s; it was updated with the new "
                "values."
            ),
            "unchanged": _("The observation for %(period)s already had these values."),
        }[outcome]
        messages.success(request, saved % {"period": observation.period_label})
        return redirect(request.path)
    return _form_page(
        request,
        municipality,
        form,
        title=_("Add an observation of %(name)s") % {"name": chosen.name},
        intro=_(
            "To correct an observation, choose “Correct” in the list below, or enter its period "
            "and series again with the right values: it is updated in place."
        ),
        cancel_url=_indicator_url(municipality, chosen),
        template="indicators/observations.html",
        indicator=chosen,
        page_obj=paginate(request, shown),
    )


@manager_view
def observation_delete(request, municipality, indicator: str, pk: int):
    chosen = selectors.indicator_by_slug(municipality, indicator)
    observation = get_object_or_404(selectors.observations_of(municipality, chosen), pk=pk)
    observation.indicator = chosen
    if request.method == "POST":
        services.delete_observation(actor=request.user, observation=observation)
        messages.success(
            request,
            _("The observation for %(period)s was deleted.") % {"period": observation.period_label},
        )
        return redirect(_observations_url(municipality, chosen))
    return _confirm_delete(
        request,
        municipality,
        title=_("Delete this observation of %(name)s?") % {"name": chosen.name},
        facts=[
            (_("Period"), observation.period_label),
            (_("Series"), observation.series or _("Whole indicator")),
            (_("Value"), f"{selectors.format_number(observation.value)} {chosen.unit}"),
            (_("Source"), observation.source or "—"),
            (_("Data quality"), observation.get_quality_display() or "—"),
        ],
        consequence=_("This cannot be undone."),
        cancel_url=_observations_url(municipality, chosen),
    )


@manager_view
def import_upload(request, municipality):
    form = ImportForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.receive_import(
            actor=request.user, municipality=municipality, filename=upload.name, data=upload.read()
        )
        return redirect("indicators:import_batch", municipality=municipality.slug, pk=batch.pk)
    return render(
        request,
        "indicators/import.html",
        {
            "municipality": municipality,
            "form": form,
            "batches": selectors.import_batches(municipality)[:RECENT_IMPORTS],
        },
        status=400 if form.errors else 200,
    )


@manager_view
def import_batch(request, municipality, pk: int):
    # The rows themselves (up to a million) are not needed to show the report.
    batch = get_object_or_404(
        ImportBatch.objects.defer("columns"), municipality=municipality, pk=pk
    )
    if request.method == "POST":
        try:
            batch = services.request_commit(actor=request.user, batch=batch)
        except services.ImportNotReady:
            messages.error(
                request, _("This import cannot be committed (it has problems or is done).")
            )
        else:
            if batch.status == ImportBatch.Status.COMMITTED:
                messages.success(request, _("The observations were imported."))
        return redirect("indicators:import_batch", municipality=municipality.slug, pk=batch.pk)
    return render(
        request,
        "indicators/import_batch.html",
        {"municipality": municipality, "batch": batch},
    )


@manager_view
@never_cache
def import_source(request, municipality, pk: int):
    """The uploaded original, streamed from storage as a download: never a public address."""
    batch = get_object_or_404(
        ImportBatch.objects.defer("columns"), municipality=municipality, pk=pk
    )
    stored_name = batch.source.name
    if not stored_name or not batch.source.storage.exists(stored_name):
        raise Http404
    response = FileResponse(
        batch.source.open("rb"),
        as_attachment=True,
        filename=imports.download_name(batch.filename),
        content_type=imports.content_type(stored_name),
    )
    # Set here too, not only by the security middleware: an upload must never be sniffed.
    response["X-Content-Type-Options"] = "nosniff"
    return response


@manager_view
def initiative_claims(request, municipality, pk: int):
    initiative = get_object_or_404(visible_initiatives(municipality, request.user), pk=pk)
    form = ClaimForm(_posted(request), indicators=selectors.indicators_for(municipality))
    if request.method == "POST":
        if "withdraw" in request.POST:
            claim = get_object_or_404(
                InitiativeIndicator, initiative=initiative, pk=request.POST.get("withdraw")
            )
            services.withdraw_claim(actor=request.user, claim=claim)
            messages.success(request, _("The indicator was removed from the initiative."))
            return redirect(request.path)
        if form.is_valid():
            services.claim_indicator(actor=request.user, initiative=initiative, **form.cleaned_data)
            messages.success(request, _("The indicator was linked to the initiative."))
            return redirect(request.path)
    return render(
        request,
        "indicators/initiative_claims.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "claims": initiative.indicator_claims.select_related("indicator"),
            "form": form,
        },
    )
