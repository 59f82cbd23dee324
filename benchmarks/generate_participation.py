"""Generate the participation benchmark: one capital city with years of participatory budgets.

    .venv/bin/python benchmarks/generate_participation.py
        [--database var/bench-participation.sqlite3] [--force] [--scale 1.0]

    # the same data in PostgreSQL (an empty database the user may create tables in)
    .venv/bin/python benchmarks/generate_participation.py \
        --database postgres://postgres@127.0.0.1:5432/bench_participation --force

One municipality with 15 districts, 500,000 users, five yearly processes (the newest one in its
support phase now), 30,000 proposals, 3,000,000 supports (a few proposals with tens of thousands,
most with a few dozen), 250,000 comments threaded two levels deep (one proposal with exactly 500)
and resident verifications with districts for 40 % of the users. `--scale 0.1` makes a tenth.

Small tables go through the ORM; the big ones are written in batches with executemany (COPY on
PostgreSQL) inside transactions, with their secondary indexes dropped while loading and built
again at the end, which is much faster than updating them row by row. Stored counters
(support_count, comment_count) are computed from the rows written. Seeded: every run gives the
same data.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.defaults import with_defaults  # noqa: E402

DEFAULT_DATABASE = os.environ.get(
    "BENCH_PARTICIPATION_DATABASE", str(ROOT / "var" / "bench-participation.sqlite3")
)
SMOKE_DATABASE = str(smoke.DATA / "bench-participation.sqlite3")
SEED = 3003
MUNICIPALITY_SLUG = "hovedstad"
ADMIN_USERNAME = "bench-participation-admin"
PARTICIPANT_PREFIX = "participant-"
PASSWORD = "bench-password-not-secret"
# The proposal whose page shows exactly this many comments (the comment-heavy page test).
BIG_THREAD_COMMENTS = 500
BATCH_ROWS = 50_000

DISTRICTS = (
    "Sentrum", "Gamlebyen", "Havna", "Sagene", "Nordre Aker", "Vestre Aker", "Ullern", "Frogner",
    "Grünerløkka", "Bjerke", "Grorud", "Stovner", "Alna", "Østensjø", "Søndre Nordstrand",
)  # fmt: skip
CATEGORIES = (
    "Parks and green areas", "Streets and mobility", "Culture", "Sport and play", "Schools",
    "Climate and energy", "Safety", "Digital services",
)  # fmt: skip
PROPOSAL_TEXTS = (
    (
        "Benches and shade along the river path",
        "Older residents walk the river path every day but there is **nowhere to rest** between "
        "the bridge and the library.\n\n- three benches\n- two trees for shade",
    ),
    (
        "Safe bicycle parking at the station",
        "Bicycles are stolen from the station every week. A locked, lit shelter with room for "
        "200 bicycles would make more people cycle to the train.",
    ),
    (
        "Open the school yard at weekends",
        "The school yard has the only football pitch in the neighbourhood. Opening it on "
        "Saturdays and Sundays costs little and gives children somewhere to play.",
    ),
    (
        "Sensors that show free seats on buses",
        "Show how full the next bus is on the stop's display, so people can choose a later, "
        "emptier bus. *Data stays anonymous*: the sensors count, they do not film.",
    ),
    (
        "A repair café in the library",
        "Once a month volunteers help residents repair clothes, bicycles and electronics. The "
        "library has room; it needs tools and a small budget for materials.",
    ),
)
COMMENT_TEXTS = (
    "Good idea, I walk there every day.",
    "Who would maintain this after the first year?",
    "We tried something similar in our housing co-operative and it worked well.",
    "I support this, but the cost estimate seems low.",
    "Could this be combined with the proposal about lighting in the same street?",
    "Please think about wheelchair users when you plan the details.",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help="SQLite file, or a postgres:// URL"
    )
    parser.add_argument("--force", action="store_true", help="replace the data if it exists")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every volume (0.1 for a quick run)"
    )
    # 1,050 proposals: the open process's commonest category still fills a second page.
    return smoke.parse_args(parser, database=SMOKE_DATABASE, force=True, scale=0.035)


def use_database(database: str) -> str:
    """Point the benchmark settings at the database; returns a name to print."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    if "://" in database:
        os.environ["BENCH_DATABASE_URL"] = database
        return database
    path = Path(database).resolve()
    os.environ["BENCH_DATABASE"] = str(path)
    return str(path)


