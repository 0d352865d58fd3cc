"""The `qabot` command: argument parsing and printing only; the work is done by Retriever.

Heavy modules are imported inside the commands that need them: scikit-learn only when an
index must be built (~1 s), Textual only by `qabot chat`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from qabot import __version__
from qabot.errors import QabotError, QueryError, printable
from qabot.layout import LIST_ITEM, is_markdown, reflow_markdown

if TYPE_CHECKING:
    from qabot.config import Settings
    from qabot.models import Answer, Entry, Hit, Source
    from qabot.retriever import Retriever

EXIT_BAD_INPUT = 2
BATCH_SEPARATOR = "---"  # between text answers of `qabot ask -` (answers hold blank lines)
# terminal escapes and control bytes, and the bidirectional controls that can make text
# show in another order than it reads ("Trojan Source")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NOT_ONE_LINE = re.compile(_UNSAFE.pattern.replace("\\x0b-", "\\x09-"))  # tabs, breaks too


# a whole escape sequence (CSI "ESC[31m", OSC "ESC]52;...BEL", or a two-character one), so
# that no "[31m" is left behind when its ESC is removed
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, to its BEL or ST
    r"|\x1b[ -/]*[0-~]"  # ESC, intermediate bytes, a final byte ("ESC(B", "ESCM")
)


def safe(text: str) -> str:
    """Corpus text made inert for a terminal: escape sequences and control characters
    removed."""
    return _UNSAFE.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str) -> str:
    """A message for stderr as one inert line: line breaks, escapes and other controls (in
    a file name, say) shown as escape codes ("\\n", "\\x1b"), undecodable bytes as U+FFFD."""
    return _NOT_ONE_LINE.sub(lambda m: repr(m.group())[1:-1], printable(text))


def label(entry_id: str) -> str:
    """The short label of an entry id: "deep-learning-interview-questions:q4" -> "Q4"."""
    return entry_id.rsplit(":", 1)[-1].upper()


def shown_confidence(value: float, below: float | None = None) -> str:
    """A confidence rounded to two decimals (0.1865 shows as 0.19), the same in every view;
    with `below`, a threshold it fell under, with the decimals that keep it under: 0.9985
    under a threshold of 1 shows as 0.9985, not as a 1.00 that reads like a pass."""
    for places in (2, 3, 4):  # (Answer.confidence has four decimals)
        scale = 10**places
        shown = f"{math.floor(value * scale + 0.5 + 1e-9) / scale:.{places}f}"  # half up
        if below is None or float(shown) < below:
            return shown
    return str(value)


def confidence_band(value: float) -> str:
    """A word for a confidence: high, medium or low."""
    return "high" if value >= 0.8 else "medium" if value >= 0.5 else "low"


MEANING_NOTE = "matched by meaning"


def match_note(hit: Hit) -> str:
    """What a hit chosen as the question nearest the query in meaning says, in every view:
    it may share no word with the query (nothing is then highlighted); "" for a word match."""
    return MEANING_NOTE if hit.matched_by == "meaning" else ""


DEFAULT_WIDTH = 88  # text output width when the terminal's is unknown (output to a pipe)
MIN_WIDTH, MAX_WIDTH = 40, 100  # narrower is unreadable; wider lines are hard to follow


def text_width() -> int:
    """The width to wrap text output at: the terminal's ($COLUMNS first), within 40..100."""
    columns = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def _wrap(text: str, indent: str = "  ", width: int = DEFAULT_WIDTH) -> str:
    """Corpus text wrapped as a block under `indent`, line by line, list items (bulleted,
    numbered or lettered) with a hanging indent: their continuation lines start under their
    text."""
    lines = []
    for line in safe(text).splitlines():
        item = LIST_ITEM.match(line)
        wrapped = textwrap.wrap(
            line,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent + " " * (item.end() if item else 0),
            break_long_words=False,  # (a URL or a command stays whole, to copy)
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [""])
    return "\n".join(lines)


