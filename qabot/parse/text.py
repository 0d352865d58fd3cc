"""Plain-text Q&A documents: an optional question list, then answers with or without markers."""

from __future__ import annotations

import difflib
import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, pairwise
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse.align import Unit, align
from qabot.parse.common import (
    BARE_BULLET,
    LIST_ITEM,
    drop_section_heading,
    is_section_heading,
    match_answer_label,
    match_question,
    read_lines,
)
from qabot.text import normalize

MIN_TOC_QUESTIONS = 2
HEADER_MATCH_RATIO = 0.6
DOUBLE_SPACED_ADJACENT = 0.05  # at most this share of lines directly follow another line
MAX_WRAPPED = 3  # lines a wrapped question may continue over
REPEAT_RATIO = 0.95  # text similarity of two unnumbered questions that are the same one
_GRAM = 3  # characters of the substrings that index the questions of a list
_EXTRA_GRAMS = 2  # look up this many more of a text's 3-grams, to require as many more shared
_LIST_MARK = re.compile(r"^(?:[-*+\u2022]|\d{1,4}[.)])\s+")
_NUMBERED_ITEM = re.compile(r"^\s*(?:[-*+\u2022]\s+)?(\d{1,4})\s*[.)]\s+(\S.*)$")


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


def parse_text_file(
    path: Path, display: str, id_prefix: str, notes: list[str] | None = None
) -> list[Entry]:
    """Parse a plain-text Q&A document into entries (guesses about unmarked questions are
    noted in `notes`, if given)."""
    return parse_text(read_lines(path), display, id_prefix, notes)


def parse_text(
    raw_lines: list[str], display: str, id_prefix: str, notes: list[str] | None = None
) -> list[Entry]:
    """Parse the lines of a plain-text Q&A document into entries (see module docstring)."""
    labeled = any(match_question(text, numbered=False) for text in raw_lines)
    lines = [_classify(i + 1, text, numbered=not labeled) for i, text in enumerate(raw_lines)]
    lines = _single_spaced(lines)
    lines = _join_wrapped_questions(lines)
    toc, body_start = _question_list(lines)
    body_lines = lines[body_start:]
    if toc or any(line.question for line in body_lines):
        unmarked = _Unmarked(lines, labeled, display)
        body_lines = unmarked.read(body_start)
        if notes is not None:
            notes.extend(unmarked.notes)
    questions, body = _read_body(body_lines, list(toc))
    if not questions:  # no labels, numbers or list: "How do I repot a plant?" lines
        questions, body = _read_body(_bare_questions(lines), [])
    if not questions:
        raise CorpusError(display, "no recognizable Q&A (expected question lines like 'Q1: ...')")
    _drop_heading_before_first_answer(body.units)
    try:
        owners = align([q.text for q in questions], body.units)
    except ValueError as exc:
        raise CorpusError(display, str(exc)) from None
    return _entries(questions, body.units, owners, display, id_prefix)


def _read_body(lines: list[_Line], questions: list[_Question]) -> tuple[list[_Question], _Body]:
    """The questions (those of a question list, plus the body's headers) and the body's
    units of answer text."""
    body = _Body(after_list=bool(questions))
    listed = _Listed(questions)
    for line in lines:
        if line.question is not None:
            _drop_section_heading(body.units)
            body.units.append(Unit(lines=[], fixed=listed.match(line)))
            body.open_header = True
            if line.answer:
                _add_answer_label(body, line)
        elif line.answer is not None:
            _add_answer_label(body, line)
        elif not line.blank:
            _add_content(body, line)
        elif body.units and body.units[-1].lines:
            body.units[-1].lines.append((line.number, ""))
    return questions, body


def _drop_section_heading(units: list[Unit]) -> None:
    """Drop a section heading ("BORROWING") that ends the text before a question header: it
    answers nothing.  It is a paragraph of its own (a unit of one heading line after other
    answer text) or the last line of one (`drop_section_heading`)."""
    if not units:
        return
    last = units[-1]
    text = [t for _, t in last.lines if t.strip()]
    if (
        len(units) > 1
        and last.fixed is None
        and not last.starts_answer
        and len(text) == 1
        and is_section_heading(text[0])
        and any(t.strip() for _, t in units[-2].lines)
    ):
        units.pop()
    else:
        drop_section_heading(last.lines)


def _lone_question(text: str) -> bool:
    """A line that is one question (no sentence before its "?"): not answer text."""
    text = text.strip()
    return text.endswith("?") and not re.search(r"[.!]\s", text)


