"""The platform as a national network runs it: PostgreSQL, Redis, two gunicorn app processes
on different ports and two task workers, driven over HTTP. Votes arrive on both ports and the
map is recomputed once; the daily digest goes out once; a file uploaded through one process is
served by the other; a signed-in session holds on both; a worker killed mid-task is replaced
and the task completes exactly once."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import redis
import requests

from roadmap.opinions.services import RECOMPUTE_DEBOUNCE_SECONDS

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/13"
PASSWORD = "correct-horse-battery"  # the factories' password
VOTERS, STATEMENTS = 6, 5

SETUP = """
import json, sys, django
django.setup()
from roadmap.participation.models import Notification
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory
from tests.opinions.conftest import add_statements, make_phase, url

municipality = MunicipalityFactory(name="Fjordvik", slug="fjordvik")
phase = make_phase(municipality)
statements = add_statements(phase, int(sys.argv[1]))
voters = [UserFactory(username=f"voter{i}") for i in range(int(sys.argv[2]))]
editor = MembershipFactory(municipality=municipality, role="editor").user
reader = UserFactory(username="reader", notification_frequency="daily")
Notification.objects.create(user=reader, message="A proposal you follow was answered.")
print(json.dumps({
    "phase": url("phase", phase),
    "vote": url("vote", phase),
    "statements": [statement.pk for statement in statements],
    "voters": [voter.username for voter in voters],
    "editor": editor.username,
}))
"""

ENQUEUE_SLOW_TASK = """
import django
django.setup()
from roadmap.core import tasks
from tests.core.task_functions import count_after
tasks.enqueue(count_after, key=%r, seconds=6)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


