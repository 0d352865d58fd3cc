"""Chunking: split an answer into passages a reader would call one point.

An answer is read as paragraphs and lists.  A list of short items stays one passage with the
line that introduces it ("Some ways to fix it are:" + its items); a list of long items (one
definition each, e.g. "- Leaky ReLU: F(x)= ax ...") gives one passage per item, prefixed by
its introducing line when that line is short; numbered steps stay one passage (a procedure)
up to MAX_PROCEDURE_WORDS.  Long paragraphs are cut into sentence windows.  `chunk_entries`
keeps an answer of at most MAX_WHOLE_ANSWER_WORDS whole: it is read at a glance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from qabot.parse.common import LIST_ITEM

MAX_PARAGRAPH_WORDS = 70  # longer paragraphs are cut into sentence windows
MAX_WHOLE_ANSWER_WORDS = 50  # an answer this short is read at a glance: one passage
WINDOW_WORDS = 45  # target size of a sentence window
MAX_GROUPED_LIST_WORDS = 90  # a list this short, with short items, stays one passage
MAX_GROUPED_ITEM_WORDS = 15
MAX_INTRO_WORDS = 25  # an introducing line longer than this is a passage of its own
MAX_PROCEDURE_WORDS = 150  # numbered steps up to this long stay one passage: one procedure
MIN_WRAPPED_CHARS = 40  # a line wrapped by hand is about as wide as the text
MAX_WRAP_WIDTH = 100  # a text no line of which is wider may be wrapped by hand
FULL_LINE_SHARE = 0.75  # a line this wide, next to the widest, reached the wrap column
FULL_SENTENCE_SHARE = 0.85  # in a wrapped text, a sentence ending on a line this wide goes on
SHORT_LINE_WORDS = 15  # consecutive plain lines this short are steps of one point
MAX_SHORT_RUN_WORDS = 45
# a line that ends a sentence or introduces something; a line ending otherwise, followed by a
# line starting in lowercase, was wrapped by hand ("...against the whetstone and" / "push it")
_LINE_END = re.compile(r"""[.!?:;]["')\]]*\s*$|:-\s*$""")
_INDENTED = re.compile(r"^(?: {4}|\t)")  # an indented code line (Markdown's rule)
_LABEL_LINE = re.compile(r"^\s*(?:\*|\**[A-Z][\w /-]{0,30}:\s)")  # "*Pooling: ...", "Note: ..."
_WRAP_WORDS = frozenset(
    "and or but nor the a an of to in on at with for by from as that which like than into "
    "such is are was were be".split()
)

_LABEL = re.compile(
    r"^\s*(?:[-*+\u2022]\s*|\d{1,3}[.)]\s*|[a-zA-Z][.)]{1,2}\s*)?\**([^:]{1,80}?)\**\s*:"
)
# "- Encoder - Compresses the input ...": a list item labelled with a dash instead of a colon
_DASH_LABEL = re.compile(r"^\s*[-*+\u2022]\s*([^:\n]{1,60}?)\s+[-\u2013\u2014]\s+\S")
_DEFINITION = re.compile(r"^\s*([A-Za-z][\w\s/-]{0,60}?)\s+(?:is|are|refers to|means)\s", re.I)
MAX_HEAD_WORDS = 6
LABEL_SPAN = 200  # characters of a line read for its label (a label is at most 80 of them)
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s")  # "1. Unplug the machine": a step


@dataclass(slots=True)
class Passage:
    """A passage of an entry's answer: the unit that is indexed and shown."""

    entry: int  # index of the entry in the corpus
    ordinal: int  # position of the passage within its answer
    text: str


@dataclass
class _Block:
    intro: list[str] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)


