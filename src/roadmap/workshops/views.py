"""Workshop pages: the board, a prompt's notes (where facilitators theme them), the synthesis,
the printable summary and the CSV and XLSX exports; facilitators' pages to edit and delete
prompts, and moderators' pages to hide and restore notes. Every form works without JavaScript;
htmx polls the board's notes and sends +1s without a reload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from roadmap.core.pagination import paginate
from roadmap.core.redirects import safe_next
from roadmap.core.spreadsheet import FileFormat, table_response
from roadmap.participation.models import Visibility
from roadmap.participation.permissions import action_decision

from . import selectors, services
from .charts import term_chart
from .forms import (
    EditPromptForm,
    HideForm,
    MergeThemesForm,
    NoteForm,
    PromptForm,
    RenameThemeForm,
    ReportForm,
    RestoreForm,
    SuggestionForm,
    ThemingForm,
)
from .models import Note
from .permissions import can_facilitate, can_moderate_notes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOTES_PER_PAGE = 100
POLL_SECONDS = 5


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_facilitator(request, phase) -> bool:
    return can_facilitate(request.user, phase.process.municipality)


def _phase(request, municipality: str, process: str, phase: int, *, facilitator=False):
    """The workshop phase (404 if the user may not see it); with `facilitator`, only for a
    facilitator of its municipality (403 otherwise)."""
    found = selectors.workshop_phase(municipality, process, phase, request.user)
    if facilitator and not _is_facilitator(request, found):
        raise PermissionDenied
    return found


def _prompt(
    request, municipality: str, process: str, phase: int, prompt: int, *, facilitator=False
):
    """The phase, checked as `_phase` does, and one of its prompts (404 if not there)."""
    found = _phase(request, municipality, process, phase, facilitator=facilitator)
    return found, selectors.prompt_of(found, prompt)


def _kwargs(phase, **extra) -> dict:
    return {
        "municipality": phase.process.municipality.slug,
        "process": phase.process.slug,
        "phase": phase.pk,
        **extra,
    }


def _url(name: str, phase, anchor: str = "", **extra) -> str:
    url = reverse(f"workshops:{name}", kwargs=_kwargs(phase, **extra))
    return f"{url}#{anchor}" if anchor else url


def _base_context(request, phase) -> dict:
    return {
        "municipality": phase.process.municipality,
        "process": phase.process,
        "phase": phase,
        "is_facilitator": _is_facilitator(request, phase),
        "can_moderate_notes": can_moderate_notes(request.user, phase.process.municipality),
    }


def _board_context(request, phase, *, board=True) -> dict:
    """What the board's notes and their polls need; `board=False` leaves out the notes
    themselves. The forms are the board page's own (_board_page): polls do not build them."""
    return {
        **_base_context(request, phase),
        "board": selectors.board(phase, request.user) if board else None,
        "decision": action_decision(request.user, phase, "post_notes"),
        "poll_seconds": POLL_SECONDS,
    }


def _board_page(request, phase, *, note_form=None, prompt_form=None, status=200):
    """The whole board page, with a posted form and its errors when one was refused."""
    context = _board_context(request, phase)
    context["note_form"] = note_form or NoteForm(
        workshop=selectors.workshop_of(phase), language=get_language()
    )
    if context["is_facilitator"]:
        context["prompt_form"] = prompt_form or PromptForm()
    return render(request, "workshops/board.html", context, status=status)


@require_GET
def board(request, municipality: str, process: str, phase: int):
    return _board_page(request, _phase(request, municipality, process, phase))


