"""Where does one page spend its time? Renders it in-process against the benchmark database.

    .venv/bin/python benchmarks/profile_page.py /m/<slug>/portfolio/ [--member] [--runs 20]

Prints the mean time per request, the queries of one request with their time (slowest first)
and the functions with the most cumulative time under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.generate import BENCH_MEMBER_USERNAME, DEFAULT_DATABASE, SMOKE_DATABASE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--member", action="store_true", help="signed in as the bench member")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--functions", type=int, default=25, help="profile lines to show")
    parser.add_argument("--sort", default="cumulative", help="pstats order, e.g. tottime")
    args = smoke.parse_args(parser, database=SMOKE_DATABASE, runs=2, functions=10)
    os.environ["BENCH_DATABASE"] = str(Path(args.database).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from roadmap.accounts.models import User

    client = Client()
    if args.member:
        client.force_login(User.objects.get(username=BENCH_MEMBER_USERNAME))
    response = client.get(args.path)  # warm-up: templates, translations, content types
    if response.status_code != 200:
        sys.exit(f"{args.path} answered {response.status_code}")

    # CPU time is what a request costs the server; wall time also counts waiting for the CPU
    # when other processes are busy.
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.runs):
        client.get(args.path)
    mean = (time.perf_counter() - started) / args.runs * 1000
    cpu = (time.process_time() - cpu_started) / args.runs * 1000

    with CaptureQueriesContext(connection) as captured:
        client.get(args.path)
    queries = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
    sql_ms = sum(float(query["time"]) for query in queries) * 1000
    print(
        f"{args.path}: {mean:.1f} ms per request ({cpu:.1f} ms CPU; mean of {args.runs}), "
        f"{len(response.content)} bytes"
    )
    # Django records query times in whole milliseconds: 0 means under 1 ms.
    print(f"{len(queries)} queries, {sql_ms:.0f} ms in SQL; slowest first:")
    for query in queries[:8]:
        print(f"  {float(query['time']) * 1000:5.0f} ms  {query['sql'][:400]}")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(args.path)
    profiler.disable()
    print(f"\nProfile of 5 requests by {args.sort}:")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.functions)


if __name__ == "__main__":
    main()
