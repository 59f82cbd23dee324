"""Who may do what with information pages: the one place for these checks."""

from __future__ import annotations

from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import can_administer


def can_edit_pages(user, municipality: Municipality) -> bool:
    """A municipality's administrators write its about, accessibility, privacy and contact pages."""
    return can_administer(user, municipality)
