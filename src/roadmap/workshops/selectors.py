"""Reads for workshops. Each function owns its joins; the board costs the same few queries
whatever the number of prompts, notes and +1s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404

from roadmap.accounts.models import User
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import is_member
from roadmap.participation.models import Phase, Visibility
from roadmap.participation.permissions import can_view_process

from .models import Note, NoteFlag, NoteVote, Prompt, SuggestedTheme, Theme, Workshop

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The board shows the latest notes of each prompt; the prompt's own page has them all.
BOARD_NOTES_PER_PROMPT = 200
SUMMARY_NOTES_PER_THEME = 5


def workshop_phase(
    municipality_slug: str, process_slug: str, phase_pk: int, user: User | AnonymousUser
) -> Phase:
    """A workshop phase of a process the user may see, with its process, municipality and
    workshop in the same query; otherwise 404 (drafts stay unknown)."""
    phase = get_object_or_404(
        Phase.objects.select_related("process__municipality", "workshop"),
        pk=phase_pk,
        kind=Phase.Kind.WORKSHOP,
        process__slug=process_slug,
        process__municipality__slug=municipality_slug,
    )
    if not can_view_process(user, phase.process):
        raise Http404
    return phase


def workshop_of(phase: Phase) -> Workshop | None:
    try:
        return phase.workshop
    except Workshop.DoesNotExist:
        return None


@dataclass(frozen=True)
class BoardState:
    version: int
    layout_version: int


def board_state(
    municipality_slug: str, process_slug: str, phase_pk: int, user: User | AnonymousUser
) -> BoardState:
    """The board's change markers in one small query (plus a membership check for drafts)."""
    row = (
        Phase.objects.filter(
            pk=phase_pk,
            kind=Phase.Kind.WORKSHOP,
            process__slug=process_slug,
            process__municipality__slug=municipality_slug,
        )
        .values(
            "workshop__version",
            "workshop__layout_version",
            "process__is_published",
            "process__municipality",
        )
        .first()
    )
    if row is None:
        raise Http404
    if not row["process__is_published"] and not is_member(
        user, Municipality(pk=row["process__municipality"])
    ):
        raise Http404
    return BoardState(row["workshop__version"] or 0, row["workshop__layout_version"] or 0)


def _covered(workshop: Workshop, notes: list[Note]) -> int:
    """The version the page shows: a change committed between reading the workshop and reading
    its notes is already in the notes, so the client must not be sent it again. Changes commit
    in version order (each takes the workshop row's lock), so every version up to the highest
    seen is in the notes read."""
    return max([workshop.version, *(note.version for note in notes)])


@dataclass
class PromptBoard:
    prompt: Prompt
    notes: list[Note] = field(default_factory=list)
    total: int = 0  # visible notes, also those beyond the board's cap

    @property
    def more(self) -> int:
        return max(self.total - BOARD_NOTES_PER_PROMPT, 0)


@dataclass
class Board:
    version: int
    prompts: list[PromptBoard]
    voted: set[int]  # the viewer's +1s among the notes shown


def board(phase: Phase, user: User | AnonymousUser) -> Board:
    workshop = workshop_of(phase)
    if workshop is None:
        return Board(version=0, prompts=[], voted=set())
    prompts = {
        prompt.pk: PromptBoard(prompt=prompt, total=prompt.visible_notes)
        for prompt in workshop.prompts.annotate(
            visible_notes=Count("notes", filter=Q(notes__visibility=Visibility.PUBLISHED))
        )
    }
    latest = (
        Note.objects.filter(prompt__workshop=workshop)
        .select_related("author", "theme")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("prompt_id")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=BOARD_NOTES_PER_PROMPT)
        .order_by("prompt_id", "-created_at", "-id")
    )
    for note in latest:
        prompts[note.prompt_id].notes.append(note)
    voted: set[int] = set()
    if user.is_authenticated:
        voted = set(
            NoteVote.objects.filter(user=user, note__prompt__workshop=workshop).values_list(
                "note_id", flat=True
            )
        )
    shown = [note for entry in prompts.values() for note in entry.notes]
    return Board(version=_covered(workshop, shown), prompts=list(prompts.values()), voted=voted)


