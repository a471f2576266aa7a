"""pytest plugin: the fake arXiv and Semantic Scholar APIs and their helpers.

Load it from tests/conftest.py with `pytest_plugins = ["tests.fakes.plugin"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes import scholar_papers
from tests.fakes.arxiv_server import FakeArxiv, FakeClock
from tests.fakes.openreview_server import FakeOpenReview
from tests.fakes.scholar_server import FakeScholar


@pytest.fixture
def arxiv_server_factory() -> Iterator[Callable[..., FakeArxiv]]:
    """Start as many fake arXiv servers as a test needs: make(papers=None, format="current")."""
    servers: list[FakeArxiv] = []

    def make(*args: Any, **kwargs: Any) -> FakeArxiv:
        server = FakeArxiv(*args, **kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def arxiv_server(arxiv_server_factory: Callable[..., FakeArxiv]) -> FakeArxiv:
    """A fake arXiv API in the current format, serving tests/fakes/arxiv_papers.PAPERS."""
    return arxiv_server_factory()


@pytest.fixture(params=["current", "legacy"])
def any_arxiv_server(
    request: pytest.FixtureRequest, arxiv_server_factory: Callable[..., FakeArxiv]
) -> FakeArxiv:
    """The same fake arXiv in each response generation in turn."""
    return arxiv_server_factory(format=request.param)


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock to inject as clock=fake_clock, sleep=fake_clock.sleep: spacing asserted without waiting."""
    return FakeClock()


@pytest.fixture
def scholar_server_factory() -> Iterator[Callable[..., FakeScholar]]:
    """Start as many fake Semantic Scholar APIs as a test needs: make(papers=[...])."""
    servers: list[FakeScholar] = []

    def make(papers: list[dict[str, Any]] | None = None) -> FakeScholar:
        server = FakeScholar(list(scholar_papers.PAPERS if papers is None else papers)).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def scholar_server(scholar_server_factory: Callable[..., FakeScholar]) -> FakeScholar:
    """A fake Semantic Scholar serving tests/fakes/scholar_papers.PAPERS."""
    return scholar_server_factory()


@pytest.fixture
def openreview_server() -> Iterator[FakeOpenReview]:
    """A fake OpenReview API (version 2) serving tests/fakes/openreview_server.NOTES."""
    with FakeOpenReview() as server:
        yield server
