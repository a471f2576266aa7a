"""A local OpenReview API (version 2) over real HTTP on loopback, with fault injection.

It answers `GET /notes?ids=a,b,c` as the documented API does (docs.openreview.net, API V2, "Returns
all the Notes by filter": `ids` are note ids): `{"notes": [...], "count": N}` with the public notes
it has, ids it does not have simply absent, each note with `id`, `forum`, `invitations`, `cdate`,
`pdate` and a `content` whose fields are wrapped as `{"value": ...}` (`title`, `authors`, `venue`,
`venueid`, `abstract`, `pdf`). The server itself is tests.fakes.json_api's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.json_api import FakeJSONAPI


def note(
    note_id: str, title: str, venue: str, venueid: str, *, authors: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A submission note in API v2's shape."""
    return {
        "id": note_id,
        "forum": note_id,
        "invitations": [f"{venueid.split('/-/')[0]}/-/Submission"],
        "cdate": 1695000000000,
        "pdate": 1705000000000,
        "content": {
            "title": {"value": title},
            "authors": {"value": list(authors)},
            "venue": {"value": venue},
            "venueid": {"value": venueid},
            "abstract": {"value": "A stand-in abstract for the tests."},
            "pdf": {"value": f"/pdf/{note_id}.pdf"},
        },
    }


NOTES = [
    # ICLR 2024, accepted (venueid is the conference's own id)
    note(
        "ZdYm2f6cJE", "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models",
        "ICLR 2024 poster", "ICLR.cc/2024/Conference",
    ),
    # A rejected ICLR submission: its venue says where it was submitted, not accepted
    note(
        "Rj3cTd9Qx1", "A Paper That Was Not Accepted", "Submitted to ICLR 2024",
        "ICLR.cc/2024/Conference/Rejected_Submission",
    ),
    # TMLR: a journal whose venueid holds no year
    note("TmLr0000A1", "A Journal Paper on Reward Models", "Accepted by TMLR", "TMLR"),
]  # fmt: skip


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    started: float
    api_key: str | None = None
    status: int = 0

    @property
    def ids(self) -> list[str]:
        return [i for i in ",".join(self.query.get("ids", [])).split(",") if i]


class FakeOpenReview(FakeJSONAPI):
    """The server; `url` is the API's base."""

    name = "fake-openreview"
    busy = '{"name": "RateLimitError", "message": "Too many requests"}'

    def __init__(self, notes: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.notes = list(NOTES if notes is None else notes)

    @property
    def url(self) -> str:
        return self.base

    def record(self, path: str, query: dict[str, list[str]], body: bytes) -> Request:
        return Request(path, query, time.monotonic())

    def answer(self, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        if path != "/notes":
            return 404, {"name": "NotFoundError", "message": "Not Found"}
        ids = [i for i in ",".join(query.get("ids", [])).split(",") if i]
        if not ids:
            return 400, {
                "name": "ValidationError",
                "message": "Either id, ids, forum or invitation is required",
            }
        found = [n for n in self.notes if n["id"] in ids]
        return 200, {"notes": found, "count": len(found)}
