"""Form helpers every app shares."""

from __future__ import annotations

import re
from typing import TypeVar

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

FieldT = TypeVar("FieldT", bound=forms.Field)

TEXT_WIDGETS = (forms.TextInput, forms.NumberInput, forms.DateInput, forms.Textarea, forms.Select)


# Spaces people group digits with: plain, no-break (U+00A0), narrow no-break (U+202F), thin.
GROUPING_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:[,.]\d{3})+$")


def plain_number(text: str) -> str:
    """A number as people write it, Nordic or English, in Python's notation: "1 250 000,50",
    "1.250.000,50" and "1,250,000.50" all become "1250000.50". Of two kinds of separator the
    last is the decimal one; a separator used more than once groups thousands; a lone comma is
    a decimal comma, except "1,250" in a language that writes decimals with a point."""
    text = text.strip().translate(GROUPING_SPACES).replace("\u2212", "-")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        grouping = "." if text.rfind(",") > text.rfind(".") else ","
        return text.replace(grouping, "").replace(",", ".")
    separator = "," if commas else "."
    used = commas or dots
    grouped = bool(THOUSANDS.match(text)) and (
        used > 1 or (separator == "," and get_format("DECIMAL_SEPARATOR") == ".")
    )
    return text.replace(separator, "") if grouped else text.replace(",", ".")


class GroupedDecimalField(forms.DecimalField):
    """A decimal typed as people write it ("1 250 000,50", "1,250,000.50"), in a text box: a
    number box would drop such a value before the server saw it."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a number, for example 1 250 000,50 or 1250000.50."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = plain_number(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}


def style_widgets(form: forms.BaseForm) -> None:
    """Designsystemet's input class on text-like widgets and selects; a grid for checkboxes."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs.setdefault("class", "checkbox-grid")
        elif isinstance(field.widget, TEXT_WIDGETS):
            field.widget.attrs.setdefault("class", "ds-input")


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name`, known to be a `kind`, to adjust for the request (its queryset,
    its choices)."""
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is not a {kind.__name__}"
    return field
