"""A rate limit counts every hit, even when its window ends while another process counts."""

from django.core.cache import cache

from roadmap.core.ratelimit import RateLimit

LIMIT = RateLimit("test-limit", limit=3, window_seconds=60)


def test_hits_up_to_the_limit_refuse_the_next_and_a_reset_clears_them():
    cache.clear()
    for _hit in range(2):
        LIMIT.hit("someone")
    assert not LIMIT.is_exceeded("someone")
    LIMIT.hit("someone")
    assert LIMIT.is_exceeded("someone")
    assert not LIMIT.is_exceeded("someone else")
    LIMIT.reset("someone")
    assert not LIMIT.is_exceeded("someone")


def test_a_window_ending_between_add_and_incr_loses_no_hit(monkeypatch):
    """Our add sees a window that ends before our incr; meanwhile another process starts the
    next window. Our hit must land in that window, not vanish."""
    cache.clear()
    key = LIMIT._key("someone")
    real_add = cache.add
    calls = []

    def racing_add(name, value, timeout):
        calls.append(name)
        if len(calls) == 1:
            return False  # the old window was still there
        if len(calls) == 2:
            real_add(name, 1, timeout)  # the other process's hit opens the new window
        return real_add(name, value, timeout)

    monkeypatch.setattr(cache, "add", racing_add)
    LIMIT.hit("someone")
    assert cache.get(key) == 2
