"""Background work through Django's Tasks API: when a task is handed over, the database worker,
the rescue of tasks whose worker died, and periodic jobs enqueued once per period."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from roadmap.core import periodic, tasks, worker
from roadmap.core.models import PeriodicRun, WorkerHeartbeat
from tests.core.task_functions import RECORDED, record, run_worker_batch, tick

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AFTER_COMMIT_QUEUE = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "OPTIONS": {"enqueue_after_commit": True},
    }
}


@pytest.fixture(autouse=True)
def nothing_recorded():
    RECORDED.clear()


@pytest.fixture
def database_queue(settings, db, monkeypatch):
    """The real database queue, with no periodic jobs but those a test registers."""
    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setattr(periodic, "_jobs", {})


def test_in_process_backend_runs_the_task_at_once_ignoring_the_delay(db):
    tasks.enqueue(record, delay=30, value=1)

    assert RECORDED == [1]


def test_database_queue_holds_the_task_until_the_delay_has_passed(database_queue):
    before = timezone.now()

    tasks.enqueue(record, delay=30, value=2)

    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY and RECORDED == []
    assert queued.task_path == "tests.core.task_functions.record"
    assert queued.args_kwargs == {"args": [], "kwargs": {"value": 2}}
    assert before + datetime.timedelta(seconds=29) < queued.run_after
    assert not DBTaskResult.objects.ready().exists()  # not yet due


def test_database_queue_drops_a_task_rolled_back_with_its_transaction(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(record, value=3)
        raise RuntimeError

    assert not DBTaskResult.objects.exists()


def test_an_outside_queue_gets_the_task_only_after_the_commit(
    settings, db, django_capture_on_commit_callbacks
):
    settings.TASKS = AFTER_COMMIT_QUEUE
    backend = record.get_backend()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.enqueue(record, value=4)
        assert backend.results == []  # still inside the transaction

    assert len(callbacks) == 1
    assert [result.kwargs for result in backend.results] == [{"value": 4}]


def test_the_worker_runs_due_tasks_and_records_their_results(database_queue):
    tasks.enqueue(record, value=5)
    tasks.enqueue(record, delay=3600, value=6)

    run_worker_batch()

    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == 50 and RECORDED == [5]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def running_task(worker_ids, started_ago=datetime.timedelta(minutes=2)):
    tasks.enqueue(record, value=7)
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - started_ago,
    )
    return DBTaskResult.objects.get()


def test_a_task_whose_worker_stopped_beating_goes_back_on_the_queue_and_runs(database_queue):
    WorkerHeartbeat.objects.create(
        worker_id="killed", beat_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    running_task(["killed"])

    assert worker.rescue_abandoned_tasks() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    run_worker_batch()
    rescued = DBTaskResult.objects.get()
    assert rescued.status == TaskResultStatus.SUCCESSFUL and len(rescued.worker_ids) == 2
    assert RECORDED == [7]


def test_a_task_of_a_live_worker_is_left_alone_however_long_it_runs(database_queue):
    worker.beat("busy")
    running_task(["busy"], started_ago=datetime.timedelta(hours=3))

    assert worker.rescue_abandoned_tasks() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_task_that_took_down_every_worker_it_met_is_failed_not_retried(database_queue):
    running_task(["first", "second", "third"])

    worker.rescue_abandoned_tasks()

    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "roadmap.core.worker.WorkerLost"


DAILY_AT_SIX = periodic.PeriodicJob(
    name="digest-test",
    task=tick,
    every=datetime.timedelta(days=1),
    offset=datetime.timedelta(hours=6),
)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def test_a_daily_job_falls_in_the_period_that_began_at_its_hour():
    assert DAILY_AT_SIX.period_start(at("2026-12-02T05:59")) == at("2026-12-01T06:00")
    assert DAILY_AT_SIX.period_start(at("2026-12-02T06:00")) == at("2026-12-02T06:00")
    assert DAILY_AT_SIX.period_start(at("2026-12-02T23:00")) == at("2026-12-02T06:00")


def test_a_period_is_enqueued_once_however_often_the_schedulers_ask(database_queue):
    periodic.register_periodic_job("test-job", tick, every=datetime.timedelta(hours=1))

    assert periodic.enqueue_due_jobs(at("2026-12-02T10:05")) == ["test-job"]
    assert periodic.enqueue_due_jobs(at("2026-12-02T10:59")) == []
    assert periodic.enqueue_due_jobs(at("2026-12-02T11:00")) == ["test-job"]

    runs = PeriodicRun.objects.order_by("period_start")
    assert [run.period_start for run in runs] == [at("2026-12-02T10:00"), at("2026-12-02T11:00")]
    queued = {str(result.id) for result in DBTaskResult.objects.all()}
    assert {run.task_id for run in runs} == queued and len(queued) == 2


def test_a_job_needs_a_positive_period_and_an_offset_inside_it():
    with pytest.raises(ValueError, match="broken"):
        periodic.register_periodic_job(
            "broken", tick, every=datetime.timedelta(hours=1), offset=datetime.timedelta(hours=1)
        )


def test_the_platform_registers_its_daily_digest_and_the_map_safety_net():
    names = {job.name: job for job in periodic.registered_jobs()}

    assert names["daily-digest"].every == datetime.timedelta(days=1)
    assert names["daily-digest"].task.name == "email_daily_digests"
    assert names["forgotten-opinion-maps"].task.name == "recompute_forgotten_maps"


def test_run_periodic_jobs_says_what_it_enqueued(database_queue):
    periodic.register_periodic_job("test-job", tick, every=datetime.timedelta(hours=1))

    first, second = StringIO(), StringIO()
    call_command("run_periodic_jobs", stdout=first)
    call_command("run_periodic_jobs", stdout=second)

    assert first.getvalue().strip() == "Enqueued: test-job"
    assert second.getvalue().strip() == "Nothing due."
