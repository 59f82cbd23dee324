"""Hand-written data files (YAML) read against a schema, for the demo content of each app.

A schema is built from the field kinds below. `load` reads a file and checks all of it before
returning anything: every problem is reported at once, each naming the file, the entry and
the field, and a file with problems returns nothing, so a caller that loads every file before
writing writes nothing on error. Records come back as instances of the class they name, lists
as tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

MISSING: Any = object()
# A field that may be left out, so that the record's class supplies its own default.
OPTIONAL: Any = object()


class DataFileError(ValueError):
    """A data file is malformed; the message lists every problem found."""


@dataclass
class _Check:
    file: str
    problems: list[str] = field(default_factory=list)
    # (where, kind, name) of every reference, checked once the whole file is read.
    references: list[tuple[str, str, Any]] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.file}: {where or 'the top level'}: {message}")


class Field:
    """One kind of value; `default` (or OPTIONAL) makes it optional."""

    def __init__(self, *, default: Any = MISSING):
        self.default = default

    def read(self, value: Any, where: str, check: _Check) -> Any:
        raise NotImplementedError


class Text(Field):
    """A plain text (the model field has no translations)."""

    def __init__(
        self, *, blank: bool = False, max_length: int | None = None, default: Any = MISSING
    ):
        super().__init__(default=default)
        self.blank, self.max_length = blank, max_length

    def read(self, value, where, check):
        if not isinstance(value, str):
            check.problem(where, f"must be a text, got {_shown(value)}")
        elif not self.blank and not value.strip():
            check.problem(where, "must not be empty")
        elif self.max_length is not None and len(value) > self.max_length:
            check.problem(where, f"takes at most {self.max_length} characters, has {len(value)}")
        return value


class Translated(Field):
    """{en: …, nb: …}: texts by content language, English required (the fallback language)."""

    def read(self, value, where, check):
        if not isinstance(value, dict):
            check.problem(
                where, f"must be a mapping of language codes to texts, got {_shown(value)}"
            )
            return value
        unknown = sorted(set(value) - set(settings.MODELTRANSLATION_LANGUAGES))
        if unknown:
            check.problem(where, f"unknown languages {unknown}")
        if not isinstance(value.get("en"), str) or not value["en"].strip():
            check.problem(where, "needs an English ('en') text")
        if any(not isinstance(text, str) or not text.strip() for text in value.values()):
            check.problem(where, "every translation must be a non-empty text")
        return value


class Integer(Field):
    def __init__(self, *, minimum: int | None = None, null: bool = False, default: Any = MISSING):
        super().__init__(default=default)
        self.minimum, self.null = minimum, null

    def read(self, value, where, check):
        if value is None and self.null:
            return value
        if not isinstance(value, int) or isinstance(value, bool):
            check.problem(where, f"must be a whole number, got {_shown(value)}")
        elif self.minimum is not None and value < self.minimum:
            check.problem(where, f"must be at least {self.minimum}, got {value}")
        return value


class Number(Field):
    def read(self, value, where, check):
        if not isinstance(value, int | float) or isinstance(value, bool):
            check.problem(where, f"must be a number, got {_shown(value)}")
        return value


class Boolean(Field):
    def read(self, value, where, check):
        if not isinstance(value, bool):
            check.problem(where, f"must be true or false, got {_shown(value)}")
        return value


class Choice(Field):
    """One of a fixed set of values (a language code), or of an enumeration's values (a model's
    choices: the value comes back as the enumeration's member)."""

    def __init__(self, choices: Iterable[Any] | type[Enum], *, default: Any = MISSING):
        super().__init__(default=default)
        self.enum = choices if isinstance(choices, type) and issubclass(choices, Enum) else None
        self.choices = [member.value for member in self.enum] if self.enum else list(choices)

    def read(self, value, where, check):
        if value not in self.choices:
            check.problem(where, f"must be one of {self.choices}, got {_shown(value)}")
            return value
        return self.enum(value) if self.enum else value


