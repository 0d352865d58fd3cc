"""Corpus loading: files and folders of Q&A documents -> entries; one module per format."""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from qabot.errors import CorpusError
from qabot.models import Entry
from qabot.parse.common import QUESTION_LABEL, entry_id, question_key, read_lines, read_text
from qabot.parse.jsonfile import parse_json_file
from qabot.parse.markdown import parse_markdown_file
from qabot.parse.tabular import parse_csv_file
from qabot.parse.text import parse_text_file

# files done, files in all, the file being read
Progress = Callable[[int, int, Path], None]


class Parser(Protocol):
    """path, display path, id prefix -> entries; what it skips is noted in `notes`, if given."""

    def __call__(
        self, path: Path, display: str, id_prefix: str, notes: list[str] | None = None
    ) -> list[Entry]: ...


def _noting_nothing(parse: Callable[[Path, str, str], list[Entry]]) -> Parser:
    """A parser that leaves out nothing worth a note, as a `Parser`."""

    def parser(
        path: Path, display: str, id_prefix: str, notes: list[str] | None = None
    ) -> list[Entry]:
        return parse(path, display, id_prefix)

    return parser


PARSERS: dict[str, Parser] = {
    ".txt": parse_text_file,
    ".text": parse_text_file,
    ".csv": parse_csv_file,
    ".tsv": parse_csv_file,
    ".json": parse_json_file,
    ".jsonl": parse_json_file,
    ".md": _noting_nothing(parse_markdown_file),
    ".markdown": _noting_nothing(parse_markdown_file),
}
# Files beside a corpus that are not Q&A documents.
RESERVED_NAMES = frozenset({"synonyms.txt"})
RESERVED_DIRS = frozenset({"eval"})


def corpus_files(root: Path) -> list[Path]:
    """The supported document files of a corpus path (a file, or every file below a folder)."""
    return corpus_listing(root)[0]


def corpus_listing(root: Path) -> tuple[list[Path], list[CorpusError]]:
    """The supported document files of a corpus path, and the subfolders that cannot be read.

    Raises `CorpusError` for a missing path, a folder that cannot be read or one with no
    documents (naming an unreadable subfolder when that is where they could be).
    """
    if not_utf8(str(root)):
        raise CorpusError(root, "the path is not valid UTF-8 (rename it)")
    if root.is_symlink() and not root.exists():
        raise CorpusError(root, "a broken or looping symbolic link")
    if not root.exists():
        raise CorpusError(root, "no such file or directory")
    if root.is_file():
        return [root], []
    unreadable: list[CorpusError] = []
    files = []
    for path in sorted(_files_below(root, unreadable)):
        if not _is_document(path, root):
            continue
        if not_utf8(str(path)):  # (it could not be named in an id, a source or JSON)
            unreadable.append(CorpusError(path, "its name is not valid UTF-8"))
        else:
            files.append(path)
    if not files:
        raise (
            unreadable[0]
            if unreadable
            else CorpusError(root, f"no supported documents ({', '.join(sorted(PARSERS))})")
        )
    return files, unreadable


def not_utf8(text: str) -> bool:
    """Whether a file name held bytes that are not UTF-8 (decoded as lone surrogates)."""
    return any("\udc80" <= c <= "\udcff" for c in text)


def _is_document(path: Path, root: Path) -> bool:
    return (
        path.suffix.lower() in PARSERS
        and path.name not in RESERVED_NAMES
        and not any(
            part in RESERVED_DIRS or part.startswith(".") for part in path.relative_to(root).parts
        )
    )


def check_readable(root: Path | str) -> None:
    """Raise `CorpusError` for a corpus that cannot be read at all (missing, no documents,
    or a single file that is empty, binary or not text), without parsing anything."""
    root = Path(root)
    files = corpus_files(root)
    if root.is_file():
        read_text(files[0])


