"""Writes for workshops: prompts, notes, +1s, themes, moderation and synthesis.

Each use case is one keyword-only function in one transaction. Participants' notes and +1s go
through `action_decision(..., "post_notes")`; facilitators' writes (prompts, themes, synthesis,
hiding and restoring) record an audit event. Every change the board shows moves the workshop's
version; a change to the prompts themselves moves its layout version too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.core.ratelimit import RateLimit
from roadmap.municipalities.models import Municipality
from roadmap.participation.models import Phase, Visibility
from roadmap.participation.moderation.services import FLAGS, is_blocked
from roadmap.participation.permissions import action_decision

from . import selectors, synthesis
from .models import (
    NOTE_LANGUAGES,
    NOTE_MAX_LENGTH,
    PROMPT_MAX_LENGTH,
    THEME_NAME_MAX_LENGTH,
    Note,
    NoteFlag,
    NoteVote,
    Prompt,
    SuggestedTheme,
    Synthesis,
    Theme,
    Workshop,
)
from .permissions import can_facilitate, can_moderate_notes

# Notes per user: a lively workshop session, not a flood.
NOTE_POSTING = RateLimit("workshop-notes", limit=30, window_seconds=10 * 60)


class Refused(Exception):
    """The action is not possible; the message says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _municipality(workshop: Workshop) -> Municipality:
    return workshop.phase.process.municipality


def _bump(workshop_id: int, *, layout: bool = False) -> int:
    """Move the workshop's version on and return it (the row stays locked until commit)."""
    changes = {"version": F("version") + 1}
    if layout:
        changes["layout_version"] = F("version") + 1
    Workshop.objects.filter(pk=workshop_id).update(**changes)
    return Workshop.objects.values_list("version", flat=True).get(pk=workshop_id)


def _require_facilitator(user: User, workshop: Workshop) -> None:
    if not can_facilitate(user, _municipality(workshop)):
        raise Refused(_("Only the municipality's editors can facilitate this workshop."))


def _require_participation(user: User, phase: Phase) -> None:
    decision = action_decision(user, phase, "post_notes")
    if not decision:
        raise Refused(decision.reason)


def _record(
    actor: User,
    workshop: Workshop,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        municipality=_municipality(workshop),
        subject=workshop.phase.process,
        changes=changes,
    )


# --- prompts ----------------------------------------------------------------------------------


def _clean_prompt_text(workshop: Workshop, text: str, *, prompt: Prompt | None = None) -> str:
    """The prompt's text as stored, or Refused naming what is wrong; `prompt` is the one
    being edited, which may keep its own text."""
    text = text.strip()
    if not text:
        raise Refused(_("Write the prompt."))
    if len(text) > PROMPT_MAX_LENGTH:
        raise Refused(
            _("A prompt can have at most %(limit)s characters; this one has %(count)s.")
            % {"limit": PROMPT_MAX_LENGTH, "count": len(text)}
        )
    others = workshop.prompts.exclude(pk=prompt.pk) if prompt else workshop.prompts.all()
    if others.filter(text=text).exists():
        raise Refused(_("This workshop already has that prompt."))
    return text


@transaction.atomic
def add_prompt(*, actor: User, phase: Phase, text: str) -> Prompt:
    """A facilitator adds a prompt; the phase's workshop board is made on the first one."""
    if phase.kind != Phase.Kind.WORKSHOP:
        raise Refused(_("Prompts can only be added to a workshop phase."))
    workshop, _created = Workshop.objects.select_related(
        "phase__process__municipality"
    ).get_or_create(phase=phase)
    _require_facilitator(actor, workshop)
    text = _clean_prompt_text(workshop, text)
    order = workshop.prompts.count()
    prompt = Prompt.objects.create(workshop=workshop, text=text, order=order)
    _bump(workshop.pk, layout=True)
    _record(actor, workshop, "create", prompt, {"text": [None, text]})
    return prompt


