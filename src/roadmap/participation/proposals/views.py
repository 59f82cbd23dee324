"""Pages where participants read, write, comment on and support proposals."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmap.core.pagination import paginate
from roadmap.municipalities.permissions import is_member

from ..models import Visibility
from ..permissions import action_decision, can_manage_processes, can_moderate
from ..processes.selectors import current_phase, phase_banner
from . import selectors, services
from .forms import CommentForm, ProposalFilterForm, ProposalForm

SHUFFLE_SESSION_KEY = "participation_proposal_shuffle"


def _process(request, municipality: str, process: str):
    process = selectors.visible_process(municipality, request.user, process)
    return process.municipality, process


def _detail_url(proposal, anchor: str = "", page: int = 1) -> str:
    url = reverse(
        "participation:proposal_detail",
        kwargs={
            "municipality": proposal.process.municipality.slug,
            "process": proposal.process.slug,
            "pk": proposal.pk,
        },
    )
    if page > 1:
        url = f"{url}?page={page}"
    return f"{url}#{anchor}" if anchor else url


def _posted(request):
    return request.POST if request.method == "POST" else None


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _shuffle_seed(request) -> tuple[int, int]:
    """This visitor's random order: chosen once and kept in the session, so paging through the
    list neither repeats nor skips a proposal."""
    seed = request.session.get(SHUFFLE_SESSION_KEY)
    if not seed:
        prime = selectors.RANDOM_PRIME
        seed = [1 + secrets.randbelow(prime - 1), secrets.randbelow(prime)]
        request.session[SHUFFLE_SESSION_KEY] = seed
    return seed[0], seed[1]


def _report_saved(request, item, published_message: str) -> None:
    if item.visibility == Visibility.PENDING:
        messages.warning(
            request,
            _(
                "Thank you. Because your account is new and your text contains a link, a "
                "moderator will look at it before others can see it."
            ),
        )
    else:
        messages.success(request, published_message)


def proposal_list(request, municipality: str, process: str):
    municipality, process = _process(request, municipality, process)
    filter_form = ProposalFilterForm(request.GET, process=process)
    filters = filter_form.filters()
    if filters.sort == selectors.SORT_RANDOM:
        filters = dataclasses.replace(filters, random_seed=_shuffle_seed(request))
    banner = phase_banner(process, request.user)
    return render(
        request,
        "participation/proposal_list.html",
        {
            "municipality": municipality,
            "process": process,
            "phase_banner": banner,
            "propose_decision": action_decision(request.user, banner.phase, "propose"),
            "filter_form": filter_form,
            "active_filters": filter_form.active_filters(),
            "page_obj": paginate(request, selectors.proposal_list(process, request.user, filters)),
        },
    )


def _proposal_form_page(request, municipality, process, *, form, refusal, proposal=None):
    refused_post = request.method == "POST" and bool(refusal)
    return render(
        request,
        "participation/proposal_form.html",
        {
            "municipality": municipality,
            "process": process,
            "proposal": proposal,
            "form": form,
            "refusal": refusal,
            "cancel_url": _detail_url(proposal)
            if proposal
            else reverse(
                "participation:proposal_list",
                kwargs={"municipality": municipality.slug, "process": process.slug},
            ),
        },
        status=403 if refused_post else 200,
    )


@login_required
def proposal_create(request, municipality: str, process: str):
    municipality, process = _process(request, municipality, process)
    decision = action_decision(request.user, current_phase(process), "propose")
    form = ProposalForm(_posted(request), process=process, user=request.user)
    if request.method == "POST" and decision and form.is_valid():
        try:
            proposal = services.create_proposal(
                author=request.user, process=process, data=form.cleaned_data
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            _report_saved(request, proposal, _("Your proposal was published."))
            return redirect(_detail_url(proposal))
    return _proposal_form_page(request, municipality, process, form=form, refusal=decision.reason)


@login_required
def proposal_edit(request, municipality: str, process: str, pk: int):
    municipality, process = _process(request, municipality, process)
    proposal = selectors.proposal_detail(process, request.user, pk)
    if proposal.author_id != request.user.pk:
        raise PermissionDenied
    allowed, refusal = services.can_edit(request.user, proposal)
    if allowed:
        refusal = action_decision(request.user, current_phase(process), "propose").reason
    form = ProposalForm(
        _posted(request),
        initial=ProposalForm.initial_from(proposal),
        process=process,
        user=request.user,
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            proposal = services.update_proposal(
                actor=request.user, proposal=proposal, data=form.cleaned_data
            )
        except services.Refused as error:
            form.add_error(None, error.message)
        else:
            _report_saved(request, proposal, _("Your proposal was saved."))
            return redirect(_detail_url(proposal))
    return _proposal_form_page(
        request, municipality, process, form=form, refusal=refusal, proposal=proposal
    )


def _support_context(request, proposal, phase, announcement: str = "", error: str = "") -> dict:
    return {
        "proposal": proposal,
        "supported": selectors.has_supported(request.user, proposal),
        "support_decision": action_decision(request.user, phase, "support"),
        "announcement": announcement,
        "support_error": error,
    }


THREADS_CACHE_SECONDS = 60 * 60


@dataclasses.dataclass(frozen=True)
class CommentLinks:
    """The parts of the links every comment carries, built once per page: a page shows up to
    hundreds of comments, and reversing a URL for each of them was a third of its time."""

    flag_prefix: str  # + comment id + flag_suffix
    flag_suffix: str
    next_query: str  # "?next=<this page>" for the flag form, to come back here
    reply_query: str  # this page's query string with "reply_to=" last, the id to follow


def _comment_links(request, municipality) -> CommentLinks:
    marker = "987654321"
    flag = reverse(
        "participation:flag",
        kwargs={"municipality": municipality.slug, "kind": "comments", "pk": int(marker)},
    )
    prefix, suffix = flag.split(marker)
    query = request.GET.copy()
    query.pop("reply_to", None)
    return CommentLinks(
        flag_prefix=prefix,
        flag_suffix=suffix,
        next_query=urlencode({"next": request.get_full_path()}),
        reply_query=f"{query.urlencode()}&reply_to=" if query else "reply_to=",
    )


def _threads_html(request, nodes, *, may_reply: bool, links: CommentLinks) -> str:
    """The comment threads as HTML, rendered once and then reused from the cache.

    The key holds every value `_comment.html` reads, so a new reply, an edit, moderation or a
    renamed author makes a new key and nothing needs invalidating: a long discussion costs its
    rendering once per page and language instead of once per visit."""
    signed_in = request.user.is_authenticated
    fingerprint: list = [get_language(), signed_in, may_reply, dataclasses.astuple(links)]

    def add(nodes):
        for node in nodes:
            comment = node.comment
            organisation = comment.organisation.name if comment.organisation_id else ""
            fingerprint.append(
                (
                    comment.pk,
                    comment.depth,
                    comment.visibility,
                    comment.moderation_reason,
                    str(comment.author) if comment.author_id else "",
                    organisation,
                    comment.created_at.isoformat(),
                    comment.body_html,
                )
            )
            add(node.replies)

    add(nodes)
    digest = hashlib.sha256(json.dumps(fingerprint).encode()).hexdigest()
    key = f"participation:threads:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "participation/_comment_threads.html",
            {
                "comments": nodes,
                "may_reply": may_reply,
                "comment_links": links,
                "user": request.user,
            },
        )
        cache.set(key, html, THREADS_CACHE_SECONDS)
    # Rendered by our own template with autoescaping; user text inside is escaped or nh3-clean.
    return mark_safe(html)  # noqa: S308


def _detail_page(request, municipality, process, proposal, *, comment_form=None, status=200):
    phase = current_phase(process)
    comment_decision = action_decision(request.user, phase, "comment")
    if comment_form is None and comment_decision:
        reply_to = request.GET.get("reply_to", "")
        comment_form = CommentForm(
            proposal=proposal,
            user=request.user,
            initial={"parent": int(reply_to)} if reply_to.isdigit() else {},
        )
    may_reply = bool(comment_decision) and proposal.visibility == Visibility.PUBLISHED
    member = is_member(request.user, municipality)
    initiative = proposal.initiative
    threads = paginate(
        request, selectors.comment_threads(proposal, request.user), selectors.THREADS_PER_PAGE
    )
    return render(
        request,
        "participation/proposal_detail.html",
        {
            "municipality": municipality,
            "process": process,
            "phase": phase,
            "comments_html": _threads_html(
                request,
                selectors.comment_tree(proposal, request.user, threads),
                may_reply=may_reply,
                links=_comment_links(request, municipality),
            ),
            "page_obj": threads,
            "comment_form": comment_form,
            "comment_decision": comment_decision,
            "may_reply": may_reply,
            "comment_url": reverse(
                "participation:comment_create",
                kwargs={
                    "municipality": municipality.slug,
                    "process": process.slug,
                    "pk": proposal.pk,
                },
            ),
            "is_author": request.user.is_authenticated and proposal.author_id == request.user.pk,
            "can_edit": services.can_edit(request.user, proposal)[0],
            "can_answer": can_manage_processes(request.user, municipality),
            "can_moderate": can_moderate(request.user, municipality),
            "show_initiative": initiative is not None and (initiative.is_public or member),
            **_support_context(request, proposal, phase),
        },
        status=status,
    )


def proposal_detail(request, municipality: str, process: str, pk: int):
    municipality, process = _process(request, municipality, process)
    proposal = selectors.proposal_detail(process, request.user, pk)
    return _detail_page(request, municipality, process, proposal)


@require_POST
def proposal_support(request, municipality: str, process: str, pk: int):
    municipality, process = _process(request, municipality, process)
    proposal = selectors.proposal_to_support(process, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_detail_url(proposal))
    withdrawing = request.POST.get("action") == "withdraw"
    announcement = error = ""
    try:
        if withdrawing:
            services.withdraw_support(user=request.user, proposal=proposal)
        else:
            services.support(user=request.user, proposal=proposal)
    except services.Refused as refusal:
        error = refusal.message
    else:
        count = proposal.support_count  # as the service left it, or as just read
        announcement = (
            _("You withdrew your support. Supports now: %(count)s.")
            if withdrawing
            else _("You support this proposal. Supports now: %(count)s.")
        ) % {"count": count}
    if _is_htmx(request):
        context = _support_context(
            request, proposal, current_phase(process), announcement=announcement, error=error
        )
        return render(request, "participation/_support_response.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, announcement)
    return redirect(_detail_url(proposal, "support"))


@require_POST
def comment_create(request, municipality: str, process: str, pk: int):
    municipality, process = _process(request, municipality, process)
    proposal = selectors.proposal_detail(process, request.user, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_detail_url(proposal, "comments"))
    form = CommentForm(request.POST, proposal=proposal, user=request.user)
    if not form.is_valid():
        return _detail_page(request, municipality, process, proposal, comment_form=form, status=400)
    try:
        comment = services.add_comment(
            author=request.user,
            proposal=proposal,
            body=form.cleaned_data["body"],
            parent=form.cleaned_data["parent"],
            organisation=form.cleaned_data.get("organisation"),
        )
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(_detail_url(proposal, "comments"))
    _report_saved(request, comment, _("Your comment was published."))
    page = selectors.thread_page_number(comment, request.user)
    return redirect(_detail_url(proposal, f"comment-{comment.pk}", page=page))
