"""Pages for principle-based assessments of one initiative, and its CSV and XLSX export.

Every view looks the initiative up through the municipality in the URL and then checks that
the user may see it, so guessing another municipality's ids gives 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core.spreadsheet import FileFormat, table_response
from roadmap.municipalities.selectors import municipality_by_slug

from ..models import Assessment, AssessmentStatus, Initiative
from ..permissions import can_assess, can_view_initiative
from . import selectors, services
from .forms import AssessmentForm


def _visible_initiative(request: HttpRequest, municipality: str, pk: int) -> Initiative:
    municipality_obj = municipality_by_slug(municipality)
    initiative = get_object_or_404(
        Initiative.objects.select_related("municipality"), pk=pk, municipality=municipality_obj
    )
    if not can_view_initiative(request.user, initiative):
        raise Http404
    return initiative


class SignedInRequest(HttpRequest):
    """A request that assessor_view let through: its user is signed in."""

    user: User


def assessor_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first (an anonymous user goes to the sign-in page, not a 403), then the initiative
    the user may assess and, when the URL names one, its assessment. The wrapped view receives
    them instead of the ids."""

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, municipality: str, pk: int, assessment_pk: int | None = None
    ) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        initiative = _visible_initiative(request, municipality, pk)
        if not can_assess(request.user, initiative.municipality):
            raise PermissionDenied
        if assessment_pk is None:
            return view(request, initiative)
        return view(request, initiative, _assessment_of(request, initiative, assessment_pk))

    return wrapper


def _assessment_of(request: HttpRequest, initiative: Initiative, assessment_pk: int) -> Assessment:
    return get_object_or_404(
        selectors.visible_assessments(initiative, request.user).prefetch_related("ratings"),
        pk=assessment_pk,
    )


def _detail_redirect(initiative: Initiative, assessment: Assessment):
    return redirect(
        "initiatives:assessment_detail",
        municipality=initiative.municipality.slug,
        pk=initiative.pk,
        assessment_pk=assessment.pk,
    )


def _posted(request: HttpRequest):
    """The posted data, even when empty, so an empty submission is validated, not ignored."""
    return request.POST if request.method == "POST" else None


def _context(initiative: Initiative, **extra) -> dict:
    return {"municipality": initiative.municipality, "initiative": initiative, **extra}


def _write(
    request: HttpRequest,
    write: Callable[[], Assessment],
    success: str,
    form: AssessmentForm | None = None,
) -> Assessment | None:
    """Call a service write: on success its message and the saved assessment; on a refusal
    (ValidationError) None, the reasons going onto the form when there is one and otherwise
    into the messages."""
    try:
        saved = write()
    except ValidationError as error:
        if form is not None:
            form.add_error(None, error)
        else:
            for message in error.messages:
                messages.error(request, message)
        return None
    messages.success(request, success)
    return saved


def _form_page(
    request: HttpRequest,
    initiative: Initiative,
    assessment: Assessment | None,
    form: AssessmentForm,
    write: Callable[..., Assessment],
    success: str,
) -> HttpResponse:
    """The assessment form, new or draft: a valid post goes to the service write."""
    if request.method == "POST" and form.is_valid():
        fields = {
            "assessed_on": form.cleaned_data["assessed_on"],
            "summary": form.cleaned_data["summary"],
            "ratings": form.rating_inputs(),
        }
        saved = _write(request, functools.partial(write, **fields), success, form)
        if saved is not None:
            return _detail_redirect(initiative, saved)
    return render(
        request,
        "initiatives/assessments/form.html",
        _context(initiative, form=form, assessment=assessment),
    )


@assessor_view
def assessment_create(request: SignedInRequest, initiative: Initiative) -> HttpResponse:
    form = AssessmentForm(_posted(request), principles=selectors.principles_for_form(initiative))
    return _form_page(
        request,
        initiative,
        None,
        form,
        functools.partial(services.create_assessment, actor=request.user, initiative=initiative),
        _("The assessment is saved as a draft."),
    )


def assessment_detail(
    request: HttpRequest, municipality: str, pk: int, assessment_pk: int
) -> HttpResponse:
    initiative = _visible_initiative(request, municipality, pk)
    detail = selectors.assessment_detail(initiative, assessment_pk, request.user)
    if detail is None:
        raise Http404
    return render(
        request,
        "initiatives/assessments/detail.html",
        _context(
            initiative,
            detail=detail,
            assessment=detail.assessment,
            can_assess=can_assess(request.user, initiative.municipality),
        ),
    )


@assessor_view
def assessment_edit(
    request: SignedInRequest, initiative: Initiative, assessment: Assessment
) -> HttpResponse:
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(request, _("This assessment is final and can no longer be changed."))
        return _detail_redirect(initiative, assessment)
    form = AssessmentForm(
        _posted(request),
        principles=selectors.principles_for_form(initiative, assessment),
        assessment=assessment,
    )
    return _form_page(
        request,
        initiative,
        assessment,
        form,
        functools.partial(services.update_assessment, actor=request.user, assessment=assessment),
        _("The draft assessment is saved."),
    )


@assessor_view
def assessment_finalise(
    request: SignedInRequest, initiative: Initiative, assessment: Assessment
) -> HttpResponse:
    """Finalising cannot be undone, so a GET asks first; the page's button posts."""
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(request, _("This assessment is final and can no longer be changed."))
        return _detail_redirect(initiative, assessment)
    if request.method == "POST":
        _write(
            request,
            functools.partial(
                services.finalise_assessment, actor=request.user, assessment=assessment
            ),
            _("The assessment is final. It can no longer be changed."),
        )
        return _detail_redirect(initiative, assessment)
    detail = selectors.assessment_detail(initiative, assessment.pk, request.user)
    return render(
        request,
        "initiatives/assessments/confirm_finalise.html",
        _context(initiative, assessment=assessment, detail=detail),
    )


@assessor_view
def assessment_delete(
    request: SignedInRequest, initiative: Initiative, assessment: Assessment
) -> HttpResponse:
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(request, _("Final assessments are kept and cannot be deleted."))
        return _detail_redirect(initiative, assessment)
    if request.method == "POST":
        services.delete_draft_assessment(actor=request.user, assessment=assessment)
        messages.success(request, _("The draft assessment is deleted."))
        return redirect(
            "initiatives:detail", municipality=initiative.municipality.slug, pk=initiative.pk
        )
    return render(
        request,
        "initiatives/assessments/confirm_delete.html",
        _context(initiative, assessment=assessment),
    )


# --- CSV and XLSX export ----------------------------------------------------------------------


def assessment_export(
    request: HttpRequest, municipality: str, pk: int, file_format: FileFormat
) -> StreamingHttpResponse:
    initiative = _visible_initiative(request, municipality, pk)
    assessments = selectors.initiative_export_assessments(initiative, request.user)
    return table_response(
        file_format,
        f"{initiative.municipality.slug}-initiative-{initiative.pk}-assessments",
        selectors.export_header(),
        selectors.export_rows(assessments),
    )


# --- what waits for the assessors -------------------------------------------------------------


def assessment_worklist(request: HttpRequest, municipality: str) -> HttpResponse:
    """The assessors' list: drafts to finalise, initiatives never or long ago assessed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    place = municipality_by_slug(municipality)
    if not can_assess(request.user, place):
        raise PermissionDenied
    return render(
        request,
        "initiatives/assessments/worklist.html",
        {
            "municipality": place,
            "worklist": selectors.assessment_worklist(place),
        },
    )
