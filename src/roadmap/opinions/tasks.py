"""The opinion maps' background tasks (run by `manage.py worker`; see roadmap.core.tasks)."""

from django_tasks import task

from roadmap.opinions import services


@task()
def recompute_opinion_map(phase_id: int) -> bool:
    """Recompute the phase's map if votes arrived and no one else is computing it."""
    return services.recompute_when_due(phase_id=phase_id)


@task()
def recompute_forgotten_maps() -> int:
    """Periodic safety net: recompute maps whose mark is older than any queued task would be
    (a task lost with a Redis queue flushed, say). The number recomputed."""
    return services.recompute_dirty_maps(older_than_seconds=services.FORGOTTEN_AFTER_SECONDS)
