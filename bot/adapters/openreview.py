"""OpenReview's public API (version 2): the title and venue of papers linked on openreview.net, which
Semantic Scholar's API cannot be asked about (openreview.net is not among its `URL:` hosts).

`GET /notes?ids=a,b,c` answers `{"notes": [...], "count": N}` with the public notes it has, an id it
does not have simply absent (documented: docs.openreview.net, API V2, "Returns all the Notes by
filter"); public reads need no login. A note's content fields are wrapped (`{"value": ...}`). Notes of
venues that still live on API version 1 are not served here: such an id is unknown, never a verdict.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import requests

from bot import tally
from bot.adapters.batches import USER_AGENT, BatchClient, Failure, detail, text
from bot.core.model import Record, RecordLookup, Venue
from bot.core.records import OPENREVIEW

DEFAULT_API_URL = "https://api2.openreview.net"
MAX_BATCH = 100  # ids in one query string (~1 KB)
INVALID = "not an OpenReview note id"
_ID = re.compile(r"[A-Za-z0-9_\-]{5,40}")
# An accepted paper's venueid is its conference's own group: `ICLR.cc/2024/Conference`; a rejected,
# withdrawn or pending one has a suffix (`/Rejected_Submission`, `/Withdrawn_Submission`, `/Submission`).
_ACCEPTED = re.compile(r"(?P<org>[A-Za-z][A-Za-z0-9]{1,20})\.cc/(?P<year>(?:19|20)\d\d)/Conference")


class OpenReviewClient(BatchClient):
    """Notes in batches of `batch_size` ids, one GET per batch; records keyed `OPENREVIEW:<id>`."""

    source = "OpenReview"
    result = RecordLookup
    default_batch = max_batch = MAX_BATCH
    default_interval = 1.0

    def count(self, ok: bool) -> None:
        tally.records_call(ok=ok)

    def invalid(self, key: str) -> str | None:
        ok = key.startswith(OPENREVIEW) and _ID.fullmatch(key[len(OPENREVIEW) :]) is not None
        return None if ok else INVALID

    def send(self, batch: list[str], timeout: float) -> requests.Response:
        ids = ",".join(k[len(OPENREVIEW) :] for k in batch)
        return self.session.get(
            f"{self.api_url.rstrip('/')}/notes?ids={quote(ids, safe=',')}",
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def read(self, batch: list[str], status: int, body: bytes) -> dict[str, Record]:
        if status == 400:
            raise Failure(
                f"OpenReview rejected the request (400{detail(body, 'message')})",
                retryable=False,
                batch_only=True,
            )
        if status != 200:
            raise Failure(f"OpenReview answered {status}", retryable=False)
        try:
            data = json.loads(body)
            notes = data["notes"] if isinstance(data, dict) else None
            if not isinstance(notes, list):
                raise ValueError("no list of notes")
            wanted = set(batch)
            out: dict[str, Record] = {}
            for n in notes:
                if not isinstance(n, dict) or not isinstance(n.get("id"), str):
                    raise ValueError("a note should be an object with an id")
                key = OPENREVIEW + n["id"]
                if key in wanted:
                    out[key] = parse_note(n)
            return out
        except (ValueError, TypeError, KeyError) as exc:
            raise Failure("OpenReview sent a malformed response") from exc


def parse_note(note: dict[str, Any]) -> Record:
    """A submission note → a Record: its title, its venue text, and, when its venueid is the
    conference's own (accepted), that venue and year as something the record is sure of."""
    content = note.get("content")
    if not isinstance(content, dict):
        raise ValueError("a note's content should be an object")
    title, venue, venueid = (_value(content.get(k)) for k in ("title", "venue", "venueid"))
    m = _ACCEPTED.fullmatch(venueid)
    return Record(
        title=title,
        venue=venue,
        publication_venue=Venue(m["org"], "conference") if m else None,
        year=int(m["year"]) if m else None,
    )


def _value(field: Any) -> str:
    """A content field: `{"value": "..."}` in API version 2 (a bare string in version 1)."""
    return text(field.get("value") if isinstance(field, dict) else field)
