"""REDIS_URL checked before anything relies on it: one line that names the variable, in seconds, instead
of a traceback (a URL Redis cannot read) or minutes of silent retries (a Redis that is down)."""

from __future__ import annotations

from urllib.parse import urlsplit

CONNECT_SECONDS = 2.0


class RedisUrlError(Exception):
    """REDIS_URL cannot be used; `usage` is True when the value itself is wrong (exit 2)."""

    def __init__(self, message: str, *, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage


def shown(url: str) -> str:
    """The URL without its password, for a message."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return parts._replace(netloc=f"{parts.username or ''}:***@{host}{port}").geturl()
    return url


def check(url: str, timeout: float = CONNECT_SECONDS) -> None:
    """Raise RedisUrlError unless Redis answers a PING at `url` within `timeout` seconds."""
    import redis

    try:
        conn = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    except ValueError as exc:
        raise RedisUrlError(
            f"REDIS_URL={shown(url)!r} is not a Redis URL ({exc}): e.g. redis://localhost:6379/0, "
            "or unset REDIS_URL",
            usage=True,
        ) from None
    try:
        conn.ping()
    except redis.RedisError as exc:
        raise RedisUrlError(
            f"REDIS_URL: Redis at {shown(url)} does not answer ({exc}): start it, fix REDIS_URL, or unset it",
            usage=False,
        ) from None
    finally:
        conn.close()
