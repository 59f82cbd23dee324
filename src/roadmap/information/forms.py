from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import style_widgets

from .models import PageKind

MAX_BODY = 20_000


class PageForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown: a blank line between paragraphs, “## ” before a heading, “- ” before a "
            "list item."
        ),
    )
    checked_on = forms.DateField(
        label=_("Date of the last accessibility check"),
        help_text=_("For example 2026-11-30."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != PageKind.ACCESSIBILITY:
            del self.fields["checked_on"]
        style_widgets(self)

    def clean_checked_on(self) -> datetime.date:
        checked_on = self.cleaned_data["checked_on"]
        if checked_on > timezone.localdate():
            raise forms.ValidationError(_("The last check cannot be in the future."))
        return checked_on
