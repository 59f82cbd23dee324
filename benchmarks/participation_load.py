"""Load test of the participation pages and of supporting, against the real server.

    .venv/bin/python benchmarks/participation_load.py
        [--database var/bench-participation.sqlite3 | postgres://postgres@127.0.0.1:5432/...]
        [--port 8191] [--workers 3] [--users 3] [--seconds 15] [--rounds 1] [--no-writes]
        [--task-worker [SECONDS]]

Uses the data of generate_participation.py and the machinery of load.py (gunicorn with sync
workers on 127.0.0.1, locust headless, bounded in time and requests, the trivial view as the
floor in the same run). Reads: the proposal list by most supported with a category filter,
page 2; the proposal with 500 comments; the process page with its figures. Writes: signed-in
verified residents support and withdraw through the real POST endpoint with valid CSRF tokens
(participation_locustfile.py), each on a proposal of their own. With --task-worker, one
`manage.py worker --no-reload` polls the same database during the whole run, as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import load, smoke, task_worker  # noqa: E402
from benchmarks.generate_participation import (  # noqa: E402
    BIG_THREAD_COMMENTS,
    DEFAULT_DATABASE,
    MUNICIPALITY_SLUG,
    SMOKE_DATABASE,
    use_database,
)

TARGET_WRITE_P95_MS = 50
SLOW_SECONDS = 2
SLOW_REQUESTS = 3


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help="SQLite file, or a postgres:// URL"
    )
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--users", type=int, default=3, help="concurrent locust users")
    parser.add_argument("--seconds", type=int, default=15, help="duration per page")
    parser.add_argument("--max-requests", type=int, default=20000, help="cap per page")
    parser.add_argument("--rounds", type=int, default=1, help="keep each page's best round")
    parser.add_argument("--no-writes", action="store_true", help="measure the pages only")
    parser.add_argument(
        "--task-worker",
        type=float,
        nargs="?",
        const=1.0,
        metavar="SECONDS",
        help="run a task worker beside the server, polling every SECONDS (default 1)",
    )
    return smoke.parse_args(
        parser, database=SMOKE_DATABASE, port=8291, workers=1, users=1, seconds=2
    )


def main() -> None:
    args = parse_args()
    if "://" not in args.database and not Path(args.database).exists():
        sys.exit(f"{args.database} is missing; run benchmarks/generate_participation.py first.")
    database = use_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    endpoints = read_endpoints()
    print(f"Machine: {os.cpu_count()} CPUs ({load.cpu_model()}); load average: {load.load()}")
    print(
        f"Server: gunicorn, {args.workers} sync workers, DEBUG off, {database}; "
        f"locust: {args.users} users, no wait, {args.seconds} s per page, "
        f"best of {args.rounds} round(s); "
        + (
            f"a task worker polling every {args.task_worker} s\n"
            if args.task_worker is not None
            else "no task worker\n"
        )
    )
    server = load.start_server(args, Path(database))
    workers = [] if args.task_worker is None else task_worker.start(1, interval=args.task_worker)
    try:
        load.wait_until_up(args.port)
        # A page far slower than the target would keep locust from finishing any request in
        # its time: such a page is timed with a few requests one after another instead.
        slow, failed = {}, []
        for endpoint in endpoints:
            try:
                first = timed_get(args.port, endpoint)
            except (OSError, RuntimeError) as problem:  # also gunicorn's worker timeout (500)
                print(f"NOT MEASURED {endpoint.label}: {problem}")
                failed.append(endpoint.label)
                continue
            if first > SLOW_SECONDS:
                # Each worker's first chart starts vl-convert's renderer (seconds, once per
                # process): judge the page by its fastest request of one per worker.
                first = min(first, *(timed_get(args.port, endpoint) for _ in range(args.workers)))
            if first > SLOW_SECONDS:
                slow[endpoint.label] = sequential(args.port, endpoint, [first])
            else:
                load.warm_up(args.port, endpoint)
        measured = [e for e in endpoints if e.label not in slow and e.label not in failed]
        rounds = [
            [load.run_locust(args, endpoint) for endpoint in measured] for _ in range(args.rounds)
        ]
        best = [min(runs, key=lambda result: result.p95) for runs in zip(*rounds, strict=True)]
        results = best + list(slow.values())
        if not args.no_writes:
            results += measure_writes(args)
        memory = load.worker_memory(server.pid)
        if workers:
            memory += f"; task worker {task_worker.memory(workers)}"
    finally:
        task_worker.stop(workers)
        load.stop_server(server)
    load.print_results(results)
    problems = [f"{label}: not measured" for label in failed] + load.failed_requests(results)
    if not args.no_writes:
        counters = counter_check()
        print(f"Stored counters after the writes: {counters}")
        if "WRONG" in counters:
            problems.append(counters)
    print(f"\nApp worker memory (RSS): {memory}")
    print(f"Load average after: {load.load()}")
    smoke.check(args, problems)


def timed_get(port: int, endpoint: load.Endpoint) -> float:
    """Seconds for one request; fails unless the page answers 200."""
    request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        f"http://{load.HOST}:{port}{endpoint.path}",
        headers={"Cookie": endpoint.cookie} if endpoint.cookie else {},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{endpoint.path} answered {response.status}")
    return time.perf_counter() - started


def sequential(port: int, endpoint: load.Endpoint, seconds: list[float]) -> load.Result:
    """A slow page's figures from SLOW_REQUESTS requests one after another (p95 = slowest)."""
    while len(seconds) < SLOW_REQUESTS:
        seconds.append(timed_get(port, endpoint))
    return load.Result(
        endpoint=load.Endpoint(f"{endpoint.label} (sequential)", endpoint.path, endpoint.cookie),
        requests=len(seconds),
        failures=0,
        p50=statistics.median(seconds) * 1000,
        p95=max(seconds) * 1000,
        per_second=len(seconds) / sum(seconds),
        load_after=os.getloadavg()[0],
    )


