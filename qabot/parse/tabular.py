"""CSV and TSV Q&A tables: one row per entry, columns found by their header names.

The header row names the columns, case-insensitively: question (question, questions, q, query,
prompt), answer (answer, answers, a, response, reply), and optionally alternates (other
phrasings, separated by "|") and tags (separated by "|" or ",").  A row's source is its
physical line range, so a quoted answer spanning lines is cited as such.  A row with an empty
question is left out, with a note naming its line.  A quote left open, which csv would read
on across rows, makes the table bad, named at the line where the quote opened.  A row with more
fields than the header (an answer with unquoted commas) has its extra fields joined back into
the answer when the answer is the last column, and is an error at its line otherwise.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse.common import FIELD_NAMES, as_text, entry_id, find_fields, read_text, split_values

# Answers longer than csv's default 128 KiB field limit are legitimate; the file size is capped.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
LINE_BREAK = re.compile(r"\r\n?|\n")


def parse_csv_file(
    path: Path, display: str, id_prefix: str, notes: list[str] | None = None
) -> list[Entry]:
    """Parse a CSV (or, by suffix, TSV) Q&A table into entries (skipped rows noted in `notes`)."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else None
    return parse_table(read_text(path), display, id_prefix, delimiter, notes)


def parse_table(
    text: str,
    display: str,
    id_prefix: str,
    delimiter: str | None,
    notes: list[str] | None = None,
) -> list[Entry]:
    """Parse the text of a Q&A table; `delimiter` None means sniff "," ";" or tab.

    A row with text but an empty question is left out, with a line in `notes` naming it; a
    quoted field that never closes, or runs over a line break into the next row, is an error.
    """
    if delimiter is None:
        delimiter = _sniff(text)
    lines = io.StringIO(text, newline="").readlines()  # the physical lines csv counts
    rows = _rows(lines, delimiter, display)
    header = next(rows, ([], 1, 1))[0]
    columns = _columns(header, display)
    entries: list[Entry] = []
    for row, start, end in rows:
        row = _fit(row, len(header), columns["answer"], delimiter, display, start)
        entry = _entry(row, columns, display, id_prefix, len(entries) + 1, start, end)
        if entry is not None:
            entries.append(entry)
        elif notes is not None and any(cell.strip() for cell in row):  # not a blank row
            notes.append(f"{display}:{start}: row skipped: its question is empty")
    if not entries:
        raise CorpusError(display, "no Q&A rows (every row has an empty question)")
    return entries


def _rows(lines: list[str], delimiter: str, display: str) -> Iterator[tuple[list[str], int, int]]:
    """Each row with its first and last physical line; a quote that swallows rows raises."""
    reader = csv.reader(lines, delimiter=delimiter)
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            raw = "".join(lines[start - 1 : end])
            if '"' in raw:
                _check_quotes(raw, delimiter, display, start)
            yield row, start, end
    except csv.Error as exc:
        raise CorpusError(display, f"malformed table ({exc})", reader.line_num or 1) from None


def _check_quotes(raw: str, delimiter: str, display: str, start: int) -> None:
    """Raise for a quoted field of a row's text (from line `start`) that swallows other rows.

    csv reads such a field without complaint: to the end of the file, or to the next quote,
    merging the rows between into one answer.
    """
    found = _bad_quote(raw, delimiter)
    if found is None:
        return
    offset, closes = found
    line = start + len(LINE_BREAK.findall(raw, 0, offset))
    if not closes:
        message = 'unterminated quote: a field opened with " never closes'
    else:
        message = (
            f'unterminated quote: a field opened with " runs into the next row (line {line + 1})'
        )
    raise CorpusError(display, message, line)


def _bad_quote(raw: str, delimiter: str) -> tuple[int, bool] | None:
    """Where a field of one row's text opens a quote that swallows rows, and whether it closes.

    Reads quotes as csv does: a quote opens a field only as its first character, "" inside is
    a quote, and a lone quote closes it.  A field that closes is bad when it runs over a line
    break and either its closing quote is not followed by the end of the field (so the quote
    was a later field's opening one) or, in a TSV, it holds a tab (answers hardly ever do).
    """
    d = re.escape(delimiter)
    opening = re.compile(rf'(?<![^{d}\r\n])"')  # a quote first in its field
    ends = re.compile(rf" *(?:{d}|\r|\n|$)")
    i = 0
    while match := opening.search(raw, i):
        close = _closing_quote(raw, match.end())
        if close is None:
            return match.start(), False
        field = raw[match.end() : close]
        swallowed = not ends.match(raw, close + 1) or (delimiter == "\t" and "\t" in field)
        if swallowed and LINE_BREAK.search(field):
            return match.start(), True
        i = close + 1
    return None


def _closing_quote(raw: str, i: int) -> int | None:
    """The offset of the quote closing a quoted field whose text starts at `i` ("" is a quote)."""
    while (close := raw.find('"', i)) >= 0:
        if not raw.startswith('"', close + 1):
            return close
        i = close + 2
    return None


def _sniff(text: str) -> str:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _columns(header: list[str], display: str) -> dict[str, int]:
    fields = find_fields(header)
    missing = [part for part in ("question", "answer") if part not in fields]
    if missing:
        wanted = "; ".join(f"{part}: {'/'.join(FIELD_NAMES[part])}" for part in missing)
        raise CorpusError(display, f"no {' or '.join(missing)} column (header names {wanted})", 1)
    return {part: header.index(name) for part, name in fields.items()}


def _fit(
    row: list[str], width: int, answer: int, delimiter: str, display: str, start: int
) -> list[str]:
    """The row's fields with the spill-over of a field holding an unquoted delimiter (fields
    beyond the header's `width`) joined back into the answer, as written; the spill-over is an
    error at the row's line when the answer is not the last column, so it cannot be placed."""
    extra = row[width:]
    if not any(field.strip() for field in extra):
        return row[:width]  # a trailing delimiter adds no text
    if answer == width - 1:
        return [*row[:answer], delimiter.join(row[answer:])]
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    raise CorpusError(
        display,
        f"row has {len(row)} fields but the header has {width}: "
        f'quote the field that holds a {shown} ("...")',
        start,
    )


def _entry(
    row: list[str],
    columns: dict[str, int],
    display: str,
    prefix: str,
    position: int,
    start: int,
    end: int,
) -> Entry | None:
    def cell(part: str) -> str:
        i = columns.get(part)
        return row[i] if i is not None and i < len(row) else ""

    question = " ".join(as_text(cell("question")).split())
    if not question:
        return None
    tags = [t for value in split_values(cell("tags")) for t in split_values(value, ",")]
    return Entry(
        id=entry_id(prefix, position),
        question=question,
        answer=as_text(cell("answer")),
        source=Source(path=display, line_start=start, line_end=max(start, end)),
        alternates=split_values(cell("alternates")),
        tags=tags,
    )
