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
    shared = [(item.statement_id, item.direction) for item in result.consensus if item.majority]
    assert set(shared) == {(100, "agree"), (101, "disagree")}
    # Ranked by group-aware consensus: the two shared statements come first.
    assert set((item.statement_id, item.direction) for item in result.consensus[:2]) == set(shared)
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


def planted_matrix(seed: int = 8, participants: int = 500, groups: int = 3, mean_votes=25):
    planted = planted_votes(
        participants=participants, statements=50, groups=groups, mean_votes=mean_votes, seed=seed
    )
    return planted, mapping.build_matrix(planted.participants, planted.statements, planted.values)


def test_the_same_votes_give_the_same_map_whatever_the_seed():
    _, matrix = planted_matrix()

    outputs = {str(mapping.compute_map(matrix, seed=seed).to_json()) for seed in range(6)}

    assert len(outputs) == 1


def test_a_rejected_statement_stays_a_column_of_zeros_and_is_never_named():
    matrix = constructed_votes()
    # 998 voted on five shown statements and on the two rejected ones (106, 107 here).
    with_rejected = mapping.build_matrix(
        np.concatenate([matrix.participant_ids[matrix.rows], [998] * 7]),
        np.concatenate([matrix.statement_ids[matrix.cols], [102, 103, 104, 105, 100, 106, 107]]),
        np.concatenate([matrix.values, [1, 1, -1, -1, 1, 1, 1]]),
        rejected=[106, 107],
    )

    result = mapping.compute_map(with_rejected)

    # Votes on rejected statements count towards the seven needed to be placed...
    assert 998 in result.labels and result.labels[998] == result.labels[0]
    # ...but a rejected statement is never shown as common ground or as setting a group apart.
    named = {item.statement_id for item in result.consensus}
    named |= {item.statement_id for group in result.groups for item in group.distinguishing}
    assert not named & {106, 107}


def test_rejected_columns_count_in_the_scaling_as_polis_does():
    """Position = projection × sqrt(statements / votes), where a rejected statement counts among
    the statements and among everyone's votes (its column is zeros, not missing)."""
    planted, matrix = planted_matrix(seed=3, participants=200, groups=2)
    rejected = mapping.build_matrix(
        planted.participants, planted.statements, planted.values, rejected=[48, 49]
    )
    result = mapping.compute_map(rejected)

    kept = ~rejected.rejected[rejected.cols]
    votes = np.bincount(rejected.rows[kept], minlength=200) + 2
    shown = mapping.build_matrix(
        planted.participants[kept], planted.statements[kept], planted.values[kept]
    )
    centred, _ = mapping._centred(shown)
    projection = centred @ result.state.components[:48]
    scale = np.sqrt(50 / votes)
    expected = projection * scale[:, None]
    first_placed = sorted(result.labels)[0]
    x, y, _group = result.positions[0]
    assert (x, y) == pytest.approx(tuple(expected[first_placed]), abs=1e-3)


def test_the_pca_runs_over_everyone_not_only_the_placed():
    """Components are those of all voters' centred votes (checked against a dense SVD), so
    people with few votes shape the axes even though they get no place."""
    planted, matrix = planted_matrix(seed=4, participants=300, mean_votes=8)
    result = mapping.compute_map(matrix)
    assert result.participants_placed < result.participants_counted

    centred, _ = mapping._centred(matrix)
    _, _, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
    for component in range(2):
        cosine = abs(vt[component] @ result.state.components[:, component])
        assert cosine == pytest.approx(1.0, abs=1e-9)


def test_a_young_conversation_places_its_fifteen_most_active_voters():
    rows = np.repeat(np.arange(20), 3)
    statements = np.tile([0, 1, 2], 20)
    extra_rows, extra_statements = np.repeat(np.arange(5), 2), np.tile([3, 4], 5)
    matrix = mapping.build_matrix(
        np.concatenate([rows, extra_rows]),
        np.concatenate([statements, extra_statements]),
        np.where(np.concatenate([rows, extra_rows]) % 2, 1, -1),
    )

    placed = mapping.placed_participants(np.bincount(matrix.rows), 5)

    assert placed.sum() == 15
    assert placed[:5].all()  # the five with five votes first, then by order


def test_a_new_best_number_of_groups_is_shown_only_after_winning_four_times_in_a_row():
    choice = mapping.KChoice(last_best=3, times_best=9, shown=3)
    for _ in range(3):
        choice = choice.after(2)
        assert choice.shown == 3
    assert choice.after(2).shown == 2
    assert choice.after(4).shown == 3 and choice.after(4).after(2).times_best == 1


def test_an_update_keeps_the_shown_number_of_groups_until_another_has_won_four_times():
    _, matrix = planted_matrix(seed=5, participants=600, groups=2)
    first = mapping.compute_map(matrix)
    assert first.k == 2
    state = mapping.ModelState.from_json(first.state.to_json())
    forced = mapping.ModelState(
        statement_ids=state.statement_ids,
        components=state.components,
        base_centroids=state.base_centroids,
        group_centroids=np.empty((0, 2)),
        k_choice=mapping.KChoice(last_best=3, times_best=5, shown=3),
    )

    shown = []
    for _ in range(4):
        result = mapping.compute_map(matrix, previous=forced)
        shown.append(result.k)
        forced = result.state

    assert shown == [3, 3, 3, 2]


def test_one_new_vote_does_not_reshuffle_anyone_else():
    planted, matrix = planted_matrix(seed=6, participants=800)
    before = mapping.compute_map(matrix)
    voter = int(matrix.participant_ids[matrix.rows[0]])
    unvoted = sorted(set(range(50)) - set(planted.statements[planted.participants == voter]))

    after = mapping.compute_map(
        mapping.append_votes(matrix, [voter], [unvoted[0]], [1]),
        previous=mapping.ModelState.from_json(before.state.to_json()),
    )

    others = sorted(set(before.labels) - {voter})
    assert found_labels(after, others).tolist() == found_labels(before, others).tolist()


def test_common_ground_is_ranked_and_says_when_no_majority_holds_everywhere():
    """Two camps that share nothing outright: the statement both lean to agree with ranks
    first, but no statement is marked as held by a majority of every group."""
    rows, cols, values = [], [], []
    for person in range(40):
        camp_a = person < 20
        # 200: camp A 60 % agree, camp B 45 % agree; the rest split the camps.
        leaning = 1 if (person % 20) < (12 if camp_a else 9) else 0
        stances = [leaning, *([1, 1, -1, -1] if camp_a else [-1, -1, 1, 1]), 0, 0, 0]
        for statement, value in enumerate(stances):
            rows.append(person)
            cols.append(200 + statement)
            values.append(value)
    result = mapping.compute_map(mapping.build_matrix(rows, cols, values))

    assert result.k == 2
    assert result.consensus and not any(item.majority for item in result.consensus)
    assert result.consensus[0].statement_id == 200
    scores = [item.score for item in result.consensus]
    assert scores == sorted(scores, reverse=True)


def test_people_who_all_voted_alike_give_no_groups_rather_than_an_empty_one():
    rows = np.repeat(np.arange(30), 8)
    matrix = mapping.build_matrix(rows, np.tile(np.arange(8), 30), np.ones(rows.size))

    result = mapping.compute_map(matrix)

    assert result.k == 0 and result.groups == [] and result.participants_placed == 30
