"""Vote-write latency while the opinion map is recomputed in a loop, against the same writes
with no recompute, in one run.

    .venv/bin/python benchmarks/opinions_votes.py
        [--database var/bench-opinions.sqlite3 | postgres://postgres@127.0.0.1:5432/bench_opinions]
        [--voters 20000] [--statements 500] [--mean-votes 50] [--clients 4] [--votes 250]

Builds (once; --force to rebuild) an opinion-map phase with `--voters` synthetic voters in
planted groups. Then `--clients` processes (like app workers) each sign up fresh users who vote
through the service a vote goes through on the page (roadmap.opinions.services.cast_vote: the
permission check, the insert, the stored count and the dirty mark, in one transaction), timing
each vote. Round 1 runs with nothing else; round 2 while another process recomputes the map
(read all votes, compute, store) in a loop at background priority, as the worker does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.generate_participation import use_database  # noqa: E402

DEFAULT_DATABASE = "var/bench-opinions.sqlite3"
PROCESS_SLUG = "bench-opinions"
TARGET_P95_MS = 30


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="SQLite file or URL")
    parser.add_argument("--voters", type=int, default=20_000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--mean-votes", type=float, default=50)
    parser.add_argument("--clients", type=int, default=4, help="concurrent voting processes")
    parser.add_argument("--votes", type=int, default=250, help="votes per client and round")
    parser.add_argument("--force", action="store_true", help="rebuild the data")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds to wait for a process's results"
    )
    # Votes come 20 per new user, each on a different statement: at least 20 statements.
    return smoke.parse_args(
        parser,
        database=str(smoke.DATA / "bench-opinions.sqlite3"),
        force=True,
        voters=500,
        statements=40,
        mean_votes=10,
        clients=2,
        votes=40,
        timeout=120,
    )


def setup_django(database: str) -> None:
    use_database(database)
    import django

    django.setup()


def build(args) -> int:
    """The phase id, building the data if it is not there yet."""
    import datetime

    import numpy as np
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from roadmap.municipalities.models import Municipality
    from roadmap.opinions import services, synthetic
    from roadmap.opinions.models import OpinionMap, Statement, Vote, Voter
    from roadmap.participation.models import Audience, Phase, Process

    call_command("migrate", verbosity=0)
    existing = Phase.objects.filter(process__slug=PROCESS_SLUG).first()
    if existing and not args.force:
        return existing.pk
    Process.objects.filter(slug=PROCESS_SLUG).delete()
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-opinions", defaults={"name": "Bench Opinions"}
    )
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        process = Process.objects.create(
            municipality=municipality,
            title="Benchmark opinion map",
            slug=PROCESS_SLUG,
            summary="Benchmark",
            data_statement="Benchmark data only.",
            is_published=True,
        )
        phase = Phase.objects.create(
            process=process,
            kind=Phase.Kind.OPINION_MAP,
            title="Opinion map",
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=365),
            propose=Audience.ANYONE,
            vote=Audience.ANYONE,
        )
        statements = Statement.objects.bulk_create(
            Statement(phase=phase, text=f"Statement {i}", language="en")
            for i in range(args.statements)
        )
        planted = synthetic.planted_votes(
            participants=args.voters,
            statements=args.statements,
            groups=3,
            mean_votes=args.mean_votes,
            seed=11,
        )
        voters = Voter.objects.bulk_create(
            (Voter(phase=phase) for _ in range(args.voters)), batch_size=5000
        )
        Vote.objects.bulk_create(
            (
                Vote(phase=phase, statement=statements[c], voter=voters[r], value=v)
                for r, c, v in zip(
                    planted.participants.tolist(),
                    planted.statements.tolist(),
                    planted.values.tolist(),
                    strict=True,
                )
            ),
            batch_size=5000,
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
    print(f"built {planted.values.size:,} votes in {time.perf_counter() - started:.0f} s")
    return phase.pk


def voter(args, phase_id: int, client: int, round_name: str, queue) -> None:
    setup_django(args.database)
    import random

    from roadmap.accounts.models import User
    from roadmap.opinions import services
    from roadmap.opinions.models import Statement

    statements = list(
        Statement.objects.filter(phase_id=phase_id).select_related("phase__process__municipality")
    )
    rng = random.Random(client)
    timings = []
    per_user = 20
    for start in range(0, args.votes, per_user):
        name = f"bench-{round_name}-{client}-{start}-{time.time_ns()}"
        user = User.objects.create_user(username=name, email=f"{name}@example.org", password=None)
        for statement in rng.sample(statements, per_user):
            began = time.perf_counter()
            services.cast_vote(user=user, statement=statement, value=rng.choice((-1, 0, 1)))
            timings.append(time.perf_counter() - began)
    queue.put(timings)


def recompute_loop(args, phase_id: int, stop, queue) -> None:
    setup_django(args.database)
    from roadmap.core.worker import lower_priority
    from roadmap.opinions import services

    lower_priority()  # as `manage.py worker` does
    durations = []
    while not stop.is_set():
        began = time.perf_counter()
        services.recompute_map(phase_id=phase_id)
        durations.append(time.perf_counter() - began)
    queue.put(durations)


def run_round(args, phase_id: int, round_name: str, with_recompute: bool):
    context = multiprocessing.get_context("spawn")
    queue, recompute_queue, stop = context.Queue(), context.Queue(), context.Event()
    recomputer = None
    if with_recompute:
        recomputer = context.Process(
            target=recompute_loop, args=(args, phase_id, stop, recompute_queue)
        )
        recomputer.start()
        time.sleep(3)  # let the first recompute get going
    started = time.perf_counter()
    clients = [
        context.Process(target=voter, args=(args, phase_id, client, round_name, queue))
        for client in range(args.clients)
    ]
    for process in clients:
        process.start()
    # A client that fails raises in its own process; the timeout keeps this one from hanging.
    timings = [value for _ in clients for value in queue.get(timeout=args.timeout)]
    elapsed = time.perf_counter() - started
    for process in clients:
        process.join()
    durations = []
    if recomputer:
        stop.set()
        durations = recompute_queue.get(timeout=args.timeout)
        recomputer.join()
    return timings, elapsed, durations


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    setup_django(args.database)
    from roadmap.opinions.models import Vote

    phase_id = build(args)
    print(f"database: {args.database}; {Vote.objects.filter(phase_id=phase_id).count():,} votes")
    print(f"{args.clients} voting processes × {args.votes} votes per round; {os.cpu_count()} CPUs")
    results = {}
    for name, with_recompute in (("alone", False), ("during recompute", True)):
        timings, elapsed, durations = run_round(args, phase_id, name.split()[0], with_recompute)
        results[name] = timings
        line = (
            f"{name:17} p50 {1000 * statistics.median(timings):6.1f} ms  "
            f"p95 {1000 * percentile(timings, 0.95):6.1f} ms  "
            f"max {1000 * max(timings):6.1f} ms  "
            f"{len(timings) / elapsed:6.0f} votes/s"
        )
        if durations:
            line += f"  ({len(durations)} recomputes, median {statistics.median(durations):.1f} s)"
        print(line)
    during = percentile(results["during recompute"], 0.95)
    ratio = during / percentile(results["alone"], 0.95)
    verdict = "PASS" if 1000 * during <= TARGET_P95_MS else "FAIL"
    print(f"p95 during / alone: ×{ratio:.2f}; p95 ≤ {TARGET_P95_MS} ms during recompute: {verdict}")


if __name__ == "__main__":
    main()
