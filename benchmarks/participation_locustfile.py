"""Signed-in residents support a proposal and withdraw again, through the real POST endpoint.

Started by participation_load.py, which sets:

BENCH_WRITE_PLAN  a JSON file: a list of {"cookie", "csrf", "path"}, one per simulated resident
                  (a stored session, its CSRF secret, the support URL of their own proposal)
BENCH_MAX         stop after this many requests even if time is left

Every locust user takes the next resident of the plan and alternates support and withdraw, as
the form without JavaScript does (a POST answered by a redirect to the proposal). The requests
are named "support" and "withdraw" in locust's statistics.
"""

import itertools
import json
import os

import locust_clock  # noqa: F401 (a run lasts its --run-time)
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

with open(os.environ["BENCH_WRITE_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
MAX_REQUESTS = int(os.environ.get("BENCH_MAX", "20000"))
residents = itertools.cycle(PLAN)
sent = 0


class Supporter(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.resident = next(residents)
        # The explicit Cookie header wins over locust's cookie jar, so the "messages" cookie the
        # redirect sets is not sent back (a browser's next GET would consume it).
        self.headers = {
            "Cookie": self.resident["cookie"],
            "X-CSRFToken": self.resident["csrf"],
        }

    @task
    def support_then_withdraw(self):
        for action in ("support", "withdraw"):
            self.post(action)

    def post(self, action: str) -> None:
        global sent
        if sent >= MAX_REQUESTS:
            self.environment.runner.quit()
            raise StopUser()
        sent += 1
        with self.client.post(
            self.resident["path"],
            data={"action": action},
            name=action,
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Success is the redirect back to the proposal; anything else hides a failure.
            if response.status_code != 302 or "login" in response.headers.get("Location", ""):
                response.failure(f"status {response.status_code}")
