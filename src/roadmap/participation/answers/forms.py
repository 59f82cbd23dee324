from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import form_field
from roadmap.initiatives.models import Initiative

from ..models import Proposal, ProposalStatus
from .services import answer_errors


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProposalStatus.choices)
    answer = forms.CharField(
        label=_("Public answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Shown with the proposal. Required when the proposal is accepted, partly "
            "accepted, rejected or implemented."
        ),
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative that carries it out"),
        queryset=Initiative.objects.none(),
        required=False,
        help_text=_("Optional, for accepted, partly accepted or implemented proposals."),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        self.proposal = proposal
        kwargs.setdefault(
            "initial",
            {
                "status": proposal.status,
                "answer": proposal.answer,
                "initiative": proposal.initiative_id,
            },
        )
        super().__init__(*args, **kwargs)
        form_field(self, "initiative", forms.ModelChoiceField).queryset = Initiative.objects.filter(
            municipality_id=proposal.process.municipality_id
        ).order_by("title")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        if "status" in cleaned_data and "initiative" in cleaned_data:
            errors = answer_errors(
                proposal=self.proposal,
                status=cleaned_data["status"],
                answer=cleaned_data.get("answer", ""),
                initiative=cleaned_data["initiative"],
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned_data
