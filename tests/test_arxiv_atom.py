"""The Atom parser: both API generations read the same, errors become specific exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.arxiv_atom import (
    ArxivApiError,
    ArxivFeedError,
    MalformedFeedError,
    parse_feed,
    split_entry_id,
    unfold,
)
from bot.core.model import Paper
from tests.fakes import arxiv_papers
from tests.fakes.arxiv_papers import PAPERS
from tests.fakes.arxiv_server import FakeArxiv, feed_id, fold

pytest_plugins = ["tests.fakes.plugin"]

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "arxiv"


def _served(fmt: str, ids: list[str]) -> bytes:
    server = FakeArxiv(format=fmt)
    status, body = server.answer({"id_list": [",".join(ids)], "max_results": [str(len(ids))]})
    assert status == 200
    return body


@pytest.mark.parametrize("fmt", ["current", "legacy"])
def test_every_fixture_paper_round_trips_in_both_formats(fmt: str) -> None:
    papers = parse_feed(_served(fmt, list(PAPERS)))
    assert papers == PAPERS
    for key, paper in papers.items():  # the abstract, unfolded: what a section is chosen by
        assert paper.abstract == " ".join(arxiv_papers.abstract(PAPERS[key]).split())


def test_legacy_titles_are_folded_on_the_wire_and_unfolded_by_the_parser() -> None:
    body = _served("legacy", ["2401.01335", "2502.12853", "cond-mat/0102536"]).decode()
    assert "Strong Language\n  Models</title>" in body
    assert "via Reinforcement\n  Learning</title>" in body
    assert "The Journal of\n  Chemical Physics</arxiv:comment>" in body
    papers = parse_feed(body.encode())
    assert papers["2401.01335"].title == PAPERS["2401.01335"].title
    assert (
        papers["2502.12853"].title
        == "S$^2$R: Teaching LLMs to Self-verify and Self-correct via Reinforcement Learning"
    )
    assert papers["cond-mat/0102536"].comment == PAPERS["cond-mat/0102536"].comment
    assert all("\n" not in p.title for p in papers.values())


def test_fields_version_and_v1_date() -> None:
    papers = parse_feed(
        _served("current", ["2404.10642", "astro-ph/0601001", "cond-mat/0102536", "2104.12255"])
    )
    p = papers["2404.10642"]
    assert (p.version, p.published, p.updated) == (3, "2024-04-16T15:16:22Z", "2025-01-24T05:40:07Z")
    assert p.comment == "Accepted by NeurIPS 2024"
    assert p.authors[0] == "Pengyu Cheng" and len(p.authors) == 9
    assert papers["astro-ph/0601001"].journal_ref == "ActaAstron.56:1-50,2006"
    assert papers["cond-mat/0102536"].doi == "10.1063/1.1383585"
    assert papers["2104.12255"].title == "0"  # a falsy title is still a title


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://arxiv.org/abs/2401.01335v3", ("2401.01335", 3)),
        ("https://arxiv.org/abs/2502.12853v1", ("2502.12853", 1)),
        ("http://arxiv.org/abs/astro-ph/0601001v1", ("astro-ph/0601001", 1)),
        ("http://arxiv.org/abs/math.AG/0601001v12", ("math.AG/0601001", 12)),
        ("  http://arxiv.org/abs/0704.0001\n", ("0704.0001", 1)),
    ],
)
def test_split_entry_id(url: str, expected: tuple[str, int]) -> None:
    assert split_entry_id(url) == expected


@pytest.mark.parametrize(
    "url", ["", "2401.01335v3", "http://example.org/abs/2401.01335v3", "http://arxiv.org/abs/"]
)
def test_split_entry_id_rejects_other_urls(url: str) -> None:
    with pytest.raises(MalformedFeedError):
        split_entry_id(url)


@pytest.mark.parametrize("fmt", ["current", "legacy"])
def test_error_entry_raises_with_arxivs_message(fmt: str) -> None:
    body = FakeArxiv(format=fmt).error_body("incorrect_id_format_for_abc", "incorrect id format for abc")
    with pytest.raises(ArxivApiError) as info:
        parse_feed(body)
    assert info.value.message == "incorrect id format for abc"


def test_a_paper_titled_error_is_not_an_error_entry() -> None:
    paper = Paper(id="2401.00001", title="Error", published="2024-01-01T00:00:00Z")
    server = FakeArxiv({paper.id: paper})
    assert parse_feed(server.answer({"id_list": [paper.id]})[1])[paper.id].title == "Error"


def test_duplicate_entries_keep_the_latest_version() -> None:
    body = _served("current", ["2401.01335"]).decode()
    older = body.replace("2401.01335v3", "2401.01335v1")
    start, end = older.index("  <entry>"), older.index("</feed>")
    doubled = body.replace("</feed>", older[start:end] + "</feed>")
    assert parse_feed(doubled.encode())["2401.01335"].version == 3


def test_unfold() -> None:
    assert unfold("Self-Play\n  Fine-Tuning  \t x\n") == "Self-Play Fine-Tuning x"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>503 Service Unavailable</body></html>",
        b"not xml at all",
        b"<?xml version='1.0'?><rss></rss>",
        b'<?xml version="1.0"?><!DOCTYPE z [<!ENTITY a "lol"><!ENTITY b "&a;&a;">]><feed>&b;</feed>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.01335v1</id></entry></feed>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:x</id><title>T</title></entry></feed>',
    ],
)
def test_malformed_bodies_raise_malformed_feed_error(body: bytes) -> None:
    with pytest.raises(MalformedFeedError):
        parse_feed(body)


def test_every_truncation_of_a_feed_is_malformed_or_a_subset() -> None:
    body = _served("legacy", ["2401.01335", "2404.10642"])
    for cut in range(0, len(body) - 1, 7):
        try:
            papers = parse_feed(body[:cut])
        except MalformedFeedError:
            continue
        pytest.fail(f"a feed cut at byte {cut} parsed as {sorted(papers)}")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda s: f"<feed><entry>{s}</entry></feed>"))
def test_parse_feed_never_raises_anything_else(data: bytes | str) -> None:
    try:
        result = parse_feed(data)
    except ArxivFeedError:
        return
    assert isinstance(result, dict)


def test_fake_server_answers_max_results_and_http_400(arxiv_server: FakeArxiv) -> None:
    ids = list(PAPERS)
    r = requests.get(arxiv_server.url, params={"id_list": ",".join(ids)}, timeout=5)
    assert len(parse_feed(r.content)) == 10  # arXiv's default max_results, so the client must set it
    r = requests.get(arxiv_server.url, params={"id_list": "2401.01335,2401.O1335"}, timeout=5)
    assert r.status_code == 400
    with pytest.raises(ArxivApiError) as info:
        parse_feed(r.content)
    assert info.value.message == "incorrect id format for 2401.O1335"


# -- contract tests against the recorded answers in ../shared (skipped where it is absent) ------------


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def _fixture_files() -> list[Path]:
    if not SHARED.exists():
        return []
    return sorted(p for p in SHARED.rglob("*.xml") if not p.name.startswith("legacy_entry_"))


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.name)
def test_recorded_and_constructed_answers_parse(path: Path) -> None:
    body = path.read_bytes()
    if "http400" in path.name or path.name.startswith("id_abc_"):
        with pytest.raises(ArxivApiError) as info:
            parse_feed(body)
        assert info.value.message
        return
    papers = parse_feed(body)
    for arxiv_id, paper in papers.items():
        assert paper.title and "\n" not in paper.title and "  " not in paper.title
        assert paper.published[:4].isdigit() and paper.version >= 1
        assert arxiv_id == paper.id and "v" not in arxiv_id.split("/")[-1]
    if "nonexistent" in path.name or path.name.startswith(("id_0000", "id_0808.05394_s0")):
        assert papers == {}


def test_recorded_fixture_fields() -> None:
    batch = parse_feed(_shared("recorded", "id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml").read_bytes())
    assert set(batch) == {"1707.08567"}
    old = parse_feed(_shared("recorded", "id_astro-ph_0601001_s0_m100_3150dca9dc76.xml").read_bytes())
    assert old["astro-ph/0601001"].journal_ref == "ActaAstron.56:1-50,2006"
    assert (
        parse_feed(_shared("recorded", "id_2104.12255v1_s0_m100_6ae69987ffe1.xml").read_bytes())[
            "2104.12255"
        ].title
        == "0"
    )
    testing = parse_feed(_shared("recorded", "q_testing_s20_m10_348a237fecab.xml").read_bytes())
    assert any(p.doi == "10.1145/3597926.3598112" for p in testing.values())


def test_constructed_generations_parse_to_the_same_papers() -> None:
    for current, legacy in [
        ("a_single_2401.01335.xml", "a_single_2401.01335.xml"),
        ("e_latex_title_2502.12853.xml", "e_latex_title_wrapped_2502.12853.xml"),
    ]:
        a = parse_feed(_shared("constructed", "current-api", current).read_bytes())
        b = parse_feed(_shared("constructed", "legacy-api", legacy).read_bytes())
        assert a == b and len(a) == 1
    batch = parse_feed(_shared("constructed", "current-api", "b_batch_9_ids.xml").read_bytes())
    legacy3 = parse_feed(_shared("constructed", "legacy-api", "b_batch_3_ids.xml").read_bytes())
    assert {i: batch[i] for i in legacy3} == legacy3
    for arxiv_id, paper in batch.items():  # the project's own fixture data agrees with the recordings
        mine = PAPERS[arxiv_id]
        assert (mine.title, mine.authors, mine.published, mine.version) == (
            paper.title,
            paper.authors,
            paper.published,
            paper.version,
        )


def test_legacy_entry_with_doi_and_folded_comment() -> None:
    entry = _shared("recorded", "third-party", "legacy_entry_cond-mat_0102536v1.xml").read_text()
    papers = parse_feed(f'<feed xmlns="http://www.w3.org/2005/Atom">{entry}</feed>')
    paper = papers["cond-mat/0102536"]
    assert paper.doi == "10.1063/1.1383585" and paper.journal_ref == "J. Chem. Phys. 115, 1626 (2001)"
    assert paper.comment == PAPERS["cond-mat/0102536"].comment


def test_fake_server_writes_the_recorded_shape() -> None:
    """The fake's legacy folding and feed ids match the real ones, so its answers are realistic."""
    recorded = _shared("constructed", "legacy-api", "a_single_2401.01335.xml").read_text()
    assert f"<title>{fold(PAPERS['2401.01335'].title, 'Title')}</title>" in recorded
    wrapped = _shared("constructed", "legacy-api", "e_latex_title_wrapped_2502.12853.xml").read_text()
    assert f"<title>{fold(PAPERS['2502.12853'].title, 'Title')}</title>" in wrapped
    assert f"/api/{feed_id('', '2401.01335', 0, 10)}</id>" in recorded
    current = _shared("constructed", "current-api", "a_single_2401.01335.xml").read_text()
    mine = FakeArxiv().answer({"id_list": ["2401.01335"]})[1].decode()
    skeleton = [line.split(">")[0] for line in current.splitlines() if "<summary>" not in line]
    assert skeleton == [line.split(">")[0] for line in mine.splitlines() if "<summary>" not in line]
