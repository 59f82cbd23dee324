"""Who may do what with indicators: the one place for these checks.

Observations, targets and scores are public. Editors and administrators of a municipality
manage its observations, targets, own indicators, mappings, imports and initiative links;
nobody changes another municipality's data.
"""

from __future__ import annotations

from roadmap.municipalities.permissions import has_role


def can_manage_indicators(user, municipality) -> bool:
    return has_role(user, municipality, "editor")
