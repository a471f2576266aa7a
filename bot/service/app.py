"""The webhook receiver: verify, classify, store, answer within milliseconds; never do the review.

Status codes are the contract with GitHub's delivery log: 2xx only for a delivery that is stored
(or needs nothing), 401 unsigned, 400 malformed, 413 too large, 503 when the queue store is down
(the maintainer can then redeliver from the hook's page).

Beside the webhook: ``GET /healthz`` (queue depth, age of the oldest waiting job), ``GET /metrics``
(Prometheus, bot.service.metrics) and ``GET /``, the status page (last reviews, effective config).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import re
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from bot.service import logs, metrics, signature
from bot.service.errors import BadPayload, QueueUnavailable
from bot.service.events import Ignore, Ping, ReviewJob, classify
from bot.settings import Settings

log = logging.getLogger(__name__)

# GitHub caps payloads at 25 MB; a pull_request payload is ~20-30 kB. 1 MiB leaves ample room and
# keeps an unauthenticated sender from making us buffer (and HMAC) large bodies.
DEFAULT_MAX_BODY = 1024 * 1024
STATUS_ROWS = 50
_REPO = re.compile(r"\A[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")  # anchored: used with fullmatch


class Queue(Protocol):
    """What the receiver needs from the queue (bot.service.queue.ReviewQueue provides it)."""

    def submit(self, job: ReviewJob) -> bool: ...

    def depth(self) -> dict[str, int]: ...

    def oldest_waiting(self, now: float | None = None) -> float | None: ...

    def recent_reviews(self, limit: int = 50) -> list[dict[str, Any]]: ...

    def deliveries(self, limit: int = 50) -> list[dict[str, Any]]: ...

    def metric_snapshots(self) -> list[dict[str, Any]]: ...


def create_app(
    settings: Settings,
    queue: Queue,
    *,
    review_drafts: bool = False,
    max_body: int = DEFAULT_MAX_BODY,
) -> Flask:
    """Build the receiver. Refuses an unsigned setup that could post: without a webhook secret
    anyone could trigger reviews, so that is only allowed in dry-run mode (no GitHub credentials)."""
    secret = settings.webhook_secret
    if secret is None and not settings.dry_run:
        raise ValueError("GITHUB_WEBHOOK_SECRET is required when GitHub credentials are set")
    if secret is None:
        log.warning("no GITHUB_WEBHOOK_SECRET: accepting unsigned deliveries (dry run, nothing is posted)")

    app = Flask("bot.service")
    # Also caps a chunked body (no Content-Length): werkzeug stops reading at this many bytes, so one
    # byte over max_body tells "too large" apart from "exactly at the limit".
    app.config["MAX_CONTENT_LENGTH"] = max_body + 1

    @app.before_request
    def bind_log_context() -> None:
        g.log_token = logs.bind()  # a fresh set of log fields for this request, reset at teardown

    @app.teardown_request
    def reset_log_context(_exc: BaseException | None) -> None:
        token = g.pop("log_token", None)
        if token is not None:
            logs.reset(token)

    @app.post("/webhook")
    def webhook() -> Response | tuple[Response, int]:
        event = request.headers.get("X-GitHub-Event", "")
        length = request.content_length
        if length is not None and length > max_body:  # before a single byte of the body is read
            metrics.delivery(event, "bad_payload")
            return _error(413, f"body over {max_body} bytes")
        body = request.get_data(cache=True)
        if len(body) > max_body:
            metrics.delivery(event, "bad_payload")
            return _error(413, f"body over {max_body} bytes")
        delivery = request.headers.get("X-GitHub-Delivery", "")
        logs.bind(delivery=delivery[:100] or None)
        if secret is not None:
            if not signature.verify(secret, body, request.headers.get("X-Hub-Signature-256")):
                log.warning("rejected delivery=%.100s: missing or wrong signature", delivery)
                metrics.delivery(event, "bad_signature")
                return _error(401, "missing or wrong X-Hub-Signature-256")
        else:
            log.warning("unsigned delivery=%.100s accepted (dry run)", delivery)
        if not event:
            metrics.delivery(event, "bad_payload")
            return _error(400, "missing X-GitHub-Event header")
        if not delivery:
            metrics.delivery(event, "bad_payload")
            return _error(400, "missing X-GitHub-Delivery header")
        try:
            payload = _parse(body, request.mimetype)
            outcome = classify(event, request.headers, payload, review_drafts)
        except BadPayload as exc:
            log.info("bad payload delivery=%.100s event=%.50s: %s", delivery, event, exc)
            metrics.delivery(event, "bad_payload")
            return _error(400, str(exc), field=exc.field)
        if isinstance(outcome, Ping):
            log.info("ping delivery=%s", delivery)
            metrics.delivery(event, "ignored")
            return jsonify(status="pong", zen=outcome.zen), 200
        if isinstance(outcome, Ignore):
            log.info("ignored delivery=%s event=%.50s: %s", delivery, event, outcome.reason)
            metrics.delivery(event, "ignored")
            # the reason may quote payload text: keep the header ASCII (werkzeug encodes latin-1)
            reason = outcome.reason.encode("ascii", "backslashreplace").decode("ascii")[:200]
            return Response(status=204, headers={"X-Bot-Ignored": reason})
        logs.bind(repo=outcome.repo, pr=outcome.number, head_sha=outcome.head_sha)
        try:
            stored = queue.submit(outcome)
        except QueueUnavailable as exc:
            log.error("queue unavailable, delivery=%s not acknowledged: %s", delivery, exc)
            metrics.delivery(event, "queue_unavailable")
            return _error(503, "queue unavailable, please redeliver")
        metrics.delivery(event, "accepted" if stored else "duplicate")
        log.info(
            "%s delivery=%s %s#%d@%s action=%s",
            "queued" if stored else "duplicate",
            delivery,
            outcome.repo,
            outcome.number,
            outcome.head_sha[:12],
            outcome.action,
        )
        return jsonify(status="queued" if stored else "duplicate", delivery=delivery), 202

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        try:
            depth = queue.depth()
            oldest = queue.oldest_waiting()
        except QueueUnavailable as exc:
            log.error("healthz: queue unavailable: %s", exc)
            return jsonify(status="unavailable", queue=None), 503
        age = None if oldest is None else round(oldest, 3)
        return jsonify(status="ok", queue=depth, oldest_waiting_seconds=age, dry_run=settings.dry_run), 200

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        body, content_type = metrics.render(queue)
        return Response(body, status=200, content_type=content_type)

    @app.get("/")
    def status_page() -> Response:
        """Server-rendered (Jinja autoescapes every value): the last reviews and the config in use."""
        error = None
        try:
            reviews, depth, oldest = queue.recent_reviews(STATUS_ROWS), queue.depth(), queue.oldest_waiting()
            pending = queue.deliveries(STATUS_ROWS)
        except QueueUnavailable as exc:
            log.error("status page: queue unavailable: %s", exc)
            reviews, depth, oldest, error, pending = [], None, None, "the queue store is unavailable", []
        config_yaml, config_error = _effective_config(settings)
        # Private repositories' names, PRs and verdicts are for who holds the STATUS_TOKEN only.
        shown = [r for r in reviews if _may_see(r, settings.status_token, request)]
        waiting = [d for d in pending if _may_see(d, settings.status_token, request)]
        html = render_template(
            "status.html",
            rows=[_row(r, _web_url(settings.github_api_url)) for r in shown],
            hidden=len(reviews) - len(shown) + len(pending) - len(waiting),
            deliveries=[_delivery_row(d) for d in waiting],
            token_set=settings.status_token is not None,
            depth=depth,
            oldest=None if oldest is None else round(oldest),
            error=error,
            config_yaml=config_yaml,
            config_error=config_error,
            dry_run=settings.dry_run,
            now=_time(None),
        )
        return Response(html, status=200 if error is None else 503, content_type="text/html; charset=utf-8")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        code = exc.code or 500
        if isinstance(exc, RequestEntityTooLarge):
            return _error(413, f"body over {max_body} bytes")
        return _error(code, exc.name)

    return app


def _parse(body: bytes, mimetype: str) -> Any:
    """JSON body, or the form-encoded ``payload=`` variant GitHub sends when a hook is set that way."""
    text: str | bytes = body
    try:
        if mimetype == "application/x-www-form-urlencoded":
            fields = parse_qs(body.decode("utf-8"))
            if "payload" not in fields:
                raise BadPayload("payload", "missing form field")
            text = fields["payload"][0]
        return json.loads(text)
    except BadPayload:
        raise
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise BadPayload("body", f"not valid JSON ({type(exc).__name__})") from None


def _delivery_row(d: dict[str, Any]) -> dict[str, Any]:
    return {
        **d,
        "updated": _time(d["updated"]) if d["updated"] else "",
        "retry_in": None
        if not d.get("retry_at")
        else max(0, round(float(d["retry_at"]) - dt.datetime.now(dt.UTC).timestamp())),
        "error": d["error"][:300],
    }


def _may_see(entry: dict[str, Any], token: str | None, req: Any) -> bool:
    """A public repository's review, or the request carries the STATUS_TOKEN (Authorization: Bearer,
    or ?token= for a browser). A row that does not say it is public counts as private."""
    if entry.get("private", True) is False:
        return True
    if not token:
        return False
    auth = req.headers.get("Authorization", "")
    given = auth[7:] if auth.startswith("Bearer ") else req.args.get("token", "")
    return hmac.compare_digest(given.encode(), token.encode())


def _web_url(api_url: str) -> str:
    """GitHub's web host for its API URL: api.github.com → github.com, https://h/api/v3 → https://h."""
    parts = urlsplit(api_url)
    host, path = parts.netloc, parts.path.rstrip("/")
    if host.startswith("api."):
        host = host[len("api.") :]
    if path.endswith("/api/v3"):
        path = path[: -len("/api/v3")]
    return f"{parts.scheme or 'https'}://{host}{path}"


