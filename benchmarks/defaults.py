"""Raw inserts that survive new model fields: the generators write rows with plain SQL for speed,
naming the columns they fill; every other NOT NULL column with a default gets that default."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def with_defaults(
    model, fields: tuple[str, ...], rows: Iterable[tuple]
) -> tuple[tuple[str, ...], Iterator[tuple]]:
    """The fields and the rows, each row extended by the defaults of the columns it leaves out
    (a field's default, or the empty string for text); the rows stay lazy."""
    from django.db import connection

    missing = [
        field
        for field in model._meta.concrete_fields
        if field.name not in fields
        and not field.primary_key
        and not field.null
        and (field.has_default() or field.empty_strings_allowed)
    ]
    values = tuple(
        field.get_db_prep_save(field.get_default(), connection=connection) for field in missing
    )
    return fields + tuple(field.name for field in missing), (row + values for row in rows)
