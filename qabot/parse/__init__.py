"""Corpus loading: files and folders of Q&A documents -> entries; one module per format."""

from __future__ import annotations

from collections.abc import Callable
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
