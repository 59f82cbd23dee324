"""A user's workshop data for the account export, and what deleting the account leaves.

On deletion the notes stay without author (their text scrubbed of the user's names); the
user's +1s are withdrawn, each note's stored count lowered with them, so count == rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q

from roadmap.accounts.privacy import Scrubber, as_iso

from .models import NOTE_MAX_LENGTH, Note, NoteVote, Workshop


def export_workshop_notes(user) -> dict[str, list[dict[str, Any]]]:
    return {
        "workshop_notes": [
            {
                "id": note.pk,
                "process": note.prompt.workshop.phase.process.title,
                "prompt": note.prompt.text,
                "text": note.text,
                "language": note.language,
                "visibility": note.visibility,
                "created_at": as_iso(note.created_at),
            }
            for note in Note.objects.filter(author=user)
            .select_related("prompt__workshop__phase__process")
            .order_by("created_at", "id")
        ],
        "workshop_plus_ones": [
            {"note_id": vote.note_id, "note": vote.note.text, "created_at": as_iso(vote.created_at)}
            for vote in NoteVote.objects.filter(user=user)
            .select_related("note")
            .order_by("created_at", "id")
        ],
    }


def release_workshop_notes(user, scrubber: Scrubber) -> None:
    """The user's notes stay, without author and without their name; their +1s go."""
    votes = NoteVote.objects.filter(user=user)
    note_ids = list(votes.values_list("note_id", flat=True))
    # Names vanish from notes across workshops: every board they are on is redrawn.
    Workshop.objects.filter(
        Q(pk__in=Note.objects.filter(author=user).values("prompt__workshop"))
        | Q(pk__in=Note.objects.filter(pk__in=note_ids).values("prompt__workshop"))
    ).update(version=F("version") + 1, layout_version=F("version") + 1)
    notes = list(Note.objects.filter(author=user))
    for note in notes:
        note.author = None
        note.text = scrubber.text(note.text)[:NOTE_MAX_LENGTH]
        note.moderation_reason = scrubber.text(note.moderation_reason)
    Note.objects.bulk_update(notes, ["author", "text", "moderation_reason"])
    Note.objects.filter(pk__in=note_ids).update(vote_count=F("vote_count") - 1)
    votes.delete()
