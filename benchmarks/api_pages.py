"""Open API list pages of 100 rows at scale, in-process, against any benchmark database.

    .venv/bin/python benchmarks/api_pages.py [--database var/bench.sqlite3] [--runs 50]

Run it on each generated database: var/bench.sqlite3 (generate.py: 20,000 initiatives),
var/bench-indicators.sqlite3 (indicators_generate.py: 300 municipalities × 91 KPIs × 10 years)
and var/bench-participation.sqlite3 (generate_participation.py: 3,000,000 supports). Every API
list with rows in that database is fetched through Django's test client with production
settings (DEBUG off): the first page, a page deep into the cursor (for cursor-paged lists), and
one municipality's page. Prints p50/p95 wall and CPU time and the queries per request, with
the trivial view measured in the same run as the floor, and fails when a list's query count
changes from one request to the next (it must not depend on the data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.generate import DEFAULT_DATABASE, SMOKE_DATABASE  # noqa: E402
from benchmarks.generate_participation import use_database  # noqa: E402
from benchmarks.indicators_import import load_average  # noqa: E402
from benchmarks.indicators_pages import percentile  # noqa: E402

LIST_P95_MS = 100
PAGE_SIZE = 100
DEEP_PAGES = 5  # a cursor page this many pages in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=50)
    args = smoke.parse_args(parser, database=SMOKE_DATABASE, runs=3)
    if "://" not in args.database and not Path(args.database).exists():
        sys.exit(f"{args.database} is missing: run its generator in benchmarks/ first.")
    name = use_database(args.database)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from roadmap.api.views import RESOURCES
    from roadmap.municipalities.models import Municipality

    # One client makes every request: lift its rate limit for the run.
    settings.API_RATE_LIMIT = "100000000/minute"
    client = Client()
    slug = Municipality.objects.order_by("id").values_list("slug", flat=True).first()
    print(f"Database: {name} ({connection.vendor}); load average {load_average()}")

    pages = {"trivial view (floor)": "/bench/trivial/"}
    for path, view, label in RESOURCES:
        first = client.get(f"/api/v1/{path}/", {"page_size": PAGE_SIZE})
        assert first.status_code == 200, (path, first.status_code)
        body = first.json()
        if not body["results"]:
            continue
        pages[label] = f"/api/v1/{path}/?page_size={PAGE_SIZE}"
        if "municipality" in view.filterset_class.base_filters:
            pages[f"{label}, {slug}"] = f"{pages[label]}&municipality={slug}"
        if "count" in body:  # paged by number
            continue
        deep = body["next"]
        for _page in range(DEEP_PAGES - 1):
            if not deep:
                break
            deep = client.get(deep).json()["next"]
        if deep:
            pages[f"{label}, page {DEEP_PAGES + 1}"] = deep

    problems: list[str] = []
    results: dict[str, list[float]] = {}
    for label, url in pages.items():
        client.get(url)  # warm-up
        times, cpu, counts = [], [], set()
        for _run in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            if response.status_code != 200:
                problems.append(f"{label} answered {response.status_code}")
            counts.add(len(captured))
        results[label] = times
        if len(counts) > 1:
            problems.append(f"{label}: queries changed between requests {sorted(counts)}")
        # CPU time is what the request costs; wall time also counts waiting for a core.
        print(
            f"  {label:38} p50 {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 0.95):7.1f} ms   CPU p50 {statistics.median(cpu):6.1f} ms  "
            f"p95 {percentile(cpu, 0.95):6.1f} ms   {max(counts)} queries"
        )
    listed = {label: times for label, times in results.items() if "floor" not in label}
    worst_label = max(listed, key=lambda label: percentile(listed[label], 0.95))
    worst = percentile(listed[worst_label], 0.95)
    floor = statistics.median(results["trivial view (floor)"])
    verdict = "met" if worst <= LIST_P95_MS else "MISSED"
    print(
        f"  slowest list p95: {worst:.1f} ms ({worst_label}); target ≤ {LIST_P95_MS} ms: {verdict}"
    )
    print(f"  floor p50 {floor:.2f} ms; load average after the pages: {load_average()}")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    smoke.check(args, problems)


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "0")
    main()
