"""The numerical core on constructed data: planted groups, consensus, distinguishing statements."""

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from roadmap.opinions import mapping
from roadmap.opinions.synthetic import planted_votes


def agreement(truth: np.ndarray, found: np.ndarray) -> float:
    """Share of participants in the same group, up to relabelling (Hungarian matching)."""
    table = np.zeros((truth.max() + 1, found.max() + 1))
    np.add.at(table, (truth, found), 1)
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(truth)


def found_labels(result, ids) -> np.ndarray:
    return np.array([result.labels[int(i)] for i in ids])


@pytest.mark.parametrize("groups", [2, 3, 4])
def test_planted_groups_are_recovered(groups):
    planted = planted_votes(
        participants=900, statements=60, groups=groups, mean_votes=30, seed=groups
    )
    matrix = mapping.build_matrix(planted.participants, planted.statements, planted.values)

    result = mapping.compute_map(matrix)

    assert result.k == groups
    placed = np.array(sorted(result.labels))
    assert agreement(planted.groups[placed], found_labels(result, placed)) >= 0.95
    assert sum(group.size for group in result.groups) == result.participants_placed


def test_participants_with_fewer_than_seven_votes_are_counted_not_placed():
    planted = planted_votes(participants=300, statements=40, groups=2, mean_votes=20, seed=5)
    few = np.arange(300, 310).repeat(6)  # ten extra participants with 6 votes each
    matrix = mapping.build_matrix(
        np.concatenate([planted.participants, few]),
        np.concatenate([planted.statements, np.tile(np.arange(6), 10)]),
        np.concatenate([planted.values, np.ones(60, dtype=np.int8)]),
    )

    result = mapping.compute_map(matrix)

    votes_each = np.bincount(matrix.rows)
    assert result.participants_counted == 310
    assert result.participants_placed == int((votes_each >= 7).sum())
    assert not set(range(300, 310)) & set(result.labels)


def constructed_votes():
    """Two camps of 20 on statements 0..5, everyone voting on everything:
    0: everyone agrees (consensus agree); 1: everyone disagrees (consensus disagree);
    2, 3: camp A agrees, camp B disagrees; 4, 5: camp A disagrees, camp B agrees."""
    rows, cols, values = [], [], []
    for person in range(40):
        camp_a = person < 20
        stances = [1, -1, 1 if camp_a else -1, 1 if camp_a else -1]
        stances += [-1 if camp_a else 1, -1 if camp_a else 1]
        for statement, value in enumerate(stances):
            rows.append(person)
            cols.append(statement)
            values.append(value)
        # Two more statements everyone passes on, so everyone has 8 votes.
        rows += [person, person]
        cols += [6, 7]
        values += [0, 0]
    return mapping.build_matrix(rows, np.array(cols) + 100, values)


def test_consensus_and_distinguishing_statements_on_constructed_data():
    result = mapping.compute_map(constructed_votes())

    assert result.k == 2
    consensus = {(item.statement_id, item.direction) for item in result.consensus}
    assert consensus == {(100, "agree"), (101, "disagree")}
    camp_a = next(g for g in result.groups if result.labels[0] == g.label)
    camp_b = next(g for g in result.groups if result.labels[39] == g.label)
    assert camp_a.size == camp_b.size == 20
    a_sets = {(item.statement_id, item.direction) for item in camp_a.distinguishing}
    b_sets = {(item.statement_id, item.direction) for item in camp_b.distinguishing}
    # Each camp is set apart by its side of the divisive statements, never by the shared ones.
    assert a_sets and a_sets <= {
        (102, "agree"),
        (103, "agree"),
        (104, "disagree"),
        (105, "disagree"),
    }
    assert b_sets and b_sets <= {
        (102, "disagree"),
        (103, "disagree"),
        (104, "agree"),
        (105, "agree"),
    }
    assert all(item.share == 1.0 and item.other_share == 0.0 for item in camp_a.distinguishing)


def test_missing_votes_are_not_read_as_passes():
    """Someone who voted only on the divisive statements lands with their camp, not in the
    middle, although most of their row is missing."""
    matrix = constructed_votes()
    partial = mapping.build_matrix(
        np.concatenate([matrix.participant_ids[matrix.rows], [999] * 7]),
        np.concatenate([matrix.statement_ids[matrix.cols], [102, 103, 104, 105, 100, 101, 106]]),
        np.concatenate([matrix.values, [1, 1, -1, -1, 1, -1, 0]]),
    )

    result = mapping.compute_map(partial)

    assert result.labels[999] == result.labels[0]


def test_the_result_is_deterministic():
    planted = planted_votes(participants=500, statements=50, groups=3, mean_votes=25, seed=8)
    matrix = mapping.build_matrix(planted.participants, planted.statements, planted.values)

    first, second = mapping.compute_map(matrix), mapping.compute_map(matrix)

    assert first.to_json() == second.to_json()


def test_an_update_starts_from_the_previous_map_and_keeps_its_groups():
    planted = planted_votes(participants=800, statements=50, groups=3, mean_votes=25, seed=9)
    matrix = mapping.build_matrix(planted.participants, planted.statements, planted.values)
    before = mapping.compute_map(matrix)
    rng = np.random.default_rng(1)
    newcomers = np.repeat(np.arange(10_000, 10_040), 10)
    updated = mapping.append_votes(
        matrix, newcomers, rng.integers(0, 50, newcomers.size), rng.integers(-1, 2, newcomers.size)
    )

    after = mapping.compute_map(
        updated, previous=mapping.ModelState.from_json(before.state.to_json())
    )

    assert after.warm_started and after.k == before.k
    old = np.array(sorted(before.labels))
    assert (found_labels(after, old) == found_labels(before, old)).mean() >= 0.97
    # Same orientation: the group centres barely move.
    moved = [
        np.hypot(*np.subtract(a.centroid, b.centroid))
        for a, b in zip(after.groups, before.groups, strict=True)
    ]
    spread = np.ptp([g.centroid for g in before.groups], axis=0).max()
    assert max(moved) < 0.2 * spread


def test_votes_on_statements_not_kept_are_dropped():
    matrix = mapping.build_matrix([1, 1, 2], [10, 11, 10], [1, -1, 0], statements=[10, 12])

    assert matrix.statement_ids.tolist() == [10, 12]
    assert matrix.values.tolist() == [1, 0]
    assert matrix.cols.tolist() == [0, 0]


def test_too_few_placed_participants_give_an_empty_map():
    result = mapping.compute_map(mapping.build_matrix([1, 2], [1, 1], [1, -1]))

    assert result.k == 0 and result.groups == [] and result.participants_counted == 2


def test_next_statement_gives_new_statements_exposure_and_is_seeded():
    old = [mapping.Candidate(i, 50, 50, 5) for i in range(1, 10)]
    new = mapping.Candidate(99, 0, 0, 0)
    picks = [mapping.next_statement([*old, new], seed=seed) for seed in range(400)]

    assert picks == [mapping.next_statement([*old, new], seed=seed) for seed in range(400)]
    # The new statement gets at least the reserved share of picks (30 %), the others the rest.
    assert picks.count(99) / len(picks) >= 0.3
    assert len(set(picks)) == 10
    assert mapping.next_statement([], seed=1) is None


def test_next_statement_prefers_split_statements():
    one_sided = [mapping.Candidate(i, 100, 0, 0) for i in range(1, 6)]
    split = mapping.Candidate(50, 50, 50, 0)
    picks = [mapping.next_statement([*one_sided, split], seed=seed) for seed in range(500)]

    assert picks.count(50) > max(picks.count(i) for i in range(1, 6))
