"""A fixed-window rate limit kept in the cache, so it holds across app processes with Redis."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


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
        key = self._key(identity)
        if cache.add(key, 1, self.window_seconds):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.window_seconds)

    def reset(self, identity: str) -> None:
        cache.delete(self._key(identity))


# Failed sign-ins per address and username: slows password guessing
# without locking anyone out for long.
SIGN_IN_FAILURES = RateLimit("sign-in", limit=5, window_seconds=15 * 60)
# New accounts per address.
SIGN_UPS = RateLimit("sign-up", limit=5, window_seconds=60 * 60)
