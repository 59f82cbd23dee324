"""The SQLite backend's queue of writers (roadmap.core.sqlite_backend)."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import connection, connections, transaction

from roadmap.core.sqlite_backend.base import DatabaseWrapper

# A file database of its own, whatever database the suite runs on.
pytestmark = pytest.mark.django_db
ALIAS = "writer_queue_test"


def _settings(name: str) -> dict:
    return {
        **connection.settings_dict,
        "ENGINE": "roadmap.core.sqlite_backend",
        "NAME": name,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
    }


@pytest.fixture
def database(tmp_path):
    return _settings(str(tmp_path / "queue.sqlite3"))


def _write(settings_dict, done: list[str], *, fail: bool = False) -> None:
    """In this thread: one write transaction through its own connection."""
    wrapper = DatabaseWrapper(settings_dict, ALIAS)
    connections[ALIAS] = wrapper
    try:
        with transaction.atomic(using=ALIAS):
            wrapper.cursor().execute("CREATE TABLE IF NOT EXISTS t (n integer)")
            wrapper.cursor().execute("INSERT INTO t VALUES (1)")
            if fail:
                raise RuntimeError("rolled back")
        done.append("committed")
    except RuntimeError:
        done.append("rolled back")
    finally:
        wrapper.close()


def _held_turn(settings_dict) -> int:
    descriptor = os.open(f"{settings_dict['NAME']}-writers", os.O_RDWR | os.O_CREAT)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _turn_is_free(settings_dict) -> bool:
    descriptor = os.open(f"{settings_dict['NAME']}-writers", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


def test_a_write_transaction_waits_for_the_writer_before_it(database):
    holder = _held_turn(database)
    done: list[str] = []
    writer = threading.Thread(target=_write, args=(database, done))
    writer.start()
    writer.join(0.3)
    assert done == [], "the transaction began while another writer had its turn"
    fcntl.flock(holder, fcntl.LOCK_UN)
    os.close(holder)
    writer.join(5)
    assert done == ["committed"]


@pytest.mark.parametrize("fail", [False, True], ids=["commit", "rollback"])
def test_the_turn_is_given_up_at_commit_and_at_rollback(database, fail):
    done: list[str] = []
    _write(database, done, fail=fail)
    assert done == ["rolled back" if fail else "committed"]
    assert _turn_is_free(database)


def test_in_memory_databases_have_no_queue_file():
    wrapper = DatabaseWrapper(_settings(":memory:"), ALIAS)
    assert wrapper._writer_queue_path() is None
