from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from roadmap.accounts.models import TERMS_VERSION
from roadmap.municipalities.selectors import municipality_by_slug

from . import selectors, services
from .forms import PageForm
from .help import HELP
from .models import PageKind
from .permissions import can_edit_pages

FAVICON = Path(__file__).parent.parent / "static" / "img" / "favicon.ico"


def _kind(kind: str) -> str:
    if kind not in PageKind.values:
        raise Http404
    return kind


def page(request, kind: str, municipality: str | None = None):
    place = municipality_by_slug(municipality) if municipality else None
    shown = selectors.shown_page(_kind(kind), place)
    return render(
        request,
        "information/page.html",
        {
            "page": shown,
            "municipality": place,
            "can_edit": place is not None and can_edit_pages(request.user, place),
        },
    )


@login_required
def edit(request, municipality: str, kind: str):
    place = municipality_by_slug(municipality)
    kind = _kind(kind)
    if not can_edit_pages(request.user, place):
        raise PermissionDenied
    if request.method == "POST" and "restore" in request.POST:
        services.restore_default(actor=request.user, municipality=place, kind=kind)
        messages.success(request, _("The page shows the default text again."))
        return redirect("information:municipal_page", municipality=place.slug, kind=kind)
    body, checked_on = selectors.editable_text(place, kind)
    form = PageForm(
        request.POST or None, kind=kind, initial={"body": body, "checked_on": checked_on}
    )
    if request.method == "POST" and form.is_valid():
        services.save_page(
            actor=request.user,
            municipality=place,
            kind=kind,
            body=form.cleaned_data["body"],
            checked_on=form.cleaned_data.get("checked_on"),
        )
        messages.success(request, _("The page was saved."))
        return redirect("information:municipal_page", municipality=place.slug, kind=kind)
    return render(
        request,
        "information/edit.html",
        {
            "municipality": place,
            "form": form,
            "title": PageKind(kind).label,
            "kind": kind,
            "has_own_text": selectors.own_page(place, kind) is not None,
        },
        status=400 if form.errors else 200,
    )


def terms(request):
    return render(
        request,
        "information/terms.html",
        {"version": TERMS_VERSION, "html": selectors.terms_html()},
    )


def help_index(request):
    return render(request, "information/help_index.html", {"roles": HELP})


def help_role(request, role: str):
    if role not in HELP:
        raise Http404
    return render(request, "information/help.html", {"help": HELP[role], "roles": HELP})


@cache_control(max_age=86400, public=True)
def favicon(request):
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
