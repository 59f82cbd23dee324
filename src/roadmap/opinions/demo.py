"""Deterministic demo opinion map in Fjordvik: a process about the harbour with 20 statements,
two waiting for a moderator, and 120 synthetic voters in three planted opinion groups.

The synthetic voters are anonymous voter rows (no accounts), like the votes of deleted accounts.
Votes come from one seeded generator, so two builds give the same data and the same map.
"""

from __future__ import annotations

import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.municipalities.models import Municipality
from roadmap.participation.models import Audience, Phase, Process

from . import services, synthetic
from .models import OpinionMap, Statement, Vote, Voter

SEED = 20261202
PROCESS_SLUG = "harbour-opinions"
SYNTHETIC_VOTERS = 120
# The first three are ones everyone tends to agree with (planted consensus).
STATEMENTS = (
    ("en", "The harbour front should stay open to everyone, all year."),
    ("en", "Decisions about the harbour should be made together with residents."),
    ("nb", "Det må være trygt å gå og sykle langs havna om kvelden."),
    ("en", "Cars should be banned from the harbour front."),
    ("en", "The old ferry terminal should become housing."),
    ("en", "The old ferry terminal should become a culture house."),
    ("nb", "Havna trenger flere parkeringsplasser."),
    ("en", "Sensors that count visitors are fine if the data is anonymous."),
    ("en", "Cruise ships bring more problems than money."),
    ("en", "The fish market should get a permanent hall."),
    ("sv", "Hamnen ska ha fler bänkar och mindre reklam."),
    ("en", "Free Wi-Fi at the harbour is worth the cost."),
    ("en", "Noise from events should end at 22:00."),
    ("en", "A public sauna by the water would make the harbour lively in winter."),
    ("en", "The municipality should sell harbour land to fund schools."),
    ("nb", "Båtplasser bør prioriteres for folk som bor i kommunen."),
    ("en", "Bike sharing should have a station at the harbour."),
    ("en", "The harbour should be closed to heavy trucks in daytime."),
    ("da", "Der skal plantes flere træer langs kajen."),
    ("en", "Street food stalls should be allowed all summer."),
)
PENDING = (
    ("en", "Build a new bridge across the harbour."),
    ("en", "Let residents vote on the name of the new square."),
)


@transaction.atomic
def build_opinion_demo(*, municipality: Municipality, today: datetime.date) -> Phase:
    """Build the harbour process with its opinion-map phase and computed map."""
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    editor = User.objects.get(username="demo-editor")
    process = Process.objects.create(
        municipality=municipality,
        title="Fjordvik harbour: where do we agree?",
        slug=PROCESS_SLUG,
        summary="Vote agree, disagree or pass on statements about the future harbour, add your "
        "own, and see which opinion groups form and what everyone shares.",
        description="The opinion map helps the council see where residents disagree and where "
        "they already agree, before the harbour plan is drafted.",
        data_statement="We store your account name with your statements and votes to draw the "
        "map. The map shows no names. You can download or delete your data from your account "
        "page; deleted accounts' votes stay as anonymous data.",
        is_published=True,
        created_by=editor,
    )
    phase = Phase.objects.create(
        process=process,
        kind=Phase.Kind.OPINION_MAP,
        title="Opinion map: the harbour",
        starts_at=now - datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=20),
        propose=Audience.ANYONE,
        vote=Audience.ANYONE,
        hold_statements=True,
    )
    statements = Statement.objects.bulk_create(
        Statement(phase=phase, author=editor, language=language, text=text)
        for language, text in STATEMENTS
    )
    Statement.objects.bulk_create(
        Statement(
            phase=phase,
            author=editor,
            language=language,
            text=text,
            status=Statement.Status.PENDING,
        )
        for language, text in PENDING
    )
    planted = synthetic.planted_votes(
        participants=SYNTHETIC_VOTERS,
        statements=len(statements),
        groups=3,
        mean_votes=14,
        consensus_statements=3,
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
