"""Task queue throughput and latency: `manage.py worker` on the database queue against a floor.

    .venv/bin/python benchmarks/tasks_throughput.py
        [--database var/bench-tasks.sqlite3 | postgres://postgres@127.0.0.1:5432/...]
        [--tasks 2000] [--workers 1] [--interval 0.05] [--rate 20] [--steady-seconds 10]

1. Backlog: N tasks of a task that does nothing (benchmarks.task_functions.noop) are enqueued
   through roadmap.core.tasks.enqueue, then W `manage.py worker --no-reload` processes start and
   run them all. Throughput = N / (last finished_at - first started_at), as stored in the task
   rows, so the workers' start-up is not counted.
2. Floor, in the same run: N rows in a scratch table with the columns and the ready index of the
   task table, claimed and marked done by W bare loops (raw psycopg or sqlite3, at the workers'
   lower CPU priority) with the statements the worker's claim needs: on PostgreSQL
   `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1` and an UPDATE in one transaction, on SQLite the
   same in an exclusive transaction; then an UPDATE to done. Measured the same way.
3. Steady rate: while the W workers poll, tasks are enqueued at --rate per second for
   --steady-seconds; enqueue-to-start latency (started_at - enqueued_at) p50 / p95.

The database is the benchmark's own: a SQLite file made fresh each run, or a PostgreSQL database
(created if missing) whose task rows are deleted first.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import sqlite3
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import load, smoke, task_worker  # noqa: E402
from benchmarks.generate_participation import use_database  # noqa: E402

DEFAULT_DATABASE = str(ROOT / "var" / "bench-tasks.sqlite3")
SMOKE_DATABASE = str(smoke.DATA / "bench-tasks.sqlite3")
FLOOR_TABLE = "bench_task_floor"
# The worker's own priority (roadmap.core.worker.BACKGROUND_NICENESS), so the floor competes
# for the CPU as the worker does.
FLOOR_NICENESS = 10
WAIT_LIMIT_SECONDS = 600


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help="SQLite file, or a postgres:// URL"
    )
    parser.add_argument("--tasks", type=int, default=2000, help="tasks in the backlog")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--interval", type=float, default=0.05, help="workers' poll interval")
    parser.add_argument("--rate", type=float, default=20, help="steady enqueues per second")
    parser.add_argument("--steady-seconds", type=float, default=10)
    return smoke.parse_args(
        parser, database=SMOKE_DATABASE, tasks=50, workers=1, rate=10, steady_seconds=1
    )


def main() -> None:
    args = parse_args()
    is_url = "://" in args.database
    if is_url:
        create_postgres_database(args.database)
    else:
        path = Path(args.database).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    name = use_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    call_command("migrate", verbosity=0)
    DBTaskResult.objects.all().delete()
    print(f"Machine: {os.cpu_count()} CPUs ({load.cpu_model()}); load average: {load.load()}")
    print(
        f"Database: {name} ({connection.vendor}); {args.workers} worker(s), "
        f"poll interval {args.interval} s\n"
    )
    problems: list[str] = []

    enqueue_seconds = enqueue_backlog(args.tasks)
    workers = task_worker.start(args.workers, interval=args.interval)
    try:
        problems += wait_until_finished(args.tasks)
        backlog = figures(benchmark_tasks())
        memory = task_worker.memory(workers)
        benchmark_tasks().delete()
        steady_planned = int(args.rate * args.steady_seconds)
        lag = enqueue_steadily(args.rate, steady_planned)
        problems += wait_until_finished(steady_planned)
        steady = figures(benchmark_tasks())
    finally:
        task_worker.stop(workers)
    load_after_workers = load.load()
    floor = measure_floor(args, connection)

    print(
        f"Enqueue of {args.tasks:,} tasks (one INSERT each, autocommit): {enqueue_seconds:.2f} s, "
        f"{args.tasks / enqueue_seconds:,.0f} tasks/s"
    )
    print(
        "\n| run | tasks | tasks/s | enqueue-to-start p50 / p95 ms |\n| --- | ---: | ---: | --- |"
    )
    print(
        f"| backlog, {args.workers} worker(s) | {backlog['count']:,} | "
        f"{backlog['per_second']:,.0f} | {backlog['p50']:,.0f} / {backlog['p95']:,.0f} |"
    )
    print(f"| floor: bare SQL loop × {args.workers} | {args.tasks:,} | {floor:,.0f} | |")
    print(
        f"| steady {args.rate:g}/s for {args.steady_seconds:g} s | {steady['count']:,} | | "
        f"{steady['p50']:.1f} / {steady['p95']:.1f} |"
    )
    print(f"\nRatio floor / worker throughput: {floor / backlog['per_second']:.1f}")
    print(f"Steady enqueuer fell behind its schedule by at most {lag * 1000:.0f} ms")
    print(f"Worker memory (RSS): {memory}")
    print(f"Load average after the workers: {load_after_workers}; after the floor: {load.load()}")
    smoke.check(args, problems)


def create_postgres_database(url: str) -> None:
    import psycopg

    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if not exists.fetchone():
            server.execute(f'CREATE DATABASE "{database}"')


# The worker -------------------------------------------------------------------------------


def enqueue_backlog(count: int) -> float:
    from benchmarks.task_functions import noop
    from roadmap.core.tasks import enqueue

    started = time.perf_counter()
    for _ in range(count):
        enqueue(noop)
    return time.perf_counter() - started


def enqueue_steadily(rate: float, count: int) -> float:
    """Enqueues `count` tasks, one every 1/rate s on a fixed schedule; the largest lag."""
    from benchmarks.task_functions import noop
    from roadmap.core.tasks import enqueue

    started = time.perf_counter()
    lag = 0.0
    for index in range(count):
        due = started + index / rate
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        lag = max(lag, -wait)
        enqueue(noop)
    return lag


def benchmark_tasks():
    """The benchmark's task rows (the workers also enqueue and run the periodic jobs)."""
    from django_tasks_db.models import DBTaskResult

    from benchmarks.task_functions import noop

    return DBTaskResult.objects.filter(task_path=noop.module_path)


