"""Periodic jobs: tasks the platform enqueues itself, once per period.

Apps register their jobs in `AppConfig.ready()`. `enqueue_due_jobs` is called every minute by
each `manage.py worker` (and by `manage.py run_periodic_jobs` for a systemd timer or a
Kubernetes CronJob). A job is due once per period; the first caller to write the period's
`PeriodicRun` row enqueues it, every other caller finds the row and does nothing, so two
workers never enqueue one period twice. A period in which nothing ran (all workers down) is
not caught up afterwards: the next period's run does its work, which is why periodic tasks
work from the state of the database ("every notification not yet e-mailed"), not from "the
last 24 hours".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from roadmap.core.models import PeriodicRun

# Periods are counted from this instant (a Monday, 00:00 UTC), shifted by each job's offset.
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[[], Any]
    every: datetime.timedelta
    # Where in the period the job falls: a daily job with offset 5 h runs from 05:00 UTC.
    offset: datetime.timedelta = datetime.timedelta(0)

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        periods = (now - EPOCH - self.offset) // self.every
        return EPOCH + self.offset + periods * self.every


_jobs: dict[str, PeriodicJob] = {}


def register_periodic_job(
    name: str,
    task: Task[[], Any],
    *,
    every: datetime.timedelta,
    offset: datetime.timedelta = datetime.timedelta(0),
) -> None:
    if every <= datetime.timedelta(0) or not datetime.timedelta(0) <= offset < every:
        raise ValueError(f"Periodic job {name!r}: needs every > 0 and 0 <= offset < every")
    _jobs[name] = PeriodicJob(name=name, task=task, every=every, offset=offset)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def enqueue_due_jobs(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each job whose current period has not been enqueued yet; their names."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, period_start=job.period_start(now))
                # The period's row and the task commit together; if the queue refuses the
                # task, the row rolls back and the next call tries again.
                result = job.task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another scheduler enqueued this period
            continue
        enqueued.append(job.name)
    return enqueued