@require_GET
def board_notes(request, municipality: str, process: str, phase: int):
    """The board's notes for a polling client, which sends the version it shows.

    Unchanged: 204 (htmx swaps nothing), from one small query. Behind: only the notes that
    changed since, as out-of-band swaps. Unknown version or a new prompt since: the region."""
    state = selectors.board_state(municipality, process, phase, request.user)
    since = request.GET.get("version", "")
    if since == str(state.version):
        return HttpResponse(status=204)
    phase = _phase(request, municipality, process, phase)
    if since.isdigit() and state.layout_version <= int(since) < state.version:
        changes = selectors.board_changes(phase, request.user, int(since))
        context = {**_board_context(request, phase, board=False), "changes": changes}
        response = render(request, "workshops/_notes_changes.html", context)
        response["HX-Reswap"] = "none"  # only the out-of-band parts are swapped
        return response
    return render(request, "workshops/_notes_region.html", _board_context(request, phase))


@require_POST
def prompt_create(request, municipality: str, process: str, phase: int):
    phase = _phase(request, municipality, process, phase, facilitator=True)
    form = PromptForm(request.POST)
    if form.is_valid():
        try:
            services.add_prompt(actor=request.user, phase=phase, text=form.cleaned_data["text"])
        except services.Refused as refusal:
            form.add_error("text", refusal.message)
    if form.errors:
        return _board_page(request, phase, prompt_form=form, status=400)
    messages.success(request, _("The prompt was added."))
    return redirect(_url("board", phase))