def _hang(line: str, width: int, first: str = "", rest: str = "    ") -> str:
    """One output line wrapped to `width`, indented by `first`, its continuation lines by
    `rest`; a word longer than a line (a path) is kept whole rather than cut."""
    wrapped = textwrap.wrap(
        line,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,  # (file names hold hyphens)
    )
    return "\n".join(wrapped) or first + line


def _no_close_question(query: str) -> str:
    """What to say when no question is close to `query` ("Q99": a number it does not have)."""
    from qabot.query import id_document, question_number

    number = question_number(query)
    if number is not None:
        return f"This corpus has no question {number}; qabot list shows them all."
    if id_document(query) is not None:  # "notes:q99"
        return f"This corpus has no question {safe(query.strip())}; qabot list shows them all."
    return "No question shares its words; qabot list shows them all."


def abstention_reason(answer: Answer, threshold: float | None) -> str:
    """Why an answer was withheld: its confidence, and the threshold it fell below (when a
    match fell below it: a query matching nothing has no confidence to compare)."""
    if threshold is not None and answer.results and answer.confidence < threshold:
        conf = shown_confidence(answer.confidence, below=threshold)
        return f"confidence {conf}, below the threshold {shown_threshold(threshold)}"
    return f"confidence {shown_confidence(answer.confidence)}"


def shown_threshold(value: float) -> str:
    """A threshold to two decimals, or as given when it has more (0.455 stays 0.455)."""
    return f"{value:.2f}" if round(value, 2) == value else f"{value:g}"


def format_answer(
    answer: Answer,
    k: int = 1,
    full: bool = False,
    threshold: float | None = None,
    documents: Mapping[str, str] | None = None,
    width: int = DEFAULT_WIDTH,
) -> str:
    """The terminal layout of an answer (source question, passage, confidence, related),
    wrapped to `width` columns; `threshold`, the one the answer was judged by, is named when
    qabot abstains below it; `documents` (`Retriever.document_names`: empty for a single
    document) makes every listed question of a corpus of several documents name its
    document."""
    from qabot.query import is_small_talk

    out: list[str] = []
    if answer.resolved_query:
        out.append(_hang(f"(read as: {safe(answer.resolved_query)})", width, rest="  "))
    shared = shared_number(answer)
    if shared is not None:
        out.append(f"Several documents have a Q{shared}; ask for one by its id:")
        out.extend(_id_lines(answer.results, width))
    elif not answer.answered and not answer.results and is_small_talk(answer.query):
        # "thanks", "hi": nothing was searched, so no "No answer" that reads like a failure
        said = f'Nothing to look up in "{safe(answer.query)}": ask a question, or see `qabot list`.'
        out.append(_hang(said, width, rest="  "))
    elif not answer.answered:
        out.extend(_abstention_lines(answer, threshold, documents, width))
    else:
        out.extend(_answer_lines(answer, k, full, documents, width))
    return "\n".join(out)


def _abstention_lines(
    answer: Answer, threshold: float | None, documents: Mapping[str, str] | None, width: int
) -> list[str]:
    """No answer: why (no band: "high" beside "no answer" reads as a contradiction), then
    the closest questions as suggestions."""
    why = abstention_reason(answer, threshold)
    out = [_hang(f'No answer in this corpus for "{safe(answer.query)}" ({why}).', width, rest="  ")]
    if not answer.results:
        return [*out, _hang(_no_close_question(answer.query), width, rest="  ")]
    closest = _question_lines(answer.results[:3], documents=documents, width=width)
    return [*out, "Closest questions:", *closest]