def wait_until_finished(count: int) -> list[str]:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while time.monotonic() < deadline:
        finished = benchmark_tasks().finished().count()
        if finished >= count:
            failed = benchmark_tasks().failed().count()
            return [f"{failed} tasks failed"] if failed else []
        time.sleep(0.2)
    return [f"only {finished} of {count} tasks finished within {WAIT_LIMIT_SECONDS} s"]


def figures(results) -> dict[str, float]:
    rows = list(results.values_list("enqueued_at", "started_at", "finished_at"))
    latencies = sorted((started - enqueued).total_seconds() * 1000 for enqueued, started, _ in rows)
    return {
        "count": len(rows),
        "per_second": per_second([(started, finished) for _, started, finished in rows]),
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
    }


def per_second(spans: list[tuple[datetime.datetime, datetime.datetime]]) -> float:
    first = min(started for started, _ in spans)
    last = max(finished for _, finished in spans)
    return len(spans) / (last - first).total_seconds()


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# The floor --------------------------------------------------------------------------------

# The columns of django_tasks_db's table that a claim reads or writes, with the same ready index.
FLOOR_SCHEMA = {
    "postgresql": (
        f"DROP TABLE IF EXISTS {FLOOR_TABLE}",
        f"CREATE TABLE {FLOOR_TABLE} (id uuid PRIMARY KEY, status varchar(10) NOT NULL, "
        "enqueued_at timestamptz NOT NULL, started_at timestamptz, finished_at timestamptz, "
        "args_kwargs jsonb NOT NULL, priority integer NOT NULL, task_path text NOT NULL, "
        "worker_ids jsonb NOT NULL, queue_name varchar(32) NOT NULL, "
        "backend_name varchar(32) NOT NULL, run_after timestamptz NOT NULL, "
        "return_value jsonb, exception_class_path text NOT NULL, traceback text NOT NULL)",
        f"CREATE INDEX {FLOOR_TABLE}_ready ON {FLOOR_TABLE} "
        "(status, priority DESC, run_after, enqueued_at) WHERE status = 'READY'",
    ),
    "sqlite": (
        f"DROP TABLE IF EXISTS {FLOOR_TABLE}",
        f"CREATE TABLE {FLOOR_TABLE} (id char(32) PRIMARY KEY, status varchar(10) NOT NULL, "
        "enqueued_at datetime NOT NULL, started_at datetime, finished_at datetime, "
        "args_kwargs text NOT NULL, priority integer NOT NULL, task_path text NOT NULL, "
        "worker_ids text NOT NULL, queue_name varchar(32) NOT NULL, "
        "backend_name varchar(32) NOT NULL, run_after datetime NOT NULL, "
        "return_value text, exception_class_path text NOT NULL, traceback text NOT NULL)",
        f"CREATE INDEX {FLOOR_TABLE}_ready ON {FLOOR_TABLE} "
        "(status, priority DESC, run_after, enqueued_at) WHERE status = 'READY'",
    ),
}
FLOOR_CLAIM = (
    f"SELECT id FROM {FLOOR_TABLE} WHERE status = 'READY' AND run_after <= %s "  # noqa: S608
    "ORDER BY priority DESC, run_after, enqueued_at LIMIT 1"
)
FLOOR_START = (
    f"UPDATE {FLOOR_TABLE} SET status = 'RUNNING', started_at = %s, "  # noqa: S608
    "worker_ids = %s WHERE id = %s"
)
FLOOR_FINISH = (
    f"UPDATE {FLOOR_TABLE} SET status = 'SUCCESSFUL', finished_at = %s, "  # noqa: S608
    "return_value = 'null' WHERE id = %s"
)


