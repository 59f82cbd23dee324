"""Board refresh under a live workshop: 200 browsers polling every 5 s while notes arrive.

    .venv/bin/python benchmarks/workshops_board.py [--pollers 200] [--seconds 40]
        [--note-every 2.0] [--notes 4000] [--workers 3] [--port 8193] [--force]

Builds (once) a SQLite database with a workshop of two prompts and --notes notes
(var/bench-workshops.sqlite3), starts gunicorn with sync workers as load.py does, then runs
--pollers threads that each poll the board's notes region every 5 s with the version they
last saw, as htmx does, while this process posts a note every --note-every seconds. Prints
p50/p95 of the polls that found no change (204), of those that fetched the notes changed
since (200), and of the trivial view polled by the same number of clients in the same way
(the floor). Also times one full render of the board's notes region for comparison.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import sys
import threading
import time
from argparse import Namespace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import load, smoke  # noqa: E402

DEFAULT_DATABASE = ROOT / "var" / "bench-workshops.sqlite3"
POLL_SECONDS = 5.0
VERSION = re.compile(rb'id="workshop-version" value="(\d+)"')


def parse_args() -> Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--note-every", type=float, default=2.0)
    parser.add_argument("--notes", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8193)
    parser.add_argument("--force", action="store_true", help="build the database again")
    # Each poller polls every 5 s: 6 s give every one of them a poll, most of them after a note.
    return smoke.parse_args(
        parser,
        database=smoke.DATA / "bench-workshops.sqlite3",
        force=True,
        pollers=4,
        seconds=6,
        note_every=1.0,
        notes=50,
        workers=1,
        port=8293,
    )


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    os.environ["BENCH_DATABASE"] = str(database)
    import django

    django.setup()


def build(database: Path, notes: int) -> None:
    """Municipality, published process, workshop phase with two prompts, notes and +1s."""
    import datetime
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from roadmap.accounts.models import User
    from roadmap.municipalities.models import Municipality
    from roadmap.participation.models import Audience, Phase, Process
    from roadmap.workshops.models import Note, Prompt, Workshop

    database.parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    municipality = Municipality.objects.create(name="Benchby", slug="benchby")
    process = Process.objects.create(
        municipality=municipality,
        title="Bench workshop",
        slug="bench-workshop",
        summary="Benchmark",
        data_statement="Benchmark data.",
        is_published=True,
    )
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        kind=Phase.Kind.WORKSHOP,
        title="Workshop",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=365),
        post_notes=Audience.ANYONE,
    )
    workshop = Workshop.objects.create(phase=phase)
    prompts = [
        Prompt.objects.create(workshop=workshop, text=text, order=order)
        for order, text in enumerate(("What should we take along?", "What should we leave behind?"))
    ]
    authors = User.objects.bulk_create(
        User(username=f"bench-writer-{n}", email=f"bench-writer-{n}@bench.example")
        for n in range(50)
    )
    words = ("bike", "lanes", "trees", "park", "open", "data", "buses", "ferry", "pilots")
    Note.objects.bulk_create(
        (
            Note(
                prompt=prompts[n % 2],
                author=authors[n % len(authors)],
                language="en",
                text=" ".join(rng.choices(words, k=8)),
                vote_count=rng.randint(0, 9),
            )
            for n in range(notes)
        ),
        batch_size=1000,
    )


def poller(port: int, path: str, version: str, stop: float, offset: float, samples: dict) -> None:
    """Poll like htmx: every POLL_SECONDS, sending the version last seen (first: the version
    of the board page the browser loaded)."""
    connection = http.client.HTTPConnection(load.HOST, port, timeout=60)
    next_at = time.monotonic() + offset
    while next_at < stop:
        time.sleep(max(next_at - time.monotonic(), 0))
        started = time.perf_counter()
        connection.request("GET", f"{path}?version={version}", headers={"HX-Request": "true"})
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        samples.setdefault(response.status, []).append(elapsed)
        if response.status == 200 and (found := VERSION.search(body)):
            version = found.group(1).decode()
        next_at += POLL_SECONDS


def current_version() -> str:
    from roadmap.workshops.models import Workshop

    return str(Workshop.objects.get(phase__process__slug="bench-workshop").version)


def run_pollers(args, path: str, writer=None) -> dict[int, list[float]]:
    stop = time.monotonic() + args.seconds
    version = current_version()
    samples_per_thread = [{} for _ in range(args.pollers)]
    threads = [
        threading.Thread(
            target=poller,
            args=(
                args.port,
                path,
                version,
                stop,
                POLL_SECONDS * n / args.pollers,
                samples_per_thread[n],
            ),
        )
        for n in range(args.pollers)
    ]
    for thread in threads:
        thread.start()
    if writer:
        writer(stop)
    for thread in threads:
        thread.join()
    merged: dict[int, list[float]] = {}
    for samples in samples_per_thread:
        for status, values in samples.items():
            merged.setdefault(status, []).extend(values)
    return merged


def note_writer(args):
    from roadmap.accounts.models import User
    from roadmap.workshops import services
    from roadmap.workshops.models import Prompt

    prompts = list(Prompt.objects.filter(workshop__phase__process__slug="bench-workshop"))
    author, _ = User.objects.get_or_create(
        username="bench-live-writer", defaults={"email": "bench-live-writer@bench.example"}
    )

    def write(stop: float) -> None:
        count = 0
        while time.monotonic() < stop - args.note_every:
            time.sleep(args.note_every)
            services.NOTE_POSTING.reset(f"user:{author.pk}")
            services.post_note(
                author=author, prompt=prompts[count % 2], text=f"Live note {count}", language="en"
            )
            count += 1

    return write


def wait_until_up(port: int, seconds: int = 180) -> None:
    """Like load.wait_until_up, with room for a worker's first request on a busy machine
    (it imports every app's views, which can take many seconds there)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(load.HOST, port, timeout=60)
            connection.request("GET", "/bench/trivial/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"The server did not answer within {seconds} seconds.")


def warm_up(args, paths: list[str]) -> None:
    """Every worker imports the workshop code and loads its templates before timing starts."""

    def fetch(path: str) -> None:
        connection = http.client.HTTPConnection(load.HOST, args.port, timeout=120)
        connection.request("GET", path, headers={"HX-Request": "true"})
        connection.getresponse().read()
        connection.close()

    for path in paths:
        threads = [threading.Thread(target=fetch, args=(path,)) for _ in range(args.workers * 3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def full_region_times(port: int, path: str, count: int = 20) -> list[float]:
    """What a poll without a version costs: the whole region (2 × 200 notes) rendered."""
    times = []
    for _ in range(count):
        connection = http.client.HTTPConnection(load.HOST, port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path, headers={"HX-Request": "true"})
        connection.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
        connection.close()
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def report(label: str, values: list[float], floor: list[float] | None = None) -> None:
    if not values:
        print(f"{label:<44} no requests")
        return
    p50, p95 = statistics.median(values), percentile(values, 0.95)
    line = f"{label:<44} {len(values):>7} {p50:>8.1f} {p95:>8.1f}"
    if floor:
        line += f" {p50 / statistics.median(floor):>9.1f} {p95 / percentile(floor, 0.95):>9.1f}"
    print(line)


def main() -> None:
    args = parse_args()
    if args.force and args.database.exists():
        args.database.unlink()
    fresh = not args.database.exists()
    setup_django(args.database)
    if fresh:
        started = time.perf_counter()
        build(args.database, args.notes)
        print(f"Built {args.database} in {time.perf_counter() - started:.0f} s")
    from django.core.management import call_command
    from django.urls import reverse

    from roadmap.participation.models import Phase

    call_command("collectstatic", interactive=False, verbosity=0)
    phase = Phase.objects.get(process__slug="bench-workshop")
    board = reverse(
        "workshops:board_notes",
        kwargs={"municipality": "benchby", "process": "bench-workshop", "phase": phase.pk},
    )
    print(f"Machine: {os.cpu_count()} CPUs ({load.cpu_model()}); load average: {load.load()}")
    print(
        f"Server: gunicorn, {args.workers} sync workers, DEBUG off, SQLite; {args.pollers} "
        f"pollers every {POLL_SECONDS:.0f} s for {args.seconds} s; a new note every "
        f"{args.note_every} s; board of 2 prompts with {args.notes} notes (200 shown each)\n"
    )
    server = load.start_server(Namespace(port=args.port, workers=args.workers), args.database)
    try:
        wait_until_up(args.port)
        warm_up(args, ["/bench/trivial/", board, f"{board}?version={int(current_version()) - 1}"])
        floor = run_pollers(args, "/bench/trivial/")
        quiet = run_pollers(args, board)
        live = run_pollers(args, board, writer=note_writer(args))
        region = full_region_times(args.port, board)
    finally:
        load.stop_server(server)
    floor_times = floor.get(200, [])
    columns = ("count", "p50 ms", "p95 ms", "p50/floor", "p95/floor")
    print(f"{'requests':<44} " + " ".join(f"{c:>{max(len(c), 7)}}" for c in columns))
    report("trivial view (floor)", floor_times)
    report("board poll, no note arriving: 204", quiet.get(204, []), floor_times)
    report("board poll, notes arriving: 204 (no change)", live.get(204, []), floor_times)
    report("board poll, notes arriving: 200 (changes)", live.get(200, []), floor_times)
    report("whole notes region, one client at a time", region, floor_times)
    others = {status: len(values) for status, values in live.items() if status not in (200, 204)}
    print(f"other statuses while notes arrived: {others or 'none'}; load average {load.load()}")
    smoke.check(
        args,
        [f"other statuses while notes arrived: {others}"] * bool(others)
        + ["a run without the answers it expects"]
        * (not (floor_times and quiet.get(204) and live.get(200))),
    )


if __name__ == "__main__":
    main()
