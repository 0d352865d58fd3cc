"""Corpus loading: files and folders of Q&A documents -> entries; one module per format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry
from qabot.parse.text import parse_text_file

# path, display path, id prefix -> entries
Parser = Callable[[Path, str, str], list[Entry]]

PARSERS: dict[str, Parser] = {".txt": parse_text_file, ".text": parse_text_file}
# Files beside a corpus that are not Q&A documents.
RESERVED_NAMES = frozenset({"synonyms.txt"})
RESERVED_DIRS = frozenset({"eval"})


def corpus_files(root: Path) -> list[Path]:
    """The supported document files of a corpus path (a file, or every file below a folder)."""
    if not root.exists():
        raise CorpusError(root, "no such file or directory")
    if root.is_file():
        return [root]
    files = [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.suffix.lower() in PARSERS
        and p.name not in RESERVED_NAMES
        and not any(
            part in RESERVED_DIRS or part.startswith(".") for part in p.relative_to(root).parts
        )
    ]
    if not files:
        raise CorpusError(root, f"no supported documents ({', '.join(sorted(PARSERS))})")
    return files


def parse_file(path: Path, root: Path) -> list[Entry]:
    """Parse one document; ids are prefixed with its path relative to the corpus root."""
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise CorpusError(path, f"unsupported file type {path.suffix or '(none)'}")
    base = root if root.is_dir() else root.parent
    relative = path.relative_to(base)
    return parser(path, str(path), relative.with_suffix("").as_posix())


@dataclass
class Corpus:
    """A loaded corpus: its entries, synonym groups, raw files (for the cache key), problems."""

    root: Path
    entries: list[Entry]
    synonyms: list[list[str]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[CorpusError] = field(default_factory=list)


def synonyms_file(root: Path) -> Path | None:
    """The corpus's own synonyms file, if it has one (beside a file, or inside a folder)."""
    candidate = (root if root.is_dir() else root.parent) / "synonyms.txt"
    return candidate if candidate.is_file() and candidate != root else None


def load_corpus(root: Path | str) -> Corpus:
    """Load every document of a corpus; in a folder, bad files are reported and skipped."""
    from qabot.corpus import read_synonyms

    root = Path(root)
    corpus = Corpus(root=root, entries=[])
    for path in corpus_files(root):
        try:
            corpus.entries.extend(parse_file(path, root))
            corpus.files.append(
                (
                    path.relative_to(root if root.is_dir() else root.parent).as_posix(),
                    path.read_bytes(),
                )
            )
        except CorpusError as exc:
            if root.is_file():
                raise
            corpus.problems.append(exc)
    if not corpus.entries:
        raise (
            corpus.problems[0]
            if len(corpus.problems) == 1
            else CorpusError(root, "no Q&A entries found in any document")
        )
    synonyms = synonyms_file(root)
    if synonyms is not None:
        try:
            corpus.synonyms = read_synonyms(synonyms)
            corpus.files.append(("synonyms.txt", synonyms.read_bytes()))
        except (OSError, UnicodeDecodeError) as exc:
            corpus.problems.append(CorpusError(synonyms, f"synonyms ignored: {exc}"))
    return corpus
