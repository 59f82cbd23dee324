"""Forms for proposals, comments and the proposal list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import form_field
from roadmap.framework.models import ActionArea

from ..models import Category, Comment, Proposal, ProposalStatus
from ..processes.selectors import organisations_of
from . import selectors

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, lists, and links written as [text](https://…)."
)


def _organisation_field(user, municipality) -> forms.ModelChoiceField | None:
    """'Post as' for members of partner organisations; None for everyone else."""
    organisations = organisations_of(user, municipality)
    if not organisations.exists():
        return None
    return forms.ModelChoiceField(
        queryset=organisations,
        required=False,
        label=_("Post as"),
        empty_label=_("Myself"),
        help_text=_("Choose an organisation to take part on its behalf."),
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your proposal"), max_length=20000, widget=forms.Textarea, help_text=MARKDOWN_HELP
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Category"), empty_label=_("No category")
    )
    action_area = forms.ModelChoiceField(
        queryset=ActionArea.objects.all(),
        required=False,
        label=_("Action area of the roadmap"),
        empty_label=_("Not sure / none"),
    )
    location_name = forms.CharField(
        label=_("Place"),
        max_length=160,
        required=False,
        help_text=_("A street, square or area this is about, if any."),
    )

    def __init__(self, *args, process, user, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "category", forms.ModelChoiceField).queryset = process.categories.all()
        organisation = _organisation_field(user, process.municipality)
        if organisation is not None:
            self.fields["organisation"] = organisation

    @staticmethod
    def initial_from(proposal: Proposal) -> dict:
        return {
            "title": proposal.title,
            "body": proposal.body,
            "category": proposal.category_id,
            "action_area": proposal.action_area_id,
            "location_name": proposal.location_name,
            "organisation": proposal.organisation_id,
        }


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=5000, widget=forms.Textarea)
    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("The comment you replied to is not on this proposal.")},
    )

    def __init__(self, *args, proposal, user, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "parent", forms.ModelChoiceField).queryset = proposal.comments.all()
        organisation = _organisation_field(user, proposal.process.municipality)
        if organisation is not None:
            self.fields["organisation"] = organisation


SORT_CHOICES = [
    (selectors.SORT_NEWEST, _("Newest first")),
    (selectors.SORT_MOST_SUPPORTED, _("Most supported")),
    (selectors.SORT_RANDOM, _("Random order")),
]


class ProposalFilterForm(forms.Form):
    """The list's GET filters; every field optional, invalid values are reported and ignored."""

    text = forms.CharField(label=_("Search titles and texts"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ProposalStatus.choices]
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Category"), empty_label=_("Any category")
    )
    action_area = forms.ModelChoiceField(
        queryset=ActionArea.objects.all(),
        required=False,
        label=_("Action area"),
        empty_label=_("Any action area"),
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "category", forms.ModelChoiceField).queryset = process.categories.all()

    def filters(self) -> selectors.ProposalFilters:
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        return selectors.ProposalFilters(
            text=(data.get("text") or "").strip(),
            status=data.get("status") or "",
            category=data.get("category"),
            action_area=data.get("action_area"),
            sort=data.get("sort") or selectors.SORT_NEWEST,
        )

    def active_filters(self) -> list[tuple[str, str]]:
        self.is_valid()
        return [
            (str(self.fields[name].label), str(value))
            for name in ("text", "status", "category", "action_area")
            if (value := self._display_value(name))
        ]

    def _display_value(self, name: str):
        value = self.cleaned_data.get(name)
        if name == "status" and value:
            return ProposalStatus(value).label
        return value
