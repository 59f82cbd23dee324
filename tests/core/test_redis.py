"""With Redis, rate limits and sessions hold across app processes: nothing lives in one
process's memory. Each child process is a fresh interpreter on the real settings with REDIS_URL."""

import json
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from roadmap.core.ratelimit import RateLimit
from tests.factories import UserFactory
from tests.real_settings import ROOT, environment_with, real_settings

pytestmark = pytest.mark.services

REDIS_URL = "redis://127.0.0.1:6379/0"
WINDOW_SECONDS = 60
ROUNDS = 5  # hits per identity per process
SHARED = [f"shared-{number}" for number in range(40)]  # hit by both processes
ALONE = "hit-by-the-first-process-only"
HITTER = """
import sys, time
import django
django.setup()
from django.core.cache import cache
from roadmap.core.ratelimit import RateLimit

rounds, window, *identities = sys.argv[1:]
limit = RateLimit("together", limit=10**6, window_seconds=int(window))
print("ready", flush=True)
while cache.get("go") is None:
    time.sleep(0.002)
for _round in range(int(rounds)):
    for identity in identities:
        limit.hit(identity)
"""
SESSION_READER = """
import json, sys
from importlib import import_module
import django
django.setup()
from django.conf import settings

session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=sys.argv[1])
print(json.dumps({"engine": settings.SESSION_ENGINE, "user": session.get("_auth_user_id")}))
"""


@pytest.fixture
def redis_prefix(tmp_path):
    """The real settings' Redis cache under a prefix of this run's own; its keys go after."""
    prefix = f"roadmap-test-{uuid.uuid4().hex}"
    environment = environment_with(
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        # An empty database: whatever a child reads must come from Redis.
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    # This process uses the very configuration that the settings give a child.
    with override_settings(**real_settings(environment, "CACHES", "SESSION_ENGINE")):
        yield prefix, environment
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _child(script, environment, *args, **popen):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", script, *args], env=environment, text=True, cwd=ROOT, **popen
    )


def test_two_processes_hitting_one_limit_together_count_every_hit(redis_prefix):
    prefix, environment = redis_prefix
    assert cache.get("go") is None
    first = _child(
        HITTER,
        environment,
        str(ROUNDS),
        str(WINDOW_SECONDS),
        *SHARED,
        ALONE,
        stdout=subprocess.PIPE,
    )
    second = _child(
        HITTER, environment, str(ROUNDS), str(WINDOW_SECONDS), *SHARED, stdout=subprocess.PIPE
    )
    try:
        assert first.stdout.readline() == "ready\n"
        assert second.stdout.readline() == "ready\n"
        cache.set("go", 1)  # both start hitting at once
        assert first.wait(timeout=60) == 0
        assert second.wait(timeout=60) == 0
    finally:
        first.kill()
        second.kill()
    counted = RateLimit("together", limit=2 * ROUNDS, window_seconds=WINDOW_SECONDS)
    assert {identity: cache.get(counted._key(identity)) for identity in SHARED} == {
        identity: 2 * ROUNDS for identity in SHARED
    }
    assert all(counted.is_exceeded(identity) for identity in SHARED)
    assert cache.get(counted._key(ALONE)) == ROUNDS
    assert not counted.is_exceeded(ALONE)
    client = redis.Redis.from_url(REDIS_URL)
    timeouts = [client.ttl(key) for key in client.scan_iter(f"{prefix}:*ratelimit:*")]
    assert len(timeouts) == len(SHARED) + 1
    assert all(0 < seconds <= WINDOW_SECONDS for seconds in timeouts)  # none left without one


@pytest.mark.django_db
def test_a_session_from_one_process_is_read_by_another_from_redis(redis_prefix):
    _prefix, environment = redis_prefix
    user = UserFactory()
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=session_key).exists()  # durable in the database
    reader = _child(SESSION_READER, environment, session_key, stdout=subprocess.PIPE)
    output, _errors = reader.communicate(timeout=60)
    assert reader.returncode == 0
    assert json.loads(output) == {
        "engine": "django.contrib.sessions.backends.cached_db",
        "user": str(user.pk),
    }
