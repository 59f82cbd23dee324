"""Opinion-map recompute at scale, against a dense NumPy / scikit-learn baseline, in one run.

    .venv/bin/python benchmarks/opinions_recompute.py
        [--participants 50000] [--statements 2000] [--votes 5000000] [--groups 3]
        [--new-votes 1000] [--repeat 3] [--no-baseline]

Votes are synthetic with planted opinion groups (roadmap.opinions.synthetic), on arrays (no
database). Each measurement runs in a fresh process that builds the same data from the same seed,
so peak memory is its own: "peak RSS" is the process's maximum resident size (data included),
"compute peak" the memory allocated by the computation itself beyond its input (tracemalloc,
measured in a separate pass so it does not slow the timed runs).

- sparse full: roadmap.opinions.mapping.compute_map (sparse centring, randomized SVD, k-means
  with k chosen by silhouette), from the vote arrays.
- sparse update: the same after `--new-votes` more votes, warm-started from the full result.
- dense baseline: a dense participants × statements matrix with missing votes filled with the
  statement mean, scikit-learn PCA(2) and KMeans (n_init=3) with k by silhouette_score on a
  2,000-point sample, the same scaling of positions and the same placed participants.

Group agreement is the share of placed participants in the same group up to relabelling
(Hungarian matching), against the planted groups and between the two methods.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from queue import Empty

# One BLAS thread: the machine has 2 cores and the heavy steps (sparse products) are
# single-threaded anyway; BLAS threads spinning on tiny QRs only slowed things down.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402

from benchmarks import smoke  # noqa: E402
from roadmap.opinions import mapping, synthetic  # noqa: E402

TARGET_FULL_SECONDS = 10
TARGET_UPDATE_SECONDS = 1
TARGET_PEAK_MB = 2048
TARGET_AGREEMENT = 0.95
SEED = 7


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=5_000_000)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--new-votes", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the median is shown")
    parser.add_argument("--no-baseline", action="store_true")
    return smoke.parse_args(
        parser, participants=2_000, statements=100, votes=40_000, new_votes=100, repeat=1
    )


def make_votes(args) -> synthetic.PlantedVotes:
    # A little above the target per participant: a pair drawn twice counts once.
    mean = args.votes / args.participants * 1.026
    return synthetic.planted_votes(
        participants=args.participants,
        statements=args.statements,
        groups=args.groups,
        mean_votes=mean,
        consensus_statements=args.statements // 100,
        seed=SEED,
    )


def new_votes(args, matrix: mapping.VoteMatrix):
    """`--new-votes` votes from newcomers (10 each), so no pair is voted twice."""
    rng = np.random.default_rng(SEED + 1)
    people = args.new_votes // 10
    participants = np.repeat(np.arange(people) + matrix.participant_ids.max() + 1, 10)
    statements = np.concatenate(
        [rng.choice(args.statements, 10, replace=False) for _ in range(people)]
    )
    return participants, statements, rng.integers(-1, 2, participants.size)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, repeat: int):
    """Result, sorted wall times, sorted CPU times and the computation's peak allocation (MB).
    CPU time is shown too because on a shared machine wall time also counts waiting for a core."""
    times, cpu_times, result = [], [], None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    tracemalloc.start()
    function()
    _, compute_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, sorted(times), sorted(cpu_times), compute_peak / 2**20


def dense_baseline(planted, args):
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    def run():
        votes_each = np.bincount(planted.participants, minlength=args.participants)
        placed = votes_each >= mapping.MIN_VOTES_TO_PLACE
        dense = np.full((args.participants, args.statements), np.nan)
        dense[planted.participants, planted.statements] = planted.values
        dense = dense[placed]
        means = np.nanmean(dense, axis=0)
        missing = np.isnan(dense)
        dense[missing] = np.take(means, np.nonzero(missing)[1])
        active = int((~np.isnan(means)).sum())
        points = PCA(n_components=2, random_state=0).fit_transform(dense)
        points *= np.sqrt(active / votes_each[placed])[:, None]
        best = None
        for k in range(2, mapping.MAX_GROUPS + 1):  # the k the map chooses from
            labels = KMeans(n_clusters=k, n_init=3, random_state=0).fit_predict(points)
            score = silhouette_score(points, labels, sample_size=2000, random_state=0)
            if best is None or score > best[1]:
                best = (labels, score)
        return np.flatnonzero(placed), best[0]

    return run


def child(kind: str, args, queue) -> None:
    planted = make_votes(args)
    matrix = mapping.build_matrix(planted.participants, planted.statements, planted.values)
    data_rss = peak_rss_mb()
    if kind == "sparse full":

        def run():
            fresh = mapping.build_matrix(planted.participants, planted.statements, planted.values)
            result = mapping.compute_map(fresh)
            return np.array(sorted(result.labels)), result

        (placed, result), times, cpu_times, compute_peak = timed(run, args.repeat)
        labels = np.array([result.labels[i] for i in placed])
        extra = {"k": result.k, "silhouette": result.silhouette, "votes": result.votes}
    elif kind == "sparse update":
        first = mapping.compute_map(matrix)
        added = new_votes(args, matrix)

        def run():
            updated = mapping.append_votes(matrix, *added)
            return mapping.compute_map(updated, previous=first.state)

        result, times, cpu_times, compute_peak = timed(run, args.repeat)
        placed = np.array(sorted(pid for pid in result.labels if pid < args.participants))
        labels = np.array([result.labels[i] for i in placed])
        extra = {"k": result.k, "warm": result.warm_started, "votes": result.votes}
    else:
        (placed, labels), times, cpu_times, compute_peak = timed(dense_baseline(planted, args), 1)
        extra = {"k": int(labels.max()) + 1}
    queue.put(
        {
            "kind": kind,
            "times": times,
            "cpu_times": cpu_times,
            "compute_peak_mb": compute_peak,
            "peak_rss_mb": peak_rss_mb(),
            "data_rss_mb": data_rss,
            "placed": placed,
            "labels": labels,
            "truth": planted.groups[placed],
            **extra,
        }
    )


def measure(kind: str, args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=child, args=(kind, args, queue))
    process.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            # A child that raised has printed its traceback and will never send a result.
            if not process.is_alive() and queue.empty():
                sys.exit(f"{kind} failed (exit code {process.exitcode})")
    process.join()
    return result


def agreement(first: np.ndarray, second: np.ndarray) -> float:
    table = np.zeros((first.max() + 1, second.max() + 1))
    np.add.at(table, (first, second), 1)
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(first)


def check(label: str, ok: bool) -> str:
    return f"{label}: {'PASS' if ok else 'FAIL'}"


def main() -> None:
    args = parse_args()
    print(
        f"Opinion map: {args.participants:,} participants × {args.statements:,} statements, "
        f"~{args.votes:,} votes, {args.groups} planted groups; {os.cpu_count()} CPUs"
    )
    kinds = ["sparse full", "sparse update"] + ([] if args.no_baseline else ["dense baseline"])
    results = {kind: measure(kind, args) for kind in kinds}
    full = results["sparse full"]
    print(f"votes in the matrix: {full['votes']:,}; data alone: {full['data_rss_mb']:.0f} MB RSS")
    print(
        f"{'':16} {'median s':>9} {'min s':>7} {'median CPU s':>13} "
        f"{'compute peak MB':>16} {'peak RSS MB':>12} k"
    )
    for kind, result in results.items():
        times = result["times"]
        print(
            f"{kind:16} {np.median(times):9.2f} {times[0]:7.2f} "
            f"{np.median(result['cpu_times']):13.2f} "
            f"{result['compute_peak_mb']:16.0f} {result['peak_rss_mb']:12.0f} {result['k']}"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
    for kind, result in results.items():
        print(
            f"agreement with planted groups, {kind}: "
            f"{agreement(result['truth'], result['labels']):.4f}"
        )
    update = results["sparse update"]
    print(f"update after {args.new_votes:,} new votes (warm start: {update['warm']})")
    verdicts = [
        check(f"full ≤ {TARGET_FULL_SECONDS} s", np.median(full["times"]) <= TARGET_FULL_SECONDS),
        check(
            f"peak RSS ≤ {TARGET_PEAK_MB} MB",
            max(full["peak_rss_mb"], update["peak_rss_mb"]) <= TARGET_PEAK_MB,
        ),
        check(
            f"update ≤ {TARGET_UPDATE_SECONDS} s",
            np.median(update["times"]) <= TARGET_UPDATE_SECONDS,
        ),
    ]
    if "dense baseline" in results:
        dense = results["dense baseline"]
        same = agreement(dense["labels"], full["labels"])
        print(
            f"dense / sparse: time ×{np.median(dense['times']) / np.median(full['times']):.1f}, "
            f"compute memory ×{dense['compute_peak_mb'] / full['compute_peak_mb']:.1f}, "
            f"peak RSS ×{dense['peak_rss_mb'] / full['peak_rss_mb']:.1f}"
        )
        print(f"agreement sparse vs dense groups: {same:.4f}")
        verdicts.append(check(f"agreement ≥ {TARGET_AGREEMENT:.0%}", same >= TARGET_AGREEMENT))
    print("; ".join(verdicts))


if __name__ == "__main__":
    main()