def _answer_lines(
    answer: Answer, k: int, full: bool, documents: Mapping[str, str] | None, width: int
) -> list[str]:
    """The answer with its confidence, the other top `k` matches with their ranking score
    (a score only orders hits: it is on another scale than the calibrated confidence),
    the related questions and, when there is more to read, the --full hint."""
    shown = answer.results[: max(1, k)]
    band = confidence_band(answer.confidence)
    conf = f"confidence {shown_confidence(answer.confidence)} ({band})"
    labels = [label(h.question_id) for h in shown]

    def block(hit: Hit, detail: str) -> str:
        shared = labels.count(label(hit.question_id)) > 1
        return _hit_block(hit, detail, full, width, documents, shared)

    out = [block(shown[0], conf)]
    if len(shown) > 1:
        out += ["", "Other matches, best first:"]
        for hit in shown[1:]:
            out += ["", block(hit, f"ranking score {hit.score:.2f}")]
    related = answer.results[len(shown) : len(shown) + 3]
    if related:
        out += ["", "Related questions:", *_question_lines(related, shown, documents, width)]
    if not full and any(h.passage.split() != h.answer.split() for h in shown):  # more to see
        out += ["", "(use --full for the whole answer)"]
    return out


MAX_SHARED_NUMBERS = 1000  # documents listed for a question number that several share


def shared_number(answer: Answer) -> int | None:
    """The question number a query names when several documents have it ("Q3" in a folder):
    qabot then lists those questions instead of choosing one."""
    from qabot.query import question_number

    number = None if answer.answered else question_number(answer.query)
    hits = answer.results
    if number is None or len(hits) < 2:
        return None
    if all(h.question_id.lower().endswith(f":q{number}") for h in hits):
        return number
    return None


def _id_lines(hits: Sequence[Hit], width: int = DEFAULT_WIDTH) -> list[str]:
    """One "  - notes/a:q3  question" line per hit, its id being what to ask for it."""
    return [
        _hang(
            f"- {safe(h.question_id)}  {safe(h.question)}"
            + ("" if h.answer else "  (unanswered in its document)"),
            width,
            first="  ",
        )
        for h in hits
    ]


def shown_path(path: str) -> str:
    """A source path as a reader would type it: relative to the current folder when under
    it, `~/...` under the home folder, else as stored (JSON output keeps it as stored)."""
    where = Path(path)
    if where.is_absolute():
        for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
            if where.is_relative_to(base) and where != base:
                return prefix + str(where.relative_to(base))
    return path


def shown_source(source: Source) -> str:
    """`path:first-last` with the path as `shown_path` writes it; `path:line` for one line."""
    return f"{shown_path(source.path)}:{source.lines}"


def _question_lines(
    hits: Sequence[Hit],
    shown: Sequence[Hit] = (),
    documents: Mapping[str, str] | None = None,
    width: int = DEFAULT_WIDTH,
) -> list[str]:
    """One "  - Q4: question" item per hit (wrapped to `width` with a hanging indent),
    marked when its document leaves it unanswered;
    with its document's name when the corpus has several (`documents` names them), or, not
    knowing, when its label is also another hit's, here or among the `shown` ones (each
    document numbers its questions from Q1)."""
    documents = documents or {}
    labels = [label(h.question_id) for h in hits]
    taken = labels + [label(h.question_id) for h in shown]
    return [
        _hang(
            f"- {lab}: {safe(h.question)}"
            + _document_note(h, documents, shared=taken.count(lab) > 1)
            + ("" if h.answer else "  (unanswered in its document)"),
            width,
            first="  ",
        )
        for lab, h in zip(labels, hits, strict=True)
    ]


def _document_note(hit: Hit, documents: Mapping[str, str], shared: bool = False) -> str:
    """The "  (tea/tea.txt)" that follows a question of a corpus of several documents (or,
    not knowing them, one whose label is `shared` with another question shown), else ""."""
    if hit.source.path not in documents and not shared:
        return ""
    return f"  ({safe(_document_name(hit, documents))})"


def _document_name(hit: Hit, documents: Mapping[str, str]) -> str:
    """The path of a hit's document relative to the corpus ("tea/tea.txt", see
    `Retriever.document_names`), else as `shown_path` writes it."""
    return documents.get(hit.source.path) or shown_path(hit.source.path)


