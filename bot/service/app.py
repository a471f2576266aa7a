"""The webhook receiver: verify, classify, store, answer within milliseconds; never do the review.

Status codes are the contract with GitHub's delivery log: 2xx only for a delivery that is stored
(or needs nothing), 401 unsigned, 400 malformed, 413 too large, 503 when the queue store is down
(the maintainer can then redeliver from the hook's page).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol
from urllib.parse import parse_qs

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from bot.service import signature
from bot.service.errors import BadPayload, QueueUnavailable
from bot.service.events import Ignore, Ping, ReviewJob, classify
from bot.settings import Settings

log = logging.getLogger(__name__)

# GitHub caps payloads at 25 MB; a pull_request payload is ~20-30 kB. 1 MiB leaves ample room and
# keeps an unauthenticated sender from making us buffer (and HMAC) large bodies.
DEFAULT_MAX_BODY = 1024 * 1024


class Queue(Protocol):
    """What the receiver needs from the queue (bot.service.queue.ReviewQueue provides it)."""

    def submit(self, job: ReviewJob) -> bool: ...

    def depth(self) -> dict[str, int]: ...


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

    @app.post("/webhook")
    def webhook() -> Response | tuple[Response, int]:
        length = request.content_length
        if length is not None and length > max_body:  # before a single byte of the body is read
            return _error(413, f"body over {max_body} bytes")
        body = request.get_data(cache=True)
        if len(body) > max_body:
            return _error(413, f"body over {max_body} bytes")
        delivery = request.headers.get("X-GitHub-Delivery", "")
        if secret is not None:
            if not signature.verify(secret, body, request.headers.get("X-Hub-Signature-256")):
                log.warning("rejected delivery=%.100s: missing or wrong signature", delivery)
                return _error(401, "missing or wrong X-Hub-Signature-256")
        else:
            log.warning("unsigned delivery=%.100s accepted (dry run)", delivery)
        event = request.headers.get("X-GitHub-Event", "")
        if not event:
            return _error(400, "missing X-GitHub-Event header")
        if not delivery:
            return _error(400, "missing X-GitHub-Delivery header")
        try:
            payload = _parse(body, request.mimetype)
            outcome = classify(event, request.headers, payload, review_drafts)
        except BadPayload as exc:
            log.info("bad payload delivery=%.100s event=%.50s: %s", delivery, event, exc)
            return _error(400, str(exc), field=exc.field)
        if isinstance(outcome, Ping):
            log.info("ping delivery=%s", delivery)
            return jsonify(status="pong", zen=outcome.zen), 200
        if isinstance(outcome, Ignore):
            log.info("ignored delivery=%s event=%.50s: %s", delivery, event, outcome.reason)
            # the reason may quote payload text: keep the header ASCII (werkzeug encodes latin-1)
            reason = outcome.reason.encode("ascii", "backslashreplace").decode("ascii")[:200]
            return Response(status=204, headers={"X-Bot-Ignored": reason})
        try:
            stored = queue.submit(outcome)
        except QueueUnavailable as exc:
            log.error("queue unavailable, delivery=%s not acknowledged: %s", delivery, exc)
            return _error(503, "queue unavailable, please redeliver")
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
        except QueueUnavailable as exc:
            log.error("healthz: queue unavailable: %s", exc)
            return jsonify(status="unavailable", queue=None), 503
        return jsonify(status="ok", queue=depth, dry_run=settings.dry_run), 200

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


def _error(code: int, message: str, **extra: str) -> tuple[Response, int]:
    return jsonify(error=message, **extra), code
