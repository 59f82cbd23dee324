"""Who may do what in participation: the one place for these checks."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roadmap.municipalities.permissions import has_role, is_member

from .models import Audience, Block, Phase, Process, ResidentVerification

# In an opinion-map phase, "propose" is submitting statements; "vote" is voting on them.
ACTIONS = ("propose", "comment", "support", "post_notes", "vote")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # shown to the participant when not allowed
    sign_in: bool = False  # a visitor who may take this action once signed in

    def __bool__(self) -> bool:
        return self.allowed


def action_decision(user, phase: Phase | None, action: str) -> Decision:
    """May this user take this action in this phase now? If not, why not (in plain words)."""
    if action not in ACTIONS:
        raise ValueError(action)
    if phase is None:
        return Decision(False, str(_("This process has no open phase.")))
    now = timezone.now()
    if now < phase.starts_at:
        return Decision(False, str(_("This phase has not started yet.")))
    if now >= phase.ends_at:
        return Decision(False, str(_("This phase has ended.")))
    audience = getattr(phase, action)
    if audience == Audience.NOBODY:
        return Decision(False, str(_("This is not open in the current phase.")))
    if not getattr(user, "is_authenticated", False):
        return Decision(False, str(_("Sign in to take part.")), sign_in=True)
    if user.awaiting_email_confirmation:
        return Decision(
            False,
            str(
                _(
                    "Confirm your e-mail address to take part: follow the link we sent you, "
                    "or ask for a new one on your account page."
                )
            ),
        )
    municipality_id = phase.process.municipality_id
    if Block.objects.filter(municipality_id=municipality_id, user=user).exists():
        return Decision(False, str(_("Your account is blocked from taking part here.")))
    if (
        audience == Audience.VERIFIED
        and not ResidentVerification.objects.filter(
            municipality_id=municipality_id, user=user
        ).exists()
    ):
        return Decision(
            False, str(_("Only residents confirmed by the municipality can take part here."))
        )
    return Decision(True)


def can_manage_processes(user, municipality) -> bool:
    """Editors and administrators run processes and answer proposals."""
    return has_role(user, municipality, "editor")


def can_moderate(user, municipality) -> bool:
    return has_role(user, municipality, "moderator")


def can_view_process(user, process: Process) -> bool:
    return process.is_published or is_member(user, process.municipality)
