"""Plain-text Q&A documents: an optional question list, then answers with or without markers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse.align import Unit, align
from qabot.parse.common import (
    BARE_BULLET,
    LIST_ITEM,
    match_answer_label,
    match_question,
    read_lines,
)
from qabot.text import normalize

MIN_TOC_QUESTIONS = 2
HEADER_MATCH_RATIO = 0.6


@dataclass
class _Question:
    number: int | None
    text: str
    line: int  # where the question is written (header in the body, else the list)
    has_header: bool = False


@dataclass
class _Line:
    number: int
    text: str
    question: tuple[int | None, str] | None = None
    answer: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class _Body:
    units: list[Unit] = field(default_factory=list)
    open_header: bool = False  # the last unit is a header still waiting for its first line
    after_list: bool = False  # a question list came first: unmarked text after it is answer text


def parse_text_file(path: Path, display: str, id_prefix: str) -> list[Entry]:
    """Parse a plain-text Q&A document into entries."""
    return parse_text(read_lines(path), display, id_prefix)


def parse_text(raw_lines: list[str], display: str, id_prefix: str) -> list[Entry]:
    """Parse the lines of a plain-text Q&A document into entries (see module docstring)."""
    lines = [_classify(i + 1, text) for i, text in enumerate(raw_lines)]
    toc, body_start = _question_list(lines)
    questions = list(toc)
    body = _Body(after_list=bool(toc))
    pointer = 0
    for line in lines[body_start:]:
        if line.question is not None:
            index = _match_header(questions, pointer, line)
            pointer = index + 1
            body.units.append(Unit(lines=[], fixed=index))
            body.open_header = True
            if line.answer:
                _add_answer_label(body, line)
        elif line.answer is not None:
            _add_answer_label(body, line)
        elif not line.blank:
            _add_content(body, line)
        elif body.units and body.units[-1].lines:
            body.units[-1].lines.append((line.number, ""))
    if not questions:
        raise CorpusError(display, "no recognizable Q&A (expected question lines like 'Q1: ...')")
    try:
        owners = align([q.text for q in questions], body.units)
    except ValueError as exc:
        raise CorpusError(display, str(exc)) from None
    return _entries(questions, body.units, owners, display, id_prefix)


def _classify(number: int, text: str) -> _Line:
    line = _Line(number, text)
    if text.strip():
        line.question = match_question(text)
        if line.question is None:
            line.answer = match_answer_label(text)
        elif inline := _INLINE_ANSWER.match(line.question[1]):  # "Q1: What is X? A: ..."
            line.question = (line.question[0], inline.group(1))
            line.answer = inline.group(2)
    return line


# a question line that carries its answer: "Q1: What is dropout? A: Zeroing random units."
_INLINE_ANSWER = re.compile(r"^(.*?\?)\s+(?:A|Ans|Answer)\s*[:.)\-]\s*(\S.*)$", re.IGNORECASE)


def _question_list(lines: list[_Line]) -> tuple[list[_Question], int]:
    """Find a leading list of questions (a table of contents) and where the body starts."""
    first = next((i for i, ln in enumerate(lines) if ln.question or ln.answer is not None), None)
    if first is None or lines[first].question is None:
        return [], first or 0
    run: list[_Line] = []
    end = first
    for i in range(first, len(lines)):
        if lines[i].blank:
            continue
        if lines[i].question is None or lines[i].answer or _repeats(run, lines[i]):
            break  # (a question with its answer on its line starts the body)
        run.append(lines[i])
        end = i + 1
    if len(run) < MIN_TOC_QUESTIONS:
        return [], first
    return [_Question(ln.question[0], ln.question[1], ln.number) for ln in run if ln.question], end


def _repeats(run: list[_Line], line: _Line) -> bool:
    """A question already in the list: the list has ended and the answers begin."""
    assert line.question is not None
    number, text = line.question
    key = normalize(text)
    return any(
        (number is not None and number == ln.question[0])
        or difflib.SequenceMatcher(None, key, normalize(ln.question[1])).ratio() > 0.9
        for ln in run
        if ln.question is not None
    )


def _match_header(questions: list[_Question], pointer: int, line: _Line) -> int:
    """Index of the question a body header names; unknown headers are inserted in order."""
    assert line.question is not None
    number, text = line.question
    key = normalize(text)
    best, best_ratio = -1, 0.0
    for i in range(pointer, len(questions)):
        if questions[i].has_header:
            continue
        ratio = difflib.SequenceMatcher(None, key, normalize(questions[i].text)).ratio()
        if number is not None and number == questions[i].number:
            ratio += 0.3
        if ratio > best_ratio:
            best, best_ratio = i, ratio
    if best < 0 or best_ratio < HEADER_MATCH_RATIO:
        questions.insert(pointer, _Question(number, text, line.number))
        best = pointer
    questions[best].text, questions[best].line, questions[best].has_header = (
        text,
        line.number,
        True,
    )
    return best


def _add_answer_label(body: _Body, line: _Line) -> None:
    assert line.answer is not None
    if not body.open_header:
        body.units.append(Unit(lines=[], starts_answer=True))
    body.open_header = False
    if line.answer:
        body.units[-1].lines.append((line.number, line.answer))


def _add_content(body: _Body, line: _Line) -> None:
    if not body.units:
        if not body.after_list:
            return  # preamble before the first question or answer: a title, an introduction
        body.units.append(Unit(lines=[]))
    unit = body.units[-1]
    if body.open_header or not unit.lines or not _starts_paragraph(unit, line):
        unit.lines.append((line.number, line.text))
    else:
        body.units.append(Unit(lines=[(line.number, line.text)]))
    body.open_header = False


def _starts_paragraph(unit: Unit, line: _Line) -> bool:
    """Whether an unmarked line may begin a new answer (not a list item or a continuation)."""
    previous = next((t for _, t in reversed(unit.lines) if t.strip()), "")
    after_blank = unit.lines[-1][1] == ""
    if after_blank:
        return True
    return not (
        LIST_ITEM.match(line.text)
        or BARE_BULLET.match(previous)
        or previous.rstrip().endswith((":", ",", ":-"))
    )


def _entries(
    questions: list[_Question], units: list[Unit], owners: list[int], display: str, prefix: str
) -> list[Entry]:
    grouped: list[list[tuple[int, str]]] = [[] for _ in questions]
    for unit, owner in zip(units, owners, strict=True):
        grouped[owner].extend(unit.lines)
    entries = []
    for index, (question, answer_lines) in enumerate(zip(questions, grouped, strict=True)):
        numbers = [n for n, t in answer_lines if t.strip()]
        start = question.line if question.has_header or not numbers else numbers[0]
        end = numbers[-1] if numbers else start
        entries.append(
            Entry(
                id=f"{prefix}:q{index + 1}",
                question=question.text,
                answer=join_answer_lines([t for _, t in answer_lines]),
                source=Source(path=display, line_start=start, line_end=max(start, end)),
            )
        )
    return entries


def join_answer_lines(lines: list[str]) -> str:
    """Join answer lines for display, attaching a bullet written alone to the line after it."""
    out: list[str] = []
    pending_bullet = ""
    for text in lines:
        if BARE_BULLET.match(text):
            pending_bullet = text.strip() + " "
            continue
        if pending_bullet and text.strip():
            text, pending_bullet = pending_bullet + text.strip(), ""
        out.append(text.rstrip())
    return "\n".join(out).strip("\n")
