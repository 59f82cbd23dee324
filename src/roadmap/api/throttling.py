"""One request budget per client address, counted in the cache (Redis when several app
processes run), so the limit holds across processes."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ApiRateThrottle(AnonRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        # Read at each request, not at import, so a deployment (or a test) can change it.
        return settings.API_RATE_LIMIT
