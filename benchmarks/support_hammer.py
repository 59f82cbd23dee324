"""Many residents support and withdraw on ONE proposal at once: is any support lost or counted
twice?

    .venv/bin/python benchmarks/support_hammer.py [--database var/bench-participation.sqlite3]
        [--supporters 50] [--seconds 30] [--port 8192] [--workers 3]

Starts gunicorn on 127.0.0.1 against the participation benchmark data, signs in `--supporters`
verified residents (stored sessions) and lets each of them, in its own thread, POST support,
withdraw, support, ... to the most supported proposal of the open process until the time is up,
through the real endpoint with valid CSRF tokens. Every answer is classified: accepted (the
redirect carries a success message), refused (it carries an error message) or an error (any
other answer, or no answer). Afterwards the database must show, for every supporter, a support
row exactly when their last accepted action was "support", the other supporters' rows untouched,
and support_count equal to the rows. Exits non-zero if not.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import load, smoke  # noqa: E402
from benchmarks.generate_participation import (  # noqa: E402
    DEFAULT_DATABASE,
    MUNICIPALITY_SLUG,
    SMOKE_DATABASE,
    use_database,
)
from benchmarks.participation_load import open_process, signed_in_cookie, support_path  # noqa: E402

HOST = "127.0.0.1"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help="SQLite file, or a postgres:// URL"
    )
    parser.add_argument("--supporters", type=int, default=50, help="concurrent residents")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8192)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    return smoke.parse_args(
        parser, database=SMOKE_DATABASE, port=8292, workers=2, supporters=5, seconds=3
    )


@dataclass
class Supporter:
    user_id: int
    cookie: str
    csrf: str
    # The state the server confirmed last: True supported, False not; None if the last answer
    # was lost (then the row may or may not exist, and this supporter is reported, not judged).
    confirmed: bool | None = False
    accepted: int = 0
    refused: int = 0
    errors: int = 0
    timings_ms: list[float] = field(default_factory=list)


def main() -> None:
    args = parse_args()
    database = use_database(args.database)
    import django

    django.setup()
    from roadmap.participation.models import Proposal, Support

    process = open_process()
    proposal = (
        Proposal.objects.filter(process=process, visibility="published")
        .select_related("process")
        .order_by("-support_count", "id")
        .first()
    )
    path = support_path(proposal)
    supporters = choose_supporters(args.supporters, proposal)
    ids = [supporter.user_id for supporter in supporters]
    others_before = Support.objects.filter(proposal=proposal).exclude(user_id__in=ids).count()
    print(
        f"Proposal {proposal.pk} ({proposal.support_count:,} supports) at {path}; "
        f"{len(supporters)} supporters for {args.seconds:.0f} s; {args.workers} sync workers; "
        f"{database}"
    )

    server = load.start_server(args, Path(database))
    try:
        load.wait_until_up(args.port)
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=hammer, args=(supporter, args.port, path, deadline))
            for supporter in supporters
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        load.stop_server(server)

    proposal.refresh_from_db()
    rows = Support.objects.filter(proposal=proposal)
    with_row = set(rows.filter(user_id__in=ids).values_list("user_id", flat=True))
    others_after = rows.exclude(user_id__in=ids).count()
    lost = [s.user_id for s in supporters if s.confirmed is True and s.user_id not in with_row]
    extra = [s.user_id for s in supporters if s.confirmed is False and s.user_id in with_row]
    unknown = [s.user_id for s in supporters if s.confirmed is None]
    timings = sorted(t for supporter in supporters for t in supporter.timings_ms)
    attempts = len(timings)
    accepted = sum(s.accepted for s in supporters)
    refused = sum(s.refused for s in supporters)
    errors = sum(s.errors for s in supporters)
    row_count = rows.count()

    print(f"\nattempts {attempts:,} in {elapsed:.1f} s ({attempts / elapsed:.1f}/s)")
    print(f"accepted {accepted:,}, refused {refused:,}, errors {errors:,}")
    if timings:
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"latency under contention: p50 {statistics.median(timings):.0f} ms, "
            f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms"
        )
    print(
        f"supporters ending supported: {len(with_row)} (confirmed: "
        f"{sum(s.confirmed is True for s in supporters)}); unknown last answer: {len(unknown)}"
    )
    print(f"other residents' rows: {others_before:,} before, {others_after:,} after")
    print(f"final support_count {proposal.support_count:,} vs rows {row_count:,}")
    failures = []
    if proposal.support_count != row_count:
        failures.append("support_count differs from the rows")
    if lost:
        failures.append(f"{len(lost)} confirmed supports lost: users {lost[:5]}")
    if extra:
        failures.append(f"{len(extra)} withdrawn supports still stored: users {extra[:5]}")
    if others_after != others_before:
        failures.append("other residents' supports changed")
    # Answers that were neither accepted nor refused leave nothing to judge: a break in smoke.
    smoke.check(args, [f"{accepted} accepted, {errors} errors"] if errors or not accepted else [])
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("OK: no support lost or doubled, and the count equals the rows.")


def choose_supporters(count: int, proposal) -> list[Supporter]:
    """Verified residents of the city who do not support the proposal yet."""
    from roadmap.participation.models import ResidentVerification, Support

    already = Support.objects.filter(proposal=proposal).values("user_id")
    verifications = (
        ResidentVerification.objects.filter(municipality__slug=MUNICIPALITY_SLUG)
        .exclude(user_id__in=already)
        .select_related("user")
        .order_by("user_id")[:count]
    )
    supporters = []
    for verification in verifications:
        cookie, csrf = signed_in_cookie(verification.user)
        supporters.append(Supporter(verification.user_id, cookie, csrf))
    return supporters


def hammer(supporter: Supporter, port: int, path: str, deadline: float) -> None:
    """Support, withdraw, support, ... until the deadline; one keep-alive connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {
        "Cookie": supporter.cookie,
        "X-CSRFToken": supporter.csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    wanted = True  # the next action: support
    while time.monotonic() < deadline:
        body = urlencode({"action": "support" if wanted else "withdraw"})
        started = time.perf_counter()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            supporter.errors += 1
            supporter.confirmed = None
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            continue
        finally:
            supporter.timings_ms.append((time.perf_counter() - started) * 1000)
        outcome = classify(response)
        if outcome == "accepted":
            supporter.accepted += 1
            supporter.confirmed = wanted
            wanted = not wanted
        elif outcome == "refused":
            supporter.refused += 1
        else:
            supporter.errors += 1
            supporter.confirmed = None
    connection.close()


def classify(response: http.client.HTTPResponse) -> str:
    """'accepted', 'refused' or 'error', from the redirect and the message it carries."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    if response.status != 302 or "login" in (response.getheader("Location") or ""):
        return "error"
    cookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or ():
        cookie.load(header)
    if "messages" not in cookie:
        return "error"
    # The view's message says what happened; decoding the signed cookie needs Django's own
    # (private) decoder, with the benchmark's SECRET_KEY.
    messages = CookieStorage(HttpRequest())._decode(cookie["messages"].value) or []
    levels = {message.level for message in messages}
    if constants.ERROR in levels:
        return "refused"
    return "accepted" if constants.SUCCESS in levels else "error"


if __name__ == "__main__":
    main()