@dataclass
class BoardChanges:
    """What changed on a board since a version: new notes (oldest first), changed notes, each
    prompt's visible total, and the viewer's +1s among those notes."""

    version: int
    new_notes: list[Note]
    changed_notes: list[Note]
    totals: dict[int, int]
    voted: set[int]


def board_changes(phase: Phase, user: User | AnonymousUser, since: int) -> BoardChanges:
    workshop = phase.workshop
    notes = list(
        Note.objects.filter(prompt__workshop=workshop, version__gt=since)
        .select_related("author", "theme")
        .order_by("created_version", "id")
    )
    totals = dict(
        workshop.prompts.annotate(
            visible_notes=Count("notes", filter=Q(notes__visibility=Visibility.PUBLISHED))
        ).values_list("pk", "visible_notes")
    )
    voted: set[int] = set()
    if notes and user.is_authenticated:
        voted = set(
            NoteVote.objects.filter(user=user, note__in=notes).values_list("note_id", flat=True)
        )
    return BoardChanges(
        version=_covered(workshop, notes),
        new_notes=[note for note in notes if note.created_version > since],
        changed_notes=[note for note in notes if note.created_version <= since],
        totals=totals,
        voted=voted,
    )


def has_voted(user: User, note: Note) -> bool:
    return NoteVote.objects.filter(user=user, note=note).exists()


def prompt_of(phase: Phase, prompt_pk: int) -> Prompt:
    return get_object_or_404(
        Prompt.objects.select_related("workshop__phase__process__municipality"),
        pk=prompt_pk,
        workshop__phase=phase,
    )


@dataclass(frozen=True)
class PromptContents:
    """What goes with a prompt when it is deleted: every note (hidden ones too) and theme."""

    notes: int
    themes: int


def prompt_contents(prompt: Prompt) -> PromptContents:
    return PromptContents(notes=prompt.notes.count(), themes=prompt.themes.count())


def note_of(phase: Phase, note_pk: int) -> Note:
    return get_object_or_404(
        Note.objects.select_related("prompt__workshop__phase__process__municipality"),
        pk=note_pk,
        prompt__workshop__phase=phase,
    )


def open_note_flag_of(phase: Phase, flag_pk: int) -> NoteFlag:
    """An open report of one of the phase's notes; anything else is 404."""
    return get_object_or_404(
        NoteFlag.objects.select_related("note__prompt__workshop__phase__process__municipality"),
        pk=flag_pk,
        note__prompt__workshop__phase=phase,
        resolved_at__isnull=True,
    )


def theme_of(prompt: Prompt, theme_pk: int) -> Theme:
    return get_object_or_404(
        Theme.objects.select_related("prompt__workshop__phase__process__municipality"),
        pk=theme_pk,
        prompt=prompt,
    )


def suggestion_of(prompt: Prompt, pk: int) -> SuggestedTheme:
    return get_object_or_404(
        SuggestedTheme.objects.select_related("prompt__workshop__phase__process__municipality"),
        pk=pk,
        prompt=prompt,
        status=SuggestedTheme.Status.OPEN,
    )


NOTE_FILTER_ALL = ""
NOTE_FILTER_UNTHEMED = "none"


def prompt_notes(prompt: Prompt, theme_filter: str = NOTE_FILTER_ALL) -> QuerySet[Note]:
    """Every note of a prompt, newest first; optionally only unthemed ones or one theme's."""
    notes = Note.objects.filter(prompt=prompt).select_related("author", "theme")
    if theme_filter == NOTE_FILTER_UNTHEMED:
        notes = notes.filter(theme__isnull=True, visibility=Visibility.PUBLISHED)
    elif theme_filter.isdigit():
        notes = notes.filter(theme_id=int(theme_filter))
    return notes.order_by("-created_at", "-id")


def themes_with_totals(prompt: Prompt) -> QuerySet[Theme]:
    visible = Q(notes__visibility=Visibility.PUBLISHED)
    return prompt.themes.annotate(
        note_total=Count("notes", filter=visible),
        vote_total=Sum("notes__vote_count", filter=visible, default=0),
    ).order_by("name", "id")


