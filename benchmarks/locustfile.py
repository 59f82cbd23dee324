"""One endpoint per locust run, chosen by load.py through the environment:

BENCH_PATH     the path to request
BENCH_COOKIE   optional Cookie header (a signed-in member's session)
BENCH_MAX      stop after this many requests even if time is left
"""

import os

import locust_clock  # noqa: F401 (a run lasts its --run-time)
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

PATH = os.environ.get("BENCH_PATH", "/bench/trivial/")
HEADERS = {"Cookie": os.environ["BENCH_COOKIE"]} if os.environ.get("BENCH_COOKIE") else {}
MAX_REQUESTS = int(os.environ.get("BENCH_MAX", "20000"))
sent = 0


class PageReader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read_page(self):
        global sent
        if sent >= MAX_REQUESTS:
            self.environment.runner.quit()
            raise StopUser()
        sent += 1
        with self.client.get(
            PATH, name="page", headers=HEADERS, allow_redirects=False, catch_response=True
        ) as response:
            # A redirect or error would hide the page's real cost: count it as a failure.
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
