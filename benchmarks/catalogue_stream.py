"""The full network catalogue, streamed, and its pages, at 300 municipalities × 91 KPIs × 10 years.

    .venv/bin/python benchmarks/catalogue_stream.py [--database var/bench-indicators.sqlite3]
        [--runs 5]

Needs the database of indicators_generate.py. Reads /catalogue/full.ttl to its end through
Django's test client with production settings (DEBUG off) and prints the wall and CPU time,
size, chunks and queries; then a page of the network catalogue and one municipality's, and the
trivial view in the same run as the floor. Checks that the dump describes every municipality's
five datasets (parsed with rdflib).
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
from benchmarks.generate_participation import use_database  # noqa: E402
from benchmarks.indicators_generate import DEFAULT_DATABASE, SLUG, SMOKE_DATABASE  # noqa: E402
from benchmarks.indicators_import import load_average  # noqa: E402
from benchmarks.indicators_pages import percentile  # noqa: E402

FULL_TARGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=5)
    args = smoke.parse_args(parser, database=SMOKE_DATABASE, runs=1)
    if "://" not in args.database and not Path(args.database).exists():
        sys.exit(f"{args.database} is missing: run benchmarks/indicators_generate.py first.")
    name = use_database(args.database)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT

    from roadmap.indicators.models import Observation
    from roadmap.municipalities.models import Municipality

    municipalities = Municipality.objects.count()
    print(
        f"Database: {name} ({connection.vendor}); {municipalities} municipalities, "
        f"{Observation.objects.count():,} observations; load average {load_average()}"
    )
    client = Client()
    problems: list[str] = []

    def timed(path: str, accept: str = "text/turtle") -> tuple[float, float, bytes, int, int]:
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path, HTTP_ACCEPT=accept)
            streamed = response.streaming
            chunks = list(response.streaming_content) if streamed else [response.content]
            wall = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        if response.status_code != 200:
            problems.append(f"{path} answered {response.status_code}")
        return wall, cpu, b"".join(chunks), len(chunks), len(captured)

    timed("/bench/trivial/")  # warm-up: translations, URL resolver
    floor = [timed("/bench/trivial/")[0] * 1000 for _run in range(50)]
    print(f"  trivial view (floor)     p50 {statistics.median(floor):7.2f} ms")

    walls, cpus, body, chunks, queries = [], [], b"", 0, 0
    for _run in range(args.runs):
        wall, cpu, body, chunks, queries = timed("/catalogue/full.ttl")
        walls.append(wall)
        cpus.append(cpu)
    full_p50 = statistics.median(walls)
    verdict = "met" if max(walls) <= FULL_TARGET_S else "MISSED"
    print(
        f"  full catalogue           p50 {full_p50:7.2f} s    max {max(walls):7.2f} s   "
        f"CPU p50 {statistics.median(cpus):6.2f} s   {len(body) / 1e6:.1f} MB in {chunks} chunks, "
        f"{queries} queries   (target ≤ {FULL_TARGET_S:.0f} s: {verdict})"
    )
    graph = Graph().parse(data=body.decode(), format="turtle")
    catalogue = URIRef("http://testserver/catalogue/#catalogue")
    datasets = len(set(graph.objects(catalogue, DCAT.dataset)))
    print(f"  full catalogue holds {len(graph):,} triples, {datasets:,} datasets")
    if datasets != municipalities * 5:
        problems.append(f"{datasets} datasets for {municipalities} municipalities")

    for label, path in (
        ("network page 1", "/catalogue/"),
        ("municipality catalogue", f"/m/{SLUG.format(0)}/catalogue/"),
    ):
        times, cpu_times, count = [], [], 0
        for _run in range(max(args.runs * 4, 1)):
            wall, cpu, _body, _chunks, count = timed(path)
            times.append(wall * 1000)
            cpu_times.append(cpu * 1000)
        print(
            f"  {label:24} p50 {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 0.95):7.1f} ms   "
            f"CPU p50 {statistics.median(cpu_times):6.1f} ms   {count} queries"
        )
    print(f"  load average after the runs: {load_average()}")
    smoke.check(args, problems)
    for problem in problems:
        print("  PROBLEM:", problem)


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "0")
    main()
