"""Drive the real server with load and print latency per page.

    .venv/bin/python benchmarks/load.py [--database var/bench.sqlite3] [--port 8190]
        [--workers 3] [--users 3] [--seconds 15] [--rounds 1]

Starts gunicorn (sync workers, DEBUG off) on 127.0.0.1 against the benchmark database made by
generate.py, then runs locust headless against one page at a time, only on 127.0.0.1, each run
bounded in time and in requests. Prints p50/p95 latency, requests per second and the ratio to a
trivial Django view measured in the same run (the floor), then the workers' memory.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.generate import BENCH_MEMBER_USERNAME, DEFAULT_DATABASE, SMOKE_DATABASE  # noqa: E402

HOST = "127.0.0.1"
TARGET_P95_MS = 150
SEARCH_WORDS = ("data", "inhabitants", "energy", "digital", "sensors", "young", "municipal")


@dataclass
class Endpoint:
    label: str
    path: str
    cookie: str = ""
    target_p95_ms: float = TARGET_P95_MS


@dataclass
class Result:
    endpoint: Endpoint
    requests: int
    failures: int
    p50: float
    p95: float
    per_second: float
    # One-minute load average when the run ended; above the core count, others were busy too.
    load_after: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--users", type=int, default=3, help="concurrent locust users")
    parser.add_argument("--seconds", type=int, default=15, help="duration per page")
    parser.add_argument("--max-requests", type=int, default=20000, help="cap per page")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every page this many times and keep each page's best round "
        "(filters out other processes on a shared machine)",
    )
    return smoke.parse_args(
        parser, database=SMOKE_DATABASE, port=8290, workers=1, users=1, seconds=2
    )


def main() -> None:
    args = parse_args()
    database = Path(args.database).resolve()
    if not database.exists():
        sys.exit(f"{database} is missing; run benchmarks/generate.py first.")
    os.environ["BENCH_DATABASE"] = str(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    endpoints = choose_endpoints()
    print(f"Machine: {os.cpu_count()} CPUs ({cpu_model()}); load average before: {load()}")
    print(
        f"Server: gunicorn, {args.workers} sync workers, DEBUG off, SQLite {database.name}; "
        f"load: locust, {args.users} users, no wait, {args.seconds} s per page, "
        f"best of {args.rounds} round(s)\n"
    )
    server = start_server(args, database)
    try:
        wait_until_up(args.port)
        for endpoint in endpoints:
            warm_up(args.port, endpoint)
        rounds = [
            [run_locust(args, endpoint) for endpoint in endpoints] for _ in range(args.rounds)
        ]
        results = [min(runs, key=lambda result: result.p95) for runs in zip(*rounds, strict=True)]
        memory = worker_memory(server.pid)
    finally:
        stop_server(server)
    print_results(results)
    print(f"\nWorker memory (RSS): {memory}")
    print(f"Load average after: {load()}")
    smoke.check(args, failed_requests(results))


# Choosing what to request ------------------------------------------------------------------


def choose_endpoints() -> list[Endpoint]:
    """Pages of the first benchmark municipality; paths by URL name, skipped if not there yet."""
    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse

    from roadmap.framework.models import Principle
    from roadmap.initiatives.models import Initiative
    from roadmap.municipalities.models import Municipality

    municipality = Municipality.objects.order_by("id").first()
    public = Initiative.objects.filter(municipality=municipality, visibility="public")
    area, browsed = busiest_area(public.filter(status="piloting"))
    browse = f"?status=piloting&action_area={area}" + ("&page=2" if browsed > 20 else "")
    word, found = commonest_word(public)
    search = f"?text={word}" + ("&page=2" if found > 20 else "")
    showcase = (
        public.annotate(pilots_count=Count("pilots"), barriers_count=Count("barriers_met"))
        .filter(pilots_count__gt=0, barriers_count__gt=0, status="operation")
        .order_by("id")
        .first()
    )
    principle = (
        Principle.objects.filter(municipality__isnull=True)
        .annotate(uses=Count("initiatives", filter=Q(initiatives__municipality=municipality)))
        .order_by("-uses", "code")
        .first()
    )
    slug = {"municipality": municipality.slug}
    wanted = [
        ("trivial view (floor)", "bench-trivial", {}, ""),
        (f"list, status+area, p2 ({browsed} hits)", "initiatives:list", slug, browse),
        ("list, status+area, p2, member", "initiatives:list", slug, browse),
        (f"list, text search ({found} hits)", "initiatives:list", slug, search),
        ("initiative page", "initiatives:detail", {**slug, "pk": showcase.pk}, ""),
        ("initiative page, member", "initiatives:detail", {**slug, "pk": showcase.pk}, ""),
        ("portfolio dashboard", "municipalities:dashboard", slug, ""),
        (
            "principle page (all municipalities)",
            "framework:principle",
            {"code": principle.code},
            "",
        ),
        (
            "principle page (one municipality)",
            "local_framework:principle",
            {**slug, "code": principle.code},
            "",
        ),
    ]
    member_cookie = f"sessionid={member_session()}"
    endpoints = []
    for label, name, kwargs, suffix in wanted:
        try:
            path = reverse(name, kwargs=kwargs) + suffix
        except NoReverseMatch:
            print(f"Skipped {label}: no URL named {name} yet.")
            continue
        endpoints.append(Endpoint(label, path, member_cookie if "member" in label else ""))
    return endpoints


def busiest_area(piloting) -> tuple[str, int]:
    """The action area with the most piloting initiatives, so that page 2 exists."""
    from roadmap.framework.models import ActionArea

    counts = [
        (piloting.filter(action_areas=area).count(), area.code)
        for area in ActionArea.objects.order_by("order")
    ]
    hits, code = max(counts)
    return code, hits


def commonest_word(initiatives) -> tuple[str, int]:
    """The search word (of a few plausible ones) found in the most titles and summaries."""
    from django.db.models import Q

    counts = [
        (initiatives.filter(Q(title__icontains=word) | Q(summary__icontains=word)).count(), word)
        for word in SEARCH_WORDS
    ]
    hits, word = max(counts)
    return word, hits


def member_session() -> str:
    """A stored session for the signed-in member, as if they had logged in."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from roadmap.accounts.models import User

    user = User.objects.get(username=BENCH_MEMBER_USERNAME)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# Server ------------------------------------------------------------------------------------


