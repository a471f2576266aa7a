"""Which sections hold papers, decided by counting what their items are: written as the papers are
(blog posts a list keeps on purpose, papers linked by their project pages in `<details>` groups), or
not (code, talks, posts kept apart from the papers); a subsection a pull request adds under a paper
section holds papers."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

POSTS = (
    "# Applied ML\n\n## Data Quality\n"
    + written(
        lambda i, t, a: (
            f"{i + 1}. [{t}](https://{'arxiv.org/abs/' + a if i < 3 else f'eng.blog{i}.com/post'}) `Netflix` `20{a[:2]}`"
        )
    )
    + "\n\n## Feature Stores\n"
    + written(lambda i, t, a: f"{i + 1}. [{t} at Scale](https://blog{i}.example.com/p) `Uber` `2019`")
    + "\n"
)
GROUPS = (
    "# NeRF\n\n## Papers\n\n"
    + "".join(
        f"<details open>\n<summary>Group {g}</summary>\n\n"
        + "\n".join(
            f"- [{t}](https://{'arxiv.org/abs/' + IDS[g * 4 + i] if i == 0 else f'proj{g}{i}.github.io/'}), Lovelace et al., "
            f"CVPR 2022 | [github](https://github.com/o/r{i}) | [bibtex](./citations/c{i}.txt)"
            for i, t in enumerate(TITLES[g * 4 : g * 4 + 4])
        )
        + "\n</details>\n\n"
        for g in range(2)
    )
    + "## Implementations\n\n"
    + "\n".join(f"- [NeRF in Framework {k}](https://github.com/o/impl{k}), Ada" for k in range(4))
)
APART = (
    "# Diffusion\n\n## Introductory Posts\n\n"
    + "\n".join(
        f"**Post {k} on diffusion** \\\n*Blogger {k}* \\\n[[Website](https://blog.example.com/{k})]\n"
        for k in range(4)
    )
    + "\n## Papers\n\n"
    + written(
        lambda i, t, a: (
            f"**{t}** \\\n*Ada Lovelace* \\\narXiv 20{a[:2]}. [[Paper](https://arxiv.org/abs/{a})]\n"
        )
    )
)
NESTED = (
    "# L\n\n## Papers\n\n"
    + written(lambda i, t, a: f"- [{t}](https://arxiv.org/abs/{a}), ICML 20{a[:2]}")
    + "\n\n### Datasets\n\n- A Dataset - its description [site](https://data.example.com)\n"
    "- Another Dataset - more description [site](https://data2.example.com)\n"
    "- A Third Dataset - and more [site](https://data3.example.com)\n\n## Contributing\n\nOpen a pull request.\n"
)


def test_posts_written_as_the_papers_are_in_every_section_are_entries():
    doc = read(POSTS)
    assert len(papers(doc)) == 16 and all(i.entry.follows_format for i in papers(doc))
    assert errors(POSTS) == []  # `Netflix` `2016` are notes, not venue tags to fix


def test_papers_on_project_pages_in_details_groups_are_papers_and_implementations_are_not():
    doc = read(GROUPS)
    assert [i.entry.title for i in papers(doc)] == TITLES
    assert {i.section for i in papers(doc)} == {"Group 0", "Group 1"}
    assert all(i.entry.follows_format for i in papers(doc))
    assert not any(i.in_scope for i in doc.items if i.section == "Implementations")


def test_posts_kept_apart_from_the_papers_are_not_papers():
    doc = read(APART)
    assert [i.entry.title for i in papers(doc)] == TITLES
    assert not any(i.in_scope for i in doc.items if i.section == "Introductory Posts")
    assert errors(APART) == []


def test_a_subsection_a_pull_request_adds_under_a_paper_section_holds_papers():
    new = "### Surveys\n\n- [A Survey of Preference Optimization](https://arxiv.org/abs/2402.00001), ICML 2024\n"
    text, added = insert(NESTED, "## Contributing", new)
    doc = read(text)
    (item,) = [i for i in doc.items if i.section == "Surveys"]
    assert item.in_scope  # learnt from the list without it: its parent holds papers
    assert not any(i.in_scope for i in doc.items if i.section == "Datasets")
    got = findings(text, added)
    assert [f for f in got if f.rule == "section"] == []
    bad = new.replace("/abs/2402.00001", f"/pdf/{IDS[0]}")
    text, added = insert(NESTED, "## Contributing", bad)
    assert ("duplicate", min(added) + 2) in {(f.rule, f.line) for f in findings(text, added)}
