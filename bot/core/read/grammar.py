"""A list's format: the shapes its entries take, its tag styles, link labels and link markup.

Written in config.yml (`grammar:`) or inferred from the list itself (bot.core.format.infer). A template
(bot.core.read.templates) is an entry written with placeholders (`- (*{tag}*) {title} {links}`); it is read by the same
field reader as the entries, so "does this entry follow the format" is "do their shapes agree",
and the fix for an entry that does not is its own fields written into the closest template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .markup import fold
from .slots import Line, Link
from .tags import Tag, TagStyle, read_any
from .templates import METADATA, Template, lacks_only, shape_distance, shape_roles

# The seed list's style: what a list with no entries yet (or config that says nothing) is held to.
FALLBACK = {
    "entry": ["- (*{tag}*) {title} {links}"],
    "details": [],
    "preprint_tag": ["Arxiv {yyyy}.{mm}"],
    "venue_tag": ["{venue} {yy}'"],
    "date": [],
    "link": ["[[{label}]({url})]"],
    "qualifier": True,
    "paper_labels": ["paper", "pdf"],
    "code_labels": ["code"],
    "other_labels": [],
    "wrapped": False,
    "example": "",
}


def _strings(v: Any) -> tuple[str, ...]:
    if v is None or v == "auto":
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


def written_link(style: str, label: str, url: str) -> str:
    """A link in a style that may come from config.yml: its placeholders are replaced, never
    `str.format`ted (a stray brace is plain text)."""
    return style.replace("{label}", label).replace("{url}", url)


@dataclass(frozen=True)
class Grammar:
    entry: tuple[Template, ...]
    details: tuple[Template, ...]
    preprint: tuple[TagStyle, ...]
    venue: tuple[TagStyle, ...]
    dates: tuple[TagStyle, ...]
    links: tuple[str, ...]  # link markup the list accepts, the first one for fixes
    paper_labels: tuple[str, ...]
    code_labels: tuple[str, ...]
    other_labels: tuple[str, ...]
    qualifier: bool = True
    wrapped: bool = False  # entries may be hard-wrapped over several lines
    example: str = ""  # one of the list's own entries, quoted in the format reminder
    examples: tuple[str, ...] = ()  # one for each entry template, "" where none
    inferred: bool = False
    _tags: dict[str, Tag | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_config(cls, g: dict[str, Any], inferred: bool = False) -> Grammar:
        """The grammar section of a config (values "auto"/None fall back to the seed's style)."""

        def get(key: str) -> Any:
            v = g.get(key)
            return FALLBACK[key] if v is None or v == "auto" or (v == [] and FALLBACK[key]) else v

        q = bool(get("qualifier"))
        return cls(
            tuple(Template.parse(t) for t in _strings(get("entry"))),
            tuple(Template.parse(t) for t in _strings(get("details"))),
            tuple(TagStyle(t, q) for t in _strings(get("preprint_tag"))),
            tuple(TagStyle(t, q) for t in _strings(get("venue_tag"))),
            tuple(TagStyle(t, q) for t in _strings(get("date"))),
            _strings(get("link")) or ("[[{label}]({url})]",),
            tuple(x.casefold() for x in get("paper_labels")),
            tuple(x.casefold() for x in get("code_labels")),
            tuple(x.casefold() for x in get("other_labels")),
            q,
            bool(get("wrapped")),
            str(g.get("example") or ""),
            tuple(g.get("examples") or ()),
            inferred,
        )

    # ------------------------------------------------------------------ tags

    @property
    def tag_styles(self) -> tuple[TagStyle, ...]:
        return self.preprint + self.venue

    def read_tag(self, text: str) -> Tag | None:
        """The tag exactly as one of the list's styles writes it, or None (memoised)."""
        try:
            return self._tags[text]
        except KeyError:
            pass
        tag = next((t for s in self.tag_styles + self.dates if (t := s.read(text))), None)
        self._tags[text] = tag
        return tag

    def style_for(self, tag: Tag) -> TagStyle | None:
        try:
            return self._styles[tag]
        except KeyError:
            pass
        styles = self.dates if tag.kind == "date" else self.preprint if tag.kind == "preprint" else self.venue
        style = self._styles[tag] = next((s for s in styles if s.fits(tag)), None)
        return style

    @cached_property
    def _styles(self) -> dict[Tag, TagStyle | None]:
        return {}  # by tag: a list's tags repeat

    def render(self, tag: Tag) -> str:
        """The tag in the list's style: the fix suggested for a tag written otherwise."""
        style = self.style_for(tag)
        if style is None:
            return _loose(tag)
        other_server = tag.venue.casefold() not in ("arxiv", "preprint", "", style.server.casefold())
        if tag.kind == "preprint" and other_server:
            return style.render(tag).replace(style.server, tag.venue, 1)
        return style.render(tag)

    def fix_tag(self, text: str) -> str | None:
        """A tag written in another style (`NeurIPS 2024`, `arxiv 2024-7`), in this list's style."""
        got = read_any(fold(text))
        if got is None:
            return None
        tag = got[0]
        if tag.kind == "date" and not self.dates and self.preprint:
            tag = Tag("preprint", tag.year, tag.month, self.preprint[0].server)
        if self.style_for(tag) is None:
            return None
        return self.render(tag)

    @property
    def tag_form(self) -> str:
        """How the list marks its tag (`(*{}*)`), from its first template."""
        for t in self.entry:
            for s in t.slots:
                if s.role == "tag":
                    return s.form
        return "(*{}*)"

    @property
    def tag_examples(self) -> str:
        """How this list's tags look, for messages: `(*Arxiv 2024.11*) or (*NeurIPS 24'*)`."""
        styles = [*self.preprint[:1], *self.venue[:1]]  # one of each kind the list writes
        forms = [self.tag_form.replace("{}", s.render(_SAMPLE[s.kind])) for s in styles]
        return " or ".join(forms) if forms else ""

    def example_of(self, template: Template | None) -> str:
        """One of the list's own entries written like `template` (its first line), else the list's
        example; "" where the list has none to quote: a message never quotes a made-up entry."""
        if template is not None and template in self.entry:
            n = self.entry.index(template)
            if n < len(self.examples) and self.examples[n]:
                return self.examples[n].splitlines()[0].strip()
        return (self.example.splitlines() or [""])[0].strip()

    # ------------------------------------------------------------------ shapes

    @cached_property
    def entry_keys(self) -> dict[tuple[str, ...], Template]:
        return {t.key: t for t in reversed(self.entry)}

    def match(self, key: tuple[str, ...]) -> Template | None:
        """The template an entry of this shape follows: the same fields with the same markup, where
        a note or the authors (an affiliation, say) may be left out."""
        try:
            return self._matches[key]
        except KeyError:
            pass
        t = self.entry_keys.get(key)
        if t is None:
            t = next((t for t in self.entry if lacks_only(t.key, key, METADATA)), None)
        self._matches[key] = t
        return t

    @cached_property
    def _matches(self) -> dict[tuple[str, ...], Template | None]:
        return {}

    @cached_property
    def markers(self) -> frozenset[str]:
        return frozenset(t.marker for t in self.entry)

    def closest(self, key: tuple[str, ...], marker: str | None = None) -> Template | None:
        """The template nearest to a shape: fewest fields to add, drop or rewrite; with the entry's
        `marker`, only a template of its kind (a table row stays a row, an item stays an item)."""
        memo = (key, marker is not None and marker == "|", marker is None)
        try:
            return self._closest[memo]
        except KeyError:
            pass
        kind = [t for t in self.entry if marker is None or (t.marker == "|") == (marker == "|")]
        fields = shape_roles(key)
        best = (
            min(
                kind,
                key=lambda t: (  # first the templates with a place for each of the entry's fields
                    bool(fields - shape_roles(t.key)),
                    shape_distance(t.key, key),
                    self.entry.index(t),
                ),
            )
            if kind
            else None
        )
        self._closest[memo] = best
        return best

    @cached_property
    def _closest(self) -> dict[tuple, Template | None]:
        return {}

    def render_link(self, link: Link) -> str:
        if link.style in ("title", "{url}"):
            return link.text
        return self.link_example(link.label or self.paper_labels[0], link.url)

    def link_example(self, label: str, url: str) -> str:
        """A link written in the list's first link style."""
        return written_link(self.links[0], label, url)

    def render_line(
        self,
        template: Template,
        line: Line,
        *,
        tag: Tag | None = None,
        marker: str = "",
        values: dict[str, str] | None = None,
    ) -> str | None:
        """`line`'s fields written into `template`, each in its turn (the second note of the line in
        the template's second note); None when a field it needs is missing or a field of the line has
        no place in it: a fix never drops or repeats what the contributor wrote. `values` sets a
        field's one value (`paper`: the URL of a title that is the paper link)."""
        values = dict(values or {})
        if tag is not None:
            values["tag"] = self.render(tag)
        paper = values.pop("paper", "")
        titled = [k for k in line.links if k.style == "title"]
        queues: dict[str, list[tuple[str, str]]] = {}
        for s in line.slots:
            if s.role not in ("links", "badges", "lit"):
                url = next((k.url for k in titled if s.start <= k.start < max(s.end, s.start + 1)), "")
                queues.setdefault(s.role, []).append((s.value, url))
        for role, value in values.items():  # one value for the field, keeping the link it had
            queues[role] = [(value, queues[role][0][1] if queues.get(role) else "")]
        lits = [s.value for s in line.slots if s.role == "lit"]  # `Code:`: the template must write it too
        links = [k for k in line.links if k.style != "title"]
        moved: list[Link] = []  # a title link whose template title is not a link: its URL as a link
        out: list[str] = []
        pos = 0
        body = template.body
        for s in template.slots:
            out.append(body[pos : s.start])
            pos = s.end
            if s.role in ("links", "badges"):
                out.append("\0" if s.role == "links" else "")
                continue
            if s.role == "lit":
                out.append(body[s.start : s.end])
                if s.value in lits:
                    lits.remove(s.value)
                continue
            queue = queues.get(s.role)
            if not queue:
                return None
            value, url = queue.pop(0)
            if "{}." in s.form:
                value = value.rstrip(".")  # the form writes the full stop
            text = s.form.replace("{}", value)
            if "{paper}" in text:
                url = url or paper
                if not url:
                    return None
                text = text.replace("{paper}", url)
            elif url:
                if s.role != "title":
                    return None  # a linked note: no place for its link here
                moved.append(Link(self.paper_labels[0] if self.paper_labels else "paper", url, 0))
            out.append(text)
        out.append(body[pos:])
        if any(queues.values()) or lits:
            return None
        links = moved + links
        text = "".join(out)
        rendered = " ".join(self.render_link(k) for k in links)
        if "\0" in text:
            text = text.replace("\0", rendered, 1).replace("\0", "")
        elif links:  # the template has no place for links: they go last
            text = f"{text} {rendered}"
        badges = " ".join(line_badges(line))
        text = " ".join(text.split())
        if badges:
            text = f"{text} {badges}"
        return f"{marker}{text}" if marker else text

    def describe(self) -> str:
        """The format on one line, for `check --format json` and `init`."""
        shapes = " | ".join(t.text for t in self.entry[:3]) + (" | …" if len(self.entry) > 3 else "")
        tags = ", ".join(s.template for s in self.tag_styles + self.dates)
        return f"{shapes}; tags {tags or 'none'}; links {self.links[0]}"


def line_badges(line: Line) -> list[str]:
    out = []
    for b in line.badges:
        img = f"![{b.alt}]({b.image})"
        out.append(f"[{img}]({b.target})" if b.target else img)
    return out


_SAMPLE = {
    "preprint": Tag("preprint", 2024, 11, "Arxiv"),
    "venue": Tag("venue", 2024, None, "NeurIPS"),
    "date": Tag("date", 2024, 11),
}


def _loose(tag: Tag) -> str:
    if tag.kind == "venue":
        return f"{tag.venue} {tag.year}" if tag.year else tag.venue
    return f"{tag.venue} {tag.year}.{tag.month:02d}" if tag.month else f"{tag.venue} {tag.year}"
