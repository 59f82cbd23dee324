"""Writes: a municipality's administrator saves the municipality's own text of a page."""

from __future__ import annotations

import datetime

from django.db import transaction

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.core.text import render_markdown
from roadmap.municipalities.models import Municipality

from .models import MunicipalPage, PageKind

AUDITED_FIELDS = ("body", "checked_on")


@transaction.atomic
def save_page(
    *,
    actor: User,
    municipality: Municipality,
    kind: str,
    body: str,
    checked_on: datetime.date | None,
) -> MunicipalPage:
    """Create or replace the municipality's text of a page; checked_on for accessibility only."""
    page = (
        MunicipalPage.objects.select_for_update()
        .filter(municipality=municipality, kind=kind)
        .first()
    ) or MunicipalPage(municipality=municipality, kind=kind)
    action = "update" if page.pk else "create"
    before = audit.snapshot(page, AUDITED_FIELDS) if page.pk else {}
    page.body = body
    page.body_html = render_markdown(body, page_headings=True)
    page.checked_on = checked_on if kind == PageKind.ACCESSIBILITY else None
    page.updated_by = actor
    page.save()
    audit.record(
        actor=actor,
        action=action,
        obj=page,
        municipality=municipality,
        changes=audit.diff(before, audit.snapshot(page, AUDITED_FIELDS)),
    )
    return page


@transaction.atomic
def restore_default(*, actor: User, municipality: Municipality, kind: str) -> None:
    """Drop the municipality's own text: the page shows the default again."""
    page = MunicipalPage.objects.filter(municipality=municipality, kind=kind).first()
    if page is None:
        return
    audit.record(
        actor=actor,
        action="delete",
        obj=page,
        municipality=municipality,
        changes=audit.diff(audit.snapshot(page, AUDITED_FIELDS), {"body": "", "checked_on": None}),
    )
    page.delete()
