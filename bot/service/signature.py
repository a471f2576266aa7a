"""GitHub webhook signatures: HMAC-SHA256 of the raw body, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value GitHub sends for ``body`` (also used by tests and the bench)."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """True only when ``header`` is the exact signature of ``body``; a missing or malformed header is
    simply False, so the caller answers 401 without distinguishing the cases to a prober."""
    if not header or not header.startswith(PREFIX):
        return False
    expected = sign(secret, body)
    # compare_digest on ASCII bytes: constant time, and no TypeError on non-ASCII input.
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace"))
