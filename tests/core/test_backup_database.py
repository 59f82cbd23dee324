import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def backup(database_url, target, *options):
    return subprocess.run(
        [sys.executable, "manage.py", "backup_database", str(target), *options],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "roadmap.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_sqlite_backup_is_a_consistent_copy_while_another_connection_writes(tmp_path):
    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        # Each transaction writes a pair of rows: a consistent copy never holds half a pair.
        setup.execute("CREATE TABLE pair (batch INTEGER NOT NULL, half INTEGER NOT NULL)")
        setup.executemany(
            "INSERT INTO pair VALUES (?, ?)", [(b, h) for b in range(50) for h in (0, 1)]
        )
    stop = threading.Event()
    written = []

    def write_pairs():
        writer = sqlite3.connect(source, timeout=20)
        for batch in range(50, 20_000):  # bounded: stops by itself
            if stop.is_set():
                break
            with writer:
                writer.execute("INSERT INTO pair VALUES (?, 0)", (batch,))
                writer.execute("INSERT INTO pair VALUES (?, 1)", (batch,))
            written.append(batch)
        writer.close()

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        finished = backup(f"sqlite:///{source}", tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        writer.join()
    assert finished.returncode == 0, finished.stderr
    assert "Wrote" in finished.stdout
    assert written, "the writer wrote nothing while the backup ran"

    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows, batches, unpaired = copy.execute(
        "SELECT count(*), count(DISTINCT batch), "
        "(SELECT count(*) FROM (SELECT batch FROM pair GROUP BY batch HAVING count(*) != 2)) "
        "FROM pair"
    ).fetchone()
    copy.close()
    assert batches >= 50  # every row committed before the backup started
    assert rows == 2 * batches
    assert unpaired == 0
    assert batches <= 50 + len(written)


def test_an_existing_backup_is_kept_unless_forced(tmp_path, db):
    target = tmp_path / "backup.sqlite3"
    target.write_text("an older backup")
    with pytest.raises(CommandError, match="exists already; give --force to replace it"):
        call_command("backup_database", str(target))
    assert target.read_text() == "an older backup"

    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as setup:
        setup.execute("CREATE TABLE note (text TEXT)")
        setup.execute("INSERT INTO note VALUES ('kept')")
    finished = backup(f"sqlite:///{source}", target, "--force")
    assert finished.returncode == 0, finished.stderr
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT text FROM note").fetchall() == [("kept",)]
    assert not [path for path in tmp_path.iterdir() if "partial" in path.name]


def test_a_missing_pg_dump_is_a_clear_error(tmp_path, monkeypatch):
    from roadmap.core.management.commands import backup_database

    monkeypatch.setattr(backup_database.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup_database.back_up_postgresql(connection=None, partial=tmp_path / "x.dump")


@pytest.fixture
def scratch_databases():
    """Names for two PostgreSQL databases, dropped again afterwards."""
    names = [f"roadmap_backup_{role}_{uuid.uuid4().hex[:8]}" for role in ("source", "restored")]
    yield names
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.services
def test_postgresql_dump_restores_into_a_fresh_database(tmp_path, scratch_databases):
    source, restored = scratch_databases
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{source}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    with psycopg.connect(f"{POSTGRES}/{source}") as live:
        live.execute("CREATE TABLE note (id serial PRIMARY KEY, text text NOT NULL)")
        live.execute("INSERT INTO note (text) SELECT 'note ' || n FROM generate_series(1, 137) n")

    dump = tmp_path / "roadmap.dump"
    finished = backup(f"{POSTGRES}/{source}", dump)
    assert finished.returncode == 0, finished.stderr
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    restore = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            restored,
            str(dump),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert restore.returncode == 0, restore.stderr
    with psycopg.connect(f"{POSTGRES}/{restored}") as copy:
        assert copy.execute("SELECT count(*) FROM note").fetchone() == (137,)