def measure_floor(args, connection) -> float:
    """Rows per second that W bare loops claim and finish (same measure as the workers')."""
    vendor = connection.vendor
    now = utc_now() if vendor == "postgresql" else sqlite_now()
    with connection.cursor() as cursor:
        for statement in FLOOR_SCHEMA[vendor]:
            cursor.execute(statement)
        cursor.executemany(
            f"INSERT INTO {FLOOR_TABLE} VALUES "  # noqa: S608
            "(%s, 'READY', %s, NULL, NULL, %s, 0, %s, '[]', 'default', 'default', %s, "
            "NULL, '', '')",
            [
                (uuid.uuid4().hex, now, '{"args": [], "kwargs": {}}', "noop", now)
                for _ in range(args.tasks)
            ],
        )
    connection.close()  # the loops run in forked processes, each with its own connection
    target = claim_postgres if vendor == "postgresql" else claim_sqlite
    loops = [
        multiprocessing.Process(target=target, args=(args.database, f"floor-{index}"))
        for index in range(args.workers)
    ]
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT started_at, finished_at FROM {FLOOR_TABLE} WHERE status = 'SUCCESSFUL'"  # noqa: S608
        )
        spans = [(as_moment(started), as_moment(finished)) for started, finished in cursor]
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    if len(spans) != args.tasks:
        raise RuntimeError(f"The floor finished {len(spans)} of {args.tasks} rows")
    return per_second(spans)


def as_moment(value: datetime.datetime | str) -> datetime.datetime:
    return value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)


def claim_postgres(url: str, worker_id: str) -> None:
    import psycopg

    os.nice(FLOOR_NICENESS)
    with psycopg.connect(url, autocommit=True) as database:
        while True:
            with database.transaction():
                row = database.execute(
                    FLOOR_CLAIM + " FOR UPDATE SKIP LOCKED", [utc_now()]
                ).fetchone()
                if row is None:
                    return
                database.execute(FLOOR_START, [utc_now(), f'["{worker_id}"]', row[0]])
            database.execute(FLOOR_FINISH, [utc_now(), row[0]])


def claim_sqlite(path: str, worker_id: str) -> None:
    os.nice(FLOOR_NICENESS)
    database = sqlite3.connect(path, timeout=20, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA synchronous=NORMAL")
    claim, start, finish = (
        statement.replace("%s", "?") for statement in (FLOOR_CLAIM, FLOOR_START, FLOOR_FINISH)
    )
    while True:
        database.execute("BEGIN EXCLUSIVE")
        row = database.execute(claim, [sqlite_now()]).fetchone()
        if row is None:
            database.execute("COMMIT")
            break
        database.execute(start, [sqlite_now(), f'["{worker_id}"]', row[0]])
        database.execute("COMMIT")
        database.execute(finish, [sqlite_now(), row[0]])
    database.close()


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def sqlite_now() -> str:
    """As Django stores a moment in SQLite, so the same comparisons and parsing apply."""
    return utc_now().replace(tzinfo=None).isoformat(sep=" ")


if __name__ == "__main__":
    main()
