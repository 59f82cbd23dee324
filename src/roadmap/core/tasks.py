"""The one interface for background work: `enqueue("module.function", **kwargs)`.

Backends, chosen by settings.TASKS_BACKEND:

- "thread" (default): after the current transaction commits, the task runs in this process on a
  single daemon worker thread. A task enqueued again under the same `key` while it still waits
  is not queued twice, which coalesces bursts (e.g. many votes → one map recompute).
- "immediate": runs at once in the caller (tests, scripts).
- "off": does nothing; work is then found from marks in the database by a worker command (e.g.
  `manage.py recompute_opinion_maps --loop`), which is how several app processes share work.

No queue server (Redis/RQ, Celery) backend is built in; one would go in `_BACKENDS` and
receive the same (path, delay, kwargs). Tasks must therefore take plain, JSON-friendly keyword
arguments and find everything else in the database.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_pending: set[str] = set()
_lock = threading.Lock()


# Background work runs at a lower CPU priority than requests, so a long computation (an opinion
# map) does not slow down the votes arriving meanwhile. On Linux nice() applies to the calling
# thread only, so the request threads of the same process keep their priority.
BACKGROUND_NICENESS = 10


def lower_priority() -> None:
    """Lower the calling thread's CPU priority (worker threads and worker commands call this)."""
    try:
        os.nice(BACKGROUND_NICENESS)
    except OSError:  # not permitted here: run at normal priority
        logger.warning("Could not lower the priority of background work")


def _run(path: str, kwargs: dict[str, Any]) -> None:
    import_string(path)(**kwargs)


def _run_in_thread(path: str, kwargs: dict[str, Any], key: str | None) -> None:
    if key is not None:
        with _lock:
            _pending.discard(key)
    close_old_connections()
    try:
        _run(path, kwargs)
    except Exception:  # a failed task must not kill the worker thread
        logger.exception("Background task %s failed", path)
    finally:
        close_old_connections()


def _executor_instance() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="roadmap-task", initializer=lower_priority
            )
        return _executor


def _submit_to_thread(path: str, kwargs: dict[str, Any], delay: float, key: str | None) -> None:
    if key is not None:
        with _lock:
            if key in _pending:
                return
            _pending.add(key)

    def submit() -> None:
        _executor_instance().submit(_run_in_thread, path, kwargs, key)

    if delay > 0:
        timer = threading.Timer(delay, submit)
        timer.daemon = True
        timer.start()
    else:
        submit()


def _thread(path: str, kwargs: dict[str, Any], delay: float, key: str | None) -> None:
    transaction.on_commit(lambda: _submit_to_thread(path, kwargs, delay, key))


def _immediate(path: str, kwargs: dict[str, Any], delay: float, key: str | None) -> None:
    _run(path, kwargs)


def _off(path: str, kwargs: dict[str, Any], delay: float, key: str | None) -> None:
    return None


_BACKENDS: dict[str, Callable[[str, dict[str, Any], float, str | None], None]] = {
    "thread": _thread,
    "immediate": _immediate,
    "off": _off,
}


def enqueue(path: str, *, delay: float = 0, key: str | None = None, **kwargs: Any) -> None:
    """Run the function at dotted `path` with `kwargs` in the background, `delay` seconds after
    the current transaction commits. Tasks with the same `key` waiting to run are coalesced."""
    backend = getattr(settings, "TASKS_BACKEND", "thread")
    try:
        run = _BACKENDS[backend]
    except KeyError:
        raise ValueError(f"Unknown TASKS_BACKEND {backend!r}") from None
    run(path, kwargs, delay, key)


def wait_for_thread_tasks(timeout: float = 10) -> None:
    """Block until tasks already handed to the worker thread have run (for tests and scripts)."""
    executor = _executor_instance()
    executor.submit(lambda: None).result(timeout=timeout)
