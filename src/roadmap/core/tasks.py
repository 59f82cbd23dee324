"""Background work through Django's Tasks API (the `django_tasks` backport of `django.tasks`).

Tasks are `@task` functions in each app's `tasks.py`; code enqueues them through `enqueue` below,
which knows one thing the API leaves to the caller: when the task may be handed over.

- The database queue (`django_tasks_db`, the default) writes the task in the caller's
  transaction, so the task exists exactly when the data it works on does.
- A queue outside the database (RQ on Redis) gets the task only after the commit, so a worker
  never picks up work whose rows it cannot see yet, and a rolled-back request leaves no task.
- The in-process backends of the tests run the task at once.

Tasks take plain, JSON-friendly keyword arguments and find everything else in the database.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

# The backend option that asks for hand-over after the commit (see settings.TASKS).
AFTER_COMMIT_OPTION = "enqueue_after_commit"


def enqueue(task: Task[..., Any], *, delay: float = 0, **kwargs: Any) -> None:
    """Queue `task(**kwargs)` to start no earlier than `delay` seconds from now."""
    backend = task.get_backend()
    if delay > 0 and backend.supports_defer:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    if backend.options.get(AFTER_COMMIT_OPTION):
        transaction.on_commit(lambda: task.enqueue(**kwargs))
    else:
        task.enqueue(**kwargs)