# What to request ---------------------------------------------------------------------------


def open_process():
    """The newest process of the benchmark city: the one in its support phase now."""
    from roadmap.participation.models import Process

    return Process.objects.filter(municipality__slug=MUNICIPALITY_SLUG).order_by("-id").first()


def read_endpoints() -> list[load.Endpoint]:
    """Paths by URL name; a page whose URL does not exist yet is skipped and named."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from roadmap.participation.models import Proposal

    process = open_process()
    category, hits = (
        process.proposals.filter(visibility__in=["published", "hidden"])
        .values_list("category")
        .annotate(hits=Count("id"))
        .order_by("-hits")
        .first()
    )
    big_thread = Proposal.objects.get(process=process, comment_count=BIG_THREAD_COMMENTS)
    in_process = {"municipality": MUNICIPALITY_SLUG, "process": process.slug}
    wanted = [
        ("trivial view (floor)", "bench-trivial", {}, ""),
        (
            f"proposals, most supported, category, p2 ({hits})",
            "participation:proposal_list",
            in_process,
            f"?sort=supported&category={category}&page=2",
        ),
        (
            f"proposal page ({BIG_THREAD_COMMENTS} comments)",
            "participation:proposal_detail",
            {**in_process, "pk": big_thread.pk},
            "",
        ),
        (
            f"proposal page ({BIG_THREAD_COMMENTS} comments), signed in",
            "participation:proposal_detail",
            {**in_process, "pk": big_thread.pk},
            "",
        ),
        ("process page with figures", "participation:process_detail", in_process, ""),
    ]
    # A verified resident: sees the support button, the comment form and "Report" links.
    resident = big_thread.comments.filter(author__verifications__isnull=False).first().author
    cookie, _csrf = signed_in_cookie(resident)
    endpoints = []
    for label, name, kwargs, query in wanted:
        try:
            path = reverse(name, kwargs=kwargs) + query
            endpoints.append(load.Endpoint(label, path, cookie if "signed in" in label else ""))
        except NoReverseMatch:
            print(f"Skipped {label}: no URL named {name} yet.")
    return endpoints


# Signed-in participants ----------------------------------------------------------------------


def signed_in_cookie(user) -> tuple[str, str]:
    """A Cookie header for a stored session of this user and a CSRF token that matches it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    # The CSRF cookie holds a secret; Django accepts the same unmasked secret in the header.
    csrf = _get_new_csrf_string()
    return f"sessionid={session.session_key}; csrftoken={csrf}", csrf


def writers(count: int, proposals) -> list[dict]:
    """`count` verified residents, each paired with a proposal they have not supported (earlier
    runs leave some supports behind, so each run looks for residents still without one)."""
    from roadmap.accounts.models import User
    from roadmap.participation.models import ResidentVerification

    verified = ResidentVerification.objects.filter(
        municipality__slug=MUNICIPALITY_SLUG
    ).values_list("user_id", flat=True)
    plan, chosen = [], []
    for proposal in proposals[:count]:
        # Start from "not supported", so the first POST adds a row.
        user = (
            User.objects.filter(pk__in=verified)
            .exclude(pk__in=chosen)
            .exclude(supports__proposal=proposal)
            .order_by("-id")
            .first()
        )
        chosen.append(user.pk)
        cookie, csrf = signed_in_cookie(user)
        plan.append({"cookie": cookie, "csrf": csrf, "path": support_path(proposal)})
    return plan


def support_path(proposal) -> str:
    from django.urls import reverse

    return reverse(
        "participation:proposal_support",
        kwargs={
            "municipality": MUNICIPALITY_SLUG,
            "process": proposal.process.slug,
            "pk": proposal.pk,
        },
    )


def counter_check() -> str:
    """Proposals of the open process whose stored count differs from their rows."""
    from django.db.models import Count, F

    wrong = (
        open_process()
        .proposals.annotate(rows=Count("supports"))
        .exclude(support_count=F("rows"))
        .count()
    )
    return "every support_count equals its rows" if not wrong else f"{wrong} proposals WRONG"


def measure_writes(args) -> list[load.Result]:
    from django.db.models import F
    from django.urls import NoReverseMatch

    process = open_process()
    # Ordinary proposals (a few hundred supports), not the most popular ones.
    proposals = list(
        process.proposals.filter(visibility="published", support_count__lt=500)
        .order_by(F("support_count").desc(), "id")
        .select_related("process")[: args.users * 4]
    )
    try:
        plan = writers(args.users * 4, proposals)
    except NoReverseMatch:
        print("Skipped writes: no URL named participation:proposal_support yet.")
        return []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
    try:
        results = []
        for action in ("support", "withdraw"):
            endpoint = load.Endpoint(
                f"{action} (POST, signed in)", plan[0]["path"], target_p95_ms=TARGET_WRITE_P95_MS
            )
            rounds = [
                load.run_locust(
                    args,
                    endpoint,
                    locustfile="participation_locustfile.py",
                    row_name=action,
                    environment={"BENCH_WRITE_PLAN": handle.name},
                )
                for _ in range(args.rounds)
            ]
            # Every round is printed; the table keeps the best, as it does for the pages.
            print(f"{endpoint.label}: p95 per round {[round(r.p95) for r in rounds]} ms")
            results.append(min(rounds, key=lambda result: result.p95))
        return results
    finally:
        Path(handle.name).unlink()


if __name__ == "__main__":
    main()