def _hit_block(
    hit: Hit,
    detail: str,
    full: bool,
    width: int = DEFAULT_WIDTH,
    documents: Mapping[str, str] | None = None,
    shared: bool = False,
) -> str:
    """A hit: its question (naming its document as `_document_note` does), its source with
    `detail` (and `match_note`), and its passage (or whole answer)."""
    lab = label(hit.question_id)
    question = f"{lab}: {safe(hit.question)}{_document_note(hit, documents or {}, shared)}"
    head = _hang(question, width, rest=" " * (len(lab) + 2))
    details = " · ".join(filter(None, [safe(shown_source(hit.source)), detail, match_note(hit)]))
    meta = _hang(f"[{details}]", width, first="  ", rest="   ")
    return "\n".join([head, meta, "", _wrap(_body(hit, full), width=width)])


def _body(hit: Hit, full: bool) -> str:
    """The text a hit shows: its passage, or its whole answer; from a Markdown document,
    with each hand-wrapped paragraph or list item on one line (see `reflow_markdown`), and
    as the answer when the passage holds all of it (as in the chat: a passage's lines may
    be paragraphs that the reflow would join, the answer keeps the blank lines between)."""
    if not is_markdown(hit.source.path):
        return hit.answer if full else hit.passage
    whole = hit.passage.split() == hit.answer.split()
    return reflow_markdown(hit.answer if full or whole else hit.passage)


def format_entries(entries: Sequence[Entry], width: int = DEFAULT_WIDTH) -> str:
    """One item per question, wrapped to `width` under its text, unanswered ones marked;
    grouped under their document's name when the corpus has several (each document numbers
    its questions from Q1)."""
    several = len({e.source.path for e in entries}) > 1
    out: list[str] = []
    document = None
    for e in entries:
        if several and e.source.path != document:
            document = e.source.path
            out.extend([""] if out else [])
            out.append(f"{safe(shown_path(document))}:")  # (a path: kept whole)
        first = f"{label(e.id):>5}  "
        text = safe(e.question) + ("" if e.answered else "  (unanswered)")
        out.append(_hang(text, width, first=first, rest=" " * len(first)))
    return "\n".join(out)


def _retriever(settings: Settings, threshold: float | None) -> Retriever:
    """The retriever of the chosen corpus; what reading the corpus reported (a skipped file,
    a duplicate question) is printed when its index is built, not on every run that loads it
    (`qabot list` and `qabot index` print it again)."""
    from qabot.retriever import Retriever

    retriever = Retriever.from_path(settings.corpus, index_dir=settings.index_dir)
    if retriever.index.built:
        _report(retriever.problems, retriever.notices)
    if threshold is not None:
        retriever = retriever.with_config(threshold=threshold)
    return retriever


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    from qabot.config import resolve

    settings = resolve(args.corpus, args.index_dir)  # flag > env > config file > bundled
    retriever = _retriever(settings, args.threshold)
    documents = retriever.document_names
    if args.from_stdin:
        if sys.stdin is None:
            raise QueryError('"-" reads the queries from stdin, which is closed')
        return _ask_batch(retriever, args, sys.stdin, out, documents)
    answer = _asked(retriever, args.query, args)
    if args.json:
        out.write(answer.model_dump_json() + "\n")
    else:
        text = format_answer(
            answer,
            k=args.k if args.k_given else 1,
            full=args.full,
            threshold=retriever.config.threshold,
            documents=documents,
            width=text_width(),
        )
        out.write(text + "\n")
    return 0


def ask_listing_shared(
    retriever: Retriever, query: str, k: int, context: str | None = None
) -> Answer:
    """`retriever.ask`, except that a number several documents have ("Q3" in a folder)
    lists every document's question, however many more than `k` they are."""
    answer = retriever.ask(query, k=k, context=context)
    if shared_number(answer) is not None and len(answer.results) == k:
        answer = retriever.ask(query, k=MAX_SHARED_NUMBERS, context=context)
    return answer


