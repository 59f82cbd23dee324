"""Background work for large imports (run by `manage.py worker`; see roadmap.core.tasks).
Both tasks are safe to run twice: they act only on a batch still in progress."""

from django_tasks import task

from . import services


@task()
def check_import(batch_id: int, language: str) -> bool:
    """Read a large upload back from storage and fill in its preview."""
    return services.check_stored_import(batch_id=batch_id, language=language)


@task()
def commit_import(batch_id: int, actor_id: int, language: str) -> bool:
    """Write a large previewed batch, every row or none, with its audit event for the actor."""
    return services.commit_in_background(batch_id=batch_id, actor_id=actor_id, language=language)
