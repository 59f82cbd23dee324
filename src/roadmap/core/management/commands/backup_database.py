"""Write a consistent copy of the database to a file while the site keeps running.

SQLite: SQLite's online backup (`sqlite3.Connection.backup`) copies the database as one
snapshot; writers carry on meanwhile. PostgreSQL: `pg_dump --format=custom`, for pg_restore.
The copy is written beside the target first and renamed into place, so a failed run never
leaves half a backup under the target's name. Restoring is in docs/deployment.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = "Write a consistent backup of the database (SQLite file copy or pg_dump custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The file to write.")
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")
        parser.add_argument(
            "--database", default="default", help="The database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["path"].resolve()
        if target.exists() and not options["force"]:
            raise CommandError(f"{target} exists already; give --force to replace it.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        connection = connections[options["database"]]
        writers = {"sqlite": back_up_sqlite, "postgresql": back_up_postgresql}
        if connection.vendor not in writers:
            raise CommandError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
        descriptor, partial_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        os.close(descriptor)
        partial = Path(partial_name)
        try:
            writers[connection.vendor](connection, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        size_kib = target.stat().st_size / 1024
        self.stdout.write(f"Wrote {target} ({size_kib:,.0f} KiB).")


def back_up_sqlite(connection: Any, partial: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(partial)
    try:
        # pages=-1 (the default) copies everything in one step: one consistent snapshot.
        connection.connection.backup(copy)
    finally:
        copy.close()


def back_up_postgresql(connection: Any, partial: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError(
            "pg_dump was not found. Install the PostgreSQL client tools of the server's major "
            "version (Debian: apt-get install postgresql-client)."
        )
    # Django's own psql command line: the same host, port, user, password and SSL settings.
    args, env = connection.client.settings_to_cmd_args_env(
        connection.settings_dict, ["--format=custom", f"--file={partial}"]
    )
    args[0] = pg_dump
    finished = subprocess.run(  # noqa: S603 - a fixed program with arguments from settings
        args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise CommandError(f"pg_dump failed: {finished.stderr.strip()}")
