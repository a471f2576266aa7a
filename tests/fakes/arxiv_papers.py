"""The project's own small arXiv fixture data, modelled on the seed list and shared/fixtures/arxiv.

Titles, authors and dates follow the public records of these papers (see shared/fixtures/arxiv/
SOURCES.md for which fields are verified); abstracts are short stand-ins written for the tests.
"""

from __future__ import annotations

from bot.core.model import Paper


def _p(
    id: str, title: str, authors: str, published: str, updated: str | None = None, version: int = 1, **kw
) -> Paper:
    return Paper(
        id=id,
        title=title,
        authors=tuple(a.strip() for a in authors.split(";")),
        published=published,
        updated=updated or published,
        version=version,
        **kw,
    )


PAPERS: dict[str, Paper] = {
    p.id: p
    for p in (
        _p(
            "2411.00418",
            "Self-Evolved Reward Learning for LLMs",
            "Chenghua Huang; Zhizhen Fan; Lu Wang; Fangkai Yang; Pu Zhao; Zeqi Lin; Qingwei Lin; "
            "Dongmei Zhang; Saravan Rajmohan; Qi Zhang",
            "2024-11-01T07:22:33Z",
            comment="19 pages,6 figures",
        ),
        _p(
            "2411.16646",
            "Self-Generated Critiques Boost Reward Modeling for Language Models",
            "Yue Yu; Zhengxing Chen; Aston Zhang; Liang Tan; Chenguang Zhu; Richard Yuanzhe Pang; "
            "Yundi Qian; Xuewei Wang; Suchin Gururangan; Chao Zhang; Melanie Kambadur; Dhruv Mahajan; "
            "Rui Hou",
            "2024-11-25T18:28:26Z",
        ),
        _p(
            "2408.02666",
            "Self-Taught Evaluators",
            "Tianlu Wang; Ilia Kulikov; Olga Golovneva; Ping Yu; Weizhe Yuan; Jane Dwivedi-Yu; "
            "Richard Yuanzhe Pang; Maryam Fazel-Zarandi; Jason Weston; Xian Li",
            "2024-08-05T17:57:02Z",
            "2024-08-08T17:42:15Z",
            2,
        ),
        _p(
            "2407.19594",
            "Meta-Rewarding Language Models: Self-Improving Alignment with LLM-as-a-Meta-Judge",
            "Tianhao Wu; Weizhe Yuan; Olga Golovneva; Jing Xu; Yuandong Tian; Jiantao Jiao; Jason Weston; "
            "Sainbayar Sukhbaatar",
            "2024-07-28T21:58:29Z",
            "2024-07-30T02:49:05Z",
            2,
        ),
        _p(
            "2404.10642",
            "Self-playing Adversarial Language Game Enhances LLM Reasoning",
            "Pengyu Cheng; Tianhao Hu; Han Xu; Zhisong Zhang; Zheng Yuan; Yong Dai; "
            "Lei Han; Nan Du; Xiaolong Li",
            "2024-04-16T15:16:22Z",
            "2025-01-24T05:40:07Z",
            3,
            comment="Accepted by NeurIPS 2024",
        ),
        _p(
            "2404.12253",
            "Toward Self-Improvement of LLMs via Imagination, Searching, and Criticizing",
            "Ye Tian; Baolin Peng; Linfeng Song; Lifeng Jin; Dian Yu; Haitao Mi; Dong Yu",
            "2024-04-18T15:21:34Z",
        ),
        _p(
            "2401.10020",
            "Self-Rewarding Language Models",
            "Weizhe Yuan; Richard Yuanzhe Pang; Kyunghyun Cho; Xian Li; Sainbayar Sukhbaatar; "
            "Jing Xu; Jason Weston",
            "2024-01-18T14:43:29Z",
            "2025-03-28T00:24:08Z",
            3,
        ),
        _p(
            "2401.01335",
            "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models",
            "Zixiang Chen; Yihe Deng; Huizhuo Yuan; Kaixuan Ji; Quanquan Gu",
            "2024-01-02T18:53:13Z",
            "2024-06-14T17:27:00Z",
            3,
        ),
        _p(
            "2311.08045",
            "Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game",
            "Pengyu Cheng; Yifan Yang; Jian Li; Yong Dai; Tianhao Hu; Peixin Cao; Nan Du; Xiaolong Li",
            "2023-11-14T10:10:24Z",
            "2024-06-04T08:40:00Z",
            2,
        ),
        _p(
            "2502.12853",
            "S$^2$R: Teaching LLMs to Self-verify and Self-correct via Reinforcement Learning",
            "Ruotian Ma; Peisong Wang; Cheng Liu; Xingyan Liu; Jiaqi Chen; Bang Zhang; "
            "Xin Zhou; Nan Du; Jia Li",
            "2025-02-18T13:40:22Z",
        ),
        _p(
            "astro-ph/0601001",
            "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the "
            "Galactic Bulge and Carina",
            "Andrew Gould; Susan Dorsher; B. Scott Gaudi; Andrzej Udalski",
            "2006-01-02T14:57:58Z",
            comment="62 pages including 16 figures and 9 tables. Submitted to Acta Astronomica.",
            journal_ref="ActaAstron.56:1-50,2006",
        ),
        _p(
            "cond-mat/0102536",
            "Impact of Electron-Electron Cusp on Configuration Interaction Energies",
            "David Prendergast; M. Nolan; Claudia Filippi; Stephen Fahy; J. C. Greer",
            "2001-02-28T20:12:09Z",
            comment="11 pages, 6 figures, 3 tables, LaTeX209, submitted to The Journal of Chemical Physics",
            journal_ref="J. Chem. Phys. 115, 1626 (2001)",
            doi="10.1063/1.1383585",
        ),
        _p("2104.12255", "0", "Quan Thoi Minh Nguyen", "2021-04-20T16:07:14Z"),
    )
}

CATEGORIES: dict[str, tuple[str, ...]] = {
    "2401.01335": ("cs.LG", "cs.AI", "cs.CL", "stat.ML"),
    "2502.12853": ("cs.CL", "cs.AI"),
    "astro-ph/0601001": ("astro-ph",),
    "cond-mat/0102536": ("cond-mat.str-el",),
    "2104.12255": ("cs.CR",),
}


def abstract(paper: Paper) -> str:
    """A stand-in abstract, long enough to be folded by the legacy format, with XML specials."""
    return (
        f"  We study {paper.title} & related questions <in brief>. This stand-in abstract is written for "
        "the bot's tests only; it is long enough that the legacy API folds it over several lines."
    )
