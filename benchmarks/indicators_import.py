"""Import benchmark: 1,000,000 observation rows from a Nordic CSV, with full validation.

    .venv/bin/python benchmarks/indicators_import.py [--rows 1000000]
        [--database var/bench-indicators-import.sqlite3 | postgres://postgres@127.0.0.1:5432/...]

Writes a CSV the way Nordic spreadsheets save it (UTF-8 with BOM, semicolons, decimal commas)
to a temporary file, then times the real import path in one run:

  preview  read + decode + sniff + validate every row + keep the batch and the original file
           (services.preview_import)
  commit   one transaction: look up existing rows, insert (services.commit_import: executemany
           on SQLite, COPY on PostgreSQL)
  reimport the same file again: every row found unchanged, nothing written
  bare     the same parsed rows inserted the same way in one transaction, nothing else: the
           floor the full import is compared with

and prints rows per second, the ratio of the full import to the bare insert and peak memory.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.generate_participation import use_database  # noqa: E402

DEFAULT_DATABASE = str(ROOT / "var" / "bench-indicators-import.sqlite3")
TARGET_SECONDS = 30
FIRST_DAY = datetime.date(1990, 1, 1)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    return smoke.parse_args(
        parser, rows=2_000, database=str(smoke.DATA / "bench-indicators-import.sqlite3")
    )


def write_csv(path: Path, indicators, rows: int) -> None:
    """Daily values of every indicator (one row per indicator and day) until `rows` rows.

    Indicators are named by slug and only the validated columns are written (unit, verified),
    so a million rows stay under the 50 MB upload limit.
    """
    rng = random.Random(1)
    days = -(-rows // len(indicators))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("indicator;period;value;unit;verified\n")
        written = 0
        for offset in range(days):
            period = (FIRST_DAY + datetime.timedelta(days=offset)).isoformat()
            for indicator in indicators:
                if written == rows:
                    return
                high = indicator.max_value if indicator.max_value is not None else 1000
                value = f"{rng.uniform(indicator.min_value or 0, high):.2f}".replace(".", ",")
                handle.write(f"{indicator.slug};{period};{value};{indicator.unit};1\n")
                written += 1


def load_average() -> str:
    """The machine's 1/5/15-minute load: wall times mean little without it on a shared box."""
    return " / ".join(f"{load:.1f}" for load in os.getloadavg())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = parse_args()
    name = use_database(args.database)
    # preview_import keeps each upload's original: in a folder of this run's own, not var/media.
    media = tempfile.TemporaryDirectory(prefix="bench-import-media-")
    os.environ["MEDIA_ROOT"] = media.name
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from roadmap.indicators import services
    from roadmap.indicators.models import ImportBatch, Indicator, Observation
    from roadmap.municipalities.models import Municipality

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    call_command("load_indicators", verbosity=0)
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-import", defaults={"name": "Bench import", "country": "NO"}
    )
    Observation.objects.filter(municipality=municipality).delete()
    ImportBatch.objects.filter(municipality=municipality).delete()
    indicators = list(Indicator.objects.filter(municipality__isnull=True))

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "observations.csv"
        write_csv(path, indicators, args.rows)
        data = path.read_bytes()
    print(
        f"Database: {name} ({connection.vendor}); file: {args.rows:,} rows, "
        f"{len(data) / 1024 / 1024:.1f} MB; load average {load_average()}"
    )

    started, cpu_started = time.perf_counter(), time.process_time()
    batch = services.preview_import(
        actor=None, municipality=municipality, filename="bench.csv", data=data
    )
    preview = time.perf_counter() - started
    if batch.summary.get("problems"):
        sys.exit(f"The generated file has problems: {batch.problems[:3]}")
    started = time.perf_counter()
    services.commit_import(actor=None, batch=batch)
    commit = time.perf_counter() - started
    full = preview + commit
    full_cpu = time.process_time() - cpu_started  # SQLite works in this process: counted too
    assert Observation.objects.filter(municipality=municipality).count() == args.rows

    started = time.perf_counter()
    again = services.preview_import(
        actor=None, municipality=municipality, filename="bench.csv", data=data
    )
    services.commit_import(actor=None, batch=again)
    reimport = time.perf_counter() - started
    again.refresh_from_db()

    rows = [
        (municipality.pk, None, *row)
        for row in services.imports.read_file(
            data, "bench.csv", services.selectors.indicator_lookup(municipality)
        ).rows
    ]
    Observation.objects.filter(municipality=municipality).delete()
    started = time.perf_counter()
    with transaction.atomic():
        services._insert(rows, None)
    bare = time.perf_counter() - started

    print(f"  preview (read, validate, keep batch) {preview:6.1f} s")
    print(f"  commit (one transaction)             {commit:6.1f} s")
    print(
        f"  full import                          {full:6.1f} s  "
        f"{args.rows / full:,.0f} rows/s  (target ≤ {TARGET_SECONDS} s: "
        f"{'met' if full <= TARGET_SECONDS else 'MISSED'})"
    )
    print(f"  full import, CPU time of the process {full_cpu:6.1f} s")
    print(
        f"  re-import, all unchanged             {reimport:6.1f} s  "
        f"(unchanged {again.summary['unchanged']:,})"
    )
    print(f"  bare insert                          {bare:6.1f} s  {args.rows / bare:,.0f} rows/s")
    print(f"  ratio full import / bare insert      {full / bare:6.1f}")
    print(f"  peak memory                          {peak_mb():6.0f} MB")
    print(f"  load average at the end              {load_average()}")
    Observation.objects.filter(municipality=municipality).delete()
    ImportBatch.objects.filter(municipality=municipality).delete()


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "0")
    main()