def _asked(retriever: Retriever, query: str, args: argparse.Namespace) -> Answer:
    """The answer to one query of `qabot ask`: the top 5 hits (`-k`: that many), or every
    document's question when the query names a number several documents have ("Q3")."""
    answer = ask_listing_shared(retriever, query, max(args.k, 5))
    if args.json and args.k_given:
        answer.results = answer.results[: args.k]
    return answer


def _ask_batch(
    retriever: Retriever,
    args: argparse.Namespace,
    lines: TextIO,
    out: TextIO,
    documents: Mapping[str, str] | None = None,
) -> int:
    """One answer per stdin line, in order (JSON Lines with --json; text answers separated by a
    "---" line otherwise); a bad line gets its error in its place and makes the exit status 2."""
    status = 0
    threshold = retriever.config.threshold
    width = text_width()
    for number, line in enumerate(lines, 1):
        query = line.rstrip("\r\n").removeprefix("\ufeff")  # a BOM is no part of a query
        try:
            answer = _asked(retriever, query, args)
            text = (
                answer.model_dump_json()
                if args.json
                else format_answer(
                    answer,
                    k=args.k if args.k_given else 1,
                    full=args.full,
                    threshold=threshold,
                    documents=documents,
                    width=width,
                )
            )
        except QabotError as exc:
            status = EXIT_BAD_INPUT
            shown = printable(query)
            error = {"query": shown, "error": str(exc)}
            text = (
                json.dumps(error, ensure_ascii=False, separators=(",", ":"))
                if args.json
                else f'error: line {number} ("{one_line(_clipped(shown))}"): {exc}'
            )
        if number > 1 and not args.json:
            out.write(BATCH_SEPARATOR + "\n")
        out.write(text + "\n")
        out.flush()
    return status


SHOWN_QUERY_CHARS = 60  # of a bad query, repeated in a text batch error


def _clipped(text: str) -> str:
    """The start of a long text, "…" marking the cut (the error says how long it is)."""
    return text if len(text) <= SHOWN_QUERY_CHARS else text[:SHOWN_QUERY_CHARS] + "…"


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    """The corpus's questions, parsed without building an index (so a document whose
    questions are all unanswered is listed too)."""
    from qabot.config import resolve
    from qabot.parse import load_corpus
    from qabot.retriever import default_corpus_path

    settings = resolve(args.corpus, args.index_dir)
    corpus = load_corpus(settings.corpus or default_corpus_path())
    _report(corpus.problems, corpus.notices)
    if args.json:
        for entry in corpus.entries:
            out.write(entry.model_dump_json(include={"id", "question", "answer", "source"}) + "\n")
    else:
        out.write(format_entries(corpus.entries, width=text_width()) + "\n")
    return 0


def _report(problems: Sequence[object], notices: Sequence[object]) -> None:
    for problem in problems:
        _say(f"skipped {problem}")
    for notice in notices:
        _say(f"note: {notice}")


PROGRESS_MIN_FILES = 20  # smaller corpora load in a blink: no progress lines


