"""JSON log lines that say which delivery and which pull request they are about.

The receiver binds ``delivery`` (then ``repo``, ``pr``, ``head_sha``) for one request, the queue binds
all four for one job; :class:`JsonFormatter` adds whatever is bound to every record of that thread
(contextvars), so a line from deep inside the GitHub adapter can still be found by delivery id.
One JSON object per line, for log pipelines; ``BOT_LOG_FORMAT=text`` keeps the human format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

FIELDS = ("delivery", "repo", "pr", "head_sha")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

_context: ContextVar[dict[str, Any] | None] = ContextVar("bot_log_context", default=None)


def current() -> dict[str, Any]:
    """The fields bound in this thread/context (a copy)."""
    return dict(_context.get() or {})


def bind(**fields: Any) -> Token[dict[str, Any] | None]:
    """Add fields (None values are dropped) for the rest of this context; reset with the token."""
    merged = {**current(), **{k: v for k, v in fields.items() if v is not None}}
    return _context.set(merged)


def reset(token: Token[dict[str, Any] | None]) -> None:
    _context.reset(token)


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """``with bound(delivery=...)``: the fields on every log line inside the block."""
    token = bind(**fields)
    try:
        yield
    finally:
        reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, the bound fields,
    and the traceback when there is one. Known secret values are replaced, as a last line of defence:
    nothing should log them, and a log is readable by more people than the secret is."""

    def __init__(self, redact: Iterable[str | None] = ()) -> None:
        super().__init__()
        # Short values would blank out ordinary words; real secrets are long.
        self._secrets = sorted({s for s in redact if s and len(s) >= 8}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._clean(record.getMessage()),
        }
        bound_fields = _context.get() or {}
        for name in FIELDS:
            value = getattr(record, name, None)  # logger.info(..., extra={"repo": ...}) wins
            if value is None:
                value = bound_fields.get(name)
            if value is not None:
                doc[name] = value
        if record.exc_info:
            doc["exception"] = self._clean(self.formatException(record.exc_info))
        if record.stack_info:
            doc["stack"] = self._clean(self.formatStack(record.stack_info))
        return json.dumps(doc, ensure_ascii=False, default=str)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


def configure(
    fmt: str | None = None, *, secrets: Iterable[str | None] = (), level: int = logging.INFO
) -> str:
    """Log to stderr in ``fmt`` (``json`` or ``text``; None: env BOT_LOG_FORMAT, default json);
    returns the format used. Leaves a root logger that is already configured alone."""
    import os

    raw = fmt or os.environ.get("BOT_LOG_FORMAT") or "json"
    chosen = raw.strip().lower()
    unknown = chosen not in ("json", "text")
    if unknown:
        chosen = "json"
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter(secrets) if chosen == "json" else logging.Formatter(TEXT_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    if unknown:
        logging.getLogger(__name__).warning("BOT_LOG_FORMAT=%.20r is not json or text: using json", raw)
    return chosen
