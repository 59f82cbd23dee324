"""Who may change a municipality's local framework. Views ask here only."""

from __future__ import annotations

from roadmap.municipalities import permissions as municipal
from roadmap.municipalities.models import Municipality


def can_manage_local_framework(user, municipality: Municipality) -> bool:
    """Only the municipality's administrators add, edit and delete local principles and barriers."""
    return municipal.can_administer(user, municipality)


def can_see_change_history(user, municipality: Municipality) -> bool:
    return municipal.is_member(user, municipality)
