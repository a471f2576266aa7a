"""Does an entry follow its list's format, and if not, what is wrong and what is the fix.

The answer is given in the list's own terms: the field that is missing or written with other
markup, and the entry rewritten into the closest of the list's templates, from its own fields.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from ..options import Kind
from ..read.entry import Entry
from ..read.grammar import Grammar, written_link
from ..read.keep import lost
from ..read.labels import is_paper_url, label_words
from ..read.slots import Line, Slot
from ..read.templates import Template, marker_kind
from ..rules import entry_syntax as kinds

FIELD = {
    "tag": "venue tag",
    "date": "date",
    "title": "title",
    "authors": "authors",
    "name": "short name",
    "note": "note",
    "lit": "label",
}
MARKUP = {
    "(*{}*)": "in parentheses and italics: `(*…*)`",
    "(**{}**)": "bold in parentheses `(**…**)`",
    "({})": "in parentheses `(…)`",
    "[{}]": "in square brackets `[…]`",
    "**[{}]**": "in bold square brackets `**[…]**`",
    "**{}**": "in bold `**…**`",
    "*{}*": "in italics `*…*`",
    "`{}`": "as code `` `…` ``",
    '"{}"': 'in quotes `"…"`',
    "{}": "as plain text",
    "[{}]({paper})": "as the paper link `[Title](URL)`",
    "**[{}]({paper})**": "as the paper link in bold `**[Title](URL)**`",
    "[**{}**]({paper})": "as the paper link in bold `[**Title**](URL)`",
}
LINKS = {
    "[[{label}]({url})]": "wrap each link in double brackets: `[[{label}](URL)]`",
    "[[{label}]]({url})": "write each link as `[[{label}]](URL)`",
    "[{label}]({url})": "write each link as `[{label}](URL)`",
}
SQUARE = "write each link as `[[label](URL)]`, with the URL in round brackets"


def _markup(form: str) -> str:
    return MARKUP.get(form.replace(".", ""), f"as `{form.replace('{}', '…')}`")


@dataclass(frozen=True)
class Problem:
    """One thing that keeps an entry from its list's format, as a value: its kind (declared with the
    entry-syntax rule), the field it is about, the form written and the form the list wants; the
    message is rendered from them."""

    kind: Kind
    role: str = ""  # the field: title, tag, authors, name, note, lit ("" for the whole entry)
    found: str = ""  # what the entry writes: the field's markup `{}`, its marker `*`, its link markup
    wanted: str = ""  # what the list writes there: a markup, a marker, a link markup, the roles in order
    hint: str = ""  # what the message quotes besides: the list's tag examples, the paper label, a count

    @property
    def detail(self) -> str:
        """What within the kind this is, as calibration counts it: `authors {}` (the authors as plain
        text) is one style, `title *{}*` another."""
        if self.kind is kinds.MARKER:
            return marker_kind(self.found)
        return " ".join(x for x in (self.role, self.found) if x)

    @property
    def message(self) -> str:
        k, what = self.kind, FIELD.get(self.role, self.role)
        if k is kinds.WRAPPED:
            return f"write it on one line (it is split over {self.hint} lines)"
        if k is kinds.MARKER:
            return f"start the line with `{self.wanted} ` instead of `{self.found} `"
        if k is kinds.MISSING and self.role == "tag":
            return f"the venue tag is missing: write it {_markup(self.wanted)}, e.g. {self.hint}"
        if k is kinds.MISSING and self.role == "lit":
            return f"start with `{self.wanted.capitalize()}:`"
        if k is kinds.MISSING:
            return f"the {what} is missing"
        if k is kinds.MARKUP:
            return f"write the {what} {_markup(self.wanted)}, not {_markup(self.found).split(':')[0]}"
        if k is kinds.EXTRA:
            return self.hint  # where the list writes such a field (see _extra)
        if k is kinds.ORDER:
            return "put the fields in the list's order: " + ", ".join(
                FIELD.get(r, r) for r in self.wanted.split()
            )
        if k is kinds.LINK_SQUARE:
            return SQUARE.replace("[[label](URL)]", written_link(self.wanted, "label", "URL"))
        if k is kinds.LINK_MARKUP and self.found.count("[") == self.wanted.count("["):
            # The brackets are all there, in other places (`[[paper]](URL)` for `[[paper](URL)]`).
            want, found = (written_link(s, self.hint, "URL") for s in (self.wanted, self.found))
            return f"move the brackets: write each link as `{want}`, not `{found}`"
        if k is kinds.LINK_MARKUP:
            return (
                LINKS.get(self.wanted, "write each link as `{link}`")
                .replace("{link}", written_link(self.wanted, self.hint, "URL"))
                .replace("{label}", self.hint)
            )
        assert k is kinds.NO_LINK, k
        return (
            f"the paper link is missing: add `{written_link(self.wanted, self.hint, 'URL')}` after the title"
        )


def problems(entry: Entry, grammar: Grammar) -> list[Problem]:
    """What keeps the entry from following the format, each as a fix to make; [] when it does."""
    out: list[Problem] = []
    if entry.wrapped:
        return [Problem(kinds.WRAPPED, hint=str(_rows(entry)))]
    if marker_kind(entry.marker) not in grammar.markers and grammar.entry:
        want = grammar.entry[0].marker
        if "|" not in (want, entry.marker):  # a row is never told to become an item, nor the reverse
            out.append(Problem(kinds.MARKER, found=entry.marker, wanted=want))
    if entry.template is None and grammar.entry:
        out.extend(_shape(entry, grammar.closest(entry.shape, entry.marker), grammar))
    styles = {k.style for k in entry.links if k.style not in ("title", "{url}")}
    label = grammar.paper_labels[0] if grammar.paper_labels else "paper"
    if "[[{label}][{url}]]" in styles:
        out.append(Problem(kinds.LINK_SQUARE, found="[[{label}][{url}]]", wanted=grammar.links[0]))
    elif foreign := sorted(styles - set(grammar.links)):
        out.append(Problem(kinds.LINK_MARKUP, found=foreign[0], wanted=grammar.links[0], hint=label))
    if not entry.links and _links_expected(grammar):
        out.append(Problem(kinds.NO_LINK, wanted=grammar.links[0], hint=label))
    return out


def _rows(entry: Entry) -> int:
    return entry.head_rows


def _links_expected(grammar: Grammar) -> bool:
    """The list writes its paper link as a link of its own (not as the title)."""
    return not any("{paper}" in s.form for t in grammar.entry for s in t.slots)


def _shape(entry: Entry, template: Template | None, grammar: Grammar) -> list[Problem]:
    if template is None:
        return []
    want = [(s.role, s.form.replace(".", "")) for s in template.slots if s.role not in ("links", "badges")]
    have = [(s.role, s.form.replace(".", "")) for s in entry.head.slots if s.role not in ("links", "badges")]
    out: list[Problem] = []
    want_roles = [r for r, _ in want]
    have_roles = [r for r, _ in have]
    for role, form in want:
        if role not in have_roles:
            if role == "tag":
                out.append(Problem(kinds.MISSING, role, wanted=form, hint=grammar.tag_examples))
            elif role == "lit":
                lit = next(s.value for s in template.slots if s.role == "lit")
                out.append(Problem(kinds.MISSING, role, wanted=lit))
            else:
                out.append(Problem(kinds.MISSING, role, wanted=form))
            continue
        got = next(f for r, f in have if r == role)
        if got != form:
            out.append(Problem(kinds.MARKUP, role, found=got, wanted=form))
    room = Counter(want_roles)
    for s in entry.head.slots:
        if s.role in ("links", "badges"):
            continue
        if room[s.role] > 0:
            room[s.role] -= 1
            continue
        out.append(Problem(kinds.EXTRA, s.role, found=s.form, hint=_extra(s, entry, grammar)))
    if not out and have_roles != want_roles:
        out.append(Problem(kinds.ORDER, found=" ".join(have_roles), wanted=" ".join(want_roles)))
    return out


def _extra(slot: Slot, entry: Entry, grammar: Grammar) -> str:
    """A field the closest template has no place for: where the list writes it (another of its
    shapes, or a line below the entry), never "remove it" while the list keeps such a field."""
    what, value = FIELD.get(slot.role, slot.role), _quoted(slot.value)
    rows = entry.marker == "|"
    for t in [*(t for t in grammar.entry if (t.marker == "|") == rows), *grammar.details]:
        fields = [s for s in t.slots if s.role not in ("links", "badges")]
        at = next((i for i, s in enumerate(fields) if s.role == slot.role), None)
        if at is None:
            continue
        how = _markup(fields[at].form).split(":")[0]
        if t in grammar.details:
            return f"put the {what} {value} on a line below the entry, written {how}: `{t.text.strip()}`"
        if at > 0:
            return f"write the {what} {value} after the {FIELD.get(fields[at - 1].role, fields[at - 1].role)}, {how}"
        nxt = fields[1].role if len(fields) > 1 else "title"
        return f"write the {what} {value} before the {FIELD.get(nxt, nxt)}, {how}"
    return f"the {what} {value} has no place in this list's format: none of its entries has one"


def _quoted(value: str) -> str:
    value = " ".join(value.split())
    return f"`{value[:40]}…`" if len(value) > 40 else f"`{value}`" if value else ""


def _title_link(head: Line, template: Template, grammar: Grammar) -> tuple[Line, dict[str, str]]:
    """Where the list's title is the paper link and the entry links its paper apart (`Title
    [paper](URL)`), the fix makes that link the title's: the URL moves, nothing is dropped."""
    if not any("{paper}" in s.form for s in template.slots) or any(k.style == "title" for k in head.links):
        return head, {}
    labels = grammar.paper_labels
    paper = next((k for k in head.links if label_words(k.label) in labels or is_paper_url(k.url)), None)
    if paper is None:
        return head, {}
    return replace(head, links=[k for k in head.links if k is not paper]), {"paper": paper.url}


def repair(entry: Entry, grammar: Grammar) -> str | None:
    """The entry rewritten into the closest template, from its own fields; None when that would need
    a field it does not have (a missing tag) or drop one it has."""
    rows = entry.text.split("\n")
    first = rows[0]
    indent = first[: len(first) - len(first.lstrip())]
    head = indent + " ".join(r.strip() for r in rows[: entry.head_rows])
    rest = rows[entry.head_rows :]
    if not problems(replace(entry, wrapped=False), grammar):
        return "\n".join([head, *rest]) if entry.wrapped else None
    template = entry.template or grammar.closest(entry.shape, entry.marker)
    if template is None:
        return None
    fields, values = _title_link(entry.head, template, grammar)
    line = grammar.render_line(template, fields, values=values)
    if line is None:
        return None
    if template.marker in ("", "|"):
        out = "\n".join([indent + line, *rest])
    else:
        same = entry.marker[:1].isdigit() and template.marker[:1].isdigit()
        marker = entry.marker if same or marker_kind(entry.marker) in grammar.markers else template.marker
        out = "\n".join([f"{indent}{marker} {line}", *rest])
    # A rewrite keeps every link and word, or is none; one that changes nothing is none either.
    return None if out == entry.text or lost(entry.text, out) else out
