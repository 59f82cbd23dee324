"""Form helpers every app shares."""

from django import forms

TEXT_WIDGETS = (forms.TextInput, forms.NumberInput, forms.DateInput, forms.Textarea, forms.Select)


def style_widgets(form: forms.BaseForm) -> None:
    """Designsystemet's input class on text-like widgets and selects; a grid for checkboxes."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs.setdefault("class", "checkbox-grid")
        elif isinstance(field.widget, TEXT_WIDGETS):
            field.widget.attrs.setdefault("class", "ds-input")
