"""Tasks for the tests of the task plumbing (importable by path, as a worker needs)."""

import time

from django.core.cache import cache
from django_tasks import task

RECORDED: list[int] = []


@task()
def record(value: int) -> int:
    RECORDED.append(value)
    return value * 10


@task()
def tick() -> None:
    RECORDED.append(0)


@task()
def count_after(key: str, seconds: float) -> int:
    """Wait, then count one run in the shared cache: how many times the task has completed."""
    time.sleep(seconds)
    cache.add(key, 0, timeout=None)
    return cache.incr(key)


def run_worker_batch() -> None:
    """`manage.py worker --batch` inside the test's transaction. The worker closes stale
    connections between tasks; on PostgreSQL that would close the test's own transaction."""
    from io import StringIO
    from unittest import mock

    from django.core.management import call_command

    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO())
