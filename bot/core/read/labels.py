"""What a link is by its URL and label: a paper host, a code host, a label's words (`📝 Paper` → `paper`).

The entry reader (bot.core.read.pieces) tells a link from a title by these words; the rules and
inference tell a paper link from the rest by these hosts.
"""

from __future__ import annotations

import re
from functools import lru_cache

PAPER_HOSTS = (
    "arxiv.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org",
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "neurips.cc",
    "openaccess.thecvf.com",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "doi.org",
    "semanticscholar.org",
    "proceedings.mlr.press",
    "jmlr.org",
    "ojs.aaai.org",
    "aaai.org",
    "ijcai.org",
    "link.springer.com",
    "nature.com",
    "science.org",
    "biorxiv.org",
    "medrxiv.org",
    "ssrn.com",
    "techrxiv.org",
    "researchgate.net",
    "alphaxiv.org",
    "ecva.net",
    "sciencedirect.com",
    "iclr.cc",
    "mlsys.org",
    "usenix.org",
)
_PAPER_SET = frozenset(PAPER_HOSTS)
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "gitee.com")
PAPER_WORDS = frozenset(
    {"paper", "pdf", "arxiv", "abs", "abstract", "openreview", "acl", "doi", "link", "preprint"}
)
LABEL_WORDS = PAPER_WORDS | frozenset(
    {
        "code", "github", "gitlab", "project", "page", "homepage", "website", "site", "blog", "demo",
        "video", "slides", "dataset", "data", "model", "models", "official", "pytorch", "tensorflow",
        "jax", "huggingface", "hf", "poster", "talk", "bib", "bibtex", "supp", "repo", "benchmark",
        "leaderboard", "notes", "tweet", "twitter", "colab", "unofficial", "checkpoint", "weights",
    }
)  # fmt: skip
PAGE_WORDS = frozenset({"project", "page", "homepage", "website", "site", "blog"})
_WORDS = re.compile(r"[^\W_]+")


def is_paper_url(url: str) -> bool:
    host = _host(url)
    if host == "huggingface.co":
        return "/papers/" in url
    return _paper_host(host)


@lru_cache(maxsize=4096)
def _paper_host(host: str) -> bool:
    """A paper host or a subdomain of one (`www.`, `export.`, `proceedings.`…): asked once per host."""
    if host in _PAPER_SET:
        return True
    dot = host.find(".")
    while dot >= 0:
        host = host[dot + 1 :]
        if host in _PAPER_SET:
            return True
        dot = host.find(".")
    return False


def is_code_url(url: str) -> bool:
    host = _host(url)
    return host in CODE_HOSTS and "/papers/" not in url


def _host(url: str) -> str:
    at = url.find("://")
    if at < 0:
        return ""
    end = url.find("/", at + 3)
    host = url[at + 3 :] if end < 0 else url[at + 3 : end]
    if ":" in host:
        host = host[: host.index(":")]
    return host.lower().removeprefix("www.")


@lru_cache(maxsize=65536)
def may_be_paper(label: str) -> bool:
    """A link label that could name the paper: a paper word (`Paper 1`, `PDF`), or no word of any
    kind of resource (`Technical Report`, `System Card`, `3DV`): not a code, demo or data link."""
    words = label_words(label).split()
    return any(w in PAPER_WORDS for w in words) or not any(w in LABEL_WORDS for w in words)


def is_page(label: str) -> bool:
    """A link label that names a page about the work (`Project`, `Blog`): where the paper may be
    found, unlike a code, data or demo link."""
    return any(w in PAGE_WORDS for w in label_words(label).split())


def names_a_resource(label: str) -> bool:
    """A link label that names a kind of resource (`code`, `paper`, `demo`), not a status such as
    `Coming soon` or `TBD` written as an empty link on purpose."""
    return any(w in LABEL_WORDS for w in label_words(label).split())


def label_words(label: str) -> str:
    """A link label without emoji, punctuation or odd spaces: `📝 Paper` → `paper`."""
    return " ".join(w.casefold() for w in _WORDS.findall(label))
