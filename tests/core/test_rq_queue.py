"""The Redis queue (TASK_QUEUE=redis, RQ): a task enqueued by one process runs in an RQ worker
process and its result is read back by a third, through the same Tasks API."""

import os
import subprocess
import sys
import uuid

import pytest
import redis

pytestmark = pytest.mark.services

# A Redis database of its own, emptied before and after, so nothing else's keys are touched.
REDIS_URL = "redis://127.0.0.1:6379/14"


def django(tmp_path, *command: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "roadmap.settings",
        "TASK_QUEUE": "redis",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "1",
        "PYTHONPATH": os.pathsep.join(["src", "."]),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, *command], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def empty_redis_database():
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield
    connection.flushdb()


def test_a_task_crosses_processes_through_rq(tmp_path, empty_redis_database):
    marker = uuid.uuid4().hex[:8]
    enqueue = (
        "import django; django.setup()\n"
        "from roadmap.core import tasks\n"
        "from tests.core.task_functions import record\n"
        "from django.db import transaction\n"
        "with transaction.atomic():\n"
        "    tasks.enqueue(record, value=4)\n"
        "    assert not __import__('django_rq').get_queue('default').job_ids, 'before commit'\n"
        "print(__import__('django_rq').get_queue('default').job_ids[0])\n"
    )
    job_id = django(tmp_path, "-c", enqueue)

    django(
        tmp_path,
        "manage.py",
        "rqworker",
        "default",
        "--burst",
        "--name",
        marker,
        "--job-class",
        "django_tasks_rq.Job",
    )

    read = (
        "import django; django.setup()\n"
        "from tests.core.task_functions import record\n"
        f"result = record.get_backend().get_result({job_id!r})\n"
        "print(result.status, result.return_value)\n"
    )
    assert django(tmp_path, "-c", read) == "SUCCESSFUL 40"
