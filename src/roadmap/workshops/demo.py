"""Deterministic demo workshop in Fjordvik: an open digital workshop with the roadmap's own two
prompts, notes in several languages from the demo participants, +1s, a few themes made by the
demo editor, and a computed synthesis.

Texts come from data/demo.yaml, read and checked against SCHEMA before anything is written.
Runs after the participation demo (it uses that demo's participants). Who wrote and +1'd what
is drawn from one seeded generator, so two builds give the same data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core.datafiles import Choice, ListOf, Record, Text, load
from roadmap.municipalities.models import Municipality
from roadmap.participation.demo import (
    PHASE_DATES,
    PROCESS_TEXTS,
    ParticipationData,
    PhaseDates,
    ProcessTexts,
)
from roadmap.participation.demo import demo_data as participation_data
from roadmap.participation.models import Audience, Phase, Process

from . import services
from .models import NOTE_LANGUAGES, NOTE_MAX_LENGTH, PROMPT_MAX_LENGTH, Note, NoteVote

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
SEED = 20261201
PROCESS_SLUG = "fjordvik-2030-workshop"


@dataclass(frozen=True)
class NoteSpec:
    language: str
    text: str
    # The theme the demo editor puts the note in, or "".
    theme: str


@dataclass(frozen=True)
class PromptSpec:
    text: str
    notes: tuple[NoteSpec, ...]


@dataclass(frozen=True)
class WorkshopData:
    process: ProcessTexts
    phase: PhaseDates
    prompts: tuple[PromptSpec, ...]


SCHEMA = Record(
    WorkshopData,
    {
        "process": PROCESS_TEXTS,
        "phase": PHASE_DATES,
        "prompts": ListOf(
            Record(
                PromptSpec,
                {
                    "text": Text(max_length=PROMPT_MAX_LENGTH),
                    "notes": ListOf(
                        Record(
                            NoteSpec,
                            {
                                "language": Choice(NOTE_LANGUAGES),
                                "text": Text(max_length=NOTE_MAX_LENGTH),
                                "theme": Text(default=""),
                            },
                            label="text",
                        )
                    ),
                },
                label="text",
            ),
            min_items=1,
        ),
    },
)


def demo_data() -> WorkshopData:
    """The workshop data file, checked completely (DataFileError names every problem)."""
    return load(DATA_FILE, SCHEMA)


@transaction.atomic
def build_workshop_demo(
    *,
    municipality: Municipality,
    today: datetime.date,
    data: WorkshopData | None = None,
    participation: ParticipationData | None = None,
) -> Process:
    """Build Fjordvik's open workshop process (call after the participation demo)."""
    data = data or demo_data()
    participation = participation or participation_data()
    rng = random.Random(SEED)
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    editor = User.objects.get(username="demo-editor")
    participants = list(
        User.objects.filter(
            username__in=[user.username for user in participation.participants]
        ).order_by("username")
    )
    process = Process.objects.create(
        municipality=municipality,
        title=data.process.title,
        slug=PROCESS_SLUG,
        summary=data.process.summary,
        description=data.process.description,
        data_statement=data.process.data_statement,
        is_published=True,
        created_by=editor,
    )
    phase = Phase.objects.create(
        process=process,
        kind=Phase.Kind.WORKSHOP,
        title=data.phase.title,
        starts_at=now + datetime.timedelta(days=data.phase.starts),
        ends_at=now + datetime.timedelta(days=data.phase.ends),
        post_notes=Audience.ANYONE,
        anonymous_notes=True,
    )
    prompts = [
        services.add_prompt(actor=editor, phase=phase, text=spec.text) for spec in data.prompts
    ]
    # Posted prompt by prompt, in the order of the file.
    posted = [
        (prompt, note)
        for prompt, spec in zip(prompts, data.prompts, strict=True)
        for note in spec.notes
    ]
    notes = Note.objects.bulk_create(
        Note(prompt=prompt, author=rng.choice(participants), language=spec.language, text=spec.text)
        for prompt, spec in posted
    )
    for minutes, note in enumerate(notes):
        Note.objects.filter(pk=note.pk).update(
            created_at=now - datetime.timedelta(days=2, minutes=-37 * minutes)
        )
    votes = [
        NoteVote(note=note, user=user)
        for note in notes
        for user in rng.sample(participants, rng.randint(0, 5))
        if user.pk != note.author_id
    ]
    NoteVote.objects.bulk_create(votes)
    for note in notes:
        Note.objects.filter(pk=note.pk).update(
            vote_count=sum(1 for vote in votes if vote.note is note)
        )
    for (prompt, spec), note in zip(posted, notes, strict=True):
        if spec.theme:
            services.assign_theme(
                actor=editor, prompt=prompt, note_ids=[note.pk], new_name=spec.theme
            )
    for prompt in prompts:
        services.recompute_synthesis(actor=editor, prompt=prompt)
    return process