def _bare_questions(lines: list[_Line]) -> list[_Line]:
    """The lines of a document that labels nothing, with each unmarked question that starts
    a paragraph and is followed by answer text read as a question header: an FAQ written as
    "How often should I water a succulent?" then its answer, then a blank line."""
    out = list(lines)
    for i, line in enumerate(lines):
        text = line.text.strip()
        opens = i == 0 or lines[i - 1].blank
        if opens and text.endswith("?") and not LIST_ITEM.match(text):
            after = _next_text(lines, i)
            if after is not None and not _lone_question(after.text):
                out[i] = _Line(line.number, line.text, question=(None, text))
    return out


class _Unmarked:
    """Question lines without the markers of the document's other questions: "Why do my
    brakes squeal?" paragraphs between "Q:" pairs, numbered "1. ...?" lines after "Question:"
    ones.

    Such a line followed by answer text is a question when its layout says so: it starts a
    paragraph or an "Answer:" label follows it; a numbered one, when no list holds it (no ":"
    line introduces it, and the numbered line before it in the answer was a question too).
    Each one read so is noted, and one left inside an answer paragraph too: a guess about a
    question is never silent (a rhetorical one, a checklist item stays answer text).
    """

    def __init__(self, lines: list[_Line], labeled: bool, display: str) -> None:
        self.lines, self.labeled, self.display = lines, labeled, display
        self.notes: list[str] = []

    def read(self, start: int) -> list[_Line]:
        """The lines from `start` on, with the unmarked questions read as question lines."""
        out = self.lines[start:]
        before: _Line | None = None  # the last non-blank line
        numbered_run: bool | None = None  # whether the last numbered one was a question
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if line.blank:
                continue
            if line.question is not None:
                numbered_run = None  # (a new answer: a list in it starts afresh)
            elif line.answer is None:
                question = self._question(i, before, numbered_run)
                if question is not None:
                    out[i - start] = _Line(line.number, line.text, question=question)
                    self._note(line, "read as a question, not as answer text")
                if self._numbered(line) is not None:
                    numbered_run = question is not None
            before = line
        return out

    def _question(
        self, i: int, before: _Line | None, numbered_run: bool | None
    ) -> tuple[int | None, str] | None:
        """The question a body line asks, if its layout makes it one (see the class)."""
        line, after = self.lines[i], _next_text(self.lines, i)
        introduced = before is not None and before.text.rstrip().endswith((":", ":-"))
        if after is None or after.question is not None or introduced:
            return None
        answered = after.answer is not None or not _lone_question(after.text)
        numbered = self._numbered(line)
        if numbered is not None:
            listed = before is not None and bool(LIST_ITEM.match(before.text))
            return numbered if answered and numbered_run is not False and not listed else None
        if LIST_ITEM.match(line.text) or not _lone_question(line.text) or not answered:
            return None
        if (i == 0 or self.lines[i - 1].blank) or after.answer is not None:
            return None, line.text.strip()
        if before is not None and before.question is None:  # (not a header's first line)
            self._note(line, "kept in the answer above; give it a question label to ask it")
        return None

    def _numbered(self, line: _Line) -> tuple[int | None, str] | None:
        """A numbered question line that the "Q:" labels of the document left unmarked."""
        return match_question(line.text) if self.labeled else None

    def _note(self, line: _Line, what: str) -> None:
        text = line.text.strip()
        shown = text if len(text) <= _NOTE_CHARS else text[: _NOTE_CHARS - 1] + "\u2026"
        self.notes.append(f'{self.display}:{line.number}: "{shown}" {what}')


_NOTE_CHARS = 60  # a question quoted in a note is cut there


def _next_text(lines: list[_Line], i: int) -> _Line | None:
    """The first non-blank line after `lines[i]` (a scan, not a slice: it runs for many lines)."""
    for j in range(i + 1, len(lines)):
        if not lines[j].blank:
            return lines[j]
    return None


def _single_spaced(lines: list[_Line]) -> list[_Line]:
    """A double-spaced document (a blank line after every line, as `sed G` or some exports
    write it) without its single blank lines, so that a blank line means a new paragraph again;
    a run of blank lines stays one blank line.  Other documents are returned as they are."""
    text = [not ln.blank for ln in lines]
    n_text = sum(text)
    adjacent = sum(a and b for a, b in pairwise(text))
    if n_text < MIN_TOC_QUESTIONS * 2 or adjacent > DOUBLE_SPACED_ADJACENT * n_text:
        return lines
    out: list[_Line] = []
    for i, line in enumerate(lines):
        run_start = i == 0 or not lines[i - 1].blank
        if not line.blank or (not run_start and out and not out[-1].blank):
            out.append(line)
    return out


