"""Who may read and change initiatives. Views and other initiative modules ask here only."""

from __future__ import annotations

from roadmap.municipalities import permissions as municipal
from roadmap.municipalities.models import Municipality, Role

from .models import Initiative


def can_view_initiative(user, initiative: Initiative) -> bool:
    """Public initiatives are open to all; internal ones to members of their municipality."""
    return initiative.is_public or municipal.is_member(user, initiative.municipality)


def can_edit_initiatives(user, municipality: Municipality) -> bool:
    """Editors (and administrators) keep the portfolio: initiatives, pilots, barriers, lessons."""
    return municipal.has_role(user, municipality, Role.EDITOR)


def can_assess(user, municipality: Municipality) -> bool:
    """Assessors (and administrators) rate initiatives against the principles."""
    return municipal.has_role(user, municipality, Role.ASSESSOR)
