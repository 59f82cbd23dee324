"""Moderators' pages (queue, hide, restore, approve, dismiss, block) and participants' reports."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from roadmap.core.pagination import paginate
from roadmap.core.redirects import safe_next
from roadmap.municipalities.selectors import municipality_by_slug

from ..models import Proposal, Visibility
from ..permissions import can_moderate, can_view_process
from . import selectors, services
from .forms import ReasonForm


def _queue_url(municipality) -> str:
    return reverse("participation:moderation_queue", kwargs={"municipality": municipality.slug})


def _posted(request):
    return request.POST if request.method == "POST" else None


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def moderator_view(view):
    """Sign-in first; then 403 unless the user moderates this municipality.
    The wrapped view receives the Municipality instead of its slug."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, municipality: str, **kwargs):
        municipality = municipality_by_slug(municipality)
        if not can_moderate(request.user, municipality):
            raise PermissionDenied
        return view(request, municipality, **kwargs)

    return wrapper


@moderator_view
def moderation_queue(request, municipality):
    return render(
        request,
        "participation/moderation_queue.html",
        {
            "municipality": municipality,
            "flags_page": paginate(request, selectors.open_flags(municipality)),
            **selectors.moderation_queue(municipality),
        },
    )


def _reason_page(request, municipality, *, form, heading, submit_label, item=None, user=None):
    return render(
        request,
        "participation/moderation_reason.html",
        {
            "municipality": municipality,
            "form": form,
            "heading": heading,
            "submit_label": submit_label,
            "item": item,
            "blocked_user": user,
            "cancel_url": _queue_url(municipality),
        },
    )


@moderator_view
def moderation_hide(request, municipality, kind: str, pk: int):
    item = selectors.item_in(municipality, kind, pk)
    form = ReasonForm(
        _posted(request),
        label=_("Public reason"),
        help_text=_("Shown in place of the post: “Hidden by a moderator: <reason>”."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_item(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The post is hidden."))
            return redirect(_queue_url(municipality))
    return _reason_page(
        request,
        municipality,
        form=form,
        heading=_("Hide a post"),
        submit_label=_("Hide post"),
        item=item,
    )


def _item_action(service, success_message):
    """A POST-only moderator button acting on one proposal or comment."""

    @require_POST
    @moderator_view
    def view(request, municipality, kind: str, pk: int):
        item = selectors.item_in(municipality, kind, pk)
        try:
            service(actor=request.user, item=item)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, success_message)
        return redirect(safe_next(request) or _queue_url(municipality))

    return view


moderation_restore = _item_action(services.restore_item, _("The post is shown again."))
moderation_approve = _item_action(services.approve_item, _("The post is published."))


@require_POST
@moderator_view
def moderation_dismiss_flag(request, municipality, pk: int):
    flag = selectors.flag_in(municipality, pk)
    try:
        services.dismiss_flag(actor=request.user, flag=flag)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The report was dismissed."))
    return redirect(safe_next(request) or _queue_url(municipality))


@moderator_view
def moderation_block(request, municipality, user_id: int):
    user = selectors.blockable_user(municipality, user_id)
    form = ReasonForm(
        _posted(request),
        help_text=_("Kept for the moderators and the audit trail; not shown in public."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.block_user(
                actor=request.user,
                municipality=municipality,
                user=user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The user is blocked from taking part here."))
            return redirect(_queue_url(municipality))
    return _reason_page(
        request,
        municipality,
        form=form,
        heading=_("Block a user"),
        submit_label=_("Block user"),
        user=user,
    )


@require_POST
@moderator_view
def moderation_unblock(request, municipality, user_id: int):
    user = selectors.blockable_user(municipality, user_id)
    try:
        services.unblock_user(actor=request.user, municipality=municipality, user=user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The user may take part again."))
    return redirect(_queue_url(municipality))


@login_required
def flag_item(request, municipality: str, kind: str, pk: int):
    """A signed-in participant reports a published post they can see."""
    municipality = municipality_by_slug(municipality)
    item = selectors.item_in(municipality, kind, pk)
    process = item.process if isinstance(item, Proposal) else item.proposal.process
    if item.visibility != Visibility.PUBLISHED or not can_view_process(request.user, process):
        raise Http404
    form = ReasonForm(
        _posted(request),
        label=_("What is wrong with this post?"),
        help_text=_("Only the moderators see your report."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_item(reporter=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
            return redirect(safe_next(request) or reverse("home"))
    return render(
        request,
        "participation/moderation_flag.html",
        {
            "municipality": municipality,
            "form": form,
            "item": item,
            "next": safe_next(request) or "",
        },
    )
