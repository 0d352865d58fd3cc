"""Markdown Q&A documents: questions as headings, bold lines or `<details>` blocks.

A heading is a question when its text looks like one (ends with "?", has a "Q12:"/"12." label,
or starts with an interrogative word) and it is followed by answer text, or by nothing but
another question; a heading whose next heading is a deeper question is a section ("General",
"Deep Neural Networks"), and so is anything that does not look like a question ("Table of
Contents").  A deeper heading that is not a question inside an answer ("#### Example") stays
in the answer.  Any other heading that is not a question but has text of its own ("### Refunds"
then how refunds work) is an entry named by the heading, its answer that text up to the next
heading, in a document with questions; not so the title (a first heading above all others,
before any question) with its introduction, a table of contents or a list of links.

Bold lines (`**What is X?**`, `**Q: ...**`) and "Q: ..." lines are questions when the file
has no question headings, or when they carry a "Q" label, or when a bold line ending in "?"
stands outside any answer (under a section heading).  `<details><summary>Q</summary>
A</details>` is a question with its answer, except that a summary such as "Answer" or "Show
solution" reveals the answer of the question above it, and in a file of question headings a
summary that is not a question ("Example") is part of the answer above it.

Answers keep their Markdown (lists, code blocks, tables) for display.  Images and HTML
comments are removed from the stored answer (they carry no words worth matching and would show
as noise in a terminal).  A question that is written down twice, first without an answer (a
list of questions before the answers), keeps only its answered copy; one never answered is kept
with answer "".  A file with none of these structures, or whose only questions are "Q1:"
lines (a plain-text document saved as .md), is read as plain text (see `qabot.parse.text`),
which handles question lists followed by unmarked answers.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse.common import (
    drop_section_heading,
    entry_id,
    match_answer_label,
    question_key,
    read_text,
)
from qabot.parse.markdown_lex import (
    BACK_LINK,
    HTML_ONLY_LINE,
    LABEL_LINE,
    LINK,
    RULE,
    Block,
    dedent,
    lex,
)

INTERROGATIVES = frozenset(
    "what what's whats why how when where which who whom whose can could does do did is are "
    "was were should would will explain describe define compare differentiate distinguish".split()
)
REVEAL_WORDS = frozenset(
    "answer answers solution explanation reveal expand show click hint".split()
)
CONTENTS = frozenset({"contents", "table of contents", "toc"})  # headings of navigation


@dataclass
class _Draft:
    question: str
    line: int
    level: int | None  # heading level; None ends at any heading
    body: list[tuple[int, str]] = field(default_factory=list)
    topic: bool = False  # a heading that is not a question ("Refunds"): only its own text
    indent: int = 0  # the column where the question's text starts, for indented code


def parse_markdown_file(path: Path, display: str, id_prefix: str) -> list[Entry]:
    """Parse a Markdown Q&A document into entries."""
    return parse_markdown(read_text(path), display, id_prefix)


def parse_markdown(text: str, display: str, id_prefix: str) -> list[Entry]:
    """Parse the text of a Markdown Q&A document into entries (see module docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = lex(lines)
    _classify(blocks)
    drafts = _drafts(blocks)
    if all(d.topic for d in drafts) or not any(_marked_up(b) for b in blocks if b.question):
        return _as_plain_text(blocks, len(lines), display, id_prefix)
    drafts = _without_listed_copies([d for d in drafts if not d.topic or _is_topic(d)])
    return [_entry(d, display, id_prefix, i) for i, d in enumerate(drafts, 1)]


# --- classification ------------------------------------------------------------------------


def _strength(block: Block) -> int:
    """2: clearly a question ("?" or label); 1: starts with an interrogative word; 0: not."""
    plain = unicodedata.normalize("NFKC", block.text).strip()
    if not plain:
        return 0
    if block.labeled or plain.rstrip(" .*_)").endswith("?"):
        return 2
    first = re.split(r"[\s,:;]+", plain.casefold(), maxsplit=1)[0].replace("\u2019", "'")
    return 1 if first in INTERROGATIVES else 0


def _classify(blocks: list[Block]) -> None:
    """Mark which headings, bold lines and details blocks are questions."""
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    for n, i in enumerate(headings):
        block, strength = blocks[i], _strength(blocks[i])
        if strength == 0:
            continue
        end = headings[n + 1] if n + 1 < len(headings) else len(blocks)
        has_text = any(b.kind == "details" or b.text.strip() for b in blocks[i + 1 : end])
        nxt = blocks[end] if end < len(blocks) else None
        deeper_question = nxt is not None and nxt.level > block.level and _strength(nxt) > 0
        block.question = not deeper_question if strength == 1 else has_text or not deeper_question
    heading_questions = any(b.question for b in blocks if b.kind == "heading")
    for block in blocks:
        if block.kind == "details":  # among question headings, "Example" is answer text
            block.question = (
                bool(block.text)
                and not _reveals(block.text)
                and (not heading_questions or _strength(block) > 0)
            )
        elif block.bold is not None and not block.code:
            block.question = (
                not heading_questions
                or bool(LABEL_LINE.match(block.text))
                or bool(
                    re.match(
                        r"^\s*(?:[-*+]\s+)?(\*\*|__)\s*(?:Q|Question)\s*\d*\s*[:.)]", block.text
                    )
                )
            )


def _marked_up(block: Block) -> bool:
    """Whether a question is written in Markdown (heading, bold, details), not a "Q1:" line."""
    return block.kind != "text" or "**" in block.text or "__" in block.text


def _orphan_question(block: Block, current: _Draft | None) -> bool:
    """A bold line ending in "?" outside any answer (under a section heading such as
    "## Optimizers"): a question, though the file's questions are headings, since its text
    would otherwise belong to nothing and be lost."""
    assert block.bold is not None
    outside = current is None or current.topic
    return outside and not block.code and block.bold[0].rstrip().endswith("?")


def _reveals(summary: str) -> bool:
    """Whether a `<summary>` is a "show the answer" toggle rather than a question."""
    words = re.findall(r"\w+", summary.casefold())
    return "?" not in summary and len(words) <= 5 and bool(REVEAL_WORDS & set(words))


# --- entries -------------------------------------------------------------------------------


def _drafts(blocks: list[Block]) -> list[_Draft]:
    """Questions with their answers, and topics (headings that are not questions) with their
    own text, in document order."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    title = _title(blocks)
    for block in blocks:
        if current is not None and _starts_question(block, current):
            drop_section_heading(current.body)  # ("Payments" over the next questions)
        if block.kind == "heading":
            if block.question:
                current = _Draft(block.text, block.line, block.level, indent=block.indent)
                drafts.append(current)
            elif _in_answer(block, current):
                assert current is not None
                if not _reveals(block.text):  # "### Answer" under the question: no heading
                    current.body.append((block.line, "#" * block.level + " " + block.text))
            elif block is title:  # its text introduces the document: no answer to anything
                current = None
            else:
                current = _Draft(
                    block.text, block.line, block.level, topic=True, indent=block.indent
                )
                drafts.append(current)
        elif block.kind == "details":
            if block.question:
                drafts.append(_Draft(block.text, block.line, None, block.body, indent=block.indent))
                current = None
            elif current is not None:
                if block.text and not _reveals(block.text):
                    current.body.append((block.line, f"**{block.text}**"))
                current.body.extend(block.body)
        elif block.bold is not None and (block.question or _orphan_question(block, current)):
            current = _Draft(block.bold[0], block.line, None, indent=block.indent)
            if block.bold[1]:
                current.body.append((block.line, block.bold[1]))
            drafts.append(current)
        elif current is not None:
            current.body.append((block.line, block.text))
    return [d for d in drafts if d.question]


def _starts_question(block: Block, current: _Draft) -> bool:
    """Whether `block` is the next question, which ends the answer being read."""
    if block.kind in ("heading", "details"):
        return block.question
    return block.bold is not None and (block.question or _orphan_question(block, current))


def _in_answer(heading: Block, current: _Draft | None) -> bool:
    """Whether a heading that is not a question is a sub-heading of the answer being read."""
    return (
        current is not None
        and not current.topic
        and current.level is not None
        and heading.level > current.level
    )


def _title(blocks: list[Block]) -> Block | None:
    """The document's title: a first heading, before any question and not one, above every
    other heading ("# Acme FAQ", or "## Acme FAQ" over "### ...?" questions)."""
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings or headings[0].question:
        return None
    first = headings[0]
    asked_before = any(b.question for b in blocks[: blocks.index(first)])
    above_all = all(first.level < b.level for b in headings[1:])
    return first if above_all and not asked_before else None


def _is_topic(draft: _Draft) -> bool:
    """Whether a heading that is not a question has text of its own to answer with: not a
    heading that only groups questions, nor a table of contents or a list of links."""
    lines = _answer_lines(draft.body)
    name = " ".join(re.findall(r"\w+", draft.question.casefold()))
    return bool(lines) and name not in CONTENTS and not all(_links_only(t) for _, t in lines)


def _links_only(line: str) -> bool:
    """Whether a line holds nothing but links (besides list, table and emphasis marks)."""
    return not re.search(r"[^\W\d_]", LINK.sub("", line))


def _without_listed_copies(drafts: list[_Draft]) -> list[_Draft]:
    """Drop unanswered questions that are answered later (a list of the questions up front)."""
    answered_at: dict[str, int] = {}
    for i, draft in enumerate(drafts):
        if _answer_lines(draft.body):
            answered_at[question_key(draft.question)] = i
    return [
        d
        for i, d in enumerate(drafts)
        if _answer_lines(d.body) or answered_at.get(question_key(d.question), -1) <= i
    ]


def _answer_lines(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The answer's lines: label removed, back-to-top links and HTML-only lines dropped, trimmed."""
    lines = [(n, t) for n, t in body if not BACK_LINK.match(t) and not HTML_ONLY_LINE.match(t)]
    while lines and (not lines[0][1].strip() or RULE.match(lines[0][1])):
        lines.pop(0)
    while lines and (not lines[-1][1].strip() or RULE.match(lines[-1][1])):
        lines.pop()
    if lines:
        label = match_answer_label(lines[0][1])
        if label is not None:
            lines[0] = (lines[0][0], label)
            if not label:
                return _answer_lines(lines[1:])
    return lines


def _entry(draft: _Draft, display: str, prefix: str, position: int) -> Entry:
    lines = _answer_lines(draft.body)
    gap = bool(lines) and _after_gap(draft, lines[0][0])
    answer = "\n".join(dedent([t.rstrip() for _, t in lines], draft.indent, gap)).strip("\n")
    end = lines[-1][0] if lines else draft.line
    return Entry(
        id=entry_id(prefix, position),
        question=draft.question,
        answer=answer,
        source=Source(path=display, line_start=draft.line, line_end=max(draft.line, end)),
    )


def _after_gap(draft: _Draft, first: int) -> bool:
    """Whether the answer's first line (numbered `first`) follows the question's heading or a
    blank line, and so may start an indented code block."""
    before = itertools.takewhile(lambda line: line[0] != first, draft.body)
    return draft.level is not None or any(not text.strip() for _, text in before)


def _as_plain_text(blocks: list[Block], n_lines: int, display: str, prefix: str) -> list[Entry]:
    """A Markdown file without headings/bold questions: read it as a plain-text Q&A document."""
    from qabot.parse.text import parse_text

    lines = [""] * n_lines
    for block in blocks:
        if block.kind == "text" and 0 < block.line <= n_lines:
            lines[block.line - 1] = block.text
    try:
        return parse_text(lines, display, prefix)
    except CorpusError:
        raise CorpusError(
            display,
            "no recognizable Q&A (expected question headings, **bold questions**, "
            "<details> blocks or Q:/A: lines)",
        ) from None
