"""Who may do what in a workshop, on top of the participation rules."""

from __future__ import annotations

from roadmap.participation.permissions import can_manage_processes, can_moderate


def can_facilitate(user, municipality) -> bool:
    """The municipality's editors and administrators run its workshops."""
    return can_manage_processes(user, municipality)


def can_moderate_notes(user, municipality) -> bool:
    """Moderators and facilitators hide notes and restore them."""
    return can_moderate(user, municipality) or can_facilitate(user, municipality)
