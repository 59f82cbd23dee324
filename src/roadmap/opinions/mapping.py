"""The opinion map's numbers: pure functions over a sparse participant × statement vote matrix.

Votes are +1 (agree), -1 (disagree) and 0 (pass); a statement a participant has not voted on is
*missing*, not zero. The method follows Polis (see docs/opinion-maps.md):

1. Centre each statement by the mean of the votes it got and treat a missing vote as that mean.
   After centring a missing vote is exactly zero, so the centred matrix keeps the sparsity of
   the votes: no dense participants × statements array is ever made.
2. PCA by a randomized truncated SVD with a fixed seed (warm-started from the previous
   components when the map is updated), keeping 2 components.
3. Each participant's position is scaled by sqrt(statements / their votes), so someone who voted
   on few statements is not pulled towards the centre just for having voted little.
4. Participants with fewer than MIN_VOTES_TO_PLACE votes are counted but not placed or grouped.
5. k-means (k-means++ with a fixed seed) for k = 2..5 in the 2-D space; k is chosen by the
   silhouette on a fixed-seed sample (the silhouette costs O(n²), the sample keeps it bounded).
6. Per group: the statements that set it apart (Polis "repness": a smoothed probability ratio
   with two significance tests) and the statements every group agrees (or disagrees) with.

Everything here is deterministic for the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist

MIN_VOTES_TO_PLACE = 7
COMPONENTS = 2
K_CHOICES = (2, 3, 4, 5)
SILHOUETTE_SAMPLE = 2000
POSITIONS_SAMPLE = 600
SEED = 20_261_201
# Oversampling and power iterations of the randomized SVD: enough for a tight top-2 subspace.
OVERSAMPLE = 8
POWER_ITERATIONS = 4
WARM_POWER_ITERATIONS = 1
KMEANS_INITS = 3
# k-means starts are tried on a sample this big; the best is then refined on everyone.
KMEANS_SAMPLE = 10_000
KMEANS_MAX_ITERATIONS = 100
# One-sided 90 % level, as Polis uses for its representativeness tests.
Z_90 = 1.2816
DISTINGUISHING_PER_GROUP = 5
# A group must have this many votes on a statement before it counts towards consensus.
MIN_GROUP_VOTES_FOR_CONSENSUS = 3

AGREE, PASS, DISAGREE = 1, 0, -1


@dataclass(frozen=True)
class VoteMatrix:
    """Votes as coordinate arrays plus the ids their rows and columns stand for."""

    rows: np.ndarray  # participant index per vote
    cols: np.ndarray  # statement index per vote
    values: np.ndarray  # -1, 0 or +1 per vote
    participant_ids: np.ndarray
    statement_ids: np.ndarray

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


def build_matrix(participant_ids, statement_ids, values, *, statements=None) -> VoteMatrix:
    """A VoteMatrix from one entry per vote (each (participant, statement) pair at most once).

    `statements`, if given, are the statement ids to keep (e.g. the approved ones); votes on other
    statements are dropped and statements without votes still get a column.
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
    return VoteMatrix(rows, cols, values, participants, columns)


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
    )


@dataclass(frozen=True)
class ModelState:
    """What an update starts from: the previous components and group centres."""

    statement_ids: np.ndarray
    components: np.ndarray  # statements × COMPONENTS
    centroids: np.ndarray  # k × COMPONENTS
    placed_when_k_chosen: int

    def to_json(self) -> dict:
        return {
            "statement_ids": self.statement_ids.tolist(),
            "components": np.round(self.components, 6).tolist(),
            "centroids": np.round(self.centroids, 6).tolist(),
            "placed_when_k_chosen": self.placed_when_k_chosen,
        }

    @classmethod
    def from_json(cls, data: dict) -> ModelState:
        return cls(
            statement_ids=np.asarray(data["statement_ids"], dtype=np.int64),
            components=np.asarray(data["components"], dtype=np.float64).reshape(-1, COMPONENTS),
            centroids=np.asarray(data["centroids"], dtype=np.float64).reshape(-1, COMPONENTS),
            placed_when_k_chosen=int(data["placed_when_k_chosen"]),
        )