@require_POST
def note_create(request, municipality: str, process: str, phase: int):
    phase = _phase(request, municipality, process, phase)
    if not request.user.is_authenticated:
        return redirect_to_login(_url("board", phase, "post-note"))
    form = NoteForm(request.POST, workshop=selectors.workshop_of(phase))
    if form.is_valid():
        try:
            note = services.post_note(
                author=request.user,
                prompt=form.cleaned_data["prompt"],
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        return _board_page(request, phase, note_form=form, status=400)
    messages.success(request, _("Your note was posted."))
    return redirect(_url("board", phase, f"note-{note.pk}"))


@require_POST
def note_vote(request, municipality: str, process: str, phase: int, pk: int):
    phase = _phase(request, municipality, process, phase)
    note = selectors.note_of(phase, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_url("board", phase, f"note-{note.pk}"))
    removing = request.POST.get("action") == "remove"
    announcement = error = ""
    try:
        if removing:
            services.remove_vote(user=request.user, note=note)
        else:
            services.add_vote(user=request.user, note=note)
    except services.Refused as refusal:
        error = refusal.message
    else:
        note.refresh_from_db(fields=["vote_count"])
        announcement = (
            _("You took back your +1. This note now has %(count)s.")
            if removing
            else _("You gave this note +1. It now has %(count)s.")
        ) % {"count": note.vote_count}
    if _is_htmx(request):
        context = {
            **_board_context(request, phase, board=False),
            "note": note,
            "voted": {note.pk} if selectors.has_voted(request.user, note) else set(),
            "announcement": announcement,
            "vote_error": error,
        }
        return render(request, "workshops/_vote_response.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, announcement)
    return redirect(_url("board", phase, f"note-{note.pk}"))


@dataclass(frozen=True)
class NoteModeration:
    """What differs between hiding a note and restoring it; the page is the same."""

    form: type[HideForm]
    service: Callable[..., object]
    heading: StrOrPromise
    explanation: StrOrPromise
    submit_label: StrOrPromise
    done: StrOrPromise
    # Why the page offers no form for this note ("" if the action applies to it).
    not_applicable: Callable[[Note], StrOrPromise] = lambda note: ""


HIDING = NoteModeration(
    form=HideForm,
    service=services.hide_note,
    heading=gettext_lazy("Hide a note"),
    explanation=gettext_lazy(
        "The note stays stored but is no longer shown, counted in the synthesis or exported. "
        "Everyone sees the reason you give in its place."
    ),
    submit_label=gettext_lazy("Hide the note"),
    done=gettext_lazy("The note was hidden."),
)
RESTORING = NoteModeration(
    form=RestoreForm,
    service=services.restore_note,
    heading=gettext_lazy("Restore a hidden note"),
    explanation=gettext_lazy(
        "The note is shown again on the board, counted in the synthesis and exported, in the "
        "theme it had. Everyone sees the reason you give with it."
    ),
    submit_label=gettext_lazy("Restore the note"),
    not_applicable=lambda note: (
        "" if note.visibility == Visibility.HIDDEN else services.NOTHING_TO_RESTORE
    ),
    done=gettext_lazy("The note is shown again."),
)


def _note_moderation(request, municipality, process, phase, pk, *, action: NoteModeration):
    """The hide and restore pages: the note, a public reason, then the action's service."""
    phase = _phase(request, municipality, process, phase)
    note = selectors.note_of(phase, pk)
    if not can_moderate_notes(request.user, phase.process.municipality):
        raise PermissionDenied
    form = action.form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            action.service(actor=request.user, note=note, reason=form.cleaned_data["reason"])
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, action.done)
            return redirect(_url("board", phase, f"prompt-{note.prompt_id}"))
    return render(
        request,
        "workshops/note_moderation.html",
        {
            **_base_context(request, phase),
            "note": note,
            "form": form,
            "moderation": action,
            "not_applicable": action.not_applicable(note),
        },
        status=400 if form.errors else 200,
    )


@login_required
def note_hide(request, municipality: str, process: str, phase: int, pk: int):
    return _note_moderation(request, municipality, process, phase, pk, action=HIDING)


@login_required
def note_restore(request, municipality: str, process: str, phase: int, pk: int):
    return _note_moderation(request, municipality, process, phase, pk, action=RESTORING)


@login_required
def note_report(request, municipality: str, process: str, phase: int, pk: int):
    """A signed-in participant reports a visible note to the moderators."""
    phase = _phase(request, municipality, process, phase)
    note = selectors.note_of(phase, pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.report_note(
                reporter=request.user, note=note, reason=form.cleaned_data["reason"]
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
            return redirect(_url("board", phase, f"note-{note.pk}"))
    return render(
        request,
        "workshops/note_report.html",
        {**_base_context(request, phase), "note": note, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def note_flag_dismiss(request, municipality: str, process: str, phase: int, pk: int):
    """A moderator dismisses a report of a note, then goes back where they came from."""
    phase = _phase(request, municipality, process, phase)
    flag = selectors.open_note_flag_of(phase, pk)
    if not can_moderate_notes(request.user, phase.process.municipality):
        raise PermissionDenied
    try:
        services.dismiss_note_flag(actor=request.user, flag=flag)
    except services.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The report was dismissed."))
    return redirect(safe_next(request) or _url("board", phase, f"note-{flag.note_id}"))


def _prompt_page(request, phase, prompt, *, theming_form=None, merge_form=None, status=200):
    theme_filter = request.GET.get("theme", "")
    page_obj = paginate(request, selectors.prompt_notes(prompt, theme_filter), NOTES_PER_PAGE)
    context = {
        **_base_context(request, phase),
        "prompt": prompt,
        "page_obj": page_obj,
        "theme_filter": theme_filter,
        "themes": list(selectors.themes_with_totals(prompt)),
    }
    if context["is_facilitator"]:
        note_ids = [note.pk for note in page_obj]
        context["theming_form"] = theming_form or ThemingForm(prompt=prompt, note_ids=note_ids)
        context["merge_form"] = merge_form or MergeThemesForm(prompt=prompt)
    return render(request, "workshops/prompt_detail.html", context, status=status)


@require_GET
def prompt_detail(request, municipality: str, process: str, phase: int, prompt: int):
    return _prompt_page(request, *_prompt(request, municipality, process, phase, prompt))


@login_required
def prompt_edit(request, municipality: str, process: str, phase: int, prompt: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    if request.method == "POST":
        form = EditPromptForm(request.POST)
        if form.is_valid():
            try:
                services.edit_prompt(
                    actor=request.user, prompt=prompt, text=form.cleaned_data["text"]
                )
            except services.Refused as refusal:
                form.add_error("text", refusal.message)
            else:
                messages.success(request, _("The prompt was saved."))
                return redirect(_url("prompt", phase, prompt=prompt.pk))
    else:
        form = EditPromptForm(initial={"text": prompt.text})
    return render(
        request,
        "workshops/prompt_edit.html",
        {**_base_context(request, phase), "prompt": prompt, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def prompt_delete(request, municipality: str, process: str, phase: int, prompt: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    if request.method == "POST":
        try:
            services.delete_prompt(actor=request.user, prompt=prompt)
        except services.Refused as refusal:
            messages.info(request, refusal.message)
        else:
            messages.success(
                request, _("The prompt “%(text)s” was deleted.") % {"text": prompt.text}
            )
        return redirect(_url("board", phase))
    return render(
        request,
        "workshops/prompt_delete.html",
        {
            **_base_context(request, phase),
            "prompt": prompt,
            "contents": selectors.prompt_contents(prompt),
        },
    )


def _listing_query(data) -> str:
    """The page and theme filter the facilitator was looking at, to return to them."""
    kept = {name: data[name] for name in ("page", "theme") if data.get(name, "").isdigit()}
    if data.get("theme") == selectors.NOTE_FILTER_UNTHEMED:
        kept["theme"] = selectors.NOTE_FILTER_UNTHEMED
    return f"?{urlencode(kept)}" if kept else ""


@require_POST
def prompt_theming(request, municipality: str, process: str, phase: int, prompt: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    note_ids = list(prompt.notes.values_list("pk", flat=True))
    form = ThemingForm(request.POST, prompt=prompt, note_ids=note_ids)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == ThemingForm.UNASSIGN:
                services.unassign_notes(actor=request.user, prompt=prompt, note_ids=data["notes"])
                message = _("The selected notes no longer have a theme.")
            else:
                theme = services.assign_theme(
                    actor=request.user,
                    prompt=prompt,
                    note_ids=data["notes"],
                    theme=data["theme"],
                    new_name=data["new_theme"],
                )
                message = _("The selected notes are now in the theme “%(name)s”.") % {
                    "name": theme.name
                }
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        return _prompt_page(request, phase, prompt, theming_form=form, status=400)
    messages.success(request, message)
    return redirect(_url("prompt", phase, prompt=prompt.pk) + _listing_query(request.POST))


@require_POST
def theme_rename(request, municipality: str, process: str, phase: int, prompt: int, pk: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    theme = selectors.theme_of(prompt, pk)
    form = RenameThemeForm(request.POST, prefix=f"theme-{theme.pk}")
    if form.is_valid():
        try:
            services.rename_theme(actor=request.user, theme=theme, name=form.cleaned_data["name"])
        except services.Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The theme was renamed."))
    else:
        messages.error(request, _("Give the theme a new name of at most 80 characters."))
    return redirect(_url("prompt", phase, "themes", prompt=prompt.pk))


@require_POST
def themes_merge(request, municipality: str, process: str, phase: int, prompt: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    form = MergeThemesForm(request.POST, prompt=prompt)
    if form.is_valid():
        try:
            theme = services.merge_themes(
                actor=request.user,
                prompt=prompt,
                themes=form.cleaned_data["themes"],
                name=form.cleaned_data["name"],
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        return _prompt_page(request, phase, prompt, merge_form=form, status=400)
    messages.success(request, _("The themes were merged into “%(name)s”.") % {"name": theme.name})
    return redirect(_url("prompt", phase, "themes", prompt=prompt.pk))


@dataclass(frozen=True)
class SuggestionCard:
    """A suggested theme as the synthesis page shows it: with its notes and its form."""

    pk: int
    name: str
    notes: list[Note]
    form: SuggestionForm


def _synthesis_page(request, phase, prompt, *, suggestion_errors=None, status=200):
    stored = getattr(prompt, "synthesis", None)
    context = {
        **_base_context(request, phase),
        "prompt": prompt,
        "synthesis": stored,
        "chart": term_chart(stored) if stored and stored.terms else None,
    }
    if context["is_facilitator"]:
        suggestions = list(selectors.open_suggestions(prompt))
        notes = selectors.notes_by_id(
            prompt, {pk for suggestion in suggestions for pk in suggestion.note_ids}
        )
        errors = suggestion_errors or {}
        context["suggestions"] = [
            SuggestionCard(
                pk=suggestion.pk,
                name=suggestion.name,
                notes=[notes[pk] for pk in suggestion.note_ids if pk in notes],
                form=errors.get(suggestion.pk)
                or SuggestionForm(
                    prefix=f"suggestion-{suggestion.pk}", initial={"name": suggestion.name}
                ),
            )
            for suggestion in suggestions
        ]
    return render(request, "workshops/synthesis.html", context, status=status)


@require_GET
def synthesis(request, municipality: str, process: str, phase: int, prompt: int):
    return _synthesis_page(request, *_prompt(request, municipality, process, phase, prompt))


@require_POST
def synthesis_recompute(request, municipality: str, process: str, phase: int, prompt: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    stored = services.recompute_synthesis(actor=request.user, prompt=prompt)
    messages.success(
        request,
        _("The synthesis was computed again from %(count)s notes.") % {"count": stored.note_count},
    )
    return redirect(_url("synthesis", phase, prompt=prompt.pk))


@require_POST
def suggestion_decide(request, municipality: str, process: str, phase: int, prompt: int, pk: int):
    phase, prompt = _prompt(request, municipality, process, phase, prompt, facilitator=True)
    suggestion = selectors.suggestion_of(prompt, pk)
    form = SuggestionForm(request.POST, prefix=f"suggestion-{suggestion.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == SuggestionForm.REJECT:
                services.reject_suggestion(actor=request.user, suggestion=suggestion)
                message = _("The suggestion was rejected; it will not be suggested again.")
            else:
                theme = services.accept_suggestion(
                    actor=request.user, suggestion=suggestion, name=form.cleaned_data["name"]
                )
                message = _("The theme “%(name)s” now holds the suggested notes.") % {
                    "name": theme.name
                }
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        return _synthesis_page(
            request, phase, prompt, suggestion_errors={suggestion.pk: form}, status=400
        )
    messages.success(request, message)
    return redirect(_url("synthesis", phase, "suggestions", prompt=prompt.pk))


@require_GET
def summary(request, municipality: str, process: str, phase: int):
    phase = _phase(request, municipality, process, phase)
    return render(
        request,
        "workshops/summary.html",
        {
            **_base_context(request, phase),
            "prompts": selectors.summary(phase, _("Notes without a theme")),
        },
    )


def _filename(phase, kind: str) -> str:
    return f"{phase.process.municipality.slug}-{phase.process.slug}-workshop-{phase.pk}-{kind}"


@require_GET
def export_notes(request, municipality: str, process: str, phase: int, file_format: FileFormat):
    phase = _phase(request, municipality, process, phase)
    header = [_("Prompt"), _("Note"), _("Language"), _("Theme"), _("+1s"), _("Posted")]
    rows = (
        (
            note.prompt.text,
            note.text,
            note.language,
            note.theme.name if note.theme else "",
            note.vote_count,
            note.created_at,
        )
        for note in selectors.export_notes(phase).iterator(chunk_size=2000)
    )
    return table_response(file_format, _filename(phase, "notes"), header, rows)


@require_GET
def export_themes(request, municipality: str, process: str, phase: int, file_format: FileFormat):
    phase = _phase(request, municipality, process, phase)
    header = [_("Prompt"), _("Theme"), _("Notes"), _("+1s")]
    rows = (
        (theme.prompt.text, theme.name, theme.note_total, theme.vote_total)
        for theme in selectors.export_themes(phase)
    )
    return table_response(file_format, _filename(phase, "themes"), header, rows)
