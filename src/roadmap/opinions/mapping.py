"""The opinion map's numbers: pure functions over a sparse participant × statement vote matrix.

Votes are +1 (agree), -1 (disagree) and 0 (pass); a statement a participant has not voted on is
*missing*, not zero. The method is Polis's (compdemocracy/polis, math/src/polismath/math); where
it differs, docs/opinion-maps.md says how and why:

1. A rejected statement keeps its column, as zeros for everyone: it adds nothing to the PCA, but
   it still counts in the scaling of step 3, and votes on it count towards being placed.
2. Each statement is centred by the mean of the votes it got and a missing vote is read as that
   mean, so after centring a missing vote is exactly zero: the centred matrix keeps the sparsity
   of the votes. PCA (2 components) over *everyone* who voted, by subspace iteration run until
   the components stop moving, so the random start does not show in the result.
3. A placed participant's position is their projection scaled by sqrt(statements / their
   votes), so someone who voted on few statements is not pulled to the centre for it.
   Placed: at least MIN_VOTES_TO_PLACE votes (or all statements, if there are fewer); while
   fewer than MIN_PLACED are placed, the most active voters fill up to that number.
4. Two-stage clustering: up to BASE_CLUSTERS small clusters of the placed participants
   (k-means from a deterministic start spread over the points), then the groups: weighted
   k-means of those small clusters for k = 2..MAX_GROUPS, from many starts, keeping the best.
5. k is the one with the best silhouette over the small clusters; a new best k replaces the
   shown one only once it has been best K_SWITCH_AFTER times in a row (hysteresis across
   recomputes). An update starts both stages from the previous centres, so groups keep their
   members and their letters.
6. Per group: the statements that set it apart (Polis "repness": a smoothed probability ratio
   with two significance tests). Common ground: group-aware consensus (the product over groups
   of each group's smoothed share), ranked, each marked whether a majority in every group holds
   it.

The same votes give the same map whatever `seed` is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

MIN_VOTES_TO_PLACE = 7
MIN_PLACED = 15
# Two groups of two: with fewer placed people there is nothing to tell apart.
MIN_PLACED_FOR_GROUPS = 4
COMPONENTS = 2
BASE_CLUSTERS = 100
# Beyond this many placed participants the base clusters are found on a sample of them.
BASE_SAMPLE = 10_000
MAX_GROUPS = 5
# Base clusters per extra group Polis allows: k ≤ 2 + base clusters / 12.
BASE_CLUSTERS_PER_GROUP = 12
K_SWITCH_AFTER = 4
GROUP_STARTS = 16
# Starts drawn on (a sample of) the participants for the final k-means of the participants.
PARTICIPANT_STARTS = 24
PARTICIPANT_SAMPLE = 5_000
POSITIONS_SAMPLE = 600
SEED = 20_261_201
# Oversampling of the subspace iteration, its stopping rule and its cap.
OVERSAMPLE = 8
SVD_TOLERANCE = 1e-13
SVD_MAX_ITERATIONS = 80
KMEANS_MAX_ITERATIONS = 100
# One-sided 90 % level, as Polis uses for its representativeness tests.
Z_90 = 1.2816
DISTINGUISHING_PER_GROUP = 5
# A group must have this many votes on a statement before its majority counts.
MIN_GROUP_VOTES_FOR_CONSENSUS = 3
CONSENSUS_LISTED = 10

AGREE, PASS, DISAGREE = 1, 0, -1


@dataclass(frozen=True)
class VoteMatrix:
    """Votes as coordinate arrays plus the ids their rows and columns stand for."""

    rows: np.ndarray  # participant index per vote
    cols: np.ndarray  # statement index per vote
    values: np.ndarray  # -1, 0 or +1 per vote
    participant_ids: np.ndarray
    statement_ids: np.ndarray
    rejected: np.ndarray  # per statement: rejected by a moderator (kept as a column of zeros)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participant_ids), len(self.statement_ids)


def _compact(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique ids and each id's index among them. Database ids are usually dense, so a
    presence table (linear time) is used when it is small; otherwise a sort."""
    if ids.size == 0:
        return ids, ids.astype(np.int32)
    low, high = int(ids.min()), int(ids.max())
    if high - low <= 4 * ids.size + 1024:
        present = np.zeros(high - low + 1, dtype=bool)
        present[ids - low] = True
        index = np.cumsum(present, dtype=np.int64) - 1
        return np.flatnonzero(present) + low, index[ids - low].astype(np.int32)
    unique, inverse = np.unique(ids, return_inverse=True)
    return unique, inverse.astype(np.int32)


