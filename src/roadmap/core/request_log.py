"""A request id on every response and log line, and one access log line per request.

The id comes from the proxy's X-Request-ID header when it is a sane token, so one id follows a
request from the proxy's log into ours; anything else is replaced by a fresh id. The access
line goes to the `roadmap.access` logger, which settings switch on with LOG_FORMAT=json.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and - _ . only, at most 128 characters: safe in a header and in a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
access_logger = logging.getLogger("roadmap.access")


def request_id_from(request: HttpRequest) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    if SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Gives every log record a `request_id` (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


def signed_in_user_id(request: HttpRequest) -> int | None:
    # request.user exists only once AuthenticationMiddleware ran (not for static files or probes).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request)
        # Kept until the response is closed: Django logs 4xx and 5xx after the middleware.
        current_request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": signed_in_user_id(request),
            },
        )
        return response


@receiver(request_finished)
def forget_request_id(**kwargs: object) -> None:
    current_request_id.set(None)
