"""Audit trail: services call these inside their transaction, never signals."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return (
            sorted(_plain(item) for item in value)
            if isinstance(value, set)
            else [_plain(item) for item in value]
        )
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values to compare before and after a change; m2m fields as sorted names."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(item) for item in getattr(obj, name).all())
        else:
            values[name] = _plain(getattr(obj, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    municipality=None,
    subject: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    subject = subject or obj
    return AuditEvent.objects.create(
        municipality=municipality,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=_content_type(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        subject_content_type=_content_type(subject),
        subject_id=str(subject.pk),
        changes=changes or {},
    )


def events_for(obj: models.Model):
    """Audit events of one object, newest first, actors loaded in the same query."""
    return AuditEvent.objects.filter(
        subject_content_type=_content_type(obj), subject_id=str(obj.pk)
    ).select_related("actor", "content_type")
