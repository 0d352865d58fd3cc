"""Exceptions raised by the qabot core; the CLI and TUI turn them into one-line messages."""

from __future__ import annotations


def printable(text: str) -> str:
    """Text with the bytes it could not decode (a file name that is not UTF-8, read as lone
    surrogates) shown as U+FFFD, so that it can be printed or written as JSON."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class QabotError(Exception):
    """Base class for every error qabot reports to a user."""


class CorpusError(QabotError):
    """A corpus file is missing, unreadable or has no recognizable Q&A; names the file and line
    (printable, whatever bytes its name holds)."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        self.path = printable(str(path))
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class EmptyCorpusError(QabotError):
    """No answer of a corpus has any text to index (every answer empty or stop words)."""


class QueryError(QabotError):
    """A query that cannot be answered as given (empty, too long, binary)."""
