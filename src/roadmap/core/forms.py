"""Form helpers every app shares."""

from __future__ import annotations

from typing import TypeVar

from django import forms

FieldT = TypeVar("FieldT", bound=forms.Field)

TEXT_WIDGETS = (forms.TextInput, forms.NumberInput, forms.DateInput, forms.Textarea, forms.Select)


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
