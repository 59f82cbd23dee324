"""Deterministic demo opinion map in Fjordvik: a process about the harbour with 20 statements,
two waiting for a moderator, and 120 synthetic voters in three planted opinion groups.

Texts come from data/demo.yaml, read and checked against SCHEMA before anything is written.
The synthetic voters are anonymous voter rows (no accounts), like the votes of deleted accounts.
Votes come from one seeded generator, so two builds give the same data and the same map.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core.datafiles import Choice, ListOf, Record, Text, load
from roadmap.municipalities.models import Municipality
from roadmap.participation.demo import PHASE_DATES, PROCESS_TEXTS, PhaseDates, ProcessTexts
from roadmap.participation.models import Audience, Phase, Process

from . import services, synthetic
from .models import STATEMENT_MAX_LENGTH, OpinionMap, Statement, Vote, Voter

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
SEED = 20261202
PROCESS_SLUG = "harbour-opinions"
SYNTHETIC_VOTERS = 120
# The first statements of the file are the ones everyone tends to agree with.
CONSENSUS_STATEMENTS = 3


@dataclass(frozen=True)
class StatementSpec:
    language: str
    text: str


@dataclass(frozen=True)
class OpinionData:
    process: ProcessTexts
    phase: PhaseDates
    statements: tuple[StatementSpec, ...]
    # Waiting for a moderator.
    pending: tuple[StatementSpec, ...]


_STATEMENT = Record(
    StatementSpec,
    {
        # Any language of the platform, enabled in the interface or not: residents write in theirs.
        "language": Choice([code for code, _name in settings.ALL_LANGUAGES]),
        "text": Text(max_length=STATEMENT_MAX_LENGTH),
    },
    label="text",
)
SCHEMA = Record(
    OpinionData,
    {
        "process": PROCESS_TEXTS,
        "phase": PHASE_DATES,
        "statements": ListOf(_STATEMENT, min_items=CONSENSUS_STATEMENTS + 1),
        "pending": ListOf(_STATEMENT),
    },
)


def demo_data() -> OpinionData:
    """The opinion map data file, checked completely (DataFileError names every problem)."""
    return load(DATA_FILE, SCHEMA)


@transaction.atomic
def build_opinion_demo(
    *, municipality: Municipality, today: datetime.date, data: OpinionData | None = None
) -> Phase:
    """Build the harbour process with its opinion-map phase and computed map."""
    data = data or demo_data()
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    editor = User.objects.get(username="demo-editor")
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
        kind=Phase.Kind.OPINION_MAP,
        title=data.phase.title,
        starts_at=now + datetime.timedelta(days=data.phase.starts),
        ends_at=now + datetime.timedelta(days=data.phase.ends),
        propose=Audience.ANYONE,
        vote=Audience.ANYONE,
        hold_statements=True,
    )
    statements = Statement.objects.bulk_create(
        Statement(phase=phase, author=editor, language=spec.language, text=spec.text)
        for spec in data.statements
    )
    Statement.objects.bulk_create(
        Statement(
            phase=phase,
            author=editor,
            language=spec.language,
            text=spec.text,
            status=Statement.Status.PENDING,
        )
        for spec in data.pending
    )
    planted = synthetic.planted_votes(
        participants=SYNTHETIC_VOTERS,
        statements=len(statements),
        groups=3,
        mean_votes=14,
        consensus_statements=CONSENSUS_STATEMENTS,
        seed=SEED,
    )
    voters = Voter.objects.bulk_create(Voter(phase=phase) for _ in range(SYNTHETIC_VOTERS))
    Vote.objects.bulk_create(
        Vote(phase=phase, statement=statements[column], voter=voters[row], value=int(value))
        for row, column, value in zip(
            planted.participants.tolist(),
            planted.statements.tolist(),
            planted.values.tolist(),
            strict=True,
        )
    )
    for index, statement in enumerate(statements):
        mine = planted.values[planted.statements == index]
        Statement.objects.filter(pk=statement.pk).update(
            agree_count=int(np.sum(mine == 1)),
            disagree_count=int(np.sum(mine == -1)),
            pass_count=int(np.sum(mine == 0)),
        )
    OpinionMap.objects.create(phase=phase)
    services.recompute_map(phase_id=phase.pk, full=True)
    return phase
