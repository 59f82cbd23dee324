"""The opinion map against Polis's own published groups, on Polis open-data conversations.

    .venv/bin/python benchmarks/opinions_polis.py [FOLDER ...] [--seeds 10] [--check]

Each FOLDER is a Polis open-data export (participants-votes.csv, comments.csv, summary.csv);
the default is every folder in ../shared/data/polis/. Comments moderated -1 are rejected
statements, the others are shown (Polis's default, non-strict moderation). Per conversation the
script prints: participants compared (grouped by both), groups (Polis vs ours), the adjusted
Rand index, the agreement after the best matching of group labels, the overlap of the top-5
distinguishing statements per matched group and of the top-5 common ground (the same statistics
computed on Polis's groups and on ours), the number of different outputs over `--seeds` seeds
and the time of one computation.

Every conversation must give Polis's number of groups and one output for all seeds; the two in
../shared/data/polis have targets for agreement and ARI (TARGETS, from issue 20). Each missed
target is printed. With --check the script exits 1 below a floor (FLOORS): the targets where the
method meets them, and today's figure where it does not yet (docs/opinion-maps.md says why), so
CI catches any regression.

Polis's published groups come from incremental updates over a conversation's life, so even
Polis's own method recomputed once from the final votes does not match them exactly (about 98 %
on vTaiwan, 88 % on Seattle). The method is the documented one, never tuned to these files.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from roadmap.opinions import mapping  # noqa: E402

DEFAULT_FOLDERS = ROOT.parent / "shared" / "data" / "polis"
TOP = 5
TARGETS = {
    "vtaiwan.uberx": {"agreement": 0.95, "ari": 0.85},
    "15-per-hour-seattle": {"agreement": 0.85},
}
# vTaiwan's ARI is 0.826 against the target 0.85: see docs/opinion-maps.md, "Against Polis".
FLOORS = {
    "vtaiwan.uberx": {"agreement": 0.95, "ari": 0.82},
    "15-per-hour-seattle": {"agreement": 0.85},
}


@dataclass
class Conversation:
    name: str
    matrix: mapping.VoteMatrix
    polis_groups: dict[int, int]  # participant → Polis's published group
    polis_k: int


def load(folder: Path) -> Conversation:
    with (folder / "comments.csv").open(newline="", encoding="utf-8") as handle:
        moderated = {
            int(row["comment-id"]): int(row["moderated"]) for row in csv.DictReader(handle)
        }
    participants, statements, values, groups = [], [], [], {}
    with (folder / "participants-votes.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first_vote = header.index("n-disagree") + 1
        columns = [int(name) for name in header[first_vote:]]
        for row in reader:
            participant = int(row[0])
            if row[1] != "":
                groups[participant] = int(row[1])
            for statement, cell in zip(columns, row[first_vote:], strict=True):
                if cell != "":
                    participants.append(participant)
                    statements.append(statement)
                    values.append(int(float(cell)))
    with (folder / "summary.csv").open(newline="", encoding="utf-8") as handle:
        summary = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
    matrix = mapping.build_matrix(
        participants,
        statements,
        values,
        statements=columns,
        rejected=[c for c in columns if moderated.get(c) == -1],
    )
    return Conversation(folder.name, matrix, groups, int(summary["groups"]))


def matched(truth: np.ndarray, found: np.ndarray) -> tuple[float, dict[int, int]]:
    """Agreement after the best one-to-one matching of labels, and the matching (ours → theirs)."""
    table = np.zeros((truth.max() + 1, found.max() + 1))
    np.add.at(table, (truth, found), 1)
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(truth), dict(
        zip(cols.tolist(), rows.tolist(), strict=True)
    )


def top(findings: list[mapping.StatementFinding]) -> set[tuple[int, str]]:
    return {(item.statement_id, item.direction) for item in findings[:TOP]}


def overlap(a: set, b: set) -> float:
    return len(a & b) / max(len(a), len(b), 1)


def compare(conversation: Conversation, seeds: int) -> dict:
    matrix = conversation.matrix
    started = time.perf_counter()
    result = mapping.compute_map(matrix, seed=0)
    seconds = time.perf_counter() - started
    outputs = {json.dumps({**result.to_json(), "state": None}, sort_keys=True)}
    for seed in range(1, seeds):
        other = mapping.compute_map(matrix, seed=seed)
        outputs.add(json.dumps({**other.to_json(), "state": None}, sort_keys=True))

    compared = sorted(set(result.labels) & set(conversation.polis_groups))
    theirs = np.array([conversation.polis_groups[p] for p in compared])
    ours = np.array([result.labels[p] for p in compared])
    agreement, ours_to_theirs = matched(theirs, ours)

    polis_rows = np.full(len(matrix.participant_ids), -1)
    index = {int(p): i for i, p in enumerate(matrix.participant_ids)}
    for participant, group in conversation.polis_groups.items():
        if participant in index:
            polis_rows[index[participant]] = group
    polis_distinguishing, polis_consensus = mapping.describe_groups(matrix, polis_rows)
    distinguishing = [
        overlap(top(group.distinguishing), top(polis_distinguishing[ours_to_theirs[group.label]]))
        for group in result.groups
        if group.label in ours_to_theirs
    ]
    return {
        "conversation": conversation.name,
        "compared": len(compared),
        "placed": result.participants_placed,
        "polis_groups": conversation.polis_k,
        "our_groups": result.k,
        "ari": adjusted_rand_score(theirs, ours),
        "agreement": agreement,
        "distinguishing_top5": float(np.mean(distinguishing)) if distinguishing else 0.0,
        "common_ground_top5": overlap(top(result.consensus), top(polis_consensus)),
        "outputs_over_seeds": len(outputs),
        "seconds": seconds,
    }


def shortfalls(row: dict, limits: dict[str, dict[str, float]]) -> list[str]:
    problems = []
    if row["our_groups"] != row["polis_groups"]:
        problems.append(f"{row['our_groups']} groups, Polis has {row['polis_groups']}")
    if row["outputs_over_seeds"] != 1:
        problems.append(f"{row['outputs_over_seeds']} different outputs over the seeds")
    for figure, least in limits.get(row["conversation"], {}).items():
        if row[figure] < least:
            problems.append(f"{figure} {row[figure]:.3f} < {least}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    args = parser.parse_args()
    folders = args.folders or sorted(
        path for path in DEFAULT_FOLDERS.iterdir() if (path / "participants-votes.csv").exists()
    )
    print(
        f"{'conversation':<22} {'compared':>8} {'groups':>9} {'ARI':>6} {'agree':>7} "
        f"{'dist@5':>7} {'common@5':>8} {'outputs':>7} {'seconds':>7}"
    )
    failed = False
    for folder in folders:
        row = compare(load(folder), args.seeds)
        print(
            f"{row['conversation']:<22} {row['compared']:>8} "
            f"{row['polis_groups']:>4} vs {row['our_groups']:<2} {row['ari']:>6.3f} "
            f"{row['agreement']:>7.1%} {row['distinguishing_top5']:>7.0%} "
            f"{row['common_ground_top5']:>8.0%} {row['outputs_over_seeds']:>7} "
            f"{row['seconds']:>7.2f}"
        )
        missed = shortfalls(row, TARGETS)
        if missed:
            print(f"  target missed: {'; '.join(missed)}")
        if shortfalls(row, FLOORS):
            failed = True
            print(f"  BELOW FLOOR: {'; '.join(shortfalls(row, FLOORS))}")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
