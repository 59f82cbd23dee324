"""Liveness (/healthz) and readiness (/readyz) for a load balancer or Kubernetes probes.

/healthz answers "ok" while the process serves requests and touches nothing else. /readyz runs
each check in READINESS_CHECKS and answers 200 when all pass, 503 naming the failing ones. The
middleware answers before the security, session and CSRF middleware: no redirect, no cookie, no
host check, no rate limit. The body names only the exception's class; the log has the detail.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.cache import add_never_cache_headers
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return the value just set")
    finally:
        cache.delete(key)
    return "ok"


def check_task_queue() -> str:
    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        DBTaskResult.objects.exists()
        return "ok"
    if type(backend).__module__.startswith("django_tasks_rq."):
        # Imported only for this backend: django-rq and RQ add about a second to start-up.
        import django_rq
        from django_tasks_rq import RQBackend

        assert isinstance(backend, RQBackend)
        for queue_name in sorted(backend.queues):
            django_rq.get_connection(queue_name).ping()
        return "ok"
    return "ok (runs in process)"


READINESS_CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", check_database),
    ("cache", check_cache),
    ("tasks", check_task_queue),
]


def readiness() -> tuple[bool, dict[str, str]]:
    results: dict[str, str] = {}
    ready = True
    for name, check in READINESS_CHECKS:
        try:
            results[name] = check()
        except Exception as error:  # any failure is "not ready", never a 500
            logger.exception("Readiness check %s failed", name)
            results[name] = f"failed ({type(error).__name__})"
            ready = False
    return ready, results


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase
        if request.path_info == LIVENESS_PATH:
            response = HttpResponse("ok", content_type="text/plain")
        elif request.path_info == READINESS_PATH:
            ready, results = readiness()
            response = JsonResponse(
                {"status": "ok" if ready else "failing", "checks": results},
                status=200 if ready else 503,
            )
        else:
            return self.get_response(request)
        # A probe's answer is about this moment and this process: no proxy may keep it.
        add_never_cache_headers(response)
        return response