def _progress(done: int, total: int, path: object) -> None:
    """Progress of reading a large corpus on stderr (one updating line on a terminal)."""
    if total < PROGRESS_MIN_FILES and not sys.stderr.isatty():
        return
    step = max(1, total // 10)
    if sys.stderr.isatty():
        print(f"\rqabot: reading documents {done + 1}/{total}", end="", file=sys.stderr)
        if done + 1 == total:
            print(file=sys.stderr)
    elif (done + 1) % step == 0 or done + 1 == total:
        print(f"qabot: reading documents {done + 1}/{total}", file=sys.stderr)


def cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    from qabot import cache
    from qabot.config import resolve
    from qabot.parse import load_corpus
    from qabot.retriever import default_corpus_path

    settings = resolve(args.corpus, args.index_dir)
    root = settings.corpus or default_corpus_path()
    corpus = load_corpus(root, progress=_progress)
    _report(corpus.problems, corpus.notices)
    if len(corpus.paths) >= PROGRESS_MIN_FILES or sys.stderr.isatty():
        print(f"qabot: indexing {counted(len(corpus.entries), 'entry')}", file=sys.stderr)
    path, key = cache.index_location(root, settings.index_dir)
    index = cache.build_and_save(corpus, path, key, must_save=True)
    n_entries, n_passages = len(index.entries), len(index.passage_texts)
    counts = f"{counted(n_entries, 'entry')}, {counted(n_passages, 'passage')}"
    out.write(f"indexed {counts} into {path}\n")
    return 0


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    from qabot.config import resolve
    from qabot.parse import check_readable
    from qabot.retriever import default_corpus_path

    settings = resolve(args.corpus, args.index_dir)  # the same precedence as ask and list
    # a missing or empty corpus is said here, not in a full-screen app
    check_readable(settings.corpus or default_corpus_path())
    if not _interactive():  # Textual would spin at full CPU without a terminal
        raise QabotError("chat needs an interactive terminal; in scripts use: qabot ask --json -")
    from qabot.tui.app import run  # Textual: imported only for the chat

    return run(corpus=settings.corpus, index_dir=settings.index_dir, threshold=args.threshold)


def counted(n: int, noun: str) -> str:
    """A count with its noun: 1 entry, 2 entries, 0 passages."""
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


class _Parser(argparse.ArgumentParser):
    """argparse with qabot's one-line usage errors (exit 2), for the subcommands too."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"qabot: error: {message} (see: {self.prog} --help)\n")


def _probability(text: str) -> float:
    """A --threshold value: a number in 0..1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # (False for nan)
        raise argparse.ArgumentTypeError(f"must be a number in 0..1, not {text!r}")
    return value


def _positive(text: str) -> int:
    """A -k value: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _path(text: str) -> str:
    """A --corpus or --index-dir value: not empty (`--corpus "$DIR"` with DIR unset would
    otherwise fall back to the default without a word)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `qabot` command."""
    parser = _Parser(
        prog="qabot",
        description="Answer questions from Q&A documents, without a generative model.",
        epilog='example: qabot ask "why batch norm"',
    )
    parser.add_argument("--version", action="version", version=f"qabot {__version__}")
    common = _Parser(add_help=False)
    common.add_argument(
        "--corpus",
        metavar="PATH",
        type=_path,
        default=None,
        help="corpus file or folder (default: $QABOT_CORPUS, else corpus in the config file "
        "$XDG_CONFIG_HOME/qabot/config.toml (~/.config by default), else the bundled corpus)",
    )
    common.add_argument("--index-dir", metavar="DIR", type=_path, help="where to cache the index")
    answering = _Parser(add_help=False)  # for the commands that answer: list and index do not
    answering.add_argument(
        "--threshold", type=_probability, metavar="T", help="abstain below this confidence (0..1)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        func: Callable[..., int],
        summary: str,
        description: str,
        example: str,
        answers: bool = False,
    ) -> argparse.ArgumentParser:
        """One subcommand with the common options (and --threshold if it `answers`)."""
        parents = [common, answering] if answers else [common]
        parsed = sub.add_parser(
            name, parents=parents, help=summary, description=description, epilog=example
        )
        parsed.set_defaults(func=func, parser=parsed)  # (its usage errors name its --help)
        return parsed

    ask = command(
        "ask",
        cmd_ask,
        "answer one question (or many from stdin)",
        "Answer a question from the corpus.",
        'examples: qabot ask "why batch norm"; printf "what is momentum\\n" | qabot ask --json -',
        answers=True,
    )
    ask.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help="the question, quoted or not (its words are joined with spaces), a question number "
        '("Q4"), or "-" to read one query per line from stdin',
    )
    ask.add_argument("-k", type=_positive, default=None, metavar="N", help="show the top N hits")
    ask.add_argument("--full", action="store_true", help="print the whole answer")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines for stdin)")
    lst = command(
        "list",
        cmd_list,
        "list the questions of the corpus",
        "List the corpus questions.",
        "example: qabot list --json",
    )
    lst.add_argument("--json", action="store_true", help="print the full entries as JSON Lines")
    command(
        "index",
        cmd_index,
        "build and cache the index",
        "Build the index of a corpus and cache it.",
        "example: qabot index --corpus ~/notes",
    )
    command(
        "chat",
        cmd_chat,
        "open the terminal chat",
        "Chat with the corpus in a terminal UI.",
        "example: qabot chat",
        answers=True,
    )
    return parser


class _StderrNotices(logging.Handler):
    """The library's log records (cache notices) as "qabot: ..." lines on the current stderr;
    information ("building the index ...") only on a terminal, where someone is waiting."""

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None and (record.levelno >= logging.WARNING or sys.stderr.isatty()):
            _say(record.getMessage())


def _show_notices() -> None:
    logger = logging.getLogger("qabot")
    if not any(isinstance(h, _StderrNotices) for h in logger.handlers):
        logger.addHandler(_StderrNotices(logging.INFO))
        logger.setLevel(logging.INFO)  # (a logger passes on warnings only, by default)


_OPTION = re.compile(r"-(?!\d+$|\d*\.\d+$).")  # "-x", "--bogus"; not "-", "-1" (as argparse)


def _query_words(words: list[str], parser: argparse.ArgumentParser, literal: bool) -> str:
    """The query of `qabot ask`: its words joined with spaces, or "-" (stdin) alone; after
    "--" (`literal`), every word is part of the query, "-" too."""
    if not literal and "-" in words and len(words) > 1:
        parser.error('"-" reads the queries from stdin, one per line: give it no other words')
    return " ".join(words)


COMMANDS = ("ask", "list", "index", "chat")


def _command_first(argv: list[str]) -> list[str]:
    """The arguments with options written before the command ("qabot --corpus notes ask x")
    moved after it, where its parser reads them."""
    if not argv or not argv[0].startswith("-") or argv[0] in ("-h", "--help", "--version"):
        return argv
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word in COMMANDS:
            return [word, *argv[:i], *argv[i + 1 :]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `qabot` console script."""
    _show_notices()
    parser = build_parser()
    argv = _command_first(list(sys.argv[1:] if argv is None else argv))
    args, extra = parser.parse_known_args(argv)  # words of an unquoted query after a flag
    used: argparse.ArgumentParser = args.parser  # the subcommand's, for its usage errors
    cut = extra.index("--") if "--" in extra else len(extra)  # all words after "--"
    unknown = [w for w in extra[:cut] if _OPTION.match(w)]
    if unknown or (extra and args.command != "ask"):
        used.error(f"unrecognized arguments: {' '.join(unknown or extra)}")
    if args.command == "ask":
        literal = "--" in argv
        args.query = _query_words([*args.query, *extra[:cut], *extra[cut + 1 :]], used, literal)
        args.from_stdin = args.query == "-" and not literal
    if hasattr(args, "k"):
        args.k_given = args.k is not None
        args.k = args.k or 5
    if sys.stdout is None:  # (started with its output closed: nowhere to answer)
        _say("error: standard output is closed")
        return EXIT_BAD_INPUT
    try:
        status = args.func(args, sys.stdout)
        sys.stdout.flush()  # (a full disk says so here, not at exit)
        return status
    except QabotError as exc:
        _say(f"error: {exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as exc:
        if exc.filename is not None:  # a file qabot reads or writes (not its output)
            _say(f"error: {exc.filename}: {exc.strerror or exc}")
            return EXIT_BAD_INPUT
        _say(f"error: cannot write the output: {exc.strerror or exc}")  # a full disk...
        _drop_output()
        return 1


def _say(message: str) -> None:
    """A "qabot: ..." line on stderr, if there is one."""
    if sys.stderr is not None:
        print(f"qabot: {one_line(message)}", file=sys.stderr)


def _drop_output() -> None:
    """Send what is left of stdout's buffer nowhere: flushing it again at exit would fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