def _files_below(root: Path, unreadable: list[CorpusError]) -> Iterator[Path]:
    """Every file below `root`, through symlinked folders too (each real folder once, so a
    link to a parent ends instead of looping); a broken link is listed, to be reported.

    A subfolder that cannot be listed is added to `unreadable`; `root` itself raises.
    """

    def failed(exc: OSError) -> None:
        folder = Path(exc.filename) if exc.filename else root
        error = CorpusError(folder, f"cannot read folder ({exc.strerror or exc})")
        if folder == root:
            raise error from None
        unreadable.append(error)

    seen: set[str] = set()
    for folder, subfolders, names in os.walk(root, onerror=failed, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders.clear()
            continue
        seen.add(real)
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d not in RESERVED_DIRS]
        yield from (Path(folder) / name for name in names)


def parse_file(
    path: Path, root: Path, keep_suffix: bool = False, notes: list[str] | None = None
) -> list[Entry]:
    """Parse one document; ids are prefixed with its path relative to the corpus root, without
    its suffix unless another document has the same path but for it (`keep_suffix`); what the
    parser leaves out (a CSV row without a question) is added to `notes`."""
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise CorpusError(path, f"unsupported file type {path.suffix or '(none)'}")
    base = root if root.is_dir() else root.parent
    relative = path.relative_to(base)
    prefix = relative if keep_suffix else relative.with_suffix("")
    return numbered_as_written(parser(path, str(path), prefix.as_posix(), notes), path)


_HEADING_MARK = re.compile(r"^\s*(?:\d{1,4}[.)]\s+)?#{1,6}\s*")


def numbered_as_written(entries: list[Entry], path: Path) -> list[Entry]:
    """The entries numbered by the labels their document gives their questions ("Q11:",
    "## Q12:" in a second part), when every question line has one and no two share one;
    else as they are, numbered by position."""
    if not entries:
        return entries
    lines = read_lines(path)
    numbers = []
    for entry in entries:
        at = entry.source.line_start - 1
        line = _HEADING_MARK.sub("", lines[at]) if at < len(lines) else ""
        label = QUESTION_LABEL.match(line)
        if label is None or label.group(1) is None:
            return entries
        numbers.append(int(label.group(1)))
    if len(set(numbers)) < len(numbers):
        return entries
    prefix = entries[0].id.rsplit(":", 1)[0]
    return [
        e.model_copy(update={"id": entry_id(prefix, n)})
        for e, n in zip(entries, numbers, strict=True)
    ]


def corpus_fingerprint(root: Path) -> list[tuple[str, bytes]]:
    """Names and bytes of every file a corpus is built from, without parsing anything.

    This is what the persisted index is keyed by, so a warm start reads the files once and
    parses none of them.  An unreadable file or subfolder contributes its error, so fixing it
    changes the key.
    """
    base = root if root.is_dir() else root.parent
    paths, unreadable = corpus_listing(root)
    synonyms = synonyms_file(root)
    fingerprint = []
    for path in [*paths, *([synonyms] if synonyms else [])]:
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
            data = path.read_bytes() if regular else b"<not a regular file>"  # (a pipe blocks)
        except OSError as exc:
            data = f"<unreadable: {exc.strerror or exc}>".encode()
        fingerprint.append((path.relative_to(base).as_posix(), data))
    for error in unreadable:
        folder = Path(error.path).relative_to(base).as_posix()
        fingerprint.append((folder, f"<unreadable folder: {error.message}>".encode()))
    return fingerprint