def build_matrix(
    participant_ids, statement_ids, values, *, statements=None, rejected=()
) -> VoteMatrix:
    """A VoteMatrix from one entry per vote (each (participant, statement) pair at most once).

    `statements`, if given, are the statement ids to keep (shown and rejected ones); votes on
    other statements are dropped and statements without votes still get a column. `rejected`
    names the statements a moderator rejected.
    """
    participant_ids = np.asarray(participant_ids, dtype=np.int64)
    statement_ids = np.asarray(statement_ids, dtype=np.int64)
    values = np.asarray(values, dtype=np.int8)
    if statements is not None:
        columns = np.unique(np.asarray(statements, dtype=np.int64))
        if columns.size:
            position = np.minimum(np.searchsorted(columns, statement_ids), columns.size - 1)
            keep = columns[position] == statement_ids
        else:
            position = keep = np.zeros(statement_ids.size, dtype=bool)
        participant_ids, values = participant_ids[keep], values[keep]
        cols = position[keep].astype(np.int32)
    else:
        columns, cols = _compact(statement_ids)
    participants, rows = _compact(participant_ids)
    is_rejected = np.isin(columns, np.asarray(list(rejected), dtype=np.int64))
    return VoteMatrix(rows, cols, values, participants, columns, is_rejected)


def append_votes(matrix: VoteMatrix, participant_ids, statement_ids, values) -> VoteMatrix:
    """The matrix with some new votes added (new participants or statements get new indices)."""
    participant_ids = np.asarray(participant_ids, dtype=np.int64)
    statement_ids = np.asarray(statement_ids, dtype=np.int64)
    participants = np.union1d(matrix.participant_ids, participant_ids)
    statements = np.union1d(matrix.statement_ids, statement_ids)

    def reindexed(old_ids, new_ids, indices):
        # Ids are sorted, so when no new id falls among the old ones the old indices stand.
        if np.array_equal(new_ids[: old_ids.size], old_ids):
            return indices
        return np.searchsorted(new_ids, old_ids).astype(np.int32)[indices]

    rows = reindexed(matrix.participant_ids, participants, matrix.rows)
    cols = reindexed(matrix.statement_ids, statements, matrix.cols)
    return VoteMatrix(
        rows=np.concatenate(
            [rows, np.searchsorted(participants, participant_ids).astype(np.int32)]
        ),
        cols=np.concatenate([cols, np.searchsorted(statements, statement_ids).astype(np.int32)]),
        values=np.concatenate([matrix.values, np.asarray(values, dtype=np.int8)]),
        participant_ids=participants,
        statement_ids=statements,
        rejected=np.isin(statements, matrix.statement_ids[matrix.rejected]),
    )


@dataclass(frozen=True)
class KChoice:
    """The hysteresis of the number of groups across recomputes (Polis's group-k smoother)."""

    last_best: int  # the best k of the last computation
    times_best: int  # how many computations in a row it has been the best
    shown: int  # the k the map shows

    def after(self, best: int) -> KChoice:
        times = self.times_best + 1 if best == self.last_best else 1
        return KChoice(best, times, best if times >= K_SWITCH_AFTER else self.shown)


