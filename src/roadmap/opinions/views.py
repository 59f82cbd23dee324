"""Opinion-map pages: vote on one statement at a time, add statements, read the map, moderate.

Every form posts to a normal URL and redirects back, so everything works without JavaScript;
with htmx the voting card is swapped in place with the next statement.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmap.core.pagination import paginate
from roadmap.core.redirects import safe_next
from roadmap.participation.permissions import action_decision
from roadmap.participation.proposals.selectors import visible_process

from . import selectors, services
from .forms import StatementForm, VoteForm
from .mapping import MIN_VOTES_TO_PLACE


def _phase(request, municipality: str, process: str, phase: int):
    process = visible_process(municipality, request.user, process)
    return process.municipality, process, selectors.opinion_phase(process, phase)


def _phase_url(phase, name: str = "phase") -> str:
    return reverse(
        f"opinions:{name}",
        kwargs={
            "municipality": phase.process.municipality.slug,
            "process": phase.process.slug,
            "phase": phase.pk,
        },
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _vote_card_context(request, phase) -> dict:
    opinion_map = selectors.stored_map(phase)
    voted, approved = selectors.progress(phase, request.user)
    return {
        "phase": phase,
        "statement": selectors.next_statement(phase, request.user, opinion_map),
        "vote_decision": action_decision(request.user, phase, "vote"),
        "voted_count": voted,
        "approved_count": approved,
        "opinion_map": opinion_map,
    }


def phase_detail(request, municipality: str, process: str, phase: int, *, statement_form=None):
    municipality, process, phase = _phase(request, municipality, process, phase)
    is_moderator = selectors.may_moderate(request.user, phase)
    context = {
        "municipality": municipality,
        "process": process,
        "propose_decision": action_decision(request.user, phase, "propose"),
        "statement_form": statement_form or StatementForm(),
        "own_pending": selectors.own_pending_statements(phase, request.user),
        "is_moderator": is_moderator,
        "pending_count": selectors.pending_statements(phase).count() if is_moderator else 0,
        "min_votes": MIN_VOTES_TO_PLACE,
        **_vote_card_context(request, phase),
    }
    status = 400 if statement_form is not None else 200
    return render(request, "opinions/phase_detail.html", context, status=status)


@login_required
@require_POST
def vote(request, municipality: str, process: str, phase: int):
    municipality, process, phase = _phase(request, municipality, process, phase)
    form = VoteForm(request.POST)
    error = ""
    if form.is_valid():
        statement = selectors.statement_for_vote(phase, form.cleaned_data["statement"])
        try:
            services.cast_vote(
                user=request.user,
                statement=statement,
                value=services.VOTE_VALUES[form.cleaned_data["choice"]],
            )
        except services.Refused as refusal:
            error = refusal.message
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    if _is_htmx(request):
        context = {**_vote_card_context(request, phase), "vote_error": error, "voted": not error}
        # 200 even for a refusal: htmx swaps only successful answers, and the card shows why.
        return render(request, "opinions/_vote_card.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your vote was saved. Here is the next statement."))
    return redirect(_phase_url(phase) + "#vote-card")


@login_required
@require_POST
def statement_create(request, municipality: str, process: str, phase: int):
    _municipality, _process, phase_obj = _phase(request, municipality, process, phase)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement = services.submit_statement(
                author=request.user, phase=phase_obj, **form.cleaned_data
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            if statement.status == statement.Status.PENDING:
                messages.success(
                    request,
                    _("Thank you. A moderator will read your statement before others vote on it."),
                )
            else:
                messages.success(request, _("Thank you. Your statement is open for votes."))
            return redirect(_phase_url(phase_obj))
    return phase_detail(request, municipality, process, phase, statement_form=form)


def map_detail(request, municipality: str, process: str, phase: int):
    municipality, process, phase = _phase(request, municipality, process, phase)
    return render(
        request,
        "opinions/map_detail.html",
        {
            "municipality": municipality,
            "process": process,
            "phase": phase,
            "page": selectors.map_page(phase),
            "min_votes": MIN_VOTES_TO_PLACE,
        },
    )


@login_required
def moderation(request, municipality: str, process: str, phase: int):
    municipality, process, phase = _phase(request, municipality, process, phase)
    if not selectors.may_moderate(request.user, phase):
        raise PermissionDenied
    return render(
        request,
        "opinions/moderation.html",
        {
            "municipality": municipality,
            "process": process,
            "phase": phase,
            "page_obj": paginate(request, selectors.pending_statements(phase)),
        },
    )


@login_required
@require_POST
def moderate(request, municipality: str, process: str, phase: int, pk: int):
    municipality, process, phase = _phase(request, municipality, process, phase)
    statement = selectors.statement_for_vote(phase, pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "reject"}:
        messages.error(request, _("Choose approve or reject."))
    else:
        try:
            services.moderate_statement(
                moderator=request.user, statement=statement, approve=decision == "approve"
            )
        except services.Refused as refusal:
            raise PermissionDenied(refusal.message) from None
        messages.success(
            request,
            _("The statement was approved.")
            if decision == "approve"
            else _("The statement was rejected."),
        )
    return redirect(safe_next(request) or _phase_url(phase, "moderation"))
