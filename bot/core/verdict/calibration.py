"""Calibration: what a list's accepted entries say is its style, not a defect.

The maintainers accepted every entry of the base file (a pull request's base branch; in a whole-file
check, pre-commit or an audit, the file itself). The judge runs over them offline, the same judge as
on the entries under review, and here each kind of finding (a rule's `Kind`, with its detail: `authors
as plain text`, `pdf link`) is counted on the items its rule judges. A kind that fires on more than
`SHARE` of them, and on at least `MIN_COUNT` (or on `HABIT` items, whatever their share), is how this
list is written: it is not reported on this list. Fewer, and it is a defect, reported as ever. Facts about one paper (what arXiv or a publication
record says, a date in the future) are never a list's style and are not counted.

The learnt format must explain the list to judge an entry's format: where its templates explain less
than `EXPLAINED` of the paper items (and leave `MIN_COUNT` or more unexplained), or the list has fewer than `MIN_ITEMS` to learn from, format advice
(the kinds declared `format=True`) is withheld and only format-free checks run (links, arXiv, duplicates,
broken markdown). A format that config.yml writes is always used.

The thresholds come from the whole corpus (`python bench/calibration.py`; README § Calibration). On
its 45 files, the kinds that fire on the entries maintainers later fixed by hand (real defects) have a
median share of 2.2% on their list, and 70% of them are under 9%; the kinds that give an error to the
entries no one touched again (the lists' style read as defects) have a median share of 88%, and 90% of
them are over 5%. With neither calibration nor the format gate, 69% of the fixed entries are flagged
when added and 47% of the untouched entries get an error. Calibrating at 5% (and the gate at 90%)
flags 62% and leaves an error on 3.6%; 10% gives the same 62% and 3.8%; 2% would flag 48% (1.6%).
Of the fixed entries no longer flagged, nearly all (58 of 62) were flagged by another rule than the
one their fix was about: calibration costs few real catches.
Three items at least: one or two identical defects are never a style, whatever the list's size (one
defect on a 9-entry list is 11%). Fifty accepted items are a style whatever the share: that takes the
untouched entries with an error from 3.6% to 3.3% and costs no recall (at 20 the recall falls to 56%). The learnt format must explain 90% of the paper items: at 80%, 3.7%
of the untouched entries keep an error, at 95% 3.3%, but 95% withholds the format from a list its
templates explain at 93%.
"""

from __future__ import annotations

from collections import Counter
from types import ModuleType

from ..read.document import Document, Item
from ..rules import RULES
from ..rules.base import Calibration, Hit, Key

SHARE = 0.05  # a kind on more of the items its rule judges than this is the list's style...
MIN_COUNT = 3  # ...when it fires on this many at least: one or two defects are never a style
HABIT = 50  # a kind on this many accepted items is a style whatever its share (5% of a big list is hundreds)
EXPLAINED = 0.9  # the learnt format must explain this share of the paper items to judge their format
MIN_ITEMS = 5  # fewer paper items than this teach no format: no format advice

Said = tuple[ModuleType, str, Hit]  # a rule, its severity, what it said on an item


def gate(doc: Document, config) -> Calibration:
    """Whether the format of `doc` judges it (`config`: its format learnt or written), before any rule
    has said anything: no style yet, only why format advice is withheld, if it is."""
    papers = sum(1 for i in doc.items if i.in_scope)
    explained = sum(1 for i in doc.items if i.in_scope and i.entry and i.entry.follows_format)
    return Calibration(papers, explained, withheld=_withheld(config, papers, explained))


def calibrate(doc: Document, config, said: list[tuple[Item, list[Said]]]) -> Calibration:
    """The calibration of `doc`, a list as its maintainers accepted it, from what the judge said on
    every one of its items (`config`: the config it was judged with, its format learnt or written)."""
    papers = sum(1 for i in doc.items if i.in_scope)
    outside = sum(1 for i in doc.items if not i.in_scope and i.entry)
    judged = {r.RULE.id: outside if r.RULE.outside else papers for r in RULES}
    fired: Counter[Key] = Counter()
    for _, hits in said:
        fired.update(
            {(rule.RULE.id, k.id, d) for rule, _, h in hits for k, d in h.kinds if not k.fact}
        )  # each kind once per item
    style = frozenset(
        k for k, n in fired.items() if n >= MIN_COUNT and (n > SHARE * judged[k[0]] or n >= HABIT)
    )
    explained = sum(1 for i in doc.items if i.in_scope and i.entry and i.entry.follows_format)
    return Calibration(papers, explained, dict(fired), judged, style, _withheld(config, papers, explained))


def _withheld(config, items: int, explained: int) -> str:
    """Why the list's format is not used to judge its entries, or "" when it is."""
    if "grammar.entry" not in config.inferred and config["grammar"]["entry"] not in ("auto", None, []):
        return ""  # config.yml writes the format: the maintainer's word
    if items < MIN_ITEMS:
        return (
            f"the list has {items} entr{'y' if items == 1 else 'ies'} to learn its format from, "
            f"and it takes {MIN_ITEMS}"
        )
    # One or two entries the format does not explain are defects, as one or two findings are never a
    # style (MIN_COUNT): a misread format leaves more.
    if explained < EXPLAINED * items and items - explained >= MIN_COUNT:
        return (
            f"the format learnt from the list explains {explained} of its {items} entries "
            f"({explained / items:.0%}), and it takes {EXPLAINED:.0%}"
        )
    return ""
