"""The background-task interface: immediate, thread after commit (coalesced by key), off."""

import threading

import pytest
from django.db import transaction

from roadmap.core import tasks

CALLS: list[dict] = []
RAN = threading.Event()


def record(**kwargs):
    CALLS.append(kwargs)
    RAN.set()


PATH = "tests.core.test_tasks.record"


@pytest.fixture(autouse=True)
def empty_calls():
    CALLS.clear()
    RAN.clear()


def test_immediate_runs_in_the_caller(settings):
    settings.TASKS_BACKEND = "immediate"

    tasks.enqueue(PATH, delay=30, value=1)

    assert CALLS == [{"value": 1}]


def test_off_runs_nothing(settings):
    settings.TASKS_BACKEND = "off"

    tasks.enqueue(PATH, value=1)

    assert CALLS == []


def test_an_unknown_backend_is_an_error(settings):
    settings.TASKS_BACKEND = "carrier-pigeon"

    with pytest.raises(ValueError, match="carrier-pigeon"):
        tasks.enqueue(PATH)


@pytest.mark.django_db(transaction=True)
def test_thread_runs_after_the_commit_not_before(settings):
    settings.TASKS_BACKEND = "thread"

    with transaction.atomic():
        tasks.enqueue(PATH, value=2)
        assert not RAN.wait(0.2)  # not while the transaction is open

    assert RAN.wait(5)
    tasks.wait_for_thread_tasks()
    assert CALLS == [{"value": 2}]


@pytest.mark.django_db(transaction=True)
def test_thread_drops_a_task_rolled_back_with_its_transaction(settings):
    settings.TASKS_BACKEND = "thread"

    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(PATH, value=3)
        raise RuntimeError

    tasks.wait_for_thread_tasks()
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
def test_thread_coalesces_tasks_with_the_same_key_while_they_wait(settings):
    settings.TASKS_BACKEND = "thread"

    for value in range(5):
        tasks.enqueue(PATH, delay=0.3, key="same", value=value)
    tasks.enqueue(PATH, delay=0.3, key="other", value=9)

    assert RAN.wait(5)
    threading.Event().wait(0.5)  # the timers of both keys fire
    tasks.wait_for_thread_tasks()
    assert sorted(call["value"] for call in CALLS) == [0, 9]
    # Once run, the key is free again.
    RAN.clear()
    tasks.enqueue(PATH, key="same", value=7)
    assert RAN.wait(5)
    tasks.wait_for_thread_tasks()
    assert CALLS[-1] == {"value": 7}
