"""The short help page of each role: what the role is for and what to try first."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RoleHelp:
    title: Promise
    summary: Promise
    steps: tuple[Promise, ...]


HELP = {
    "participant": RoleHelp(
        _("Taking part"),
        _("Anyone can read a municipality's public initiatives, processes and indicators."),
        (
            _("Create an account and confirm your e-mail address with the link we send you."),
            _("Open a municipality and choose Participation to see its open processes."),
            _(
                "Support, propose, comment or vote where the current phase allows it; the page "
                "says who may take part."
            ),
            _(
                "Some processes are for residents only: the municipality confirms residents on "
                "request."
            ),
            _(
                "Your account page lets you choose e-mail notifications, download your data or "
                "delete your account."
            ),
        ),
    ),
    "editor": RoleHelp(
        _("Help for editors"),
        _("Editors keep the municipality's initiatives, processes and indicator data."),
        (
            _("Add and update initiatives, their partners, barriers met and lessons learned."),
            _("Create participation processes and their phases, and answer proposals."),
            _("Import indicator observations from CSV or Excel: check the preview, then confirm."),
            _("Link indicators to the initiatives they are meant to move."),
        ),
    ),
    "assessor": RoleHelp(
        _("Help for assessors"),
        _("Assessors rate initiatives against the roadmap's principles."),
        (
            _(
                "Open an initiative and start an assessment; rate each principle from 0 to 4 with "
                "evidence."
            ),
            _("Save a draft as often as you like; finalise it when it is complete."),
            _("Finalised assessments are kept, so the portfolio shows progress over time."),
        ),
    ),
    "moderator": RoleHelp(
        _("Help for moderators"),
        _("Moderators keep participation respectful and in line with the terms of use."),
        (
            _("Review reported and pending proposals, comments, statements and workshop notes."),
            _("Hide a contribution with a reason, or show it again."),
            _("Block an account from taking part in the municipality when needed."),
        ),
    ),
    "administrator": RoleHelp(
        _("Help for administrators"),
        _("Administrators hold every role in their municipality and look after it."),
        (
            _("Give people roles and take them away on the members page."),
            _("Confirm residents who ask to be confirmed."),
            _(
                "Write the municipality's about, accessibility, privacy and contact pages; each "
                "starts from a default text."
            ),
            _("Adapt the local framework: add local principles and barriers."),
        ),
    ),
}
