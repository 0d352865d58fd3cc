"""CSV and TSV Q&A tables: one row per entry, columns found by their header names.

The header row names the columns, case-insensitively: question (question, questions, q, query,
prompt), answer (answer, answers, a, response, reply), and optionally alternates (other
phrasings, separated by "|") and tags (separated by "|" or ",").  A row's source is its
physical line range, so a quoted answer spanning lines is cited as such.  A row with an empty
question is left out, with a note naming its line.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse.common import FIELD_NAMES, as_text, entry_id, find_fields, read_text, split_values

# Answers longer than csv's default 128 KiB field limit are legitimate; the file size is capped.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


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

    A row with text but an empty question is left out, with a line in `notes` naming it.
    """
    if delimiter is None:
        delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    entries: list[Entry] = []
    last_start = 1  # first line of the last row read: where an unclosed quote swallowed the rest
    try:
        header = next(reader, [])
        columns = _columns(header, display)
        previous_end = reader.line_num
        for row in reader:
            start, end = previous_end + 1, reader.line_num
            previous_end, last_start = end, start
            if end > start and delimiter == "\t" and any("\t" in f and "\n" in f for f in row):
                # a field over several lines holding tabs: a quote opened a field ('"Inches
                # ...') and closed only rows later, swallowing those rows (answers hold commas
                # and semicolons, but hardly ever tabs)
                message = 'unterminated quote: a field opened with " closes only rows later'
                raise CorpusError(display, message, start)
            entry = _entry(row, columns, display, id_prefix, len(entries) + 1, start, end)
            if entry is not None:
                entries.append(entry)
            elif notes is not None and any(cell.strip() for cell in row):  # not a blank row
                notes.append(f"{display}:{start}: row skipped: its question is empty")
    except csv.Error as exc:
        raise CorpusError(display, f"malformed table ({exc})", reader.line_num or 1) from None
    # csv reads an unclosed quote to the end of the file, silently: a last row running over
    # several lines in a text with an odd number of quotes (a lone '3.5" disk' stays fine)
    if previous_end > last_start and text.count('"') % 2:
        message = 'unterminated quote: a field opened with " never closes'
        raise CorpusError(display, message, last_start)
    if not entries:
        raise CorpusError(display, "no Q&A rows (every row has an empty question)")
    return entries


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
