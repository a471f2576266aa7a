"""WSGI entry for gunicorn, built from the environment on first use, never at import.

gunicorn 'bot.service.wsgi:create()'     # factory form
gunicorn bot.service.wsgi:app            # attribute form, via the module __getattr__
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

_lock = threading.Lock()
_app: Flask | None = None


def create() -> Flask:
    """A receiver for this process: Settings from the environment, queue producer only."""
    from bot.service.app import create_app
    from bot.service.connections import Connections
    from bot.service.serve import configure_logging, load_settings, review_drafts

    settings = load_settings()
    configure_logging(settings=settings)
    return create_app(settings, Connections(settings).queue, review_drafts=review_drafts(settings))


def __getattr__(name: str) -> Any:
    global _app
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _lock:
        if _app is None:
            _app = create()
    return _app