def main() -> None:
    args = parse_args()
    is_url = "://" in args.database
    if not is_url:
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

    if is_url:
        empty_postgres_database(force=args.force)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    print(f"migrate + load_framework: {time.perf_counter() - started:.1f} s", flush=True)
    volumes = Volumes.scaled(args.scale)
    counts = City(random.Random(SEED), volumes).build()
    finished = time.perf_counter()
    size = f" ({Path(name).stat().st_size / 1e6:.0f} MB)" if not is_url else ""
    print(f"\nParticipation benchmark database: {name}{size}")
    for table, count in counts.items():
        print(f"  {table:<38} {count:>10,}")
    print(f"Total: {finished - started:.1f} s")


def empty_postgres_database(*, force: bool) -> None:
    from django.db import connection

    tables = connection.introspection.table_names()
    if not tables:
        return
    if not force:
        sys.exit("The database has tables already; pass --force to drop everything in it.")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


class Volumes:
    def __init__(self, users, processes, proposals, supports, comments, verified_share):
        self.users = users
        self.processes = processes
        self.proposals = proposals
        self.supports = supports
        self.comments = comments
        self.verified_share = verified_share

    @classmethod
    def scaled(cls, scale: float) -> Volumes:
        return cls(
            users=max(1_000, int(500_000 * scale)),
            processes=5,
            proposals=max(100, int(30_000 * scale)),
            supports=max(5_000, int(3_000_000 * scale)),
            comments=max(2_000, int(250_000 * scale)),
            verified_share=0.4,
        )


