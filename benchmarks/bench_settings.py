"""Settings for benchmark runs: production settings against the benchmark database, plus a
URLconf with a trivial view that gives the floor every page is compared with."""

import os
from pathlib import Path

BENCH_DATABASE = Path(
    os.environ.get(
        "BENCH_DATABASE", Path(__file__).resolve().parent.parent / "var" / "bench.sqlite3"
    )
)
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-used-anywhere-else")
# BENCH_DATABASE_URL (e.g. postgres://...) replaces the SQLite file for runs on another database.
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{BENCH_DATABASE.resolve()}"
)

from roadmap.settings import *  # noqa: E402,F403

DEBUG = False
ROOT_URLCONF = "benchmarks.bench_urls"
