"""The section a paper is named for: by its words against each section's entries, by a heading's
date or venue first; only sections that hold papers, two named when close."""

from __future__ import annotations

from bot.core.intake.sections import SectionIndex

TOPICS = {
    "Reward Modeling": [
        "Self-Rewarding Language Models",
        "Self-Taught Evaluators",
        "Generative Reward Models for Preference Learning",
    ],
    "Self-Play": [
        "Self-Play Preference Optimization for Language Model Alignment",
        "Self-playing Adversarial Language Game Enhances LLM Reasoning",
        "Self-Play Fine-Tuning of Diffusion Models",
    ],
    "Empty": [],
}


def test_the_section_whose_papers_are_most_like_it():
    index = SectionIndex(TOPICS)
    assert index.choose("Reward models trained on preference data").first == "Reward Modeling"
    assert index.choose("Self-Play Fine-Tuning Converts Weak Language Models").first == "Self-Play"
    assert "Empty" not in index.names  # never a section without papers


def test_two_are_named_when_close_and_an_unlike_paper_is_a_guess():
    index = SectionIndex(TOPICS)
    close = index.choose("Self-Play reward preference language models")
    assert close.second is not None and set(close.named) == {"Reward Modeling", "Self-Play"}
    guess = index.choose("Galaxy rotation curves")
    assert not guess.sure and guess.second is None and guess.first in TOPICS


def test_a_heading_that_names_a_date_or_a_venue_decides_first():
    by_year = SectionIndex({"2024": ["Reward models"], "2023": ["Reward models and more reward models"]})
    assert by_year.choose("Reward models", when=[(2024, 3)]).first == "2024"
    by_month = SectionIndex(
        {"2024-12": ["A"], "2024-11": ["A"], "Top papers (June 2 - June 8) - 2025": ["A"]}
    )
    assert by_month.choose("A", when=[(2024, 11)]).first == "2024-11"
    assert by_month.choose("A", when=[(2025, 6)]).first.startswith("Top papers")
    by_venue = SectionIndex({"ICLR": ["Graph networks"], "NeurIPS": ["Graph networks"]})
    assert by_venue.choose("Graph networks", venues=["NeurIPS"]).first == "NeurIPS"