def _count_words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def _segments(lines: list[str]) -> list[_Block | str]:
    """Group answer lines into list blocks (intro + items) and plain paragraphs."""
    segments: list[_Block | str] = []
    content = [line for line in lines if line.strip()]
    for i, line in enumerate(content):
        last = segments[-1] if segments else None
        is_item = bool(LIST_ITEM.match(line))
        introduces = line.rstrip().endswith((":", ":-")) and (
            not is_item or _next_is_item(content, i)
        )
        if is_item and not introduces:
            if not isinstance(last, _Block):
                intro = [segments.pop()] if isinstance(last, str) else []
                last = _Block(intro=intro)
                segments.append(last)
            last.items.append([line])
        elif introduces:
            if isinstance(last, _Block) and not last.items:
                last.intro.append(line)  # "Network architecture:" then "Question each component:"
            else:
                segments.append(_Block(intro=[line]))
        elif isinstance(last, _Block) and last.items and _list_continues(content, i):
            last.items[-1].append(line)  # a line that explains the item above it
        elif isinstance(last, _Block) and not last.items:  # "If you have not pushed, run:"
            segments[-1] = "\n".join([*last.intro, line])  # with what it introduces, whole
        else:
            segments.append(line)
    return segments


def _next_is_item(content: list[str], i: int) -> bool:
    return i + 1 < len(content) and bool(LIST_ITEM.match(content[i + 1]))


def _list_continues(content: list[str], i: int) -> bool:
    for line in content[i + 1 :]:
        if LIST_ITEM.match(line):
            return True
        if line.rstrip().endswith(":"):
            return False
    return False


def _sentence_windows(paragraph: str) -> list[str]:
    if len(paragraph.split()) <= MAX_PARAGRAPH_WORDS:
        return [paragraph]
    windows: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        current.append(sentence)
        if len(" ".join(current).split()) >= WINDOW_WORDS:
            windows.append(" ".join(current))
            current = []
    if current:
        if windows and len(" ".join(current).split()) < WINDOW_WORDS // 3:
            windows[-1] += " " + " ".join(current)
        else:
            windows.append(" ".join(current))
    return windows


def _block_passages(block: _Block) -> list[str]:
    if not block.items:
        return ["\n".join(block.intro)]
    item_words = [_count_words(item) for item in block.items]
    total = _count_words(block.intro) + sum(item_words)
    steps = all(_NUMBERED.match(item[0]) for item in block.items)
    if (steps and total <= MAX_PROCEDURE_WORDS) or (
        total <= MAX_GROUPED_LIST_WORDS
        and max(item_words) <= MAX_GROUPED_ITEM_WORDS * 2
        and (sum(item_words) / len(item_words) <= MAX_GROUPED_ITEM_WORDS)
    ):  # (numbered steps are one procedure: "how do I ...?" wants all of them)
        return ["\n".join(block.intro + [line for item in block.items for line in item])]
    split = len(block.intro)
    while split > 0 and _count_words(block.intro[split - 1 :]) <= MAX_INTRO_WORDS:
        split -= 1
    head, prefix = block.intro[:split], block.intro[split:]
    passages = ["\n".join(head)] if head else []
    passages.extend("\n".join(prefix + item) for item in block.items)
    return passages


def passage_head(text: str) -> str:
    """What a passage defines: labels of its "Label: ..." lines and its opening "X is ..." subject.

    "- Leaky ReLU:" gives "Leaky ReLU", "Batch normalization is a technique" gives "Batch
    normalization"; a query naming exactly that thing should prefer this passage.
    """
    heads = []
    in_code = False
    for number, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            in_code = not in_code
        if in_code or _FENCE.match(line) or _TABLE_ROW.match(line):
            continue  # "x: int = 3" in code is no label
        # (the patterns backtracked from each "*" or space of a long run of them)
        probe = " ".join(line[: 4 * LABEL_SPAN].split())[:LABEL_SPAN]
        match = (
            _LABEL.match(probe)
            or _DASH_LABEL.match(probe)
            or (_DEFINITION.match(probe) if number == 0 else None)
        )
        if (
            match
            and len(match.group(1).split()) <= MAX_HEAD_WORDS
            and not (match.re is _DEFINITION and " of " in f" {match.group(1).lower()} ")
        ):
            heads.append(match.group(1).strip())
    return "\n".join(heads)


