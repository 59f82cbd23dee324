from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


@register.filter
def field_label(event, field_name: str) -> str:
    """The readable label of a field named in an audit event's changes."""
    model = event.content_type.model_class()
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return field_name


@register.filter
def change_value(value) -> str:
    """An audit value as text: lists joined, empty values as a dash."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    if value is None or value == "":
        return "—"
    return str(value)
