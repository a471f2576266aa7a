"""Process entry points: ``serve`` (receiver + worker in one process), ``web`` (the receiver alone,
the Procfile's web process) and ``worker`` alone.

Huey's ``Consumer.run()`` installs signal handlers, which Python allows only in the main thread:
so in ``serve`` the consumer owns the main thread and the HTTP front end (bot.service.front) runs in
a daemon thread.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from bot.service import logs
from bot.service.connections import Connections
from bot.service.queue import ReviewQueue
from bot.settings import Settings

log = logging.getLogger(__name__)


def configure_logging(level: int = logging.INFO, settings: Settings | None = None) -> None:
    """One line per event on stderr (12-factor): JSON unless BOT_LOG_FORMAT=text; the settings'
    secrets are redacted should one ever reach a message. Leaves an already configured root alone."""
    secrets = (
        [
            settings.webhook_secret,
            settings.github_token,
            settings.github_app_private_key,
            settings.status_token,
            settings.semantic_scholar_api_key,
        ]
        if settings
        else []
    )
    logs.configure(secrets=secrets, level=level)


def load_settings(config_path: str | None = None) -> Settings:
    """Settings from the environment; an explicit ``--config`` wins over ``BOT_CONFIG``."""
    settings = Settings.from_env()
    if config_path:
        settings = dataclasses.replace(settings, config_path=config_path)
    return settings


def review_drafts(settings: Settings) -> bool:
    """``review.review_drafts``, from the same config.yml the job reads (a bad config fails at start)."""
    from bot.service.job import load_config

    return bool(load_config(settings)["review"]["review_drafts"])


def run_consumer(queue: ReviewQueue, workers: int = 2, **consumer_options: Any) -> None:
    """Recover lost jobs, then consume until SIGINT/SIGTERM. Must run in the main thread."""
    stop_heartbeat = queue.start_heartbeat()
    try:
        recovered = queue.recover()
        if recovered:
            log.warning("re-enqueued %d job(s) lost by a previous worker", len(recovered))
        queue.consumer(workers=workers, **consumer_options).run()
    finally:
        stop_heartbeat.set()


class StartupError(Exception):
    """``serve`` or ``worker`` cannot start: one line for the operator, and the exit code (2: bad
    usage or config, as ``check`` uses it; 1: the machine or a service is not ready)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _started(config_path: str | None) -> tuple[Settings, ReviewQueue, bool]:
    """Settings, config and queue store checked before anything listens or consumes."""
    from bot.core.config.config import ConfigError

    try:
        settings = load_settings(config_path)
    except OSError as exc:
        raise StartupError(f"GITHUB_APP_PRIVATE_KEY_PATH cannot be read: {exc.strerror or exc}", 2) from None
    try:
        drafts = review_drafts(settings)
    except ConfigError as exc:
        raise StartupError(f"{exc} (fix the file, or point --config/BOT_CONFIG elsewhere)", 2) from None
    configure_logging(settings=settings)
    if settings.redis_url:
        from bot.adapters.redis_url import RedisUrlError, check

        try:
            check(settings.redis_url)
        except RedisUrlError as exc:
            raise StartupError(str(exc), 2 if exc.usage else 1) from None
    queue = Connections(settings).queue
    try:
        queue.depth()
    except Exception as exc:
        where = "REDIS_URL" if settings.redis_url else f"BOT_DATA_DIR ({settings.data_dir})"
        raise StartupError(
            f"the queue store ({where}) is unavailable: {exc}; start it or fix {where}", 1
        ) from None
    return settings, queue, drafts


def worker(config_path: str | None = None, workers: int = 2) -> None:
    """``python -m bot worker``: the queue consumer alone (the Procfile's worker process)."""
    settings, queue, _ = _started(config_path)
    log.info("worker starting: %r", settings)
    run_consumer(queue, workers=workers)


def serve(
    host: str = "127.0.0.1", port: int = 8000, config_path: str | None = None, workers: int = 2
) -> None:
    """``python -m bot serve``: receiver and worker in one process, for a single small host."""
    settings, queue, server = _listening(host, port, config_path)
    thread = threading.Thread(target=server.run, name="http", daemon=True)
    thread.start()
    log.info("listening on http://%s:%s (POST /webhook, GET / /healthz /metrics): %r", host, port, settings)
    try:
        run_consumer(queue, workers=workers)
    finally:
        server.close()  # the daemon thread dies with the process; stop accepting first


def web(host: str = "127.0.0.1", port: int = 8000, config_path: str | None = None) -> None:
    """``python -m bot web``: the receiver alone (the Procfile's and compose's web process, beside
    ``worker`` processes on Redis), on the same front end as ``serve``."""
    settings, _queue, server = _listening(host, port, config_path)
    log.info("listening on http://%s:%s (POST /webhook, GET / /healthz /metrics): %r", host, port, settings)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _listening(host: str, port: int, config_path: str | None) -> tuple[Settings, ReviewQueue, Any]:
    from bot.service.app import DEFAULT_MAX_BODY, create_app
    from bot.service.front import make_server

    settings, queue, drafts = _started(config_path)
    try:
        app = create_app(settings, queue, review_drafts=drafts)
    except ValueError as exc:
        raise StartupError(f"{exc}: set it to the webhook secret of your GitHub App or hook", 2) from None
    # The front end answers 413 right after the headers for a body over the limit: an unsigned
    # sender cannot make it spool a gigabyte (waitress's own default) before the app sees it.
    try:
        return settings, queue, make_server(app, host, port, DEFAULT_MAX_BODY)
    except OSError as exc:
        raise StartupError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (another process on the port? try --port)",
            1,
        ) from None
