import io
import json
import logging
import re

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from roadmap.core.request_log import RequestIdFilter, current_request_id

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def test_a_sane_request_id_from_the_proxy_comes_back(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42_x")
    assert response["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize(
    "hostile",
    ["", "a" * 129, "id with spaces", "<script>alert(1)</script>", 'x"}, "level": "fake'],
)
def test_a_hostile_request_id_is_replaced(client, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_each_request_without_an_id_gets_its_own(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first)
    assert first != second


@pytest.fixture
def json_log():
    """The access and request loggers writing through the settings' JSON formatter."""
    options = {
        key: value for key, value in settings.LOGGING["formatters"]["json"].items() if key != "()"
    }
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("roadmap.access"), logging.getLogger("django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield buffer
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_one_json_access_line_per_request_with_the_request_id_and_user(client, editor, json_log):
    client.force_login(editor)
    response = client.get("/?lang=x", HTTP_X_REQUEST_ID="req-123")
    assert response.status_code == 200
    lines = json_log.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["logger"] == "roadmap.access"
    assert line["level"] == "INFO"
    assert line["message"] == "GET / 200"
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert line["request_id"] == "req-123"
    assert line["user_id"] == editor.pk
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_a_not_found_logs_the_access_line_and_django_s_warning_with_one_id(client, db, json_log):
    client.get("/no-such-page/")
    access, warning = (json.loads(line) for line in json_log.getvalue().splitlines())
    assert access["status"] == 404
    assert access["user_id"] is None
    assert GENERATED_ID.fullmatch(access["request_id"])
    assert warning["logger"] == "django.request"
    assert warning["message"] == "Not Found: /no-such-page/"
    assert warning["request_id"] == access["request_id"]


def test_the_request_id_is_forgotten_once_the_response_is_closed(client):
    client.get("/healthz", HTTP_X_REQUEST_ID="done-1")
    assert current_request_id.get() is None
