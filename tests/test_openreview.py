"""The OpenReview client over real HTTP against the local fake (API version 2), and the routing of
record ids between OpenReview and Semantic Scholar."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.openreview import INVALID, OpenReviewClient, parse_note
from bot.adapters.records import make_records
from bot.settings import Settings
from tests.fakes.arxiv_server import FakeClock, Scripted
from tests.fakes.openreview_server import NOTES, FakeOpenReview
from tests.fakes.scholar_server import FakeScholar

SPIN, REJECTED, TMLR = "OPENREVIEW:ZdYm2f6cJE", "OPENREVIEW:Rj3cTd9Qx1", "OPENREVIEW:TmLr0000A1"
UNKNOWN = "OPENREVIEW:OldV1Note1"


def _client(server: FakeOpenReview, clock: FakeClock, **kw) -> OpenReviewClient:
    return OpenReviewClient(server.url, clock=clock, sleep=clock.sleep, min_interval=0, **kw)


def test_one_get_for_a_batch_and_an_absent_id_is_unknown(openreview_server, fake_clock) -> None:
    result = _client(openreview_server, fake_clock).lookup([SPIN, REJECTED, UNKNOWN])
    assert len(openreview_server.requests) == 1
    req = openreview_server.requests[0]
    assert req.path == "/notes" and req.ids == ["ZdYm2f6cJE", "Rj3cTd9Qx1", "OldV1Note1"]
    assert result.papers[SPIN].title.startswith("Self-Play Fine-Tuning")
    assert result.missing == {UNKNOWN} and not result.unverified


def test_only_an_accepted_venueid_is_a_venue() -> None:
    spin, rejected, tmlr = (parse_note(n) for n in NOTES)
    assert spin.publication_venue is not None and (spin.publication_venue.name, spin.year) == ("ICLR", 2024)
    assert rejected.publication_venue is None and rejected.venue == "Submitted to ICLR 2024"
    assert tmlr.publication_venue is None  # no year in the venueid: not a verdict either way
    v1 = parse_note(
        {"id": "x", "content": {"title": "A Title", "venue": "ICLR 2019"}}
    )  # API v1's bare strings
    assert v1.title == "A Title" and v1.publication_venue is None


def test_batches_of_100(fake_clock) -> None:
    from tests.fakes.openreview_server import note

    notes = [
        note(f"Note{k:05d}", f"Paper {k}", "ICLR 2024 poster", "ICLR.cc/2024/Conference") for k in range(220)
    ]
    with FakeOpenReview(notes) as server:
        result = _client(server, fake_clock, batch_size=500).lookup(
            [f"OPENREVIEW:Note{k:05d}" for k in range(220)]
        )
        assert [len(r.ids) for r in server.requests] == [100, 100, 20] and len(result.papers) == 220


def test_429_with_retry_after_then_500_then_an_answer(openreview_server, fake_clock) -> None:
    openreview_server.script(Scripted(429, {"Retry-After": "5"}), Scripted(500))
    result = _client(openreview_server, fake_clock).lookup([SPIN])
    assert [r.status for r in openreview_server.requests] == [429, 500, 200] and SPIN in result.papers
    assert fake_clock.sleeps[0] == 5.0


def test_a_lasting_outage_a_timeout_and_a_malformed_body_are_not_verified(
    openreview_server, fake_clock
) -> None:
    openreview_server.script(*[Scripted(503)] * 2)
    out = _client(openreview_server, fake_clock, max_retries=1).lookup([SPIN])
    assert out.unverified == {SPIN: "OpenReview answered 503"}
    openreview_server.script(Scripted(delay=1.5), Scripted(delay=1.5))
    out = _client(openreview_server, fake_clock, timeout=0.5, max_retries=1).lookup([SPIN])
    assert out.unverified == {SPIN: "OpenReview did not answer within 0.5 s"}
    for body in (b"<html>down</html>", b'{"count": 1}', b'{"notes": [{"id": "ZdYm2f6cJE", "content": 3}]}'):
        openreview_server.script(Scripted(200, body=body), Scripted(200, body=body))
        out = _client(openreview_server, fake_clock, max_retries=1).lookup([SPIN])
        assert out.unverified == {SPIN: "OpenReview sent a malformed response"}, body


def test_a_400_is_named_and_bad_ids_are_never_sent(openreview_server, fake_clock) -> None:
    openreview_server.script(
        Scripted(400, body=b'{"name": "ValidationError", "message": "ids must be valid"}')
    )
    out = _client(openreview_server, fake_clock).lookup([SPIN, "OPENREVIEW:a b", "ARXIV:2401.01335"])
    assert out.unverified == {
        SPIN: "OpenReview rejected the request (400: ids must be valid)",
        "OPENREVIEW:a b": INVALID,
        "ARXIV:2401.01335": INVALID,
    }


def test_record_ids_go_to_the_source_that_knows_them(
    openreview_server, scholar_server: FakeScholar, tmp_path: Path
) -> None:
    settings = Settings(
        semantic_scholar_api_url=scholar_server.url,
        openreview_api_url=openreview_server.url,
        data_dir=tmp_path,
    )
    fast = {"min_interval_seconds": 0}
    records = make_records({"semantic_scholar": fast, "openreview": fast}, settings)
    assert records is not None
    found = records.lookup([SPIN, "ARXIV:2401.01335", UNKNOWN])
    assert [r.ids for r in openreview_server.requests] == [["ZdYm2f6cJE", "OldV1Note1"]]
    assert [r.ids for r in scholar_server.requests] == [["ARXIV:2401.01335"]]
    assert set(found.papers) == {SPIN, "ARXIV:2401.01335"} and found.missing == {UNKNOWN}
    again = make_records({"semantic_scholar": fast, "openreview": fast}, settings)
    assert again is not None and again.lookup([SPIN, "ARXIV:2401.01335"]).papers.keys() == {
        SPIN,
        "ARXIV:2401.01335",
    }
    assert len(openreview_server.requests) == 1 and len(scholar_server.requests) == 1  # both caches
    off = make_records({"semantic_scholar": fast, "openreview": {"enabled": False}}, settings)
    assert off is not None and off.lookup([SPIN]).papers == {}  # OpenReview off: its ids stay unknown
    with pytest.raises(ValueError, match=r"openreview\.batch_size"):
        make_records({"openreview": {"batch_size": 101}}, settings)