class City:
    """Builds the capital's participation data; ids of the big tables are given explicitly."""

    def __init__(self, rng: random.Random, volumes: Volumes):
        from django.contrib.auth.hashers import make_password
        from django.db import connection

        from roadmap.core.text import render_markdown

        self.rng = rng
        self.volumes = volumes
        self.now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
        # One hash for every participant: hashing 500,000 passwords would take hours.
        self.password = make_password(PASSWORD)
        self.proposal_texts = [
            (title, body, render_markdown(body)) for title, body in PROPOSAL_TEXTS
        ]
        self.comment_texts = [(body, render_markdown(body)) for body in COMMENT_TEXTS]
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    # Writing -----------------------------------------------------------------------------

    def insert(self, model, fields: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Writes the rows in batches, one transaction per batch; returns how many."""
        from django.db import transaction

        fields, rows = with_defaults(model, fields, rows)
        opts = model._meta
        columns = [opts.get_field(name).column for name in fields]
        quote = self.connection.ops.quote_name
        table = quote(opts.db_table)
        column_list = ", ".join(quote(column) for column in columns)
        # Table and column names come from the models, never from input.
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        written = 0
        for batch in batches(rows, BATCH_ROWS):
            with transaction.atomic(), self.connection.cursor() as cursor:
                if self.postgres:
                    with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    cursor.executemany(sql, batch)
            written += len(batch)
        self.counts[opts.db_table] = self.counts.get(opts.db_table, 0) + written
        return written

    @contextmanager
    def timed(self, what: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        print(f"{what}: {time.perf_counter() - started:.1f} s", flush=True)

    @contextmanager
    def indexes_built_afterwards(self, *models) -> Iterator[None]:
        """Drops the non-unique indexes of these tables while loading and builds them again."""
        tables = [model._meta.db_table for model in models]
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                    "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                    [tables],
                )
            else:
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "  # noqa: S608
                    f"AND tbl_name IN ({marks}) AND sql IS NOT NULL "
                    "AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    tables,
                )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        yield
        label = f"  indexes of {', '.join(tables)} ({len(indexes)})"
        with self.timed(label), self.connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)

    # Building ----------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        from roadmap.accounts.models import User
        from roadmap.participation.models import Comment, Proposal, ResidentVerification, Support

        if not self.postgres:
            with self.connection.cursor() as cursor:
                # A fresh file that is rebuilt on failure: no fsync, and foreign keys checked
                # once at the end instead of per row.
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA foreign_keys=OFF")
        with self.timed("municipality, districts, processes, phases, categories"):
            self.municipality_and_processes()
        with self.timed(f"users ({self.volumes.users:,})"), self.indexes_built_afterwards(User):
            self.users()
        with (
            self.timed("resident verifications"),
            self.indexes_built_afterwards(ResidentVerification),
        ):
            self.verifications()
        with self.timed(f"proposals ({self.volumes.proposals:,}), counters included"):
            support_counts, comment_counts = self.plan_counts()
            with self.indexes_built_afterwards(Proposal):
                self.proposals(support_counts, comment_counts)
        with (
            self.timed(f"supports ({sum(support_counts):,})"),
            self.indexes_built_afterwards(Support),
        ):
            self.supports(support_counts)
        with (
            self.timed(f"comments ({sum(comment_counts):,})"),
            self.indexes_built_afterwards(Comment),
        ):
            self.comments(comment_counts)
        with self.timed("inclusion figures (the process page's stored counts)"):
            from roadmap.participation.activity_services import rebuild_process_activity

            rebuild_process_activity()
        with self.timed("checks and planner statistics"):
            self.finish()
        return self.counts

    def municipality_and_processes(self) -> None:
        from roadmap.accounts.models import User
        from roadmap.framework.models import ActionArea
        from roadmap.municipalities.models import District, Membership, Municipality
        from roadmap.participation.models import Audience, Category, Phase, Process

        municipality = Municipality.objects.create(
            name="Hovedstad",
            slug=MUNICIPALITY_SLUG,
            country="NO",
            population=720_000,
            currency="NOK",
            languages=["nb", "en"],
            description="A capital city with participatory budgets every year.",
        )
        self.municipality = municipality
        self.districts = [
            district.id
            for district in District.objects.bulk_create(
                District(municipality=municipality, name=name) for name in DISTRICTS
            )
        ]
        admin = User.objects.create_user(
            ADMIN_USERNAME, f"{ADMIN_USERNAME}@bench.example", PASSWORD
        )
        self.admin_id = admin.id
        Membership.objects.create(user=admin, municipality=municipality, role="administrator")
        self.areas = list(ActionArea.objects.order_by("order").values_list("id", flat=True))

        # Yearly processes; the newest one is in its support phase now, the others are over.
        self.processes: list[dict] = []
        days = datetime.timedelta
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        for age in range(self.volumes.processes - 1, -1, -1):
            year = now.year - age
            start = now - days(days=90 + 365 * age)
            process = Process.objects.create(
                municipality=municipality,
                title=f"Participatory budget {year}",
                slug=f"budget-{year}",
                summary=f"Residents propose and choose what the city spends money on in {year}.",
                description="Propose, discuss and support ideas for your district.",
                data_statement=(
                    "We store your proposals, comments and supports with your account, and your "
                    "district if you are a verified resident, to count support per district."
                ),
                is_published=True,
                created_by=admin,
            )
            open_now = age == 0
            plan = (
                ("information", days(0), days(15), "nobody", "nobody", "nobody"),
                ("proposals", days(15), days(60), "anyone", "anyone", "nobody"),
                ("support", days(60), days(120), "nobody", "anyone", "verified"),
                ("results", days(120), days(300), "nobody", "nobody", "nobody"),
            )
            phases = {}
            for order, (kind, begins, ends, propose, comment, support) in enumerate(plan):
                phases[kind] = Phase.objects.create(
                    process=process,
                    kind=kind,
                    title=kind.title(),
                    order=order,
                    starts_at=start + begins,
                    ends_at=start + ends,
                    propose=propose,
                    comment=comment,
                    support=support if open_now else Audience.NOBODY,
                )
            categories = Category.objects.bulk_create(
                Category(process=process, name=name) for name in CATEGORIES
            )
            self.processes.append(
                {
                    "id": process.id,
                    "open": open_now,
                    "proposal_phase": phases["proposals"],
                    "support_phase": phases["support"],
                    "categories": [category.id for category in categories],
                }
            )

    def users(self) -> None:
        from roadmap.accounts.models import User

        joined = f"{self.now - datetime.timedelta(days=1500)}"
        first_id = self.admin_id + 1
        self.user_ids = range(first_id, first_id + self.volumes.users)
        frequencies = ("immediate", "daily", "none")
        rows = (
            (
                user_id,
                f"{PARTICIPANT_PREFIX}{user_id}",
                f"{PARTICIPANT_PREFIX}{user_id}@bench.example",
                f"Participant {user_id}",
                self.password,
                False,
                False,
                True,
                "",
                "",
                joined,
                "",
                frequencies[user_id % 3],
            )
            for user_id in self.user_ids
        )
        self.insert(
            User,
            (
                "id", "username", "email", "display_name", "password", "is_staff",
                "is_superuser", "is_active", "first_name", "last_name", "date_joined",
                "language", "notification_frequency",
            ),
            rows,
        )  # fmt: skip

    def verifications(self) -> None:
        """Two users in five are verified residents of the city, each with a district."""
        from roadmap.participation.models import ResidentVerification

        stamp = f"{self.now - datetime.timedelta(days=400)}"
        rows = (
            (
                self.municipality.id,
                user_id,
                self.districts[user_id % len(self.districts)],
                self.admin_id,
                stamp,
                stamp,
            )
            for user_id in self.user_ids
            if is_verified(user_id)
        )
        self.insert(
            ResidentVerification,
            ("municipality", "user", "district", "verified_by", "created_at", "updated_at"),
            rows,
        )

    def plan_counts(self) -> tuple[list[int], list[int]]:
        """Supports and comments per proposal (index = proposal id - 1): a long tail, shuffled
        so that every process has a few popular proposals; comments follow popularity."""
        total = self.volumes.proposals
        ranks = list(range(total))
        self.rng.shuffle(ranks)
        # No proposal has more supporters than there are verified residents.
        most = len(self.user_ids) * 2 // 5
        supports = long_tail(self.volumes.supports, total, offset=10)
        supports = [min(supports[rank], most) for rank in ranks]
        comments = long_tail(self.volumes.comments - BIG_THREAD_COMMENTS, total - 1, offset=50)
        comments = [min(count, BIG_THREAD_COMMENTS - 100) for count in comments]
        # Rounding and the cap leave the sum a little off: even it out to the exact total.
        missing = self.volumes.comments - BIG_THREAD_COMMENTS - sum(comments)
        while missing:
            index = self.rng.randrange(len(comments))
            step = 1 if missing > 0 else -1
            if 1 <= comments[index] + step <= BIG_THREAD_COMMENTS - 100:
                comments[index] += step
                missing -= step
        comments.append(0)
        comments = [comments[rank] for rank in ranks]
        # The big thread: a proposal of the open process with an ordinary number of supports.
        self.big_thread = self.proposal_id_in_open_process(total // 2)
        comments[comments.index(0)] = comments[self.big_thread - 1]
        comments[self.big_thread - 1] = BIG_THREAD_COMMENTS
        return supports, comments

    def proposal_id_in_open_process(self, position: int) -> int:
        per_process = self.volumes.proposals // len(self.processes)
        open_index = next(i for i, p in enumerate(self.processes) if p["open"])
        return open_index * per_process + position % per_process + 1

    def process_of(self, proposal_id: int) -> dict:
        per_process = self.volumes.proposals // len(self.processes)
        return self.processes[min((proposal_id - 1) // per_process, len(self.processes) - 1)]

    def proposals(self, support_counts: list[int], comment_counts: list[int]) -> None:
        from roadmap.participation.models import Proposal

        rng = self.rng
        old_statuses = ("accepted", "partly_accepted", "rejected", "implemented", "rejected")

        def rows():
            for proposal_id in range(1, self.volumes.proposals + 1):
                process = self.process_of(proposal_id)
                phase = process["proposal_phase"]
                created = phase.starts_at + (phase.ends_at - phase.starts_at) * rng.random()
                title, body, body_html = rng.choice(self.proposal_texts)
                hidden = rng.random() < 0.01
                yield (
                    proposal_id,
                    process["id"],
                    phase.id,
                    rng.randrange(self.user_ids.start, self.user_ids.stop),
                    f"{title} ({proposal_id})",
                    body,
                    body_html,
                    "hidden" if hidden else "published",
                    "Personal information about a neighbour." if hidden else "",
                    rng.choice(self.areas) if rng.random() < 0.7 else None,
                    rng.choice(process["categories"]),
                    rng.choice(DISTRICTS),
                    rng.choice(("submitted", "under_review"))
                    if process["open"]
                    else rng.choice(old_statuses),
                    "",
                    support_counts[proposal_id - 1],
                    comment_counts[proposal_id - 1],
                    stamp(created),
                    stamp(created),
                )

        self.insert(
            Proposal,
            (
                "id", "process", "phase", "author", "title", "body", "body_html", "visibility",
                "moderation_reason", "action_area", "category", "location_name", "status",
                "answer", "support_count", "comment_count", "created_at", "updated_at",
            ),
            rows(),
        )  # fmt: skip

    def supports(self, support_counts: list[int]) -> None:
        """Distinct random supporters per proposal, written in proposal-then-user order (the
        order of the unique index), one proposal at a time: never all rows in memory."""
        from roadmap.participation.models import Support

        rng = self.rng
        user_range = range(self.user_ids.start, self.user_ids.stop)
        verified = [user_id for user_id in user_range if is_verified(user_id)]
        # Supports fall inside the support phase (up to now for the open process): 97 moments
        # per process, picked by user id, so the chart over time has something to show.
        stamps = {}
        for process in self.processes:
            phase = process["support_phase"]
            span = min(phase.ends_at, self.now_aware()) - phase.starts_at
            stamps[process["id"]] = [stamp(phase.starts_at + span * (i / 97)) for i in range(97)]

        def rows():
            for proposal_id, count in enumerate(support_counts, start=1):
                process = self.process_of(proposal_id)
                moments = stamps[process["id"]]
                # Supports in the open process need a verified resident; earlier years took any.
                pool = verified if process["open"] else user_range
                for user_id in sorted(rng.sample(pool, count)):
                    yield (proposal_id, user_id, moments[user_id % 97])

        self.insert(Support, ("proposal", "user", "created_at"), rows())

    def comments(self, comment_counts: list[int]) -> None:
        """Comment threads: about half start a thread, the rest reply one or two levels deep."""
        from roadmap.participation.models import Comment

        rng = self.rng
        comment_ids = iter(range(1, self.volumes.comments + 1))

        def rows():
            for proposal_id, count in enumerate(comment_counts, start=1):
                if not count:
                    continue
                phase = self.process_of(proposal_id)["proposal_phase"]
                moment = phase.starts_at + datetime.timedelta(hours=1)
                roots: list[int] = []
                replies: list[int] = []
                for _ in range(count):
                    comment_id = next(comment_ids)
                    moment += datetime.timedelta(minutes=rng.randint(1, 90))
                    roll = rng.random()
                    if not roots or roll < 0.5:
                        parent, depth = None, 0
                        roots.append(comment_id)
                    elif roll < 0.8 or not replies:
                        parent, depth = rng.choice(roots), 1
                        replies.append(comment_id)
                    else:
                        parent, depth = rng.choice(replies), 2
                    body, body_html = rng.choice(self.comment_texts)
                    yield (
                        comment_id,
                        proposal_id,
                        parent,
                        depth,
                        rng.randrange(self.user_ids.start, self.user_ids.stop),
                        body,
                        body_html,
                        "published",
                        "",
                        stamp(moment),
                        stamp(moment),
                    )

        self.insert(
            Comment,
            (
                "id", "proposal", "parent", "depth", "author", "body", "body_html",
                "visibility", "moderation_reason", "created_at", "updated_at",
            ),
            rows(),
        )  # fmt: skip

    def now_aware(self) -> datetime.datetime:
        return self.now.replace(tzinfo=datetime.UTC)

    def finish(self) -> None:
        from django.core.management.color import no_style

        from roadmap.accounts.models import User
        from roadmap.participation.models import Comment, Proposal

        with self.connection.cursor() as cursor:
            if self.postgres:
                # Rows were written with explicit ids: move the sequences past them.
                for statement in self.connection.ops.sequence_reset_sql(
                    no_style(), [User, Proposal, Comment]
                ):
                    cursor.execute(statement)
                cursor.execute("ANALYZE")
            else:
                cursor.execute("PRAGMA foreign_key_check")
                broken = cursor.fetchall()
                if broken:
                    raise RuntimeError(f"{len(broken)} rows point at missing rows: {broken[:3]}")
                # Planner statistics, as `PRAGMA optimize` would gather them in production.
                cursor.execute("ANALYZE")


def is_verified(user_id: int) -> bool:
    """Two users in five are verified residents (ids ending in 0, 1, 5 or 6)."""
    return user_id % 5 < 2


def long_tail(total: int, size: int, *, offset: int) -> list[int]:
    """`size` counts summing to about `total`, falling off like 1 / (rank + offset)."""
    weights = [1 / (rank + offset) for rank in range(1, size + 1)]
    scale = total / sum(weights)
    counts = [max(1, round(weight * scale)) for weight in weights]
    counts[0] += total - sum(counts)  # rounding: the first (largest) count takes the rest
    return counts


def batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stamp(moment: datetime.datetime) -> str:
    """A UTC moment as Django stores it in SQLite (PostgreSQL reads the same text as UTC)."""
    return moment.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


if __name__ == "__main__":
    main()