def _time(ts: float | None) -> str:
    when = dt.datetime.now(dt.UTC) if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _row(entry: dict[str, Any], web: str) -> dict[str, Any]:
    """A stored review summary as the template shows it; odd values become blanks, not errors."""
    repo, number = str(entry.get("repo") or ""), entry.get("number")
    counts = entry.get("counts") if isinstance(entry.get("counts"), dict) else {}
    linkable = _REPO.fullmatch(repo) is not None and isinstance(number, int)
    try:
        when = _time(float(entry.get("time") or 0))
    except (TypeError, ValueError, OverflowError, OSError):
        when = ""
    return {
        "repo": repo,
        "number": number,
        "url": f"{web}/{repo}/pull/{number}" if linkable else None,
        "sha": str(entry.get("head_sha") or "")[:7],
        "conclusion": str(entry.get("conclusion") or ""),
        "verdict": str(entry.get("verdict") or ""),
        "counts": {s: int(counts.get(s) or 0) for s in ("error", "warning", "notice")},
        "dry_run": bool(entry.get("dry_run")),
        "time": when,
    }


def _effective_config(settings: Settings) -> tuple[str, str | None]:
    """The deployment's config.yml as the job reads it, defaults merged, as YAML; or the error."""
    from bot.core.config.config import ConfigError
    from bot.core.config.config_yaml import dump, effective
    from bot.service.job import load_config

    try:
        cfg = load_config(settings)
    except (ConfigError, OSError) as exc:
        return "", str(exc)
    origin = "embedded defaults" if cfg.source == "<defaults>" else f"{cfg.source} over the defaults"
    return f"# effective config: {origin}\n{dump(effective(cfg))}", None


def _error(code: int, message: str, **extra: str) -> tuple[Response, int]:
    return jsonify(error=message, **extra), code