def _drop_heading_before_first_answer(units: list[Unit]) -> None:
    """Drop the text between a question list and the first question's header ("Answers",
    "======="): it answers no question."""
    first = next((i for i, unit in enumerate(units) if unit.fixed is not None), None)
    if first and units[first].fixed == 0:
        del units[:first]


def _classify(number: int, text: str, numbered: bool = True) -> _Line:
    """A line with its question or answer label, if any (numbered lines are questions only
    in a document whose questions are not labeled "Q1:": there, "1. ...?" is a list item)."""
    line = _Line(number, text)
    if text.strip():
        line.question = match_question(text, numbered)
        if line.question is None:
            line.answer = match_answer_label(text)
        elif inline := _INLINE_ANSWER.match(line.question[1]):  # "Q1: What is X? A: ..."
            line.question = (line.question[0], inline.group(1))
            line.answer = inline.group(2)
    return line


# a question line that carries its answer: "Q1: What is dropout? A: Zeroing random units."
_INLINE_ANSWER = re.compile(r"^(.*?\?)\s+(?:A|Ans|Answer)\s*[:.)\-]\s*(\S.*)$", re.IGNORECASE)


def _join_wrapped_questions(lines: list[_Line]) -> list[_Line]:
    """Join a question wrapped over several lines ("Q1: What is dropout, and why does it" /
    "help?"): up to MAX_WRAPPED unmarked lines after a question without its "?", when the
    last of them ends with one."""
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if line.question is None or line.answer or line.question[1].rstrip().endswith("?"):
            continue
        for j in range(i, min(i + MAX_WRAPPED, len(lines))):
            later = lines[j]
            if later.blank or later.question or later.answer is not None:
                break
            if LIST_ITEM.match(later.text):
                break
            if later.text.rstrip().endswith("?"):
                wrapped = " ".join(ln.text.strip() for ln in lines[i : j + 1])
                line.question = (line.question[0], f"{line.question[1]} {wrapped}")
                i = j + 1
                break
    return out


def _question_list(lines: list[_Line]) -> tuple[list[_Question], int]:
    """Find a leading list of questions (a table of contents) and where the body starts.

    Its lines are labeled questions ("- Q1: ..."), or list items or plain lines that end with
    "?" ("- What is dropout?"), or numbered items in sequence ("4. Why use batch norm").  A line
    pasted twice is read once; a repeat of an earlier question followed by answer text ends
    the list: the answers begin there.
    """
    first = next(
        (i for i, ln in enumerate(lines) if ln.question or ln.answer is not None or _bare(ln)),
        None,
    )
    if first is None or (lines[first].question is None and not _bare(lines[first])):
        return [], first or 0
    run = _Run()
    end = first
    for i in range(first, len(lines)):
        line = lines[i]
        if line.blank:
            continue
        item = line.question or _bare(line) or _next_numbered(line, run.items)
        if item is None or line.answer is not None:
            break  # (a question with its answer on its line starts the body)
        repeated = run.repeats(item)
        if repeated and _answer_follows(lines, i):
            break
        if not repeated:
            run.add(item, line.number)
        end = i + 1
    if len(run.items) < MIN_TOC_QUESTIONS:
        return [], first
    return [_Question(number, text, at) for number, text, at in run.items], end


def _bare(line: _Line) -> tuple[int | None, str] | None:
    """An unlabeled question line of a list: a list item or plain line ending with "?" (and
    its number, if numbered)."""
    text = line.text.strip()
    if line.question or line.answer is not None or not text.endswith("?"):
        return None
    numbered = _NUMBERED_ITEM.match(text)
    if numbered:
        return int(numbered.group(1)), numbered.group(2).strip()
    return None, _LIST_MARK.sub("", text).strip()


def _next_numbered(line: _Line, run: list[tuple[int | None, str, int]]) -> tuple[int, str] | None:
    """A numbered list item continuing the list's own numbering ("4. Why use batch norm")."""
    m = _NUMBERED_ITEM.match(line.text)
    if not m or not run or run[-1][0] is None or int(m.group(1)) != run[-1][0] + 1:
        return None
    return int(m.group(1)), m.group(2).strip()


@dataclass(frozen=True)
class _Key:
    """A question's text as difflib compares it, with its characters counted once."""

    text: str
    chars: Counter[str]

    @classmethod
    def of(cls, question: str) -> _Key:
        text = normalize(question)
        return cls(text, Counter(text))


