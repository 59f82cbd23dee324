import json

import pytest
from django.test import Client, override_settings

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
# Nothing listens on port 1: a Redis there is a Redis that is down.
REDIS_DOWN = "redis://127.0.0.1:1/0"


def test_liveness_answers_ok_without_the_database(client):
    # No db fixture: pytest-django refuses any query, so a query here would fail the probe.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_probes_need_no_allowed_host_no_csrf_and_set_no_cookie(db):
    client = Client(enforce_csrf_checks=True)
    # A load balancer or Kubernetes calls by address, which ALLOWED_HOSTS does not list.
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    for path in ("/healthz", "/readyz"):
        response = client.post(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path
        assert not response.cookies


def test_readiness_names_each_check(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "tasks": "ok (runs in process)"},
    }


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_are_not_redirected_to_https(client, db):
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


@override_settings(TASKS=DB_TASKS)
def test_readiness_queries_the_database_task_queue(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == "ok"


def test_readiness_fails_with_503_when_the_database_is_unreachable(client):
    # No db fixture: every query raises, as with a database that is down.
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["checks"]["database"].startswith("failed")
    assert body["checks"]["cache"] == "ok"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_DOWN,
        }
    }
)
def test_readiness_fails_with_503_naming_the_cache_when_redis_is_down(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "failed (ConnectionError)",
        "tasks": "ok (runs in process)",
    }


@override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": REDIS_DOWN}})
def test_readiness_fails_with_503_naming_the_queue_when_rq_redis_is_down(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "failed (ConnectionError)"


@pytest.mark.services
@override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:6379/0"}})
def test_readiness_pings_the_rq_redis(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == "ok"