@dataclass
class StatementFinding:
    statement_id: int
    direction: str  # "agree" or "disagree"
    share: float  # share of the group (or of everyone placed) voting that way
    other_share: float  # the rest's share, for distinguishing statements
    score: float


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
    statements: int
    explained_variance: list[float]
    k: int
    silhouette: float | None
    groups: list[Group]
    consensus: list[StatementFinding]
    # [x, y, group] for a fixed-seed sample of placed participants
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
    centred: sp.csr_matrix, *, rank: int, start: np.ndarray | None = None, iterations: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top `rank` singular values, right singular vectors (statements × rank) and the rows'
    projections on them (rows × rank, i.e. `centred @ vectors`, without another product).

    Subspace iteration on the statement side (a randomized range finder, Halko, Martinsson &
    Tropp 2011), so only statements × few blocks are orthonormalised; then Rayleigh–Ritz on the
    small Gram matrix. `start`, the previous right vectors, replaces part of the random block so
    an update converges in one pass.
    """
    rng = np.random.default_rng(SEED)
    width = min(rank + OVERSAMPLE, min(centred.shape))
    block = rng.standard_normal((centred.shape[1], width))
    if start is not None:
        block[:, : start.shape[1]] = start
    transposed = centred.T
    basis = _orthonormal(block)
    for _ in range(iterations):
        basis = _orthonormal(transposed @ (centred @ basis))
    projected = centred @ basis
    eigenvalues, vectors = np.linalg.eigh(projected.T @ projected)
    order = np.argsort(eigenvalues)[::-1][:rank]
    singular = np.sqrt(np.maximum(eigenvalues[order], 0))
    return singular, basis @ vectors[:, order], projected @ vectors[:, order]


def _orientation(components: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """The sign (±1) to give each component: the same way as before on an update, otherwise so
    that its largest loading is positive. Without this the map could flip between recomputes."""
    if previous is not None:
        return np.where(np.einsum("ij,ij->j", components, previous) < 0, -1.0, 1.0)
    largest = components[np.abs(components).argmax(axis=0), np.arange(components.shape[1])]
    return np.where(largest < 0, -1.0, 1.0)


# --- clustering --------------------------------------------------------------------------


def _nearest(points: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each point's nearest centre and the squared distance to it (via one small matmul)."""
    partial = (centroids**2).sum(axis=1)[None, :] - 2 * (points @ centroids.T)
    labels = partial.argmin(axis=1)
    distance = partial[np.arange(len(points)), labels] + (points**2).sum(axis=1)
    return labels, np.maximum(distance, 0)


