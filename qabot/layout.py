"""Text layout shared by the CLI and the chat: what a list item is, and Markdown reflow."""

from __future__ import annotations

import re
from itertools import takewhile
from pathlib import PurePath

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

# Two definitions on purpose.  LIST_ITEM is any line that looks like a list item ("- ", "* ",
# "• ", "3. ", "12) ", "a) ", "b. ", "iv. ", "II) ", "(a) ", "(1) ", "(iv) ", up to its text):
# the CLI and the chat both keep it on a line of its own, from any document (the CLI hangs its
# wrapped lines under its text).  MARKDOWN_LIST_ITEM is what Markdown itself starts a
# list with (-, *, +, "1.", "1)"): the chat renders Markdown, which joins every other line,
# "a)" and "•" ones too, to the line above, so the chat adds a hard break before all but these.
_ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"  # i to xxxix, in lower case
_NUMBER = rf"\d{{1,3}}|[a-zA-Z]|{_ROMAN}|{_ROMAN.upper()}"  # what an item is numbered with
LIST_ITEM = re.compile(rf"\s*(?:[-*•]|(?:{_NUMBER})[.)]|\((?:{_NUMBER})\))\s+(?=\S)")
MARKDOWN_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# a line Markdown never reads as part of a paragraph: a heading, a table row, a quote, an
# HTML tag, a rule or a heading's underline
_BLOCK_LINE = re.compile(r"^\s*(?:#{1,6}(?:\s|$)|\||>|<[a-zA-Z/!]|(?:[-*_]\s*){3,}$|[=-]+\s*$)")
_INDENTED = re.compile(r"^(?: {4}|\t)")  # indented code, unless it continues a paragraph
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")  # Markdown's own line break
# a table's delimiter row, under its header row: cells of dashes (colons align them), "|" apart
_TABLE_DELIMITER = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+(?:\s*:?-+:?\s*)?$")
_PIPE = re.compile(r"(?<!\\)\|")  # a cell border ("\|" is a pipe in a cell)


def is_markdown(path: str) -> bool:
    """Whether a source document is Markdown, read by `reflow_markdown` before it is shown."""
    return PurePath(path).suffix.lower() in MARKDOWN_SUFFIXES


def is_list_item(line: str) -> bool:
    """Whether a line starts a list item, by either definition above."""
    return bool(LIST_ITEM.match(line) or MARKDOWN_LIST_ITEM.match(line))


def reflow_markdown(text: str) -> str:
    """Markdown text with each hand-wrapped paragraph or list item joined into one line, as
    Markdown reads it; headings, list items, tables, quotes, code and blank lines stay as
    they are, and so does the break after a line ending in ":" (it introduces what follows)
    or in a hard break."""
    out: list[str] = []
    fence = ""  # the marker of the fenced code block the line is in
    open_text = False  # whether the last line is text that the next one may continue
    lines = text.split("\n")
    table = _table_rows(lines)
    for i, line in enumerate(lines):
        if fence or _FENCE.match(line) or i in table:
            fence = _fence_after(fence, line)
            out.append(line)
            open_text = False
        elif open_text and _continues(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
            open_text = _goes_on(line)
        else:
            out.append(line)
            code = bool(_INDENTED.match(line)) and not is_list_item(line)
            open_text = not code and not _BLOCK_LINE.match(line) and _goes_on(line)
    return "\n".join(out)


def _fence_after(fence: str, line: str) -> str:
    """The fence open after `line` ("" when none): opened by it, closed by it, or as it was."""
    if fence:
        return "" if line.strip().startswith(fence) else fence
    opened = _FENCE.match(line)
    return opened.group(1) if opened else ""


def _table_rows(lines: list[str]) -> set[int]:
    """The indices of the rows of pipe tables, leading "|" or not: a header row, the
    delimiter row under it with as many cells, and the rows with a "|" after them."""
    rows: set[int] = set()
    for i in range(1, len(lines)):
        if _heads_table(lines[i - 1], lines[i]):
            body = takewhile(lambda j: "|" in lines[j], range(i + 1, len(lines)))
            rows.update([i - 1, i, *body])
    return rows


def _heads_table(header: str, delimiter: str) -> bool:
    """Whether two lines are a table's header row and its delimiter row (as many cells)."""
    if not _TABLE_DELIMITER.match(delimiter) or "|" not in header:
        return False
    return _cells(header) == _cells(delimiter)


def _cells(row: str) -> int:
    """The number of cells of a table row, its outer pipes optional."""
    return len(_PIPE.split(row.strip().removeprefix("|").removesuffix("|")))


def _continues(line: str) -> bool:
    """Whether a line may continue the text above it: plain text, not a block of its own."""
    return bool(line.strip()) and not _BLOCK_LINE.match(line) and not is_list_item(line)


def _goes_on(line: str) -> bool:
    """Whether the next line may continue this one (no blank, no hard break, no intro)."""
    return bool(line.strip()) and not _HARD_BREAK.search(line) and not line.rstrip().endswith(":")
