"""A fixed-window rate limit kept in the cache, so it holds across app processes with Redis."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


# A retry meets a window that has just begun, which cannot end before incr; one more for margin.
HIT_ATTEMPTS = 3


class RateLimit:
    def __init__(self, name: str, *, limit: int, window_seconds: int) -> None:
        self.name = name
        self.limit = limit
        self.window_seconds = window_seconds

    def _key(self, identity: str) -> str:
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{digest}"

    def is_exceeded(self, identity: str) -> bool:
        return cache.get(self._key(identity), 0) >= self.limit

    def hit(self, identity: str) -> None:
        """Count one hit. add starts a window with its timeout; incr (atomic in Redis, and
        never creating a key) counts into a running one. A window that ends between the two
        sends us back to add, so no hit is lost and no key is left without a timeout."""
        key = self._key(identity)
        for _attempt in range(HIT_ATTEMPTS):
            if cache.add(key, 1, self.window_seconds):
                return
            try:
                cache.incr(key)
            except ValueError:  # the window ended after add saw it
                continue
            return

    def reset(self, identity: str) -> None:
        cache.delete(self._key(identity))


# Failed sign-ins per address and username: slows password guessing
# without locking anyone out for long.
SIGN_IN_FAILURES = RateLimit("sign-in", limit=5, window_seconds=15 * 60)
# New accounts per address.
SIGN_UPS = RateLimit("sign-up", limit=5, window_seconds=60 * 60)
# Confirmation e-mails asked for again, per account.
CONFIRMATION_EMAILS = RateLimit("confirmation-email", limit=3, window_seconds=60 * 60)
