"""Reads: the page a reader sees, a municipality's own text or the default."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from roadmap.core.text import render_markdown
from roadmap.municipalities.models import Municipality

from .defaults import ACCESSIBILITY_CHECKED, default_body, terms
from .models import MunicipalPage, PageKind


@dataclass(frozen=True)
class ShownPage:
    kind: str
    title: str
    html: str
    checked_on: datetime.date | None  # accessibility statements only
    updated_at: datetime.datetime | None  # None: the default text


def own_page(municipality: Municipality, kind: str) -> MunicipalPage | None:
    return MunicipalPage.objects.filter(municipality=municipality, kind=kind).first()


def shown_page(kind: str, municipality: Municipality | None) -> ShownPage:
    """What the page says, in one query at most."""
    title = str(PageKind(kind).label)
    own = own_page(municipality, kind) if municipality else None
    if own is not None:
        return ShownPage(kind, title, own.body_html, own.checked_on, own.updated_at)
    checked_on = ACCESSIBILITY_CHECKED if kind == PageKind.ACCESSIBILITY else None
    html = render_markdown(default_body(kind, municipality), page_headings=True)
    return ShownPage(kind, title, html, checked_on, None)


def editable_text(municipality: Municipality, kind: str) -> tuple[str, datetime.date | None]:
    """What the edit form starts from: the municipality's own text, or the default."""
    own = own_page(municipality, kind)
    if own is not None:
        return own.body, own.checked_on
    checked_on = ACCESSIBILITY_CHECKED if kind == PageKind.ACCESSIBILITY else None
    return default_body(kind, municipality), checked_on


def terms_html() -> str:
    return render_markdown(terms(), page_headings=True)