def chunk_answer(answer: str) -> list[str]:
    """Split an answer's text into passage texts, in reading order."""
    texts: list[str] = []
    for segment in _segments(_short_runs(_unwrapped(_whole_blocks(answer.splitlines())))):
        if isinstance(segment, _Block):
            texts.extend(_block_passages(segment))
        elif "\n" in segment:  # a code block or table (with the line introducing it): whole
            texts.append(segment.strip("\n"))
        else:
            texts.extend(_sentence_windows(segment.strip()))
    return [t for t in texts if t.strip()]


def _unwrapped(lines: list[str]) -> list[str]:
    """The lines with hand-wrapped ones joined (a paragraph or list item wrapped at 80
    columns is one line again).  Between blank lines, every plain line continues the one
    before it, as in Markdown.  Without blank lines, a line that ends mid-sentence continues
    when it ends on a comma or a word like "and", or is about as wide as the text's widest
    line (at most MAX_WRAP_WIDTH), or is wide and the next starts in lowercase; in a text
    wrapped by hand (such a full line broke off mid-sentence somewhere), a nearly full line
    that ends a sentence continues too: the sentence ended at the wrap, not the paragraph."""
    width = max((len(line.rstrip()) for line in lines), default=0)
    full = FULL_LINE_SHARE * width if width <= MAX_WRAP_WIDTH else float("inf")
    if _has_blank_line_paragraphs(lines):
        rule = _Wrap(full=0.0, full_sentence=0.0)
    elif _wrapped_by_hand(lines, full):
        rule = _Wrap(full=full, full_sentence=FULL_SENTENCE_SHARE * width)
    else:
        rule = _Wrap(full=full, full_sentence=float("inf"))
    out: list[_Joined] = []
    for line in lines:
        if out and rule.joins(out[-1], line):
            out[-1].add(line.strip())
        else:
            out.append(_Joined(line))
    return [joined.text() for joined in out]


class _Joined:
    """Lines joined into one, kept as pieces until read (joining a paragraph of thousands of
    lines one by one copied it each time): what `_Wrap.joins` reads of it, its start, its
    end and its width, costs nothing more for a long one."""

    def __init__(self, line: str) -> None:
        self.pieces = [line]
        self.size = len(line.rstrip())

    def add(self, piece: str) -> None:
        if len(self.pieces) == 1:
            self.pieces[0] = self.pieces[0].rstrip()
        self.pieces.append(piece)
        self.size += 1 + len(piece)

    @property
    def first(self) -> str:
        return self.pieces[0]

    @property
    def last(self) -> str:
        return self.pieces[-1]

    def text(self) -> str:
        return " ".join(self.pieces)


