"""Tasks for the task-queue benchmark (tasks_throughput.py); the workers import them by path,
so they live here, outside the apps."""

from django_tasks import task


@task
def noop() -> None:
    """Does nothing: what is measured is the queue, not the work."""