@dataclass
class Corpus:
    """A loaded corpus: entries, synonym groups, the documents read, problems, notices.

    `problems` are files and subfolders that were skipped; `notices` are one-line remarks on
    what reading left out or merged (a CSV row without a question, a question in two files).
    """

    root: Path
    entries: list[Entry]
    synonyms: list[list[str]] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    problems: list[CorpusError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def synonyms_file(root: Path) -> Path | None:
    """The corpus's own synonyms file, if it has one (beside a file, or inside a folder)."""
    candidate = (root if root.is_dir() else root.parent) / "synonyms.txt"
    return candidate if candidate.is_file() and candidate != root else None


def load_corpus(root: Path | str, progress: Progress | None = None) -> Corpus:
    """Load every document of a corpus; in a folder, bad files are reported and skipped."""
    from qabot.corpus import read_synonyms

    root = Path(root)
    paths, unreadable = corpus_listing(root)
    corpus = Corpus(root=root, entries=[], problems=unreadable)
    skipped = _read_documents(corpus, paths, progress)
    if not corpus.entries:
        raise (
            corpus.problems[0]
            if len(corpus.problems) == 1
            else CorpusError(root, f"no Q&A entries found in any document{_why(corpus.problems)}")
        )
    corpus.entries, duplicates = merge_duplicates(corpus.entries)
    corpus.notices = skipped + duplicates
    synonyms = synonyms_file(root)
    if synonyms is not None:
        try:
            corpus.synonyms = read_synonyms(synonyms)
        except (OSError, UnicodeDecodeError) as exc:
            corpus.problems.append(CorpusError(synonyms, f"synonyms ignored: {exc}"))
    return corpus


SHOWN_PROBLEMS = 2  # of the skipped files, named in the error of a folder with no entries


def _why(problems: list[CorpusError]) -> str:
    """What the files of a folder with no entries said: the first few, and how many more."""
    if not problems:
        return ""
    shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    return f" (skipped {shown}{f'; and {more} more' if more > 0 else ''})"


def _read_documents(corpus: Corpus, paths: list[Path], progress: Progress | None) -> list[str]:
    """Parse `paths` into `corpus` (a bad file is a problem in a folder, an error on its own);
    return the notes on what the documents read left out."""
    notes: list[str] = []
    suffixed = _keeping_suffix(paths)
    for done, path in enumerate(paths):
        if progress is not None:
            progress(done, len(paths), path)
        file_notes: list[str] = []  # kept only if the whole file is read
        try:
            corpus.entries.extend(parse_file(path, corpus.root, path in suffixed, file_notes))
            corpus.paths.append(path)
            notes.extend(file_notes)
        except CorpusError as exc:
            if corpus.root.is_file():
                raise
            corpus.problems.append(exc)
    return notes


def _keeping_suffix(paths: list[Path]) -> set[Path]:
    """The documents whose ids keep their suffix, so that no two share a prefix, whatever its
    case ("notes.txt" and "notes.md": notes.txt:q1; "notes.md" and "notes.md.txt" too)."""
    suffixed: set[Path] = set()
    while True:
        prefixes = Counter(_prefix_key(p, p in suffixed) for p in paths)
        clashing = {p for p in paths if prefixes[_prefix_key(p, p in suffixed)] > 1} - suffixed
        if not clashing:
            return suffixed
        suffixed |= clashing


def _prefix_key(path: Path, keep_suffix: bool) -> str:
    return (path if keep_suffix else path.with_suffix("")).as_posix().casefold()


def merge_duplicates(entries: list[Entry]) -> tuple[list[Entry], list[str]]:
    """Resolve questions asked twice (in one file or across files); return entries and notices.

    The answered copy wins over an unanswered one, and a copy with the same answer as any kept
    copy is dropped; different answers are all kept (each cites its own source) and reported.
    """
    kept: list[Entry | None] = []
    # question key -> answer key -> position in `kept` of its copy (one per different answer,
    # in the order kept: each entry is compared once with each, not with every copy again)
    copies: dict[str, dict[str, int]] = {}
    notices: list[str] = []
    for entry in entries:
        key = question_key(entry.question)
        held = copies.setdefault(key, {}) if key else {}
        answer = question_key(entry.answer)
        if not held:
            held[answer] = len(kept)
            kept.append(entry)
            continue
        same = held.get(answer)
        if not entry.answered or same is not None:
            kept_copy = kept[same if same is not None else next(iter(held.values()))]
            notices.append(f"{entry.source}: duplicate question, kept {kept_copy.source}")  # type: ignore[union-attr]
            continue
        blank = held.get("")  # (an unanswered copy: its answer has no words)
        if blank is not None and not kept[blank].answered:  # type: ignore[union-attr]
            unanswered = kept[blank].source  # type: ignore[union-attr]
            notices.append(f"{unanswered}: unanswered question, answered at {entry.source}")
            kept[blank] = None
            del held[""]
        if held:
            also = kept[next(iter(held.values()))].source  # type: ignore[union-attr]
            notices.append(f"{entry.source}: question also at {also}, both answers kept")
        held[answer] = len(kept)
        kept.append(entry)
    return [e for e in kept if e is not None], notices
