"""Build the demo on a fresh SQLite database and write a canonical fingerprint of every row.

    .venv/bin/python tests/demo/fingerprint.py var/demo-fingerprint.json

Runs only `migrate` and `setup_demo`, so the same script fingerprints any version of the demo
code: build before and after a change and compare the two files. Rows keep their primary keys
(the order of creation counts too); what differs from build to build is normalised: moments
written during the build (auto_now fields), password hashes (random salt).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
from pathlib import Path


def main(output: Path) -> None:
    with tempfile.TemporaryDirectory() as directory:
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/demo.sqlite3"
        os.environ.setdefault("DEBUG", "1")
        os.environ["DJANGO_SETTINGS_MODULE"] = "roadmap.settings"
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = datetime.datetime.now(datetime.UTC)
        call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        finished = datetime.datetime.now(datetime.UTC)
        rows = dump_rows(started, finished)
    output.write_text(json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"{sum(len(table) for table in rows.values())} rows in {len(rows)} models -> {output}")


def dump_rows(started: datetime.datetime, finished: datetime.datetime) -> dict[str, list]:
    from django.apps import apps
    from django.core import serializers

    def canonical(value):
        if isinstance(value, datetime.datetime):
            return "<during the build>" if started <= value <= finished else value.isoformat()
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: canonical(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [canonical(item) for item in value]
        return value if isinstance(value, str | int | float | bool | type(None)) else str(value)

    rows = {}
    for model in apps.get_models():
        records = serializers.serialize("python", model.objects.order_by("pk"))
        for record in records:
            if "password" in record["fields"] and record["fields"]["password"]:
                record["fields"]["password"] = "<password hash>"
        if records:
            rows[model._meta.label] = [
                {"pk": canonical(record["pk"]), **canonical(record["fields"])} for record in records
            ]
    return rows


if __name__ == "__main__":
    main(Path(sys.argv[1]))
