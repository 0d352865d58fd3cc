"""Markdown documents: heading, bold and <details> questions, and messy real-world layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED

from qabot.errors import CorpusError
from qabot.parse.markdown import parse_markdown, parse_markdown_file
from qabot.parse.text import parse_text

FIXTURES = Path(__file__).parent / "fixtures"


def messy() -> dict[str, object]:
    entries = parse_markdown_file(FIXTURES / "messy.md", "messy.md", "messy")
    return {e.question: e for e in entries}


def test_messy_file_yields_exactly_its_questions_in_order() -> None:
    entries = parse_markdown_file(FIXTURES / "messy.md", "messy.md", "messy")
    assert [e.question for e in entries] == [
        "What is a neural network?",
        "Why use ReLU?",
        "What is backpropagation?",
        "What is an epoch?",
        "What is a batch?",
        "What is weight decay?",
        "How does dropout work?",
    ]
    assert [e.id for e in entries] == [f"messy:q{n}" for n in range(1, 8)]


def test_table_of_contents_links_and_section_headings_are_not_entries() -> None:
    questions = messy()
    for section in ("Table of Contents", "Deep Neural Networks", "Questions & Answers"):
        assert section not in questions
    assert all("](#" not in e.answer for e in questions.values())  # type: ignore[attr-defined]


def test_answer_keeps_lists_code_tables_and_sub_headings_as_markdown() -> None:
    relu = messy()["Why use ReLU?"]
    assert "```python\n# this comment is code, not a heading\ndef relu(x):" in relu.answer
    assert "| ReLU       | [0, inf) |" in relu.answer
    assert "#### Example\n\nReLU(-2) = 0." in relu.answer
    assert (relu.source.line_start, relu.source.line_end) == (26, 42)


def test_numbered_heading_loses_its_label_and_images_are_dropped() -> None:
    nn = messy()["What is a neural network?"]
    assert nn.answer == (
        "A neural network is a stack of layers that learns a function from examples.\n\n"
        "- input layer\n- hidden layers\n- output layer"
    )
    assert "Back to top" not in nn.answer


def test_question_heading_without_answer_is_kept_unanswered() -> None:
    backprop = messy()["What is backpropagation?"]
    assert backprop.answer == ""
    assert not backprop.answered


def test_unicode_bold_letters_in_a_heading_are_read_as_plain_letters() -> None:
    assert messy()["What is an epoch?"].answer == "One full pass over the training data."


def test_answer_label_is_removed_from_a_bold_question_answer() -> None:
    assert messy()["What is a batch?"].answer.startswith("A group of examples processed together.")


def test_details_summary_question_and_reveal_toggle() -> None:
    questions = messy()
    assert questions["What is weight decay?"].answer == "An L2 penalty on the weights."
    dropout = questions["How does dropout work?"]
    assert dropout.answer == "It zeroes random activations during training."


def test_bold_questions_with_and_without_labels() -> None:
    entries = parse_markdown_file(FIXTURES / "bold.md", "bold.md", "bold")
    assert [e.question for e in entries] == [
        "What is a loss function?",
        "What is overfitting?",
        "What is underfitting?",
    ]
    assert entries[1].answer.endswith("1. training loss keeps falling\n2. validation loss rises")
    assert not entries[2].answered


def test_details_blocks_with_html_in_the_summary() -> None:
    entries = parse_markdown_file(FIXTURES / "details.md", "details.md", "details")
    assert [(e.question, e.answer) for e in entries] == [
        ("What is a convolution?", "A sliding dot product of a kernel over the input."),
        ("What is pooling?", "Downsampling by taking the max or mean of each window."),
    ]


def test_section_heading_is_recognized_by_its_deeper_question_sub_heading() -> None:
    text = "## How to read this\n### What is X?\nX is x.\n## Why Y?\nBecause.\n"
    entries = parse_markdown(text, "s.md", "s")
    assert [e.question for e in entries] == ["What is X?", "Why Y?"]


def test_heading_closed_with_hashes_and_q_label() -> None:
    entries = parse_markdown("## Q12: What is a GAN? ##\nTwo networks.\n", "g.md", "g")
    assert (entries[0].question, entries[0].answer) == ("What is a GAN?", "Two networks.")


def test_hash_lines_in_fenced_code_are_not_headings() -> None:
    text = "## What is bash?\n~~~sh\n# What is this comment?\necho hi\n~~~\n"
    entries = parse_markdown(text, "b.md", "b")
    assert len(entries) == 1
    assert "# What is this comment?" in entries[0].answer


def test_question_listed_before_its_answer_keeps_only_the_answered_copy() -> None:
    text = "**Q: What is A?**\n**Q: What is B?**\n\n**Q: What is A?**\nA is a.\n"
    entries = parse_markdown(text, "l.md", "l")
    assert [(e.id, e.question, e.answer) for e in entries] == [
        ("l:q1", "What is B?", ""),
        ("l:q2", "What is A?", "A is a."),
    ]


def test_setext_heading_question() -> None:
    entries = parse_markdown("What is a setext heading?\n---\nAn underlined one.\n", "s.md", "s")
    assert (entries[0].question, entries[0].answer) == (
        "What is a setext heading?",
        "An underlined one.",
    )


def test_multi_line_html_comment_is_dropped_from_the_answer() -> None:
    text = "## Why?\nBecause\n<!-- hidden\n## What is hidden?\n-->\nit is.\n"
    entries = parse_markdown(text, "c.md", "c")
    assert [(e.question, e.answer) for e in entries] == [("Why?", "Because\nit is.")]


def test_markdown_without_questions_is_an_error_naming_the_file() -> None:
    with pytest.raises(CorpusError, match=r"^n\.md: no recognizable Q&A"):
        parse_markdown("# Notes\n\nSome prose about things.\n", "n.md", "n")


def test_numbered_bold_items_with_indented_answers() -> None:
    text = "# FAQ\n\n1. **What is X?**\n   X is x.\n2. **What is Y?**\n   Y is y.\n"
    entries = parse_markdown(text, "n.md", "n")
    assert [(e.question, e.answer, e.source.line_end) for e in entries] == [
        ("What is X?", "X is x.", 4),
        ("What is Y?", "Y is y.", 6),
    ]


def test_answer_sub_heading_is_not_kept_in_the_answer() -> None:
    entries = parse_markdown("## What is Z?\n### Answer\nZ is z.\n", "z.md", "z")
    assert [(e.question, e.answer) for e in entries] == [("What is Z?", "Z is z.")]


def test_bold_lines_are_answer_text_when_headings_are_the_questions() -> None:
    text = "## What is X?\n**Why does it matter?**\nBecause.\n"
    entries = parse_markdown(text, "h.md", "h")
    assert [e.question for e in entries] == ["What is X?"]
    assert entries[0].answer == "**Why does it matter?**\nBecause."


def test_qabot_list_marks_unanswered_markdown_questions(capsys: pytest.CaptureFixture[str]) -> None:
    from qabot import cli

    assert cli.main(["list", "--corpus", str(FIXTURES / "messy.md")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.endswith("(unanswered)")] == [
        "   Q3  What is backpropagation?  (unanswered)"
    ]


def test_headings_inside_numbered_list_items_with_a_table_of_contents() -> None:
    entries = parse_markdown_file(FIXTURES / "listed.md", "listed.md", "listed")
    assert [(e.id, e.question) for e in entries] == [
        ("listed:q1", "What is React?"),
        ("listed:q2", "What is JSX?"),
    ]
    react, jsx = entries
    assert react.answer == (
        "React is a library for building user interfaces.\n\n```javascript\n"
        "# not a heading: code inside a list item\nconst App = () => <div />\n```"
    )
    assert jsx.answer == "JSX is a syntax extension that looks like HTML."
    assert (jsx.source.line_start, jsx.source.line_end) == (31, 32)


def test_details_that_is_not_a_question_stays_in_the_heading_questions_answer() -> None:
    text = "## What is X?\nX is x.\n<details><summary>Example</summary>\nx = 1\n</details>\n"
    entries = parse_markdown(text, "e.md", "e")
    assert [(e.question, e.answer) for e in entries] == [
        ("What is X?", "X is x.\n**Example**\nx = 1")
    ]


def test_a_bold_question_under_a_section_heading_is_kept() -> None:
    text = (
        "### What is x?\n\nX is y.\n\n## Optimizers\n\n**Which optimizer should I start with?**"
        "\n\nStart with Adam.\n\n## Links\n\n- [home](http://x)\n"
    )
    entries = parse_markdown(text, "t.md", "t")
    assert [(e.question, e.answer) for e in entries] == [
        ("What is x?", "X is y."),
        ("Which optimizer should I start with?", "Start with Adam."),
    ]


def test_a_bold_question_inside_an_answer_stays_in_it() -> None:
    text = "## What is x?\n\nX is y.\n\n**Why does it matter?**\n\nBecause y is z.\n"
    (entry,) = parse_markdown(text, "t.md", "t")
    assert entry.answer == "X is y.\n\n**Why does it matter?**\n\nBecause y is z."


def test_the_seed_saved_as_markdown_gives_the_same_entries_as_the_text_file() -> None:
    seed = parse_text(SEED.read_text(encoding="utf-8").splitlines(), "s", "s")
    as_markdown = parse_markdown(SEED.read_text(encoding="utf-8"), "s", "s")
    assert [(e.question, e.answer) for e in as_markdown] == [(e.question, e.answer) for e in seed]


def test_a_label_without_a_space_is_not_kept_in_the_question() -> None:
    text = "## Q1:What is X?\nX is x.\n\n## Q2.What is Y?\nY is y.\n\n**Q3:What is Z?**\nZ is z.\n"
    entries = parse_markdown(text, "l.md", "l")
    assert [e.question for e in entries] == ["What is X?", "What is Y?", "What is Z?"]


BILLING_FAQ = """# Account FAQ

