"""Settings for production serving, read as a fresh process would read them."""

import json
import os
import runpy
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def load_settings(monkeypatch):
    """roadmap.settings run afresh under the given environment (the loaded module is untouched)."""

    def load(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "src" / "roadmap" / "settings.py"))

    return load


def production_environment(**extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "roadmap.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        **extra,
    }


def test_database_pool_gives_psycopg_pool_options(load_settings):
    database = load_settings(
        DATABASE_URL=POSTGRES_URL, DATABASE_POOL="1", DATABASE_POOL_MAX_SIZE="8"
    )["DATABASES"]["default"]
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_without_database_pool_connections_persist_as_before(load_settings):
    database = load_settings(DATABASE_URL=POSTGRES_URL, DATABASE_POOL="0")["DATABASES"]["default"]
    assert "pool" not in database.get("OPTIONS", {})
    assert database["CONN_MAX_AGE"] == 60


def test_database_pool_on_sqlite_is_refused_with_a_clear_message(load_settings):
    with pytest.raises(RuntimeError, match="DATABASE_POOL=1 needs a PostgreSQL DATABASE_URL"):
        load_settings(DATABASE_URL="sqlite:///var/x.sqlite3", DATABASE_POOL="1")


def test_json_log_format_logs_access_lines_in_json(load_settings):
    logging = load_settings(LOG_FORMAT="json")["LOGGING"]
    assert logging["handlers"]["console"]["formatter"] == "json"
    assert logging["loggers"]["roadmap.access"]["level"] == "INFO"


def test_plain_log_format_is_the_default_and_leaves_access_lines_to_the_server(
    load_settings, monkeypatch
):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    logging = load_settings()["LOGGING"]
    assert logging["handlers"]["console"]["formatter"] == "plain"
    assert logging["loggers"]["roadmap.access"]["level"] == "WARNING"


def test_deploy_check_finds_no_issues_in_production_settings():
    finished = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_environment(ALLOWED_HOSTS="example.org", SECURE_SSL="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "System check identified no issues" in finished.stdout


@pytest.mark.services
def test_a_pooled_connection_to_postgresql_answers_and_is_reused():
    # Two requests' worth of work, each closing its connection the way Django does after a
    # request. With a pool of one, both must run on the same server process.
    script = textwrap.dedent(
        """
        import json
        import django

        django.setup()
        from django.db import connection

        pids = []
        for _ in range(2):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            connection.close()
        print(json.dumps({"pooled": connection.pool is not None, "pids": pids}))
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT / "src",
        env=production_environment(
            DATABASE_URL=POSTGRES_URL, DATABASE_POOL="1", DATABASE_POOL_MAX_SIZE="1"
        ),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    answer = json.loads(finished.stdout)
    assert answer["pooled"] is True
    first, second = answer["pids"]
    assert first == second
