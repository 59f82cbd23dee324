"""The database task worker's upkeep, beside `django_tasks_db`'s own worker loop.

django_tasks_db marks a task RUNNING when a worker claims it and never looks at it again, so a
worker killed mid-task (out of memory, a deploy, a lost machine) would leave its task running
for ever. Each `manage.py worker` therefore beats every few seconds; any worker puts the tasks
of a worker that stopped beating back on the queue, and fails a task after it has taken down
MAX_ATTEMPTS workers. Tasks are written to be safe to run again (they work from the state of
the database), so a task that was cut off and run again still has its effect once.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from roadmap.core import periodic
from roadmap.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker silent for SILENT_BEATS heartbeats is taken for dead.
SILENT_BEATS = 6
PERIODIC_CHECK_SECONDS = 60.0
MAX_ATTEMPTS = 3
# Background work runs at a lower CPU priority than requests on the same machine.
BACKGROUND_NICENESS = 10


class WorkerLost(RuntimeError):
    """The task's worker stopped while running it, MAX_ATTEMPTS times."""


def lower_priority() -> None:
    try:
        os.nice(BACKGROUND_NICENESS)
    except OSError:  # not permitted here: run at normal priority
        logger.warning("Could not lower the priority of background work")


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": timezone.now()}
    )


def heartbeat_seconds() -> float:
    return float(settings.TASK_WORKER_HEARTBEAT_SECONDS)


def rescue_abandoned_tasks(now: datetime.datetime | None = None) -> int:
    """Requeue (or fail, after MAX_ATTEMPTS) running tasks whose worker is silent; how many."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=heartbeat_seconds() * SILENT_BEATS)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=since).values_list("worker_id", flat=True)
    )
    rescued = 0
    for candidate in DBTaskResult.objects.running().filter(started_at__lt=since):
        if candidate.worker_ids and candidate.worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            held = DBTaskResult.objects.select_for_update().filter(
                pk=candidate.pk, status=TaskResultStatus.RUNNING
            )
            task_result = held.first()
            if task_result is None or task_result.worker_ids != candidate.worker_ids:
                continue  # finished, or claimed again, meanwhile
            if len(task_result.worker_ids) >= MAX_ATTEMPTS:
                task_result.set_failed(
                    WorkerLost(f"Its worker stopped {len(task_result.worker_ids)} times")
                )
                logger.error("Task %s failed: its worker stopped each time", task_result.pk)
            else:
                held.update(status=TaskResultStatus.READY, started_at=None)
                logger.warning("Task %s put back on the queue: its worker stopped", candidate.pk)
        rescued += 1
    WorkerHeartbeat.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()
    return rescued


class Upkeep(threading.Thread):
    """Beats, rescues and enqueues periodic jobs while the worker loop runs tasks."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="task-worker-upkeep", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        next_periodic_check = 0.0
        while not self.stopping.is_set():
            close_old_connections()
            try:
                beat(self.worker_id)
                rescue_abandoned_tasks()
                if timezone.now().timestamp() >= next_periodic_check:
                    periodic.enqueue_due_jobs()
                    next_periodic_check = timezone.now().timestamp() + PERIODIC_CHECK_SECONDS
            except Exception:  # the database may be away for a moment; try again next beat
                logger.exception("Task worker upkeep failed")
            self.stopping.wait(heartbeat_seconds())
        close_old_connections()