def _ratio(a: _Key, b: _Key) -> float:
    return difflib.SequenceMatcher(None, a.text, b.text).ratio()


def _ratio_reaching(a: _Key, b: _Key, floor: float) -> float | None:
    """`_ratio(a, b)`, or None when it is below `floor`: difflib's own upper bounds of it, from
    the lengths and from the characters both have (real_quick_ratio, quick_ratio), rule out most
    pairs cheaply.  They are computed as difflib computes the ratio, 2.0 * M / total, with at
    least the M characters it matches, so they are never below it."""
    total = len(a.text) + len(b.text)
    if _length_bound(len(a.text), len(b.text)) < floor:
        return None
    if total and 2.0 * (a.chars & b.chars).total() / total < floor:
        return None
    return _ratio(a, b)


def _length_bound(a: int, b: int) -> float:
    """The highest ratio two texts of these lengths can have (difflib's real_quick_ratio)."""
    return 2.0 * min(a, b) / (a + b) if a + b else 1.0


class _Run:
    """The questions of a list read so far, indexed to tell a repeat of one fast."""

    def __init__(self) -> None:
        self.items: list[tuple[int | None, str, int]] = []  # (number, text, line)
        self._numbers: set[int] = set()
        self._numbered, self._unnumbered = _Texts(), _Texts()

    def add(self, item: tuple[int | None, str], line: int) -> None:
        number, text = item
        self.items.append((number, text, line))
        if number is not None:
            self._numbers.add(number)
        (self._unnumbered if number is None else self._numbered).add(_Key.of(text))

    def repeats(self, item: tuple[int | None, str]) -> bool:
        """Whether `item` repeats an earlier question: two numbered questions are the same
        when their numbers are; otherwise when their texts are nearly identical ("... batch and
        layer norm?" and "... batch and instance norm?" are two questions)."""
        number, text = item
        if number is not None:
            return number in self._numbers or self._unnumbered.repeated(_Key.of(text))
        key = _Key.of(text)
        return self._unnumbered.repeated(key) or self._numbered.repeated(key)


class _Texts:
    """Question texts, indexed by their 3-grams to find one a text nearly repeats."""

    def __init__(self) -> None:
        self._keys: list[_Key] = []
        self._grams: list[set[str]] = []
        self._having: dict[str, list[int]] = {}  # 3-gram -> positions of the texts with it
        self._lengths: set[int] = set()

    def add(self, key: _Key) -> None:
        grams = set(_grams(key.text))
        for gram in grams:
            self._having.setdefault(gram, []).append(len(self._keys))
        self._keys.append(key)
        self._grams.append(grams)
        self._lengths.add(len(key.text))

    def repeated(self, key: _Key) -> bool:
        """Whether `key` repeats one of the texts.  Only a text of a length near its own that
        has enough of its 3-grams can (`_shared_grams`), and so one of its rarest: those are
        found through the index and compared."""
        if not self._keys:
            return False
        grams = _grams(key.text)
        needed = _shared_grams(len(key.text))
        if not 0 < needed <= len(grams):  # (a text of a few characters)
            return any(_is_repeat(key, other) for other in self._keys)
        lengths = {n for n in self._lengths if _length_bound(len(key.text), n) > REPEAT_RATIO}
        # a repeat lacks at most len(grams) - needed of them, so it has at least extra + 1 of
        # any len(grams) - needed + 1 + extra: take the rarest, which few texts have
        rarest = sorted(grams, key=lambda gram: len(self._having.get(gram, [])))
        extra = min(_EXTRA_GRAMS, needed - 1)
        having = (self._having.get(g, []) for g in rarest[: len(grams) - needed + 1 + extra])
        candidates = [
            k for k, count in Counter(chain.from_iterable(having)).items() if count > extra
        ]
        return any(
            len(self._keys[k].text) in lengths
            and sum(map(self._grams[k].__contains__, grams)) >= needed
            and _is_repeat(key, self._keys[k])
            for k in candidates
        )


def _grams(text: str) -> list[str]:
    return [text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)]


def _shared_grams(length: int) -> int:
    """How many of the 3-grams of a text of `length` characters (counted where they occur) a
    text it repeats has too, at least.

    difflib's ratio is 2M/T, with M characters matched in blocks and T the two lengths.  Above
    REPEAT_RATIO r, at most d = T - 2M characters are unmatched, so there are at most d + 1
    blocks, and a block of s characters holds s - 2 whole 3-grams: at least
    M - 2(d + 1) = 5M - 2(T + 1) > 2.5rT - 2(T + 1) of them, which grows with T, and
    T > 2 * length / (2 - r) (see `_length_bound`).
    """
    r = REPEAT_RATIO - 1e-9  # (against rounding)
    total = 2 * length / (2 - r)
    k = _GRAM
    return math.ceil((2 * k - 1) * r * total / 2 - (k - 1) * (total + 1) - 1e-6)


