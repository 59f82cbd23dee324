"""City profile, indicator page and comparison at scale, and chart rendering, in-process.

    .venv/bin/python benchmarks/indicators_pages.py [--database var/bench-indicators.sqlite3]
        [--runs 100]

Needs the database of indicators_generate.py (300 municipalities × 91 KPIs × 10 years).
Renders each page through Django's test client with production settings (DEBUG off), a
different municipality on every request, and prints p50/p95 wall and CPU time, queries per
request, and the trivial view in the same run as the floor. Then times the Vega-Lite → SVG
render of an indicator's time-series chart: cold (a new spec each time) and warm (cached).
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

PROFILE_P95_MS = 150
CHART_WARM_MS = 50


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=100)
    args = smoke.parse_args(parser, database=SMOKE_DATABASE, runs=5)
    if "://" not in args.database and not Path(args.database).exists():
        sys.exit(f"{args.database} is missing: run benchmarks/indicators_generate.py first.")
    name = use_database(args.database)
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from roadmap.core.charts import render_svg
    from roadmap.indicators import charts, selectors
    from roadmap.indicators.models import Indicator, Observation
    from roadmap.municipalities.models import Municipality

    count = Municipality.objects.filter(slug__startswith="bench-").count()
    print(
        f"Database: {name} ({connection.vendor}); {count} municipalities, "
        f"{Observation.objects.count():,} observations; load average {load_average()}"
    )
    client = Client()
    indicator = Indicator.objects.get(code="EN: EN: AQ: 2C")
    slugs = [SLUG.format(n % count) for n in range(args.runs)]
    others = ",".join(f"m={SLUG.format(n)}" for n in range(6)).replace(",", "&")
    pages = {
        "trivial view (floor)": lambda slug: "/bench/trivial/",
        "city profile": lambda slug: f"/m/{slug}/indicators/",
        "purpose view (green)": lambda slug: f"/m/{slug}/indicators/purposes/green/",
        "indicator page": lambda slug: f"/m/{slug}/indicators/{indicator.slug}/",
        "comparison of 6": lambda slug: f"/indicators/compare/?{others}",
    }
    results = {}
    for label, url in pages.items():
        client.get(url(slugs[0]))  # warm-up: templates, translations
        times, cpu, queries = [], [], 0
        for slug in slugs:
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url(slug))
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
            queries = len(captured)
        reset_queries()
        results[label] = times
        # CPU time is what the request costs the server; wall time also counts waiting for a
        # core when other processes are busy.
        print(
            f"  {label:24} p50 {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 0.95):7.1f} ms   CPU p50 {statistics.median(cpu):6.1f} ms  "
            f"p95 {percentile(cpu, 0.95):6.1f} ms   {queries} queries"
        )
    profile_p95 = percentile(results["city profile"], 0.95)
    verdict = "met" if profile_p95 <= PROFILE_P95_MS else "MISSED"
    print(f"  city profile p95 target ≤ {PROFILE_P95_MS} ms: {verdict}")
    floor = statistics.median(results["trivial view (floor)"])
    ratio = statistics.median(results["city profile"]) / floor
    print(f"  city profile / trivial view (p50): {ratio:.0f}×")
    print(f"  load average after the pages: {load_average()}")

    municipality = Municipality.objects.get(slug=slugs[0])
    rows = selectors.indicator_page(municipality, indicator, None).rows
    chart = charts.series_chart(rows[0])
    cold, warm = [], []
    for run in range(10):
        spec = {**chart.spec, "description": f"cold run {run}"}
        started = time.perf_counter()
        render_svg(spec)
        cold.append((time.perf_counter() - started) * 1000)
    cache.clear()
    render_svg(chart.spec)
    for _run in range(args.runs):
        started = time.perf_counter()
        render_svg(chart.spec)
        warm.append((time.perf_counter() - started) * 1000)
    print(
        f"  chart render cold        p50 {statistics.median(cold):7.1f} ms   "
        f"p95 {percentile(cold, 0.95):7.1f} ms"
    )
    warm_p95 = percentile(warm, 0.95)
    print(
        f"  chart render warm        p50 {statistics.median(warm):7.2f} ms   p95 {warm_p95:7.2f} ms"
        f"   (target ≤ {CHART_WARM_MS} ms: {'met' if warm_p95 <= CHART_WARM_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "0")
    main()
