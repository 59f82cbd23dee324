"""The officials' answer to a proposal: status, public answer and the initiative carrying it out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from roadmap.core.audit import events_for
from roadmap.municipalities.selectors import municipality_by_slug

from ..models import Proposal
from ..permissions import can_manage_processes
from .forms import AnswerForm
from .services import answer_proposal

AUDIT_EVENTS_SHOWN = 50


@login_required
def proposal_answer(request, municipality: str, pk: int):
    municipality = municipality_by_slug(municipality)
    if not can_manage_processes(request.user, municipality):
        raise PermissionDenied
    proposal = get_object_or_404(
        Proposal.objects.select_related("process", "author", "initiative"),
        pk=pk,
        process__municipality=municipality,
    )
    form = AnswerForm(request.POST if request.method == "POST" else None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            answer_proposal(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer was saved."))
            return redirect(request.path)
    return render(
        request,
        "participation/answer_form.html",
        {
            "municipality": municipality,
            "proposal": proposal,
            "form": form,
            "audit_events": events_for(proposal)[:AUDIT_EVENTS_SHOWN],
        },
    )
