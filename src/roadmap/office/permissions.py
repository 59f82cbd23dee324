"""Who sees what in a municipality's back office. Each part asks the rule of the app it comes
from; all of them read the roles of one `roles_in` query, cached for the request."""

from __future__ import annotations

from dataclasses import dataclass

from roadmap.framework.permissions import can_manage_local_framework
from roadmap.indicators.permissions import can_manage_indicators
from roadmap.initiatives.permissions import can_assess, can_edit_initiatives
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import can_administer, is_member
from roadmap.participation.permissions import can_manage_processes, can_moderate
from roadmap.workshops.permissions import can_moderate_notes


@dataclass(frozen=True)
class OfficeAccess:
    """The office's parts this user may see and act on in one municipality."""

    moderate: bool  # proposals, comments and opinion statements
    moderate_notes: bool  # workshop notes
    assess: bool
    edit_initiatives: bool
    manage_indicators: bool
    manage_processes: bool
    manage_framework: bool
    administer: bool

    @property
    def sees_inbox(self) -> bool:
        return self.moderate or self.moderate_notes


def office_access(user, municipality: Municipality) -> OfficeAccess | None:
    """None for anyone without a role in this municipality: they have no office there."""
    if not is_member(user, municipality):
        return None
    return OfficeAccess(
        moderate=can_moderate(user, municipality),
        moderate_notes=can_moderate_notes(user, municipality),
        assess=can_assess(user, municipality),
        edit_initiatives=can_edit_initiatives(user, municipality),
        manage_indicators=can_manage_indicators(user, municipality),
        manage_processes=can_manage_processes(user, municipality),
        manage_framework=can_manage_local_framework(user, municipality),
        administer=can_administer(user, municipality),
    )