@transaction.atomic
def edit_prompt(*, actor: User, prompt: Prompt, text: str) -> Prompt:
    """A facilitator rewords a prompt; its notes and themes stay with it."""
    workshop = prompt.workshop
    _require_facilitator(actor, workshop)
    text = _clean_prompt_text(workshop, text, prompt=prompt)
    before = prompt.text
    if text == before:
        return prompt
    _bump(workshop.pk, layout=True)
    _require_still_there(prompt)
    prompt.text = text
    prompt.save(update_fields=["text"])
    _record(actor, workshop, "update", prompt, {"text": [before, text]})
    return prompt


def _require_still_there(prompt: Prompt) -> None:
    """Under the workshop's lock: another facilitator may have deleted the prompt since the
    page was read."""
    if not Prompt.objects.filter(pk=prompt.pk).exists():
        raise Refused(_("Another facilitator has just deleted this prompt."))


@transaction.atomic
def delete_prompt(*, actor: User, prompt: Prompt) -> None:
    """A facilitator deletes a prompt with its notes, +1s, themes and synthesis."""
    workshop = prompt.workshop
    _require_facilitator(actor, workshop)
    # The workshop row first, as posting a note takes it before it refers to the prompt: the
    # same order of locks, so the two cannot wait for each other.
    _bump(workshop.pk, layout=True)
    _require_still_there(prompt)
    contents = selectors.prompt_contents(prompt)
    _record(
        actor,
        workshop,
        "delete",
        prompt,
        {
            "text": [prompt.text, None],
            "notes": [contents.notes, 0],
            "themes": [contents.themes, 0],
        },
    )
    prompt.delete()


# --- notes and +1s ----------------------------------------------------------------------------


def clean_note_text(text: str) -> str:
    """The note as stored, or Refused naming what is wrong with it."""
    text = " ".join(text.split())
    if not text:
        raise Refused(_("Write something in the note."))
    if len(text) > NOTE_MAX_LENGTH:
        raise Refused(
            _("A note can have at most %(limit)s characters; this one has %(count)s.")
            % {"limit": NOTE_MAX_LENGTH, "count": len(text)}
        )
    return text


def check_language(language: str) -> str:
    if language not in NOTE_LANGUAGES:
        raise Refused(
            _("Choose the note's language from the list; “%(language)s” is not one of them.")
            % {"language": language}
        )
    return language


@transaction.atomic
def post_note(*, author: User, prompt: Prompt, text: str, language: str) -> Note:
    workshop = prompt.workshop
    _require_participation(author, workshop.phase)
    text = clean_note_text(text)
    check_language(language)
    identity = f"user:{author.pk}"
    if NOTE_POSTING.is_exceeded(identity):
        raise Refused(
            _("You have posted many notes in a few minutes. Please wait a little and try again.")
        )
    version = _bump(workshop.pk)
    note = Note.objects.create(
        prompt=prompt,
        author=author,
        text=text,
        language=language,
        created_version=version,
        version=version,
    )
    NOTE_POSTING.hit(identity)
    return note


@transaction.atomic
def add_vote(*, user: User, note: Note) -> bool:
    """+1 a note; True if this added a +1, False if the user had already given one."""
    workshop = note.prompt.workshop
    _require_participation(user, workshop.phase)
    if note.visibility != Visibility.PUBLISHED:
        raise Refused(_("This note was hidden by a moderator."))
    if note.author_id == user.pk:
        raise Refused(_("You cannot +1 your own note."))
    # In a savepoint: a double click meets the unique constraint there, and the count below is
    # raised only for a row really inserted.
    _vote, created = NoteVote.objects.get_or_create(note=note, user=user)
    if created:
        Note.objects.filter(pk=note.pk).update(
            vote_count=F("vote_count") + 1, version=_bump(workshop.pk)
        )
    return created


@transaction.atomic
def remove_vote(*, user: User, note: Note) -> bool:
    workshop = note.prompt.workshop
    _require_participation(user, workshop.phase)
    deleted, _rows = NoteVote.objects.filter(note=note, user=user).delete()
    if deleted:
        Note.objects.filter(pk=note.pk).update(
            vote_count=F("vote_count") - 1, version=_bump(workshop.pk)
        )
    return bool(deleted)


MODERATION_FIELDS = ("visibility", "moderation_reason")


def _require_moderator(actor: User, workshop: Workshop, refusal: str) -> None:
    if not can_moderate_notes(actor, _municipality(workshop)):
        raise Refused(refusal)


