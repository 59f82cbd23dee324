"""Synthetic votes with planted opinion groups: for the demo, the tests and the benchmarks.

Each planted group leans to agree or to disagree with each statement; the first
`consensus_statements` statements are agreed with by every group. Participants vote on a random
subset of statements, so most votes are missing, as in a real conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEANING = 0.8  # chance of voting the group's way on a statement
OPPOSITE = 0.1  # chance of voting against it (the rest are passes)
CONSENSUS_AGREE = 0.85
CONSENSUS_DISAGREE = 0.05


@dataclass(frozen=True)
class PlantedVotes:
    participants: np.ndarray  # participant index per vote
    statements: np.ndarray  # statement index per vote
    values: np.ndarray  # -1, 0, +1 per vote
    groups: np.ndarray  # planted group per participant
    stances: np.ndarray  # groups × statements: +1 leans agree, -1 leans disagree
    consensus_statements: int


def planted_votes(
    *,
    participants: int,
    statements: int,
    groups: int,
    mean_votes: float,
    consensus_statements: int = 0,
    seed: int = 1,
) -> PlantedVotes:
    """About participants × mean_votes votes; each participant votes on each statement once."""
    rng = np.random.default_rng(seed)
    membership = rng.integers(groups, size=participants)
    stances = rng.choice(np.array([-1, 1], dtype=np.int8), size=(groups, statements))
    stances[:, :consensus_statements] = 1
    # Votes per participant vary (some vote on fewer than 7 statements).
    wanted = np.clip(rng.poisson(mean_votes, size=participants), 1, statements)
    rows = np.repeat(np.arange(participants, dtype=np.int64), wanted)
    cols = rng.integers(statements, size=rows.size)
    # A participant votes on a statement at most once.
    _, first = np.unique(rows * statements + cols, return_index=True)
    rows, cols = rows[first], cols[first]
    stance = stances[membership[rows], cols]
    agree_chance = np.where(stance > 0, LEANING, OPPOSITE)
    disagree_chance = np.where(stance > 0, OPPOSITE, LEANING)
    is_consensus = cols < consensus_statements
    agree_chance = np.where(is_consensus, CONSENSUS_AGREE, agree_chance)
    disagree_chance = np.where(is_consensus, CONSENSUS_DISAGREE, disagree_chance)
    draw = rng.random(rows.size)
    values = np.where(
        draw < agree_chance, 1, np.where(draw < agree_chance + disagree_chance, -1, 0)
    ).astype(np.int8)
    return PlantedVotes(rows, cols, values, membership, stances, consensus_statements)