def start_server(args, database: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "BENCH_DATABASE": str(database),
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-key-not-used-anywhere-else",
        "LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable, "-m", "gunicorn", "roadmap.wsgi:application",
        "--bind", f"{HOST}:{args.port}", "--workers", str(args.workers),
        "--worker-class", "sync", "--pythonpath", f"{ROOT / 'src'},{ROOT}",
        "--chdir", str(ROOT), "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    return subprocess.Popen(command, env=environment)  # noqa: S603 (fixed command)


def wait_until_up(port: int) -> None:
    # On a busy machine gunicorn's boot and a worker's first request (every app's views
    # imported) took more than 30 s.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/bench/trivial/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("The server did not start within 120 seconds.")


def warm_up(port: int, endpoint: Endpoint) -> None:
    """A few requests per page first, so template loading is not measured; checks status 200."""
    request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        f"http://{HOST}:{port}{endpoint.path}",
        headers={"Cookie": endpoint.cookie} if endpoint.cookie else {},
    )
    for _ in range(6):
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{endpoint.path} answered {response.status}")


def worker_memory(master_pid: int) -> str:
    import psutil

    workers = psutil.Process(master_pid).children()
    sizes = [worker.memory_info().rss / 2**20 for worker in workers]
    return ", ".join(f"{size:.0f} MB" for size in sizes) + f" (total {sum(sizes):.0f} MB)"


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# Load --------------------------------------------------------------------------------------


def run_locust(
    args,
    endpoint: Endpoint,
    *,
    locustfile: str = "locustfile.py",
    row_name: str = "page",
    environment: dict[str, str] | None = None,
) -> Result:
    """One bounded locust run; another locustfile (in benchmarks/) may name its requests
    differently and take its own settings from `environment`."""
    with tempfile.TemporaryDirectory() as directory:
        prefix = Path(directory) / "run"
        command = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / locustfile),
            "--headless", "--only-summary", "--loglevel", "ERROR",
            "--users", str(args.users), "--spawn-rate", str(args.users),
            "--run-time", f"{args.seconds}s", "--host", f"http://{HOST}:{args.port}",
            "--csv", str(prefix),
        ]  # fmt: skip
        settings = {
            **os.environ,
            "BENCH_PATH": endpoint.path,
            "BENCH_COOKIE": endpoint.cookie,
            "BENCH_MAX": str(args.max_requests),
            **(environment or {}),
        }
        finished = subprocess.run(  # noqa: S603 (fixed command, local host only)
            command, env=settings, capture_output=True, text=True, check=False, cwd=ROOT
        )
        stats = Path(f"{prefix}_stats.csv")
        if not stats.exists():
            raise RuntimeError(f"locust failed for {endpoint.path}:\n{finished.stderr[-2000:]}")
        with stats.open(newline="") as handle:
            row = next(row for row in csv.DictReader(handle) if row["Name"] == row_name)
    return Result(
        endpoint=endpoint,
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        p50=float(row["50%"]),
        p95=float(row["95%"]),
        per_second=float(row["Requests/s"]),
        load_after=os.getloadavg()[0],
    )


def print_results(results: list[Result]) -> None:
    floor = results[0]
    print(
        f"{'page':<38} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} "
        f"{'p50/floor':>9} {'p95/floor':>9} {'load':>5}  p95 target"
    )
    for result in results:
        target = result.endpoint.target_p95_ms
        verdict = f"<= {target:.0f} ms: {'ok' if result.p95 <= target else 'MISSED'}"
        print(
            f"{result.endpoint.label:<38} {result.requests:>8} {result.failures:>5} "
            f"{result.p50:>7.0f} {result.p95:>7.0f} {result.per_second:>7.1f} "
            f"{result.p50 / max(floor.p50, 1):>9.1f} {result.p95 / max(floor.p95, 1):>9.1f} "
            f"{result.load_after:>5.1f}  "
            f"{verdict}"
        )
    for result in results:
        print(f"  {result.endpoint.label}: {result.endpoint.path}")


def failed_requests(results: list[Result]) -> list[str]:
    return [f"{r.endpoint.label}: {r.failures} failed" for r in results if r.failures]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