def _set_visibility(
    *, actor: User, workshop: Workshop, note: Note, visibility: str, reason: str
) -> Note:
    """Store a note's visibility and public reason (the note read under lock), audited, and
    move the board on so pollers get the note again.

    A hidden note keeps its theme, so that restoring it puts it back where it was; every
    count, synthesis and export looks at visible notes only."""
    before = audit.snapshot(note, MODERATION_FIELDS)
    note.visibility = visibility
    note.moderation_reason = reason
    note.version = _bump(workshop.pk)
    note.save(update_fields=[*MODERATION_FIELDS, "version"])
    _record(
        actor, workshop, "update", note, audit.diff(before, audit.snapshot(note, MODERATION_FIELDS))
    )
    return note


@transaction.atomic
def hide_note(*, actor: User, note: Note, reason: str) -> Note:
    """A facilitator or moderator hides a note; the board shows the public reason instead."""
    workshop = note.prompt.workshop
    _require_moderator(
        actor, workshop, _("Only moderators and the workshop's facilitators can hide notes.")
    )
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the public reason for hiding this note."))
    note = Note.objects.select_for_update().get(pk=note.pk)
    # Hiding answers every open report of the note.
    note.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    return _set_visibility(
        actor=actor, workshop=workshop, note=note, visibility=Visibility.HIDDEN, reason=reason
    )


NOTHING_TO_RESTORE = gettext_lazy("This note is not hidden, so there is nothing to restore.")


@transaction.atomic
def restore_note(*, actor: User, note: Note, reason: str) -> Note:
    """A facilitator or moderator shows a hidden note again, with the public reason why: it is
    back on the board, in the synthesis and in the exports, in the theme it had."""
    workshop = note.prompt.workshop
    _require_moderator(
        actor, workshop, _("Only moderators and the workshop's facilitators can restore notes.")
    )
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the public reason for restoring this note."))
    note = Note.objects.select_for_update().get(pk=note.pk)
    if note.visibility != Visibility.HIDDEN:
        raise Refused(str(NOTHING_TO_RESTORE))
    return _set_visibility(
        actor=actor, workshop=workshop, note=note, visibility=Visibility.PUBLISHED, reason=reason
    )