Answers to common questions.

## Getting started

### How to reset my password
Click "Forgot password".

## Billing

### Refunds
Refunds are issued within 14 days of purchase.

### Why was I charged twice?
A pending authorization.
"""


def test_a_heading_that_is_not_a_question_with_text_under_it_is_an_entry() -> None:
    entries = parse_markdown(BILLING_FAQ, "f.md", "f")
    assert [(e.id, e.question) for e in entries] == [
        ("f:q1", "How to reset my password"),
        ("f:q2", "Refunds"),
        ("f:q3", "Why was I charged twice?"),
    ]  # the title and the headings that only group questions are no entries
    refunds = entries[1]
    assert refunds.answer == "Refunds are issued within 14 days of purchase."
    assert (refunds.source.line_start, refunds.source.line_end) == (12, 13)


def test_a_topic_heading_keeps_only_its_own_text_not_its_sub_sections() -> None:
    text = "## What is X?\nX is x.\n\n## Shipping\nWe ship worldwide.\n### Europe\nIn 3 days.\n"
    entries = parse_markdown(text, "s.md", "s")
    assert [(e.question, e.answer) for e in entries] == [
        ("What is X?", "X is x."),
        ("Shipping", "We ship worldwide."),
        ("Europe", "In 3 days."),
    ]


def test_tables_of_contents_and_lists_of_links_are_not_topics() -> None:
    text = (
        "## Contents\n\n1. Shipping\n2. Refunds\n\n## Shipping\n\nWe ship worldwide.\n\n"
        "## What is X?\n\nX is x.\n\n## See also\n\n- [Home](https://example.com)\n"
        "- [Blog](https://example.com/blog)\n"
    )
    entries = parse_markdown(text, "n.md", "n")
    assert [e.question for e in entries] == ["Shipping", "What is X?"]


def test_sections_with_text_are_entries_only_in_a_document_with_questions() -> None:
    sections = "## Setup\n\nInstall it with pip.\n\n## Usage\n\nRun it.\n"
    entries = parse_markdown(sections + "\n## Why use it?\n\nIt is fast.\n", "u.md", "u")
    assert [e.question for e in entries] == ["Setup", "Usage", "Why use it?"]
    with pytest.raises(CorpusError, match=r"^u\.md: no recognizable Q&A"):
        parse_markdown(sections, "u.md", "u")  # prose under headings: no Q&A document


def test_a_heading_that_is_not_a_question_ends_a_bold_question_answer() -> None:
    text = "**What is X?**\nX is x.\n\n## Shipping\nWe ship worldwide.\n"
    entries = parse_markdown(text, "b.md", "b")
    assert [(e.question, e.answer) for e in entries] == [
        ("What is X?", "X is x."),
        ("Shipping", "We ship worldwide."),
    ]


def test_qabot_ask_finds_the_text_of_a_heading_that_is_not_a_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qabot import cli

    path = tmp_path / "faq.md"
    path.write_text(BILLING_FAQ, encoding="utf-8")
    assert cli.main(["ask", "--corpus", str(path), "--json", "refund policy"]) == 0
    assert '"question":"Refunds"' in capsys.readouterr().out


def test_a_title_above_all_other_headings_is_no_entry_whatever_its_level() -> None:
    # "## Acme FAQ" over "###" questions: its introduction answers nothing, and an entry
    # for it would shift every question's number ("Q4" would name another question)
    text = (
        "## Acme FAQ\nAnswers to what customers ask most.\n\n"
        "### What is X?\nX is x.\n\n### How do I get Y?\nAsk for y.\n"
    )
    entries = parse_markdown(text, "a.md", "a")
    assert [(e.id, e.question) for e in entries] == [
        ("a:q1", "What is X?"),
        ("a:q2", "How do I get Y?"),
    ]


def test_a_comment_line_keeps_the_paragraph_break_before_it() -> None:
    text = (
        "## How do I track my parcel?\n\n1. Open the app.\n2. Tap **Orders**.\n3. Tap *Track*.\n\n"
        "<!-- note -->\nTracking updates every hour.\n\n## Why?\n\nOne.\n\n<!-- a -->\nTwo.\n"
    )
    entries = parse_markdown(text, "rich.md", "rich")
    assert [e.answer for e in entries] == [
        "1. Open the app.\n2. Tap **Orders**.\n3. Tap *Track*.\n\nTracking updates every hour.",
        "One.\n\nTwo.",
    ]


@pytest.mark.parametrize(
    "between", ["\n<!-- a -->\n\n", "\n<!-- a -->\n<!-- b -->\n\n", "\n<!--\nhidden\n-->\n\n"]
)
def test_comment_lines_between_gaps_leave_one_gap(between: str) -> None:
    entries = parse_markdown(f"## Why?\n\nOne.\n{between}Two.\n", "c.md", "c")
    assert entries[0].answer == "One.\n\nTwo."


@pytest.mark.parametrize("lead", ["", "Answer:\n\n", "**Q: How do I comment?**\n\n"])
def test_an_answer_that_starts_with_indented_code_keeps_its_indentation(lead: str) -> None:
    heading = "" if lead.startswith("**") else "## How do I comment?\n\n"
    text = f"{heading}{lead}    # comment?\n    x = 1\n\n## Why?\n\nOk.\n"
    entry = parse_markdown(text, "c.md", "c")[0]
    assert entry.answer == "    # comment?\n    x = 1"  # not a heading when shown as Markdown


def test_indented_answers_are_dedented_but_code_under_them_keeps_four_spaces() -> None:
    text = (
        "1. ### What is React?\n\n    A library.\n\n        # not a heading\n\n"
        "2. ### What is JSX?\n    Syntax.\n\n"
        "<details><summary>What is a hook?</summary>\n    A function.\n\n    More.\n"
        "</details>\n"
    )
    entries = parse_markdown(text, "r.md", "r")
    assert [e.answer for e in entries] == [
        "A library.\n\n    # not a heading",
        "Syntax.",
        "A function.\n\nMore.",
    ]


def test_plain_and_bold_section_titles_between_questions_are_no_answer_text() -> None:
    text = (
        "# Cafe FAQ\n\n### Do you have vegan options?\nYes, all our soups are vegan.\n\n"
        "Payments and Gift Cards\n\n### Do you accept gift cards?\nYes, in any shop.\n\n"
        "**Delivery**\n\n### Do you deliver?\nWithin 3 km.\n"
    )
    entries = parse_markdown(text, "cafe.md", "cafe")
    assert [e.answer for e in entries] == [
        "Yes, all our soups are vegan.",
        "Yes, in any shop.",
        "Within 3 km.",
    ]