@dataclass(frozen=True)
class ModelState:
    """What an update starts from: the components, both stages' centres and the k choice."""

    statement_ids: np.ndarray
    components: np.ndarray  # statements × COMPONENTS
    base_centroids: np.ndarray  # base clusters × COMPONENTS
    group_centroids: np.ndarray  # k × COMPONENTS, the groups shown
    k_choice: KChoice

    def to_json(self) -> dict:
        return {
            "statement_ids": self.statement_ids.tolist(),
            "components": np.round(self.components, 9).tolist(),
            "base_centroids": np.round(self.base_centroids, 9).tolist(),
            "group_centroids": np.round(self.group_centroids, 9).tolist(),
            "k_choice": [
                self.k_choice.last_best,
                self.k_choice.times_best,
                self.k_choice.shown,
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> ModelState | None:
        """The stored state, or None if it was written by an earlier method (recompute fully)."""
        if "k_choice" not in data:
            return None
        return cls(
            statement_ids=np.asarray(data["statement_ids"], dtype=np.int64),
            components=np.asarray(data["components"], dtype=np.float64).reshape(-1, COMPONENTS),
            base_centroids=np.asarray(data["base_centroids"], dtype=np.float64).reshape(
                -1, COMPONENTS
            ),
            group_centroids=np.asarray(data["group_centroids"], dtype=np.float64).reshape(
                -1, COMPONENTS
            ),
            k_choice=KChoice(*(int(value) for value in data["k_choice"])),
        )


@dataclass
class StatementFinding:
    statement_id: int
    direction: str  # "agree" or "disagree"
    share: float  # share of the group (or of everyone placed) voting that way
    other_share: float  # the rest's share (distinguishing); the lowest group's (consensus)
    score: float
    majority: bool = False  # consensus only: a majority in every group votes this way


@dataclass
class Group:
    label: int
    size: int
    centroid: tuple[float, float]
    distinguishing: list[StatementFinding]


@dataclass
class OpinionMapResult:
    participants_counted: int
    participants_placed: int
    votes: int
    statements: int  # shown (not rejected)
    explained_variance: list[float]
    k: int
    silhouette: float | None
    groups: list[Group]
    consensus: list[StatementFinding]
    # [x, y, group] for a fixed sample of placed participants
    positions: list[tuple[float, float, int]]
    # group per placed participant id: kept for tests and comparisons, not stored
    labels: dict[int, int] = field(default_factory=dict, repr=False)
    state: ModelState | None = None
    warm_started: bool = False

    def to_json(self) -> dict:
        def finding(item: StatementFinding) -> dict:
            return {
                "statement": item.statement_id,
                "direction": item.direction,
                "share": round(item.share, 4),
                "other_share": round(item.other_share, 4),
                "score": round(item.score, 4),
                "majority": item.majority,
            }

        return {
            "participants_counted": self.participants_counted,
            "participants_placed": self.participants_placed,
            "votes": self.votes,
            "statements": self.statements,
            "explained_variance": [round(value, 4) for value in self.explained_variance],
            "k": self.k,
            "silhouette": None if self.silhouette is None else round(self.silhouette, 4),
            "groups": [
                {
                    "label": group.label,
                    "size": group.size,
                    "centroid": [round(value, 4) for value in group.centroid],
                    "distinguishing": [finding(item) for item in group.distinguishing],
                }
                for group in self.groups
            ],
            "consensus": [finding(item) for item in self.consensus],
            "positions": [[round(x, 3), round(y, 3), g] for x, y, g in self.positions],
            "state": self.state.to_json() if self.state else None,
        }


# --- PCA ---------------------------------------------------------------------------------


def _orthonormal(block: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(block)
    return q


def truncated_svd(
    centred: sp.csr_matrix, *, rank: int, start: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top `rank` singular values, right singular vectors (statements × rank) and the rows'
    projections on them (rows × rank, i.e. `centred @ vectors`, without another product).

    Subspace iteration on the statement side (Halko, Martinsson & Tropp 2011) with Rayleigh–Ritz
    on the small Gram matrix after every pass, until the top vectors stop turning. `start`, the
    previous components, replaces part of the random block so an update converges in a pass or
    two. The random part comes from a fixed seed, like Polis's start vector of ones: iteration
    runs to convergence, so it does not show in the groups, and being fixed it does not move
    even the last digits of the positions.
    """
    rng = np.random.default_rng(SEED)
    width = min(rank + OVERSAMPLE, min(centred.shape))
    block = rng.standard_normal((centred.shape[1], width))
    if start is not None:
        block[:, : start.shape[1]] = start
    transposed = centred.T
    basis = _orthonormal(block)
    # From a warm start the first pass can already show the vectors have stopped turning.
    previous = (
        None
        if start is None
        else start[:, :rank] / np.maximum(np.linalg.norm(start[:, :rank], axis=0), 1e-300)
    )
    for _ in range(SVD_MAX_ITERATIONS):
        projected = centred @ basis
        eigenvalues, vectors = np.linalg.eigh(projected.T @ projected)
        order = np.argsort(eigenvalues)[::-1][:rank]
        top = basis @ vectors[:, order]
        if previous is not None:
            turned = 1 - np.abs(np.einsum("ij,ij->j", top, previous))
            if turned.max() < SVD_TOLERANCE:
                break
        previous = top
        basis = _orthonormal(transposed @ projected)
    singular = np.sqrt(np.maximum(eigenvalues[order], 0))
    return singular, top, projected @ vectors[:, order]


def _orientation(components: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """The sign (±1) to give each component: the same way as before on an update, otherwise so
    that its largest loading is positive. Without this the map could flip between recomputes."""
    if previous is not None:
        return np.where(np.einsum("ij,ij->j", components, previous) < 0, -1.0, 1.0)
    largest = components[np.abs(components).argmax(axis=0), np.arange(components.shape[1])]
    return np.where(largest < 0, -1.0, 1.0)


# --- clustering --------------------------------------------------------------------------

Run = tuple[np.ndarray, np.ndarray, float]  # a k-means run: labels, centres, inertia


def _nearest(points: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each point's nearest centre and the squared distance to it (via one small matmul)."""
    partial = (centroids**2).sum(axis=1)[None, :] - 2 * (points @ centroids.T)
    labels = partial.argmin(axis=1)
    distance = partial[np.arange(len(points)), labels] + (points**2).sum(axis=1)
    return labels, np.maximum(distance, 0)


def lloyd(
    points: np.ndarray,
    centroids: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    tolerance: float = 0.0,
) -> Run:
    """k-means iterations from the given centres: labels, centres and the (weighted) inertia.
    Stops when no label changes, or when no centre moves more than `tolerance`. A centre left
    without points keeps its place rather than becoming NaN."""
    weights = np.ones(len(points)) if weights is None else weights
    centroids = centroids.astype(np.float64, copy=True)
    labels = np.full(len(points), -1)
    for _ in range(KMEANS_MAX_ITERATIONS):
        new_labels, _ = _nearest(points, centroids)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        before = centroids.copy()
        mass = np.bincount(labels, weights=weights, minlength=len(centroids))
        for axis in range(points.shape[1]):
            sums = np.bincount(labels, weights=weights * points[:, axis], minlength=len(centroids))
            centroids[:, axis] = np.where(
                mass > 0, sums / np.maximum(mass, 1e-300), centroids[:, axis]
            )
        if np.abs(centroids - before).max() <= tolerance:
            break
    _, distances = _nearest(points, centroids)
    return labels, centroids, float(weights @ distances)


def spread_start(points: np.ndarray, k: int) -> np.ndarray:
    """Up to k distinct starting centres that follow the points' density, without randomness:
    slabs of equal count along the first axis, then points at equal-count steps along the
    second axis within each slab."""
    slabs = int(np.ceil(np.sqrt(k)))
    per_slab = np.diff(np.linspace(0, k, slabs + 1).round().astype(int))
    by_x = np.lexsort((points[:, 1], points[:, 0]))
    chosen = []
    for chunk, take in zip(np.array_split(by_x, slabs), per_slab, strict=True):
        if chunk.size == 0 or take == 0:
            continue
        chunk = chunk[np.lexsort((points[chunk, 0], points[chunk, 1]))]
        steps = ((np.arange(take) + 0.5) * chunk.size / take).astype(int)
        chosen.append(points[chunk[np.minimum(steps, chunk.size - 1)]])
    return np.unique(np.vstack(chosen), axis=0)


def base_clusters(points: np.ndarray, previous: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The first stage: each point's small cluster and the clusters' centres (empty ones
    dropped). k-means from a deterministic spread of starts, on a fixed sample of BASE_SAMPLE
    people in a very large conversation; then everyone joins the nearest centre and the centres
    move to their members' mean. An update takes one such step from the previous centres
    (topped up if there are too few)."""
    k = min(BASE_CLUSTERS, len(np.unique(points, axis=0)))
    if previous is not None and len(previous):
        # An update moves the centres by one k-means step: over successive updates that is
        # k-means run on, without paying for all its passes at every vote.
        start = np.vstack([previous, spread_start(points, k)])[:k]
    else:
        sample = points
        if len(points) > BASE_SAMPLE:
            chosen = np.random.default_rng(SEED).choice(len(points), BASE_SAMPLE, replace=False)
            sample = points[np.sort(chosen)]
        # Once no centre moves more than a thousandth of the spread, further passes only shuffle
        # people along the borders of these small clusters (Polis stops at 0.01).
        _, start, _ = lloyd(sample, spread_start(sample, k), tolerance=1e-3 * float(sample.std()))
    labels, _ = _nearest(points, start)
    used = np.unique(labels)
    labels = np.searchsorted(used, labels)
    members = np.bincount(labels).astype(np.float64)
    centroids = np.stack(
        [np.bincount(labels, weights=points[:, axis]) / members for axis in range(COMPONENTS)],
        axis=1,
    )
    return labels, centroids


def _weighted_plus_plus(
    points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator
) -> np.ndarray:
    """k-means++ starting centres, each point counted with its weight."""
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    closest = ((points - points[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        mass = weights * closest
        total = mass.sum()
        choice = (
            rng.integers(len(points)) if total <= 0 else rng.choice(len(points), p=mass / total)
        )
        chosen.append(int(choice))
        closest = np.minimum(closest, ((points - points[choice]) ** 2).sum(axis=1))
    return points[chosen]


def second_stage(
    centres: np.ndarray, weights: np.ndarray, k: int, *, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The second stage for one k: the base clusters' groups and the groups' centres, the best
    (lowest weighted inertia) of GROUP_STARTS k-means++ starts, each run by Lloyd's rule and
    then single moves. With a hundred points and k ≤ 5 the best is found whatever the seed."""
    rng = np.random.default_rng([seed, k])
    labels, centroids, _ = _lowest_inertia(
        single_moves(
            centres,
            weights,
            lloyd(centres, _weighted_plus_plus(centres, weights, k, rng), weights)[0],
            k,
        )
        for _ in range(GROUP_STARTS)
    )
    return labels, centroids


def _lowest_inertia(runs: Iterable[Run]) -> Run:
    """The k-means run with the lowest inertia; the first of equals (up to rounding noise)."""
    best: Run | None = None
    for run in runs:
        if best is None or run[2] < best[2] * (1 - 1e-9):
            best = run
    assert best is not None, "at least one start"
    return best


def single_moves(
    points: np.ndarray, weights: np.ndarray, labels: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Hartigan's rule after Lloyd's: move one point to another group whenever that lowers the
    weighted inertia (counting how the move shifts both centres), the best move first, until no
    move does. Many optima of Lloyd's rule are not optima of this one, so far fewer starts
    reach the best."""
    labels = labels.copy()
    everyone = np.arange(len(points))
    mass = np.bincount(labels, weights=weights, minlength=k)
    centres = (
        np.stack(
            [
                np.bincount(labels, weights=weights * points[:, axis], minlength=k)
                for axis in (0, 1)
            ],
            axis=1,
        )
        / np.maximum(mass, 1e-300)[:, None]
    )
    for _ in range(len(points) * k):
        distance = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        own_mass = mass[labels]
        # A point alone in its group may not leave it: a group is never emptied.
        leaving = np.where(
            own_mass > weights,
            weights
            * distance[everyone, labels]
            * own_mass
            / np.maximum(own_mass - weights, 1e-300),
            -np.inf,
        )
        joining = weights[:, None] * distance * mass[None, :] / (mass[None, :] + weights[:, None])
        joining[everyone, labels] = np.inf
        targets = joining.argmin(axis=1)
        gains = leaving - joining[everyone, targets]
        point = int(gains.argmax())
        if not gains[point] > 1e-12 * max(leaving[point], 1e-300):
            break
        own, target, weight = labels[point], targets[point], weights[point]
        centres[own] = (centres[own] * mass[own] - weight * points[point]) / (mass[own] - weight)
        mass[own] -= weight
        centres[target] = (centres[target] * mass[target] + weight * points[point]) / (
            mass[target] + weight
        )
        mass[target] += weight
        labels[point] = target
    inertia = float(weights @ ((points - centres[labels]) ** 2).sum(axis=1))
    return labels, centres, inertia


def participant_groups(
    points: np.ndarray, second_stage: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The groups: k-means of the participants themselves, from the second stage's best centres
    and from PARTICIPANT_STARTS k-means++ starts drawn on a sample of the participants with a
    fixed generator (like the SVD's start); the lowest inertia wins, numbered largest group
    first."""
    rng = np.random.default_rng([SEED, k])
    sample = (
        points[rng.choice(len(points), PARTICIPANT_SAMPLE, replace=False)]
        if len(points) > PARTICIPANT_SAMPLE
        else points
    )
    ones = np.ones(len(sample))
    starts = [second_stage]
    starts += [_weighted_plus_plus(sample, ones, k, rng) for _ in range(PARTICIPANT_STARTS)]
    labels, centroids, _ = _lowest_inertia(lloyd(points, start) for start in starts)
    sizes = np.bincount(labels, minlength=len(centroids))
    order = np.lexsort((centroids[:, 1], centroids[:, 0], -sizes))
    return np.argsort(order)[labels], centroids[order]


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette of points with a precomputed distance matrix (Rousseeuw 1987); a point
    alone in its group scores 0."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    n = len(labels)
    sums = np.stack([distances[:, labels == g].sum(axis=1) for g in groups], axis=1)
    sizes = np.array([(labels == g).sum() for g in groups])
    own = np.searchsorted(groups, labels)
    own_size = sizes[own]
    a = sums[np.arange(n), own] / np.maximum(own_size - 1, 1)
    other = sums / sizes
    other[np.arange(n), own] = np.inf
    b = other.min(axis=1)
    scores = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(scores.mean())


def group_choices(n_base: int) -> range:
    """The numbers of groups tried: Polis's 2 … min(5, 2 + base clusters / 12), never more
    groups than base clusters."""
    return range(2, min(MAX_GROUPS, 2 + n_base // BASE_CLUSTERS_PER_GROUP, n_base) + 1)


# --- what sets groups apart, and what they share -----------------------------------------


def _two_proportion_z(success_in, count_in, success_out, count_out):
    """Polis's two-proportion test with +1 pseudo-counts (positive: more in than out)."""
    success_in, count_in = success_in + 1.0, count_in + 1.0
    success_out, count_out = success_out + 1.0, count_out + 1.0
    pooled = (success_in + success_out) / (count_in + count_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / count_in + 1 / count_out))
    difference = success_in / count_in - success_out / count_out
    # No spread (both shares 0 or 1 after smoothing): no evidence of a difference.
    return np.divide(difference, spread, out=np.zeros_like(difference), where=spread > 0)


def _majority_z(success, count):
    """Test of a share above one half, with the same pseudo-counts."""
    return 2 * np.sqrt(count + 1.0) * ((success + 1.0) / (count + 1.0) - 0.5)


def _distinguishing(agree, disagree, seen, statement_ids, shown) -> list[list[StatementFinding]]:
    """Per group, the statements on which it agrees (or disagrees) clearly more than the rest."""
    findings = []
    for group in range(agree.shape[0]):
        candidates = []
        for direction, counts in (("agree", agree), ("disagree", disagree)):
            inside, total = counts[group], seen[group]
            outside, total_out = counts.sum(axis=0) - inside, seen.sum(axis=0) - total
            share = (inside + 1.0) / (total + 2.0)
            share_out = (outside + 1.0) / (total_out + 2.0)
            ratio = share / share_out
            z_ratio = _two_proportion_z(inside, total, outside, total_out)
            z_share = _majority_z(inside, total)
            significant = shown & (z_ratio > Z_90) & (z_share > Z_90)
            score = ratio * z_ratio * share * z_share
            for column in np.flatnonzero(significant):
                candidates.append(
                    StatementFinding(
                        statement_id=int(statement_ids[column]),
                        direction=direction,
                        share=float(inside[column] / max(total[column], 1)),
                        other_share=float(outside[column] / max(total_out[column], 1)),
                        score=float(score[column]),
                    )
                )
        candidates.sort(key=lambda item: (-item.score, item.statement_id))
        seen_statements, chosen = set(), []
        for item in candidates:  # one direction per statement
            if item.statement_id not in seen_statements:
                seen_statements.add(item.statement_id)
                chosen.append(item)
        findings.append(chosen[:DISTINGUISHING_PER_GROUP])
    return findings


def _consensus(agree, disagree, seen, statement_ids, shown) -> list[StatementFinding]:
    """Common ground, best first by group-aware consensus: the product over groups of each
    group's smoothed share, (votes that way + 1) / (votes + 2), so a statement ranks high only if
    every group leans the same way. One direction per statement; each finding says whether a
    majority of every group (with enough votes) holds it."""
    agree_score = np.prod((agree + 1.0) / (seen + 2.0), axis=0)
    disagree_score = np.prod((disagree + 1.0) / (seen + 2.0), axis=0)
    agrees = agree_score >= disagree_score
    counts = np.where(agrees, agree, disagree)
    shares = counts / np.maximum(seen, 1)
    scores = np.where(agrees, agree_score, disagree_score)
    majority = (seen >= MIN_GROUP_VOTES_FOR_CONSENSUS).all(axis=0) & (shares > 0.5).all(axis=0)
    listed = np.flatnonzero(shown & (seen.sum(axis=0) > 0))
    best = listed[np.lexsort((statement_ids[listed], -scores[listed]))][:CONSENSUS_LISTED]
    return [
        StatementFinding(
            statement_id=int(statement_ids[column]),
            direction="agree" if agrees[column] else "disagree",
            share=float(counts[:, column].sum() / seen[:, column].sum()),
            other_share=float(shares[:, column].min()),
            score=float(scores[column]),
            majority=bool(majority[column]),
        )
        for column in best
    ]


def _group_counts(vote_groups, cols, values, k, statements):
    """agree, disagree and seen counts per group and statement (k × statements, small), from
    one counting pass over the votes (int32 codes: k × statements × 3 is small)."""
    codes = vote_groups.astype(np.int32)
    codes *= statements
    codes += cols
    codes *= 3
    codes += values
    codes += 1
    counts = np.bincount(codes, minlength=k * statements * 3).reshape(k, statements, 3)
    counts = counts.astype(np.float64)
    disagree, passes, agree = counts[..., 0], counts[..., 1], counts[..., 2]
    return agree, disagree, agree + disagree + passes


def describe_groups(
    matrix: VoteMatrix, labels: np.ndarray
) -> tuple[list[list[StatementFinding]], list[StatementFinding]]:
    """The distinguishing statements per group and the common ground, for any grouping:
    `labels` gives each participant (row) a group 0..k-1, or -1 if not grouped. Rejected
    statements are never named."""
    vote_groups, cols, values = labels[matrix.rows], matrix.cols, matrix.values
    if (labels < 0).any():  # copies of the votes only when someone is left out
        grouped = vote_groups >= 0
        vote_groups, cols, values = vote_groups[grouped], cols[grouped], values[grouped]
    k = int(labels.max()) + 1
    agree, disagree, seen = _group_counts(vote_groups, cols, values, k, len(matrix.statement_ids))
    shown = ~matrix.rejected
    return (
        _distinguishing(agree, disagree, seen, matrix.statement_ids, shown),
        _consensus(agree, disagree, seen, matrix.statement_ids, shown),
    )


# --- the whole computation ---------------------------------------------------------------


def placed_participants(votes_per_participant: np.ndarray, statements: int) -> np.ndarray:
    """Who gets a place on the map: MIN_VOTES_TO_PLACE votes, or every statement if there are
    fewer; while fewer than MIN_PLACED qualify, the most active voters fill up to that number
    (ties by order), so a young conversation already shows a map."""
    placed = votes_per_participant >= min(MIN_VOTES_TO_PLACE, statements)
    missing = MIN_PLACED - int(placed.sum())
    if missing > 0:
        candidates = np.flatnonzero(~placed & (votes_per_participant > 0))
        ranked = candidates[np.argsort(-votes_per_participant[candidates], kind="stable")]
        placed[ranked[:missing]] = True
    return placed


def _empty(matrix: VoteMatrix, counted: int, placed: int) -> OpinionMapResult:
    return OpinionMapResult(
        participants_counted=counted,
        participants_placed=placed,
        votes=int(matrix.values.size),
        statements=int((~matrix.rejected).sum()),
        explained_variance=[],
        k=0,
        silhouette=None,
        groups=[],
        consensus=[],
        positions=[],
    )


def _warm_start(previous: ModelState | None, statement_ids: np.ndarray) -> np.ndarray | None:
    """The previous components laid out on today's statements (new statements start at 0)."""
    if previous is None or previous.components.size == 0:
        return None
    start = np.zeros((len(statement_ids), COMPONENTS))
    position = np.searchsorted(statement_ids, previous.statement_ids)
    found = (position < len(statement_ids)) & (
        statement_ids[np.minimum(position, len(statement_ids) - 1)] == previous.statement_ids
    )
    start[position[found]] = previous.components[found]
    return start if np.abs(start).sum() > 0 else None


def _votes_on_shown(matrix: VoteMatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """rows, cols and values of the votes on statements not rejected (no copy if none is)."""
    if not matrix.rejected.any():
        return matrix.rows, matrix.cols, matrix.values
    kept = ~matrix.rejected[matrix.cols]
    return matrix.rows[kept], matrix.cols[kept], matrix.values[kept]


def _centred(matrix: VoteMatrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """Everyone's votes on the statements not rejected, each centred by its statement's mean:
    the matrix the PCA runs on, and its non-zero values."""
    n_participants, n_statements = matrix.shape
    rows, cols, values = _votes_on_shown(matrix)
    seen = np.bincount(cols, minlength=n_statements)
    means = np.bincount(cols, weights=values, minlength=n_statements) / np.maximum(seen, 1)
    centred_values = values - means[cols]
    coordinates = sp.coo_matrix(
        (centred_values, (rows, cols)), shape=(n_participants, n_statements)
    )
    # One vote per (participant, statement): nothing to sum, and products do not need sorted
    # indices, so scipy's sort of millions of entries is skipped.
    coordinates.has_canonical_format = True
    return coordinates.tocsr(), centred_values


def compute_map(
    matrix: VoteMatrix, *, previous: ModelState | None = None, seed: int = SEED
) -> OpinionMapResult:
    """The opinion map of a vote matrix; with `previous`, an update that starts from it."""
    n_participants, n_statements = matrix.shape
    votes_per_participant = np.bincount(matrix.rows, minlength=n_participants)
    voted_statements = np.bincount(matrix.cols, minlength=n_statements) > 0
    placed_mask = placed_participants(votes_per_participant, int(voted_statements.sum()))
    n_placed = int(placed_mask.sum())
    if n_placed < MIN_PLACED_FOR_GROUPS or n_statements < 2:
        return _empty(matrix, n_participants, n_placed)

    centred, centred_values = _centred(matrix)
    start = _warm_start(previous, matrix.statement_ids)
    singular, components, projections = truncated_svd(centred, rank=COMPONENTS, start=start)
    signs = _orientation(components, start)
    components, projections = components * signs, projections * signs
    total_variance = float(centred_values @ centred_values)
    explained = (singular**2 / total_variance).tolist() if total_variance > 0 else []

    # A rejected statement is a column of zeros for everyone, as in Polis: it counts among the
    # statements and among each participant's votes.
    rejected_columns = int((matrix.rejected & voted_statements).sum())
    kept_votes = (
        np.bincount(_votes_on_shown(matrix)[0], minlength=n_participants)
        if matrix.rejected.any()
        else votes_per_participant
    )[placed_mask]
    scale = np.sqrt(voted_statements.sum() / np.maximum(kept_votes + rejected_columns, 1))
    # Rounded so that what is left of the random start of the SVD cannot move a point.
    points = np.round(projections[placed_mask] * scale[:, None], 9)

    base_labels, base_centres = base_clusters(
        points, None if previous is None else previous.base_centroids
    )
    weights = np.bincount(base_labels).astype(np.float64)
    distances = np.sqrt(((base_centres[:, None, :] - base_centres[None, :, :]) ** 2).sum(-1))
    candidates, scores = {}, {}
    for k in group_choices(len(base_centres)):
        candidates[k] = second_stage(base_centres, weights, k, seed=seed)
        scores[k] = silhouette(distances, candidates[k][0])
    if not candidates:  # everyone placed voted alike: no groups to tell apart
        return _empty(matrix, n_participants, n_placed)
    best = max(scores, key=lambda k: (scores[k], -k))
    k_choice = KChoice(best, 1, best) if previous is None else previous.k_choice.after(best)
    k = k_choice.shown if k_choice.shown in candidates else best
    if previous is not None and len(previous.group_centroids) == k:
        labels, centroids, _ = lloyd(points, previous.group_centroids)
    else:
        labels, centroids = participant_groups(points, candidates[k][1], k)

    row_labels = np.full(n_participants, -1)
    row_labels[placed_mask] = labels
    distinguishing, consensus = describe_groups(matrix, row_labels)
    sizes = np.bincount(labels, minlength=k)
    groups = [
        Group(
            label=g,
            size=int(sizes[g]),
            centroid=(float(centroids[g, 0]), float(centroids[g, 1])),
            distinguishing=distinguishing[g],
        )
        for g in range(k)
    ]
    sample_rng = np.random.default_rng(SEED)
    sample = (
        np.sort(sample_rng.choice(n_placed, POSITIONS_SAMPLE, replace=False))
        if n_placed > POSITIONS_SAMPLE
        else np.arange(n_placed)
    )
    placed_ids = matrix.participant_ids[placed_mask]
    return OpinionMapResult(
        participants_counted=n_participants,
        participants_placed=n_placed,
        votes=int(matrix.values.size),
        statements=int((~matrix.rejected).sum()),
        explained_variance=explained,
        k=k,
        silhouette=scores[k],
        groups=groups,
        consensus=consensus,
        positions=[(float(points[i, 0]), float(points[i, 1]), int(labels[i])) for i in sample],
        labels=dict(zip(placed_ids.tolist(), labels.tolist(), strict=True)),
        state=ModelState(
            statement_ids=matrix.statement_ids,
            components=components,
            base_centroids=base_centres,
            group_centroids=centroids,
            k_choice=k_choice,
        ),
        warm_started=start is not None,
    )


# --- which statement to show next --------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    statement_id: int
    agree: int
    disagree: int
    passes: int

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes


NEW_STATEMENT_SHARE = 0.3


def next_statement(
    candidates: Sequence[Candidate],
    *,
    seed: int,
    divisiveness: dict[int, float] | None = None,
) -> int | None:
    """The statement to show next, among those the participant has not voted on.

    A share of picks goes to the statements with the fewest votes, so new statements get seen;
    the rest are drawn with weights favouring informative statements: split votes so far, groups
    that disagree about it (`divisiveness`, 0..1 from the last map) and few votes.
    """
    if not candidates:
        return None
    rng = np.random.default_rng(seed)
    votes = np.array([item.votes for item in candidates], dtype=np.float64)
    if rng.random() < NEW_STATEMENT_SHARE:
        fewest = np.flatnonzero(votes == votes.min())
        return candidates[int(rng.choice(fewest))].statement_id
    agree = np.array([item.agree for item in candidates], dtype=np.float64)
    disagree = np.array([item.disagree for item in candidates], dtype=np.float64)
    share = (agree + 1) / (agree + disagree + 2)
    split = 4 * share * (1 - share)  # 1 when evenly split, towards 0 when one-sided
    between_groups = np.array(
        [(divisiveness or {}).get(item.statement_id, 0.0) for item in candidates]
    )
    weights = split + between_groups + 1 / np.sqrt(1 + votes)
    return candidates[int(rng.choice(len(candidates), p=weights / weights.sum()))].statement_id


def divisiveness(result_json: dict) -> dict[int, float]:
    """Per statement, how far apart the groups' shares are in the stored map (0..1)."""
    spread: dict[int, float] = {}
    for group in result_json.get("groups", []):
        for item in group["distinguishing"]:
            gap = abs(item["share"] - item["other_share"])
            spread[item["statement"]] = max(spread.get(item["statement"], 0.0), gap)
    return spread
