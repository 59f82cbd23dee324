"""Imported by the locustfiles: locust's --run-time timer counts from gevent's cached clock, which
stands still while locust imports (seconds on a busy machine), so a short run could end before
its first request. Refreshing the clock once locust is set up makes a run last as long as asked."""

import gevent
from locust import events


@events.init.add_listener
def refresh_clock(**_kwargs) -> None:
    gevent.get_hub().loop.update_now()