@transaction.atomic
def report_note(*, reporter: User, note: Note, reason: str) -> NoteFlag:
    """A participant reports a visible note. One open report per user and note; the same rate
    limit as reports of proposals and comments."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say briefly what is wrong with this note."))
    note = Note.objects.select_for_update().select_related("prompt__workshop").get(pk=note.pk)
    if note.visibility != Visibility.PUBLISHED:
        raise Refused(_("This note was hidden by a moderator."))
    identity = str(reporter.pk)
    if FLAGS.is_exceeded(identity):
        raise Refused(
            _("You have reported many posts in a short time. Please try again in an hour.")
        )
    if is_blocked(reporter, _municipality(note.prompt.workshop)):
        raise Refused(_("Your account is blocked from taking part here."))
    if note.flags.filter(reporter=reporter, resolved_at__isnull=True).exists():
        raise Refused(_("You have already reported this note. The moderators will look at it."))
    FLAGS.hit(identity)
    return NoteFlag.objects.create(note=note, reporter=reporter, reason=reason)


@transaction.atomic
def dismiss_note_flag(*, actor: User, flag: NoteFlag) -> NoteFlag:
    """A moderator looked at a reported note and found nothing to do."""
    workshop = flag.note.prompt.workshop
    _require_moderator(
        actor, workshop, _("Only moderators and the workshop's facilitators can dismiss reports.")
    )
    flag = NoteFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise Refused(_("This report was already dealt with."))
    flag.resolved_at = timezone.now()
    flag.save(update_fields=["resolved_at"])
    _record(actor, workshop, "update", flag, {"resolved_at": [None, str(flag.resolved_at)]})
    return flag


# --- themes -----------------------------------------------------------------------------------


def clean_theme_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Refused(_("Give the theme a name."))
    if len(name) > THEME_NAME_MAX_LENGTH:
        raise Refused(_("A theme name can have at most 80 characters."))
    return name


def _theme_named(prompt: Prompt, name: str) -> Theme | None:
    return (
        Theme.objects.annotate(lower_name=Lower("name"))
        .filter(prompt=prompt, lower_name=name.lower())
        .first()
    )


def _notes_of(prompt: Prompt, note_ids: Iterable[int]) -> list[Note]:
    ids = sorted(set(note_ids))
    if not ids:
        raise Refused(_("Select at least one note."))
    notes = list(Note.objects.filter(prompt=prompt, pk__in=ids, visibility=Visibility.PUBLISHED))
    if len(notes) != len(ids):
        raise Refused(_("Some selected notes are not visible notes of this prompt."))
    return notes


@transaction.atomic
def assign_theme(
    *,
    actor: User,
    prompt: Prompt,
    note_ids: Iterable[int],
    theme: Theme | None = None,
    new_name: str = "",
) -> Theme:
    """Put the selected notes into an existing theme or a new one (created by name)."""
    workshop = prompt.workshop
    _require_facilitator(actor, workshop)
    if (theme is None) == (not new_name.strip()):
        raise Refused(_("Choose an existing theme or write a new theme's name, not both."))
    notes = _notes_of(prompt, note_ids)
    if theme is None:
        name = clean_theme_name(new_name)
        theme = _theme_named(prompt, name)
        if theme is None:
            theme = Theme.objects.create(prompt=prompt, name=name)
            _record(actor, workshop, "create", theme, {"name": [None, name]})
    elif theme.prompt_id != prompt.pk:
        raise Refused(_("This theme belongs to another prompt."))
    Note.objects.filter(pk__in=[note.pk for note in notes]).update(
        theme=theme, version=_bump(workshop.pk)
    )
    _record(actor, workshop, "update", theme, {"notes": [None, sorted(n.pk for n in notes)]})
    return theme


@transaction.atomic
def unassign_notes(*, actor: User, prompt: Prompt, note_ids: Iterable[int]) -> int:
    workshop = prompt.workshop
    _require_facilitator(actor, workshop)
    notes = _notes_of(prompt, note_ids)
    changed = Note.objects.filter(pk__in=[note.pk for note in notes]).update(
        theme=None, version=_bump(workshop.pk)
    )
    _record(actor, workshop, "update", prompt, {"notes without theme": sorted(n.pk for n in notes)})
    return changed


@transaction.atomic
def rename_theme(*, actor: User, theme: Theme, name: str) -> Theme:
    workshop = theme.prompt.workshop
    _require_facilitator(actor, workshop)
    name = clean_theme_name(name)
    existing = _theme_named(theme.prompt, name)
    if existing is not None and existing.pk != theme.pk:
        raise Refused(
            _("This prompt already has a theme called “%(name)s”; merge the two instead.")
            % {"name": existing.name}
        )
    before = theme.name
    theme.name = name
    theme.save(update_fields=["name"])
    Note.objects.filter(theme=theme).update(version=_bump(workshop.pk))
    _record(actor, workshop, "update", theme, {"name": [before, name]})
    return theme


@transaction.atomic
def merge_themes(*, actor: User, prompt: Prompt, themes: list[Theme], name: str) -> Theme:
    """Merge two or more themes into one with the given name; the others are deleted."""
    workshop = prompt.workshop
    _require_facilitator(actor, workshop)
    if len({theme.pk for theme in themes}) < 2:
        raise Refused(_("Select at least two themes to merge."))
    if any(theme.prompt_id != prompt.pk for theme in themes):
        raise Refused(_("Only themes of the same prompt can be merged."))
    name = clean_theme_name(name)
    themes = sorted(themes, key=lambda theme: theme.pk)
    # The kept theme is the one already called so, or else the oldest.
    kept = next((theme for theme in themes if theme.name.lower() == name.lower()), themes[0])
    others = [theme for theme in themes if theme.pk != kept.pk]
    clash = _theme_named(prompt, name)
    if clash is not None and clash.pk not in {theme.pk for theme in themes}:
        raise Refused(
            _("This prompt already has a theme called “%(name)s”; select it too to merge it.")
            % {"name": clash.name}
        )
    Note.objects.filter(theme__in=themes).update(theme=kept, version=_bump(workshop.pk))
    merged_names = [theme.name for theme in others]
    Theme.objects.filter(pk__in=[theme.pk for theme in others]).delete()
    kept.name = name
    kept.save(update_fields=["name"])
    _record(actor, workshop, "update", kept, {"merged": [merged_names, name]})
    return kept


# --- synthesis --------------------------------------------------------------------------------


def _synthesis_input(prompt: Prompt) -> list[synthesis.NoteText]:
    return [
        synthesis.NoteText(id=pk, language=language, text=text)
        for pk, language, text in Note.objects.filter(
            prompt=prompt, visibility=Visibility.PUBLISHED
        )
        .order_by("pk")
        .values_list("pk", "language", "text")
    ]


@transaction.atomic
def recompute_synthesis(*, actor: User, prompt: Prompt) -> Synthesis:
    """Compute the prompt's synthesis again and store it.

    Term and phrase counts use every visible note; themes are suggested only from notes that
    have no theme yet. A suggestion already accepted or rejected is not suggested again."""
    workshop = prompt.workshop
    _require_facilitator(actor, workshop)
    notes = _synthesis_input(prompt)
    themed = set(
        Note.objects.filter(prompt=prompt, theme__isnull=False).values_list("pk", flat=True)
    )
    result = synthesis.synthesise(
        notes, cluster_ids={note.id for note in notes if note.id not in themed}
    )
    stored, _created = Synthesis.objects.update_or_create(
        prompt=prompt,
        defaults={
            "computed_at": timezone.now(),
            "note_count": result.note_count,
            "terms": [list(item) for item in result.terms],
            "phrases": [list(item) for item in result.phrases],
        },
    )
    prompt.suggestions.filter(status=SuggestedTheme.Status.OPEN).delete()
    decided = set(prompt.suggestions.values_list("signature", flat=True))
    SuggestedTheme.objects.bulk_create(
        SuggestedTheme(
            prompt=prompt,
            name=cluster.name[:80],
            signature=cluster.signature,
            terms=list(cluster.terms),
            note_ids=list(cluster.note_ids),
            order=order,
        )
        for order, cluster in enumerate(
            cluster for cluster in result.clusters if cluster.signature not in decided
        )
    )
    _record(actor, workshop, "update", prompt, {"synthesis": [None, result.note_count]})
    return stored


def _open_suggestion(suggestion: SuggestedTheme) -> SuggestedTheme:
    suggestion = SuggestedTheme.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestedTheme.Status.OPEN:
        raise Refused(_("This suggestion was already decided."))
    return suggestion


@transaction.atomic
def accept_suggestion(*, actor: User, suggestion: SuggestedTheme, name: str) -> Theme:
    """Create (or reuse) the theme with the given name and put the suggestion's notes in it.

    Notes hidden or given another theme since the synthesis ran are left where they are."""
    prompt = suggestion.prompt
    _require_facilitator(actor, prompt.workshop)
    suggestion = _open_suggestion(suggestion)
    available = list(
        Note.objects.filter(
            prompt=prompt,
            pk__in=suggestion.note_ids,
            visibility=Visibility.PUBLISHED,
            theme__isnull=True,
        ).values_list("pk", flat=True)
    )
    if not available:
        raise Refused(_("All notes of this suggestion already have a theme or were hidden."))
    name = clean_theme_name(name)
    theme = _theme_named(prompt, name)
    theme = assign_theme(
        actor=actor, prompt=prompt, note_ids=available, theme=theme, new_name="" if theme else name
    )
    suggestion.status = SuggestedTheme.Status.ACCEPTED
    suggestion.save(update_fields=["status"])
    return theme


@transaction.atomic
def reject_suggestion(*, actor: User, suggestion: SuggestedTheme) -> None:
    _require_facilitator(actor, suggestion.prompt.workshop)
    suggestion = _open_suggestion(suggestion)
    suggestion.status = SuggestedTheme.Status.REJECTED
    suggestion.save(update_fields=["status"])
    _record(
        actor, suggestion.prompt.workshop, "update", suggestion, {"status": ["open", "rejected"]}
    )