class Reference(Field):
    """The name of something defined elsewhere; `load` is told what each kind may name."""

    def __init__(self, kind: str, *, null: bool = False, default: Any = MISSING):
        super().__init__(default=default)
        self.kind, self.null = kind, null

    def read(self, value, where, check):
        if isinstance(value, str):
            check.references.append((where, self.kind, value))
        elif not (value is None and self.null):
            check.problem(where, f"must name a {self.kind}, got {_shown(value)}")
        return value


class ListOf(Field):
    def __init__(
        self,
        item: Field,
        *,
        min_items: int = 0,
        max_items: int | None = None,
        default: Any = MISSING,
    ):
        super().__init__(default=default)
        self.item, self.min_items, self.max_items = item, min_items, max_items

    def read(self, value, where, check):
        if not isinstance(value, list):
            check.problem(where, f"must be a list, got {_shown(value)}")
            return ()
        if len(value) < self.min_items:
            check.problem(where, f"needs at least {self.min_items} entries, found {len(value)}")
        if self.max_items is not None and len(value) > self.max_items:
            check.problem(where, f"takes at most {self.max_items} entries, found {len(value)}")
        return tuple(
            self.item.read(item, f"{where}[{index}]", check) for index, item in enumerate(value)
        )


class MappingOf(Field):
    """A mapping from names (checked by `key`) to values of one kind."""

    def __init__(self, key: Field, value: Field, *, default: Any = MISSING):
        super().__init__(default=default)
        self.key, self.value = key, value

    def read(self, value, where, check):
        if not isinstance(value, dict):
            check.problem(where, f"must be a mapping, got {_shown(value)}")
            return {}
        return {
            self.key.read(name, f"{where} key {name!r}", check): self.value.read(
                item, _field(where, str(name)), check
            )
            for name, item in value.items()
        }


class Record(Field):
    """A mapping with named fields, made into `make(**fields)`; unknown keys are errors.

    `label` names the field whose value identifies an entry in messages (a title, a code).
    """

    def __init__(
        self,
        make: Callable[..., Any],
        fields: dict[str, Field],
        *,
        label: str | None = None,
        default: Any = MISSING,
    ):
        super().__init__(default=default)
        self.make, self.fields, self.label = make, fields, label

    def read(self, value, where, check):
        if not isinstance(value, dict):
            check.problem(where, f"must be a mapping, got {_shown(value)}")
            return None
        label = value.get(self.label) if self.label else None
        if isinstance(label, str):
            where = f"{where} ({label[:60] + '…' if len(label) > 60 else label!r})"
        unknown = sorted(set(value) - set(self.fields), key=str)
        if unknown:
            check.problem(where, f"unknown fields {unknown}; expected {sorted(self.fields)}")
        values, complete = {}, True
        for name, kind in self.fields.items():
            if name in value:
                values[name] = kind.read(value[name], _field(where, name), check)
            elif kind.default is MISSING:
                check.problem(where, f"field '{name}' is missing")
                complete = False
            elif kind.default is not OPTIONAL:
                values[name] = kind.default
        # The file is refused anyway; an incomplete entry is not made, the rest is still read.
        return self.make(**values) if complete else None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _field(where: str, name: str) -> str:
    """The place of a field: a dotted path from the top of the file."""
    return f"{where}.{name}" if where else name


def load(
    path: Path,
    schema: Field,
    known: Callable[[Any], Mapping[str, Iterable[Any]]] = lambda data: {},
) -> Any:
    """Read `path` against `schema`; raise DataFileError naming every problem.

    `known(data)` returns, for each kind of reference, the names it may take; it is called
    on the data read (so the file can define what it refers to) only if the shape is sound.
    """
    check = _Check(file=f"{path.parent.parent.name}/{path.parent.name}/{path.name}")
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise DataFileError(f"{check.file}: not valid YAML: {error}") from error
    data = schema.read(raw, "", check)
    if not check.problems:
        names = {kind: set(values) for kind, values in known(data).items()}
        for where, kind, value in check.references:
            if value not in names[kind]:
                check.problem(where, f"unknown {kind} {_shown(value)}")
    if check.problems:
        raise DataFileError(
            f"The data file {check.file} has problems; nothing was written:\n- "
            + "\n- ".join(check.problems)
        )
    return data
