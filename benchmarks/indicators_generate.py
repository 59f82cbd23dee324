"""Scale data for the indicator pages: 300 municipalities × 91 KPIs × 10 years.

    .venv/bin/python benchmarks/indicators_generate.py
        [--database var/bench-indicators.sqlite3 | postgres://...] [--municipalities 300]
        [--years 10] [--force]

Builds a fresh database with the framework and the catalogue, then writes ~273,000 yearly
observations and a target per municipality and KPI with plain executemany inserts (the same
way imports write). Values are random within each KPI's plausible range; seeded.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.generate_participation import use_database  # noqa: E402

DEFAULT_DATABASE = str(ROOT / "var" / "bench-indicators.sqlite3")
SMOKE_DATABASE = str(smoke.DATA / "bench-indicators.sqlite3")
SLUG = "bench-{:03d}"
LAST_YEAR = 2025


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--municipalities", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--force", action="store_true", help="replace an existing database")
    # Six municipalities: the comparison page of indicators_pages.py compares six.
    return smoke.parse_args(parser, database=SMOKE_DATABASE, force=True, municipalities=6, years=2)


def main() -> None:
    args = parse_args()
    if "://" not in args.database:
        path = Path(args.database).resolve()
        if path.exists():
            if not args.force:
                sys.exit(f"{path} exists already; pass --force to replace it.")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    name = use_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from roadmap.indicators import services
    from roadmap.indicators.models import Indicator, Target
    from roadmap.municipalities.models import Municipality

    if "://" in args.database:
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    call_command("load_indicators", verbosity=0)
    rng = random.Random(7)
    indicators = list(Indicator.objects.filter(municipality__isnull=True))
    Municipality.objects.bulk_create(
        Municipality(name=f"Bench municipality {n:03d}", slug=SLUG.format(n), country="NO")
        for n in range(args.municipalities)
    )
    municipalities = list(Municipality.objects.filter(slug__startswith="bench-"))
    years = range(LAST_YEAR - args.years + 1, LAST_YEAR + 1)
    with transaction.atomic():
        for municipality in municipalities:
            rows = []
            for indicator in indicators:
                high = indicator.max_value if indicator.max_value is not None else 1000
                low = indicator.min_value or 0
                for year in years:
                    rows.append(
                        [
                            indicator.pk,
                            "",
                            "year",
                            f"{year}-01-01",
                            round(rng.uniform(low, high), 2),
                            "Bench",
                            "measured",
                            "",
                            year < LAST_YEAR,
                        ]
                    )
            services._insert([(municipality.pk, None, *row) for row in rows], None)
        Target.objects.bulk_create(
            Target(
                municipality=municipality,
                indicator=indicator,
                target_value=indicator.max_value or 500,
                target_year=2030,
            )
            for municipality in municipalities
            for indicator in indicators
        )
    count = len(municipalities) * len(indicators) * len(years)
    print(
        f"{name}: {len(municipalities)} municipalities × {len(indicators)} KPIs × "
        f"{len(years)} years = {count:,} observations in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "0")
    main()