def _is_repeat(key: _Key, other: _Key) -> bool:
    ratio = _ratio_reaching(key, other, REPEAT_RATIO)
    return ratio is not None and ratio > REPEAT_RATIO


def _answer_follows(lines: list[_Line], i: int) -> bool:
    """Whether the next non-blank line after `lines[i]` is answer text, not another question."""
    later = _next_text(lines, i)
    return later is not None and later.question is None and _bare(later) is None


class _Listed:
    """The questions of a document, which its body's headers name in order (`match`).

    A header names the open question it matches best, after the last header's; a header that
    matches none is inserted before the open ones.  So the open questions are the last ones,
    each at its position in the question list plus the number of headers inserted so far; their
    keys, numbers and lengths are indexed once, so that a header is matched without comparing
    it with every open question.
    """

    def __init__(self, questions: list[_Question]) -> None:
        self.questions = questions
        self.pointer = 0  # the first open question
        self._inserted = 0
        self._keys = [_Key.of(q.text) for q in questions]
        self._by_number: dict[int, list[int]] = {}  # list positions, ascending
        self._by_length: dict[int, list[int]] = {}
        for k, (question, key) in enumerate(zip(questions, self._keys, strict=True)):
            if question.number is not None:
                self._by_number.setdefault(question.number, []).append(k)
            self._by_length.setdefault(len(key.text), []).append(k)

    def match(self, line: _Line) -> int:
        """Index of the question a body header names; unknown headers are inserted in order."""
        assert line.question is not None
        number, text = line.question
        best = self._best(_Key.of(text), number)
        if best.k < 0 or best.score < HEADER_MATCH_RATIO:
            self.questions.insert(self.pointer, _Question(number, text, line.number))
            self._inserted += 1
            index = self.pointer
        else:
            index = best.k + self._inserted
        question = self.questions[index]
        question.text, question.line, question.has_header = text, line.number, True
        self.pointer = index + 1
        return index

    def _best(self, key: _Key, number: int | None) -> _Best:
        """The open question (by list position) a header matches best, as scoring each in order
        finds it: a ratio of the texts, 0.3 more with the header's number.  Others than those
        with its number score at most 1.0, and only those whose bounds reach the best so far
        are scored."""
        start = self.pointer - self._inserted
        best = _Best()
        numbered = self._by_number.get(number, []) if number is not None else []
        for k in numbered[bisect_left(numbered, start) :]:
            best.offer(k, _ratio(key, self._keys[k]) + 0.3)
        if best.score > 1.0:
            return best

        def offer(k: int) -> None:
            if number is None or self.questions[k + self._inserted].number != number:
                ratio = _ratio_reaching(key, self._keys[k], best.floor(k))
                if ratio is not None:
                    best.offer(k, ratio)

        if start < len(self._keys):
            offer(start)  # (most often the one named: a high best first rules out more)
        for length in sorted(self._by_length, key=lambda n: -_length_bound(len(key.text), n)):
            if _length_bound(len(key.text), length) < best.floor(start):
                break
            positions = self._by_length[length]
            for j in range(bisect_left(positions, start), len(positions)):
                offer(positions[j])
        return best


@dataclass
class _Best:
    """The best match so far: the first of the highest scores, which must be above 0."""

    k: int = -1
    score: float = 0.0

    def offer(self, k: int, score: float) -> None:
        if score > self.score or (score == self.score and 0 <= k < self.k):
            self.k, self.score = k, score

    def floor(self, k: int) -> float:
        """The lowest score at position `k` that can matter: a match at all, then one that
        ties the best if `k` comes before it, else one above it."""
        if self.score < HEADER_MATCH_RATIO:
            return HEADER_MATCH_RATIO
        return self.score if k < self.k else math.nextafter(self.score, math.inf)


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
    """Whether an unmarked line may begin a new answer (not a list item or a continuation:
    after a blank line it may; a line that starts in lower case continues a wrapped one)."""
    previous = next((t for _, t in reversed(unit.lines) if t.strip()), "")
    after_blank = unit.lines[-1][1] == ""
    if after_blank:
        return True
    return not (
        line.text.lstrip()[:1].islower()
        or LIST_ITEM.match(line.text)
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