def _has_blank_line_paragraphs(lines: list[str]) -> bool:
    """Whether blank lines separate an answer's paragraphs."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    return bool(content) and any(not lines[i].strip() for i in range(content[0], content[-1]))


def _wrapped_by_hand(lines: list[str], full_width: float) -> bool:
    """Whether a line as wide as the text breaks off mid-sentence before another line."""
    return any(
        len(line.rstrip()) >= max(full_width, MIN_WRAPPED_CHARS)
        and not _LINE_END.search(line)
        and nxt.strip()
        and not LIST_ITEM.match(nxt)
        for line, nxt in pairwise(lines)
    )


@dataclass(frozen=True)
class _Wrap:
    """When a line continues the one before it (see `_unwrapped`)."""

    full: float  # a line this wide that ends mid-sentence reached the wrap column
    full_sentence: float  # a line this wide that ends a sentence did too (0: any line)

    def joins(self, previous: _Joined, line: str) -> bool:
        first, last = previous.first, previous.last  # (one line: both are it)
        if not first.strip() or not line.strip() or "\n" in first or "\n" in line:
            return False  # (a blank line ends a paragraph; code blocks and tables stay whole)
        if _structural(line) or _LABEL_LINE.match(line):
            return False
        if (_INDENTED.match(line) and not LIST_ITEM.match(first)) or _INDENTED.match(first):
            return False  # indented code: its lines are its own (a list item's may go on)
        if last.rstrip()[-1] == ":":  # an intro keeps what it introduces apart
            return False
        size = previous.size
        if _LINE_END.search(last):  # (an item ends where its sentence does, and a line
            return (  # introducing a list starts a passage of its own)
                size >= self.full_sentence
                and not LIST_ITEM.match(first)
                and not line.rstrip().endswith((":", ":-"))
            )
        last_word = last.split()[-1].lower()
        if last_word.endswith(",") or last_word in _WRAP_WORDS:
            return True  # (a short line starting in lowercase may be meant: "- Relu: f(x) = ...")
        wide = size >= MIN_WRAPPED_CHARS
        if wide and size >= self.full:
            return True  # "... a Rectified Linear Unit" / "(ReLU) layer ..."
        return wide and (line.lstrip()[0].islower() or line.lstrip()[0] == "(")


def _short_runs(lines: list[str]) -> list[str]:
    """The lines with each run of short plain lines joined into one ("Spray it with paste." /
    "Leave overnight." / "Wipe with a damp cloth." are the steps of one point)."""
    out: list[str] = []
    run_words = 0
    for line in lines:
        words = len(line.split())
        short = _is_short_plain(line)
        if (
            short
            and out
            and _is_short_plain(out[-1].rsplit("\n", 1)[-1])
            and (run_words + words <= MAX_SHORT_RUN_WORDS)
        ):
            out[-1] += "\n" + line
            run_words += words
        else:
            out.append(line)
            run_words = words
    return out


def _is_short_plain(line: str) -> bool:
    return (
        bool(line.strip())
        and len(line.split()) <= SHORT_LINE_WORDS
        and not line.rstrip().endswith(":")
        and not _structural(line)
    )


def _structural(line: str) -> bool:
    """Whether a line is a list item, a code fence, a table row or a heading: no plain text
    that may join the lines around it."""
    return bool(
        LIST_ITEM.match(line)
        or _FENCE.match(line)
        or _TABLE_ROW.match(line)
        or line.lstrip().startswith("#")
    )


def _whole_blocks(lines: list[str]) -> list[str]:
    """The lines of an answer with each fenced code block and each table joined into one
    (a line that ends with ":" just before one joins it too): such a block is one point, and
    a passage cut from it ("```python", a table's header row alone) means nothing."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = _block_end(lines, i)
        if end == i + 1:
            out.append(lines[i])
        else:
            block = "\n".join(lines[i:end])
            if out and out[-1].rstrip().endswith(":") and not LIST_ITEM.match(out[-1]):
                block = out.pop() + "\n" + block
            out.append(block)
        i = end
    return out


def _block_end(lines: list[str], i: int) -> int:
    """Where the code block or table starting at line `i` ends (i + 1 for any other line)."""
    fence = _FENCE.match(lines[i])
    if fence:
        marker = fence.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j].strip().startswith(marker):
                return j + 1
        return len(lines)  # an unclosed fence runs to the end, as Markdown reads it
    if _TABLE_ROW.match(lines[i]):
        j = i + 1
        while j < len(lines) and _TABLE_ROW.match(lines[j]):
            j += 1
        if j - i > 1:
            return j
    return i + 1


def chunk_entries(answers: list[str]) -> list[Passage]:
    """Passages of every answer, in corpus order; `entry` indexes into `answers`.  An answer
    of at most MAX_WHOLE_ANSWER_WORDS is one passage: it is read at a glance, and its second
    line is half of the answer ("... one guest per visit." / "Others buy a day pass.")."""
    passages = []
    for i, answer in enumerate(answers):
        texts = chunk_answer(answer)
        if len(texts) > 1 and len(answer.split()) <= MAX_WHOLE_ANSWER_WORDS:
            texts = ["\n".join(texts)]
        passages.extend(Passage(entry=i, ordinal=j, text=t) for j, t in enumerate(texts))
    return passages
