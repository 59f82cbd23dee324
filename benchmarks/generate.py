"""Generate the benchmark network in its own SQLite file.

    .venv/bin/python benchmarks/generate.py [--database var/bench.sqlite3] [--force]

50 municipalities with 400 initiatives each (20,000), three assessments per initiative (two final,
one draft: 60,000) rating every shared principle, plus partners, pilots, barriers met, lessons,
audit events and members. The file is migrated and the framework loaded first; rows are written
with executemany in one transaction per municipality. Seeded, so every run gives the same data.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks import smoke  # noqa: E402
from benchmarks.defaults import with_defaults  # noqa: E402

DEFAULT_DATABASE = os.environ.get("BENCH_DATABASE", str(ROOT / "var" / "bench.sqlite3"))
SMOKE_DATABASE = str(smoke.DATA / "bench.sqlite3")
SEED = 4242
BENCH_MEMBER_USERNAME = "bench-member"
BENCH_PASSWORD = "bench-password-not-secret"

STATUS_WEIGHTS = {
    "idea": 15,
    "planned": 18,
    "piloting": 25,
    "scaling": 12,
    "operation": 22,
    "ended": 8,
}
SECTOR_KINDS = {
    "public": (
        "County Council",
        "Harbour Authority",
        "Health Trust",
        "Public Library",
        "Fire Service",
    ),
    "business": ("Energi AS", "Mobility AS", "Software AS", "Sensorikk AS", "Bygg AS", "Nett AS"),
    "academia": ("University College", "Vocational School", "Institute for Urban Research"),
    "voluntary": ("Red Cross", "Sports Council", "Senior Citizens' Association", "Youth Club"),
    "inhabitants": ("Residents' panel", "Parents' group", "Housing co-operative", "Village group"),
}
SECTOR_WEIGHTS = {"public": 30, "business": 30, "academia": 15, "voluntary": 15, "inhabitants": 10}
NAME_STEMS = (
    "Fjord",
    "Sol",
    "Berg",
    "Elv",
    "Vinter",
    "Lund",
    "Kvist",
    "Strand",
    "Hav",
    "Skog",
    "Myr",
    "Ås",
    "Li",
    "Nord",
    "Sør",
    "Vest",
    "Øst",
    "Stein",
    "Bjørke",
    "Rogn",
)
NAME_ENDINGS = ("vik", "dal", "backa", "by", "holm", "nes", "stad", "heim", "sund", "vall")
COUNTRIES = (("NO", "NOK", "nb"), ("SE", "SEK", "sv"), ("DK", "DKK", "da"), ("FI", "EUR", "fi"))
DISTRICTS = ("Sentrum", "Havna", "Lia", "Nordre", "Søndre", "Strand", "Øvre dal", "Bakken")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="SQLite file to create")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    parser.add_argument("--municipalities", type=int, default=50)
    parser.add_argument("--initiatives", type=int, default=400, help="per municipality")
    parser.add_argument(
        "--analyze", action="store_true", help="store SQLite planner statistics (ANALYZE)"
    )
    return smoke.parse_args(
        parser, database=SMOKE_DATABASE, force=True, municipalities=2, initiatives=40
    )


def main() -> None:
    args = parse_args()
    path = Path(args.database).resolve()
    if path.exists():
        if not args.force:
            sys.exit(f"{path} exists already; pass --force to replace it.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_DATABASE"] = str(path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    migrated = time.perf_counter()
    counts = Network(random.Random(SEED), datetime.date.today()).build(
        args.municipalities, args.initiatives, args.analyze
    )
    finished = time.perf_counter()
    print(f"Benchmark database: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    for name, count in counts.items():
        print(f"  {name:<20} {count:>9,}")
    print(
        f"Migrate and load framework: {migrated - started:.1f} s; "
        f"generate: {finished - migrated:.1f} s; total {finished - started:.1f} s"
    )


class Network:
    """Writes rows with explicit ids through the raw SQLite connection."""

    def __init__(self, rng: random.Random, today: datetime.date):
        from django.contrib.auth.hashers import make_password
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        from roadmap.framework.models import ActionArea, Barrier, Principle, Purpose
        from roadmap.initiatives.demo import demo_data
        from roadmap.initiatives.models import Initiative

        self.rng = rng
        self.today = today
        self.password = make_password(BENCH_PASSWORD)
        demo = demo_data()
        self.texts = demo.municipality.initiatives
        self.lessons = [lesson for text in self.texts for lesson in text.lessons]
        self.evidence = demo.evidence
        self.mitigations = demo.mitigations
        self.areas = list(ActionArea.objects.order_by("order").values_list("id", flat=True))
        self.purposes = list(Purpose.objects.order_by("order").values_list("id", flat=True))
        self.principles = list(
            Principle.objects.filter(municipality__isnull=True)
            .order_by("order", "code")
            .values_list("id", flat=True)
        )
        self.barriers = list(
            Barrier.objects.filter(municipality__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        self.initiative_type = ContentType.objects.get_for_model(Initiative).id
        connection.ensure_connection()
        self.connection = connection.connection
        # A fresh file that is rebuilt on failure: no journal, no fsync, no per-row foreign-key
        # lookups while writing (checked once at the end).
        self.connection.execute("PRAGMA journal_mode=OFF")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA foreign_keys=OFF")
        self.ids: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    # Writing -------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def insert(self, model, fields: tuple[str, ...], rows: list[tuple]) -> None:
        fields, complete_rows = with_defaults(model, fields, rows)
        opts = model._meta
        columns = ", ".join(f'"{opts.get_field(name).column}"' for name in fields)
        marks = ", ".join("?" * len(fields))
        # Table and column names come from the models, never from input.
        sql = f'INSERT INTO "{opts.db_table}" ({columns}) VALUES ({marks})'  # noqa: S608
        self.connection.executemany(sql, complete_rows)
        self.counts[opts.db_table] = self.counts.get(opts.db_table, 0) + len(rows)

    # Building ------------------------------------------------------------------------------

    def build(self, municipality_count: int, initiatives_per: int, analyze: bool) -> dict[str, int]:
        from roadmap.accounts.models import User
        from roadmap.municipalities.models import Membership, Municipality

        names = self.municipality_names(municipality_count)
        for index, name in enumerate(names):
            rows = Rows()
            municipality_id = index + 1
            country, currency, language = COUNTRIES[index % len(COUNTRIES)]
            stamp = f"{self.today - datetime.timedelta(days=900)} 09:00:00"
            self.insert(
                Municipality,
                (
                    "id",
                    "name",
                    "slug",
                    "country",
                    "population",
                    "currency",
                    "languages",
                    "description",
                    "created_at",
                    "updated_at",
                ),
                [
                    (
                        municipality_id,
                        name,
                        slugify(name),
                        country,
                        self.rng.randint(3_000, 250_000),
                        currency,
                        json.dumps([language, "en"]),
                        f"{name}, a benchmark municipality.",
                        stamp,
                        stamp,
                    )
                ],
            )
            members = self.members(rows, municipality_id, slugify(name), first=index == 0)
            self.insert(
                User,
                (
                    "id",
                    "username",
                    "email",
                    "display_name",
                    "password",
                    "is_staff",
                    "is_superuser",
                    "is_active",
                    "first_name",
                    "last_name",
                    "date_joined",
                    "language",
                    "notification_frequency",
                ),
                rows.users,
            )
            self.insert(
                Membership,
                ("id", "user", "municipality", "role", "created_at", "updated_at"),
                rows.memberships,
            )
            for _ in range(initiatives_per):
                self.initiative(rows, municipality_id, name, members)
            self.write_portfolio(rows)
            self.connection.commit()
        # Foreign keys were not enforced while writing; check them all once instead.
        broken = self.connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"{len(broken)} rows point at missing rows, e.g. {broken[:3]}")
        if analyze:
            # Table statistics for the query planner; a deployment only has them if something
            # runs ANALYZE (or PRAGMA optimize), so the default leaves them out.
            self.connection.execute("ANALYZE")
        self.connection.commit()
        return self.counts

    def municipality_names(self, count: int) -> list[str]:
        names = [stem + ending for stem in NAME_STEMS for ending in NAME_ENDINGS]
        self.rng.shuffle(names)
        return names[:count]

    def members(self, rows: Rows, municipality_id: int, slug: str, *, first: bool) -> dict:
        """An administrator, an editor, two assessors and a moderator per municipality; in the
        first municipality also the signed-in user of the load test."""
        people = [
            ("admin", "administrator"),
            ("editor", "editor"),
            ("assessor", "assessor"),
            ("assessor2", "assessor"),
            ("moderator", "moderator"),
        ]
        if first:
            people.append((BENCH_MEMBER_USERNAME, "editor"))
        by_role: dict[str, list[int]] = {}
        joined = f"{self.today - datetime.timedelta(days=800)} 09:00:00"
        for handle, role in people:
            user_id = self.next_id("user")
            username = handle if handle == BENCH_MEMBER_USERNAME else f"{slug}-{handle}"
            rows.users.append(
                (
                    user_id,
                    username,
                    f"{username}@bench.example",
                    username.title(),
                    self.password,
                    0,
                    0,
                    1,
                    "",
                    "",
                    joined,
                    "",
                    "immediate",
                )
            )
            rows.memberships.append(
                (self.next_id("membership"), user_id, municipality_id, role, joined, joined)
            )
            by_role.setdefault(role, []).append(user_id)
        return by_role

    def initiative(self, rows: Rows, municipality_id: int, name: str, members: dict) -> None:
        rng = self.rng
        initiative_id = self.next_id("initiative")
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        text = rng.choice(self.texts)
        district = rng.choice(DISTRICTS)
        start, end, registered = self.dates(status)
        last_change = self.today - datetime.timedelta(days=rng.randint(0, 120))
        editor = members["editor"][0]
        rows.initiatives.append(
            (
                initiative_id,
                municipality_id,
                f"{text.title} – {district}",
                text.summary,
                text.description,
                status,
                iso(start),
                iso(end),
                None if status == "idea" else rng.randrange(100_000, 20_000_000, 50_000),
                json.dumps(sorted(rng.sample(range(1, 18), rng.randint(1, 4)))),
                district,
                f"{rng.uniform(55, 70):.6f}",
                f"{rng.uniform(5, 30):.6f}",
                "internal" if rng.random() < 0.15 else "public",
                editor,
                f"{registered} 10:00:00",
                f"{last_change} 14:00:00",
            )
        )
        # One or two areas; one area dominates, as in real portfolios.
        weights = [7 if position == 2 else 4 for position in range(len(self.areas))]
        for area in set(rng.choices(self.areas, weights=weights, k=2)):
            rows.areas.append((initiative_id, area))
        for purpose in rng.sample(self.purposes, rng.randint(1, min(3, len(self.purposes)))):
            rows.purposes.append((initiative_id, purpose))
        for principle in rng.sample(self.principles, min(len(self.principles), rng.randint(2, 5))):
            rows.principles.append((initiative_id, principle))
        self.partners(rows, initiative_id, name)
        if status in {"piloting", "scaling", "operation", "ended"}:
            self.pilots(rows, initiative_id, status, start)
        self.barriers_met(rows, initiative_id, status, registered)
        for lesson in rng.sample(self.lessons, rng.choice((0, 0, 1, 2))):
            stamp = f"{last_change} 11:00:00"
            rows.lessons.append((initiative_id, lesson, editor, stamp, stamp))
        self.assessments(rows, initiative_id, municipality_id, status, registered, members)
        stamp = f"{registered} 10:00:00"
        rows.events.append(
            (
                municipality_id,
                editor,
                "create",
                self.initiative_type,
                str(initiative_id),
                text.title[:255],
                self.initiative_type,
                str(initiative_id),
                json.dumps({"title": text.title}),
                stamp,
            )
        )
        rows.events.append(
            (
                municipality_id,
                editor,
                "update",
                self.initiative_type,
                str(initiative_id),
                text.title[:255],
                self.initiative_type,
                str(initiative_id),
                json.dumps({"status": ["idea", status]}),
                f"{last_change} 14:00:00",
            )
        )

    def dates(self, status: str):
        rng, today = self.rng, self.today
        days = datetime.timedelta
        if status == "idea":
            return None, None, today - days(rng.randint(60, 300))
        if status == "planned":
            start = today + days(rng.randint(20, 200))
            return start, start + days(rng.randint(300, 700)), today - days(rng.randint(150, 500))
        ago = {"piloting": (150, 450), "scaling": (500, 900), "operation": (800, 1500)}
        if status == "ended":
            start = today - days(rng.randint(1000, 1700))
            end = today - days(rng.randint(30, 300))
        else:
            start = today - days(rng.randint(*ago[status]))
            end = start + days(rng.randint(700, 1100)) if status == "piloting" else None
        return start, end, start - days(rng.randint(60, 270))

    def partners(self, rows: Rows, initiative_id: int, name: str) -> None:
        chosen = set()
        for _ in range(self.rng.randint(1, 5)):
            sector = self.rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()))[
                0
            ]
            organisation = f"{name} {self.rng.choice(SECTOR_KINDS[sector])}"
            if organisation not in chosen:
                chosen.add(organisation)
                rows.partners.append((initiative_id, organisation, sector, "Partner"))

    def pilots(self, rows: Rows, initiative_id: int, status: str, start) -> None:
        rng = self.rng
        for number in range(rng.randint(1, 2)):
            pilot_start = start + datetime.timedelta(days=30 + 200 * number)
            finished = status != "piloting" or (number == 0 and rng.random() < 0.3)
            pilot_end = min(
                pilot_start + datetime.timedelta(days=rng.randint(90, 300)),
                self.today - datetime.timedelta(days=1),
            )
            if pilot_end < pilot_start:
                continue
            decision = rng.choice(("scale", "scale", "adjust", "stop")) if finished else ""
            rows.pilots.append(
                (
                    initiative_id,
                    f"Pilot {number + 1}",
                    "If we try it at small scale, we learn whether it works before we spend more.",
                    iso(pilot_start),
                    iso(pilot_end),
                    "Results summarised in the evaluation report." if finished else "",
                    decision,
                    f"{pilot_start} 10:00:00",
                    f"{pilot_end} 10:00:00",
                )
            )

    def barriers_met(self, rows: Rows, initiative_id: int, status: str, registered) -> None:
        rng = self.rng
        resolved = {
            "idea": 0,
            "planned": 0.2,
            "piloting": 0.4,
            "scaling": 0.6,
            "operation": 0.8,
            "ended": 0.7,
        }[status]
        stamp = f"{registered} 12:00:00"
        count = min(len(self.barriers), rng.randint(0, 3))
        for barrier in rng.sample(self.barriers, count):
            state = rng.choice(("mitigated", "overcome")) if rng.random() < resolved else "open"
            mitigation = rng.choice(self.mitigations) if state != "open" else ""
            rows.barriers.append((initiative_id, barrier, "", mitigation, state, stamp, stamp))
        if rng.random() < 0.1:
            rows.barriers.append(
                (
                    initiative_id,
                    None,
                    "Key staff changed jobs during the project.",
                    "",
                    "open",
                    stamp,
                    stamp,
                )
            )

    def assessments(self, rows, initiative_id, municipality_id, status, registered, members):
        """Two final assessments (the second the latest) and a newer draft."""
        rng, days = self.rng, datetime.timedelta
        first = registered + days(rng.randint(10, 40))
        draft_day = self.today - days(rng.randint(0, 15))
        second = first + (draft_day - first) * rng.uniform(0.4, 0.9)
        base = {
            "idea": 0.5,
            "planned": 1.0,
            "piloting": 1.4,
            "scaling": 1.8,
            "operation": 2.1,
            "ended": 1.7,
        }[status]
        levels = [max(0, min(4, round(base + rng.uniform(-1, 1)))) for _ in self.principles]
        for day, state, latest in (
            (first, "final", 0),
            (second, "final", 1),
            (draft_day, "draft", 0),
        ):
            assessment_id = self.next_id("assessment")
            final_stamp = f"{day} 15:00:00" if state == "final" else None
            rows.assessments.append(
                (
                    assessment_id,
                    initiative_id,
                    municipality_id,
                    rng.choice(members["assessor"]),
                    iso(day),
                    state,
                    "Periodic review by the project group.",
                    final_stamp,
                    latest,
                    f"{day} 09:00:00",
                    f"{day} 15:00:00",
                )
            )
            for principle, level in zip(self.principles, levels, strict=True):
                rows.ratings.append(
                    (assessment_id, principle, level, rng.choice(self.evidence[level]), "")
                )
            levels = [min(4, level + (rng.random() < 0.45)) for level in levels]

    def write_portfolio(self, rows: Rows) -> None:
        from roadmap.core.models import AuditEvent
        from roadmap.initiatives.models import (
            Assessment,
            BarrierEncounter,
            Initiative,
            Lesson,
            Partner,
            Pilot,
            Rating,
        )

        self.insert(
            Initiative,
            (
                "id",
                "municipality",
                "title",
                "summary",
                "description",
                "status",
                "start_date",
                "end_date",
                "budget",
                "sdg_goals",
                "location_name",
                "latitude",
                "longitude",
                "visibility",
                "created_by",
                "created_at",
                "updated_at",
            ),
            rows.initiatives,
        )
        self.insert(Initiative.action_areas.through, ("initiative", "actionarea"), rows.areas)
        self.insert(Initiative.purposes.through, ("initiative", "purpose"), rows.purposes)
        self.insert(Initiative.principles.through, ("initiative", "principle"), rows.principles)
        self.insert(Partner, ("initiative", "organisation", "sector", "role"), rows.partners)
        self.insert(
            Pilot,
            (
                "initiative",
                "title",
                "hypothesis",
                "start_date",
                "end_date",
                "result",
                "decision",
                "created_at",
                "updated_at",
            ),
            rows.pilots,
        )
        self.insert(
            BarrierEncounter,
            (
                "initiative",
                "barrier",
                "description",
                "mitigation",
                "status",
                "created_at",
                "updated_at",
            ),
            rows.barriers,
        )
        self.insert(
            Lesson, ("initiative", "text", "author", "created_at", "updated_at"), rows.lessons
        )
        self.insert(
            Assessment,
            (
                "id",
                "initiative",
                "municipality",
                "assessor",
                "assessed_on",
                "status",
                "summary",
                "finalised_at",
                "is_latest",
                "created_at",
                "updated_at",
            ),
            rows.assessments,
        )
        self.insert(Rating, ("assessment", "principle", "level", "evidence", "links"), rows.ratings)
        self.insert(
            AuditEvent,
            (
                "municipality",
                "actor",
                "action",
                "content_type",
                "object_id",
                "object_repr",
                "subject_content_type",
                "subject_id",
                "changes",
                "created_at",
            ),
            rows.events,
        )


class Rows:
    """Rows of one municipality, written together."""

    def __init__(self):
        self.users: list[tuple] = []
        self.memberships: list[tuple] = []
        self.initiatives: list[tuple] = []
        self.areas: list[tuple] = []
        self.purposes: list[tuple] = []
        self.principles: list[tuple] = []
        self.partners: list[tuple] = []
        self.pilots: list[tuple] = []
        self.barriers: list[tuple] = []
        self.lessons: list[tuple] = []
        self.assessments: list[tuple] = []
        self.ratings: list[tuple] = []
        self.events: list[tuple] = []


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def slugify(name: str) -> str:
    from django.utils.text import slugify as django_slugify

    return django_slugify(name.replace("ø", "o").replace("å", "a").replace("æ", "ae"))


if __name__ == "__main__":
    main()