def _kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    centroids = [points[rng.integers(len(points))]]
    closest = ((points - centroids[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = closest.sum()
        if total <= 0:
            choice = rng.integers(len(points))
        else:
            choice = rng.choice(len(points), p=closest / total)
        centroids.append(points[choice])
        closest = np.minimum(closest, ((points - points[choice]) ** 2).sum(axis=1))
    return np.array(centroids)


def _lloyd(points: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    labels = np.full(len(points), -1)
    for _ in range(KMEANS_MAX_ITERATIONS):
        new_labels, _ = _nearest(points, centroids)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        counts = np.bincount(labels, minlength=len(centroids))
        for axis in range(points.shape[1]):
            sums = np.bincount(labels, weights=points[:, axis], minlength=len(centroids))
            # An empty cluster keeps its old centre rather than becoming NaN.
            centroids[:, axis] = np.where(
                counts > 0, sums / np.maximum(counts, 1), centroids[:, axis]
            )
    _, distances = _nearest(points, centroids)
    return labels, centroids, float(distances.sum())


def kmeans(points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and centres: the best of a few k-means++ starts on a fixed-seed sample of the
    points, then refined on all of them; groups numbered canonically."""
    rng = np.random.default_rng(SEED + k)
    sample = (
        points[rng.choice(len(points), KMEANS_SAMPLE, replace=False)]
        if len(points) > KMEANS_SAMPLE
        else points
    )
    best = None
    for _ in range(KMEANS_INITS):
        labels, centroids, inertia = _lloyd(sample, _kmeans_plus_plus(sample, k, rng))
        if best is None or inertia < best[2]:
            best = (labels, centroids, inertia)
    assert best is not None, "KMEANS_INITS is at least 1"
    return _canonical(*refine(points, best[1]))


def refine(points: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k-means from given centres (an update): groups keep their numbers."""
    labels, centroids, _ = _lloyd(points, centroids.astype(np.float64).copy())
    return labels, centroids


def _canonical(labels, centroids) -> tuple[np.ndarray, np.ndarray]:
    """Number groups by size (largest first, then by position) so labels do not depend on the
    order k-means happened to find them in."""
    sizes = np.bincount(labels, minlength=len(centroids))
    order = sorted(range(len(centroids)), key=lambda g: (-sizes[g], *centroids[g]))
    relabel = np.empty(len(centroids), dtype=np.int64)
    relabel[order] = np.arange(len(centroids))
    return relabel[labels], centroids[order]


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette of points with a precomputed distance matrix (Rousseeuw 1987)."""
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


def choose_groups(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """k-means for each k in K_CHOICES; keep the k with the best silhouette (ties: smaller k)."""
    rng = np.random.default_rng(SEED)
    sample = (
        np.sort(rng.choice(len(points), SILHOUETTE_SAMPLE, replace=False))
        if len(points) > SILHOUETTE_SAMPLE
        else np.arange(len(points))
    )
    distances = cdist(points[sample], points[sample])
    best = None
    for k in K_CHOICES:
        if k >= len(sample):
            break
        labels, centroids = kmeans(points, k)
        score = silhouette(distances, labels[sample])
        if best is None or score > best[2] + 1e-9:
            best = (labels, centroids, score)
    assert best is not None, "compute_map places at least 2 × min(K_CHOICES) participants"
    return best


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


def _distinguishing(agree, disagree, seen, statement_ids) -> list[list[StatementFinding]]:
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
            significant = (z_ratio > Z_90) & (z_share > Z_90)
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


def _consensus(agree, disagree, seen, statement_ids) -> list[StatementFinding]:
    """Statements a majority of *every* group agrees with (or disagrees with), best first by
    the product of the groups' smoothed shares (Polis's group-aware consensus)."""
    findings = []
    enough = (seen >= MIN_GROUP_VOTES_FOR_CONSENSUS).all(axis=0)
    for direction, counts in (("agree", agree), ("disagree", disagree)):
        raw = counts / np.maximum(seen, 1)
        majority = enough & (raw > 0.5).all(axis=0)
        smoothed = np.prod((counts + 1.0) / (seen + 2.0), axis=0)
        overall = counts.sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
        for column in np.flatnonzero(majority):
            findings.append(
                StatementFinding(
                    statement_id=int(statement_ids[column]),
                    direction=direction,
                    share=float(overall[column]),
                    other_share=float(raw[:, column].min()),
                    score=float(smoothed[column]),
                )
            )
    findings.sort(key=lambda item: (-item.score, item.statement_id))
    return findings


def _group_counts(labels, rows, cols, values, k, statements):
    """agree, disagree and seen counts per group and statement (k × statements, small), from
    one counting pass over the votes (int32 codes: k × statements × 3 is small)."""
    codes = labels.astype(np.int32)[rows]
    codes *= statements
    codes += cols
    codes *= 3
    codes += values
    codes += 1
    counts = np.bincount(codes, minlength=k * statements * 3).reshape(k, statements, 3)
    counts = counts.astype(np.float64)
    disagree, passes, agree = counts[..., 0], counts[..., 1], counts[..., 2]
    return agree, disagree, agree + disagree + passes


# --- the whole computation ---------------------------------------------------------------


def _empty(matrix: VoteMatrix, counted: int, placed: int) -> OpinionMapResult:
    return OpinionMapResult(
        participants_counted=counted,
        participants_placed=placed,
        votes=int(matrix.values.size),
        statements=len(matrix.statement_ids),
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


def compute_map(
    matrix: VoteMatrix, *, previous: ModelState | None = None, regroup_growth: float = 0.1
) -> OpinionMapResult:
    """The opinion map of a vote matrix.

    With `previous`, the SVD is warm-started from its components and k-means starts from its
    centres with the same k; the choice of k is redone (a full regrouping) once the number of
    placed participants has grown by `regroup_growth` since k was last chosen.
    """
    n_participants, n_statements = matrix.shape
    votes_per_participant = np.bincount(matrix.rows, minlength=n_participants)
    placed_mask = votes_per_participant >= MIN_VOTES_TO_PLACE
    n_placed = int(placed_mask.sum())
    if n_placed < 2 * min(K_CHOICES) or n_statements < 2:
        return _empty(matrix, n_participants, n_placed)

    if n_placed == n_participants:  # the usual case at scale: no filtering copies
        rows, cols, values = matrix.rows, matrix.cols, matrix.values
    else:
        keep = placed_mask[matrix.rows]
        placed_index = np.cumsum(placed_mask) - 1
        rows = placed_index[matrix.rows[keep]].astype(np.int32)
        cols, values = matrix.cols[keep], matrix.values[keep]

    seen_per_statement = np.bincount(cols, minlength=n_statements)
    sum_per_statement = np.bincount(cols, weights=values, minlength=n_statements)
    means = sum_per_statement / np.maximum(seen_per_statement, 1)
    centred_values = values - means[cols]
    coordinates = sp.coo_matrix((centred_values, (rows, cols)), shape=(n_placed, n_statements))
    # One vote per (participant, statement): nothing to sum, and products do not need sorted
    # indices, so scipy's sort of 5 million entries is skipped.
    coordinates.has_canonical_format = True
    centred = coordinates.tocsr()

    start = _warm_start(previous, matrix.statement_ids)
    singular, components, projections = truncated_svd(
        centred,
        rank=COMPONENTS,
        start=start,
        iterations=POWER_ITERATIONS if start is None else WARM_POWER_ITERATIONS,
    )
    signs = _orientation(components, start)
    components, projections = components * signs, projections * signs
    total_variance = float(centred_values @ centred_values)
    explained = (singular**2 / total_variance).tolist() if total_variance > 0 else []

    active_statements = int((seen_per_statement > 0).sum())
    scale = np.sqrt(active_statements / votes_per_participant[placed_mask])
    points = projections * scale[:, None]

    regroup = (
        previous is None
        or start is None
        or n_placed > previous.placed_when_k_chosen * (1 + regroup_growth)
        or len(previous.centroids) > n_placed
    )
    if regroup:
        labels, centroids, quality = choose_groups(points)
        placed_when_k_chosen = n_placed
    else:
        assert previous is not None, "without a previous state the groups are chosen anew"
        labels, centroids = refine(points, previous.centroids)
        quality = None
        placed_when_k_chosen = previous.placed_when_k_chosen
    k = len(centroids)

    agree, disagree, seen = _group_counts(labels, rows, cols, values, k, n_statements)
    distinguishing = _distinguishing(agree, disagree, seen, matrix.statement_ids)
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
    rng = np.random.default_rng(SEED)
    sample = (
        np.sort(rng.choice(n_placed, POSITIONS_SAMPLE, replace=False))
        if n_placed > POSITIONS_SAMPLE
        else np.arange(n_placed)
    )
    placed_ids = matrix.participant_ids[placed_mask]
    return OpinionMapResult(
        participants_counted=n_participants,
        participants_placed=n_placed,
        votes=int(matrix.values.size),
        statements=n_statements,
        explained_variance=explained,
        k=k,
        silhouette=quality,
        groups=groups,
        consensus=_consensus(agree, disagree, seen, matrix.statement_ids),
        positions=[(float(points[i, 0]), float(points[i, 1]), int(labels[i])) for i in sample],
        labels=dict(zip(placed_ids.tolist(), labels.tolist(), strict=True)),
        state=ModelState(
            statement_ids=matrix.statement_ids,
            components=components,
            centroids=centroids,
            placed_when_k_chosen=placed_when_k_chosen,
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