class Installation:
    """One installation's environment and the processes running it."""

    def __init__(self, tmp_path: Path) -> None:
        self.database = f"roadmap_processes_{uuid.uuid4().hex[:10]}"
        self.mail = tmp_path / "mail"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "roadmap.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DEBUG": "0",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{POSTGRES}/{self.database}",
            "REDIS_URL": REDIS_URL,
            "TASK_QUEUE": "database",
            "TASK_WORKER_HEARTBEAT_SECONDS": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = tmp_path / "logs"
        self.logs.mkdir()

    def run(self, *command: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, *command],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, name: str, *command: str) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            [sys.executable, *command], env=self.env, cwd=ROOT, stdout=log, stderr=log
        )

    def start_app(self, name: str, port: int) -> str:
        self.start(
            name, "-m", "gunicorn", "roadmap.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--timeout", "60", "--no-control-socket",
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                return requests.get(f"{base}/readyz", timeout=10).status_code == 200
            except requests.RequestException:  # not listening yet, or still starting
                return False

        wait_for(ready, f"{name} to answer /readyz")
        return base

    def start_worker(self, name: str) -> None:
        self.start(
            name, "manage.py", "worker", "--no-reload", "--interval", "0.2",
            "--worker-id", name,
        )  # fmt: skip

    def kill(self, name: str) -> None:
        self.processes.pop(name).send_signal(signal.SIGKILL)

    def query(self, sql: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def installation(tmp_path) -> Iterator[Installation]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    site = Installation(tmp_path)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{site.database}"')
    try:
        site.run("manage.py", "migrate", "--no-input", "-v", "0")
        site.run("manage.py", "collectstatic", "--no-input", "-v", "0")
        yield site
    finally:
        site.stop()
        for log in sorted(site.logs.glob("*.log")):  # shown when the test fails
            print(f"--- {log.stem} ---", log.read_text()[-2000:])
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{site.database}" WITH (FORCE)')
        redis.Redis.from_url(REDIS_URL).flushdb()


def signed_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=10,
    )
    assert response.ok and "sessionid" in session.cookies, response.text[:500]
    return session


def post(session: requests.Session, url: str, **kwargs) -> requests.Response:
    data = {**kwargs.pop("data", {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    response = session.post(url, data=data, timeout=30, **kwargs)
    assert response.status_code < 400, response.text[:500]
    return response


def test_two_app_processes_and_two_workers_share_everything(installation, tmp_path):
    site = installation
    scene = json.loads(site.run("-c", SETUP, str(STATEMENTS), str(VOTERS)))
    first = site.start_app("app-1", free_port())
    second = site.start_app("app-2", free_port())
    site.start_worker("worker-1")
    site.start_worker("worker-2")

    # A session made on one process is honoured by the other (sessions and cache in Redis).
    editor = signed_in(first, scene["editor"])
    page = editor.get(f"{second}{scene['phase']}", timeout=10)
    assert page.ok and "Sign out" in page.text

    # Votes arrive on both ports; the worker recomputes the map once for the whole burst.
    # (Everyone signs in first, so the votes themselves fall inside one debounce period.)
    voters = []
    for index, username in enumerate(scene["voters"]):
        base = (first, second)[index % 2]
        voters.append((base, signed_in(base, username)))
    began = time.monotonic()
    for base, voter in voters:
        for statement in scene["statements"]:
            post(voter, f"{base}{scene['vote']}", data={"statement": statement, "choice": "agree"})
    assert time.monotonic() - began < RECOMPUTE_DEBOUNCE_SECONDS
    votes = VOTERS * STATEMENTS
    wait_for(
        lambda: site.query("SELECT votes_seen FROM opinions_opinionmap") == [(votes,)],
        "the map to include every vote",
    )
    recomputes = site.query(
        "SELECT status, return_value::text FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'roadmap.opinions.tasks.recompute_opinion_map'"
    )
    assert recomputes == [("SUCCESSFUL", "true")], recomputes
    map_page = requests.get(f"{second}{scene['phase']}map/", timeout=10)
    assert map_page.ok and f"{votes}" in map_page.text

    # Both workers look for due periodic jobs at start; the digest is enqueued and sent once.
    wait_for(lambda: list(site.mail.glob("*.log")), "the digest e-mail")
    time.sleep(3)  # room for a second, wrong, digest to arrive
    messages = "".join(path.read_text() for path in site.mail.glob("*.log"))
    assert messages.count("Subject: Your daily summary") == 1
    assert "A proposal you follow was answered." in messages
    assert site.query("SELECT count(*) FROM core_periodicrun WHERE job = 'daily-digest'") == [(1,)]

    # A file uploaded through one process is served by the other (shared storage).
    csv = b"indicator;period;value\nEC: ICT: ICT: 1C;2024;87,5\n"
    upload = editor.get(f"{first}/m/fjordvik/indicators/import/", timeout=10)
    assert upload.ok
    batch_page = post(
        editor,
        f"{first}/m/fjordvik/indicators/import/",
        files={"file": ("household internet.csv", csv, "text/csv")},
    )
    source = re.search(r'href="([^"]+/source/)"', batch_page.text)
    assert source, "the batch page links the uploaded file"
    download = editor.get(f"{second}{source.group(1)}", timeout=10)
    assert download.ok and download.content == csv

    # A worker killed mid-task: its task goes back on the queue and completes exactly once.
    key = f"slow-{uuid.uuid4().hex[:8]}"
    site.run("-c", ENQUEUE_SLOW_TASK % key)
    holder = wait_for(
        lambda: site.query(
            "SELECT worker_ids->>-1 FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'tests.core.task_functions.count_after' AND status = 'RUNNING'"
        ),
        "a worker to start the slow task",
    )[0][0]
    site.kill(holder)
    site.start_worker("worker-3")
    done = wait_for(
        lambda: site.query(
            "SELECT jsonb_array_length(worker_ids), return_value::text "
            "FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'tests.core.task_functions.count_after' AND status = 'SUCCESSFUL'"
        ),
        "the rescued task to complete",
        timeout=90,
    )
    assert done == [(2, "1")]
    assert redis.Redis.from_url(REDIS_URL).get(f":1:{key}") == b"1"