def open_suggestions(prompt: Prompt) -> QuerySet[SuggestedTheme]:
    return prompt.suggestions.filter(status=SuggestedTheme.Status.OPEN).order_by("order", "id")


def notes_by_id(prompt: Prompt, ids: set[int]) -> dict[int, Note]:
    return {note.pk: note for note in Note.objects.filter(prompt=prompt, pk__in=ids)}


@dataclass
class ThemeSummary:
    name: str
    note_total: int
    vote_total: int
    top_notes: list[Note]


@dataclass
class PromptSummary:
    prompt: Prompt
    note_total: int
    themes: list[ThemeSummary]
    unthemed: ThemeSummary
    terms: list[Any]
    phrases: list[Any]


def summary(phase: Phase, unthemed_label: str) -> list[PromptSummary]:
    """Per prompt: its themes (biggest first) with their most +1'd notes, and the notes
    without a theme; the stored synthesis's terms and phrases. Constant query count."""
    workshop = workshop_of(phase)
    if workshop is None:
        return []
    prompts = list(
        workshop.prompts.select_related("synthesis").annotate(
            visible_notes=Count("notes", filter=Q(notes__visibility=Visibility.PUBLISHED))
        )
    )
    themes = Theme.objects.filter(prompt__workshop=workshop).annotate(
        note_total=Count("notes", filter=Q(notes__visibility=Visibility.PUBLISHED)),
        vote_total=Sum(
            "notes__vote_count", filter=Q(notes__visibility=Visibility.PUBLISHED), default=0
        ),
    )
    top = (
        Note.objects.filter(prompt__workshop=workshop, visibility=Visibility.PUBLISHED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("prompt_id"), F("theme_id")],
                order_by=[F("vote_count").desc(), F("created_at").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=SUMMARY_NOTES_PER_THEME)
        .order_by("prompt_id", "theme_id", "rank")
    )
    unthemed_counts = dict(
        Note.objects.filter(
            prompt__workshop=workshop, visibility=Visibility.PUBLISHED, theme__isnull=True
        )
        .order_by()
        .values("prompt_id")
        .annotate(count=Count("id"))
        .values_list("prompt_id", "count")
    )
    by_theme: dict[tuple[int, int | None], list[Note]] = {}
    for note in top:
        by_theme.setdefault((note.prompt_id, note.theme_id), []).append(note)
    theme_rows: dict[int, list[ThemeSummary]] = {}
    for theme in sorted(themes, key=lambda t: (-t.note_total, -t.vote_total, t.name.lower())):
        theme_rows.setdefault(theme.prompt_id, []).append(
            ThemeSummary(
                theme.name,
                theme.note_total,
                theme.vote_total,
                by_theme.get((theme.prompt_id, theme.pk), []),
            )
        )
    result = []
    for prompt in prompts:
        stored = getattr(prompt, "synthesis", None)
        result.append(
            PromptSummary(
                prompt=prompt,
                note_total=prompt.visible_notes,
                themes=theme_rows.get(prompt.pk, []),
                unthemed=ThemeSummary(
                    unthemed_label,
                    unthemed_counts.get(prompt.pk, 0),
                    0,
                    by_theme.get((prompt.pk, None), []),
                ),
                terms=stored.terms if stored else [],
                phrases=stored.phrases if stored else [],
            )
        )
    return result


def export_notes(phase: Phase) -> QuerySet[Note]:
    """Visible notes of the workshop for the CSV export, in a stable order."""
    return (
        Note.objects.filter(prompt__workshop__phase=phase, visibility=Visibility.PUBLISHED)
        .select_related("prompt", "theme")
        .order_by("prompt__order", "prompt_id", "created_at", "id")
    )


class ThemeTotals(TypedDict):
    note_total: int
    vote_total: int


def export_themes(phase: Phase) -> QuerySet[WithAnnotations[Theme, ThemeTotals]]:
    visible = Q(notes__visibility=Visibility.PUBLISHED)
    return (
        Theme.objects.filter(prompt__workshop__phase=phase)
        .select_related("prompt")
        .annotate(
            note_total=Count("notes", filter=visible),
            vote_total=Sum("notes__vote_count", filter=visible, default=0),
        )
        .order_by("prompt__order", "prompt_id", "name", "id")
    )
