from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roadmap.core.spreadsheet import NORDIC_CSV, csv_style

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


def _audited_field(event, field_name: str):
    try:
        return event.content_type.model_class()._meta.get_field(field_name)
    except (AttributeError, FieldDoesNotExist):
        return None


@register.filter
def field_label(event, field_name: str) -> str:
    """The readable label of a field named in an audit event's changes."""
    field = _audited_field(event, field_name)
    if field is None:
        return field_name
    if field.auto_created and not field.concrete:  # a reverse relation, e.g. guiding questions
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


@register.simple_tag
def audit_value(event, field_name: str, value) -> str:
    """An audit value as text: choices by their label, lists joined, empty values as a dash."""
    field = _audited_field(event, field_name)
    if getattr(field, "choices", None) and not isinstance(value, list | tuple):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    if value is None or value == "":
        return "—"
    return str(value)


@register.simple_tag
def csv_style_note() -> str:
    """One sentence on how the CSV downloads of this page are written, for this language."""
    if csv_style(get_language()) == NORDIC_CSV:
        return _(
            "CSV with semicolons and decimal commas, for spreadsheet programs with Nordic settings."
        )
    return _("CSV with commas and decimal points, for spreadsheet programs with English settings.")
