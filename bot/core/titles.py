"""Title normalisation: harmless differences (case, TeX, dashes, punctuation, escapes) compare equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TEX_CMD = re.compile(
    r"\\(?:emph|textbf|textit|texttt|mathrm|mathbf|mathcal|text|textsc|mathit)\s*\{([^{}]{0,200})\}"
)
_TEX_SYM = re.compile(r"\\[A-Za-z]{1,20}\s?|[${}^_~]")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_PUNCT = re.compile(r"[\W_]+")
_DASHES = re.compile(r"[\-\u2010-\u2015\u2212/]")


# For an ASCII title the same steps as one byte table: NFKC leaves ASCII as it is, its only dashes
# are `-` and `/`, casefold is lower, and [\W_] is anything but a letter or a digit.
_ASCII = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(256))


@lru_cache(maxsize=65536)
def normalize(title: str) -> str:
    t = title[:1000]
    if t.isascii() and "\\" not in t and "$" not in t:
        return " ".join(t.replace("+", " plus ").encode().translate(_ASCII, b"'").decode().split())
    t = unicodedata.normalize("NFKC", t)
    if "\\" in t or "$" in t:
        t = _MD_ESCAPE.sub(r"\1", t)
        t = _TEX_CMD.sub(r"\1", t)
        t = _TEX_SYM.sub("", t)
    t = _DASHES.sub(" ", t).casefold().replace("+", " plus ")  # DeepSolo++ is not DeepSolo
    return " ".join(_PUNCT.sub(" ", t.replace("'", "").replace("’", "")).split())


def short(title: str) -> str:
    """arXiv titles often read `Name: what it does`; lists sometimes keep only the name."""
    return title.split(":", 1)[0] if ":" in title else title
