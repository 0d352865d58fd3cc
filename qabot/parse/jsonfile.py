"""JSON and JSON Lines Q&A documents: objects with question and answer fields.

A `.json` file holds a list of objects, or an object with the list under "questions",
"entries", "faq" (or "items", "data"); a `.jsonl` file holds one object per line.  Field names
are matched case-insensitively as for CSV headers; `alternates` is a list of other phrasings
of the question (or a "|"-separated string), `tags` a list of labels.  Each entry's source is
the line range of its object.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse.common import FIELD_NAMES, as_text, entry_id, find_fields, read_text, split_values

LIST_KEYS = ("questions", "entries", "faq", "faqs", "items", "data")
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def parse_json_file(
    path: Path, display: str, id_prefix: str, notes: list[str] | None = None
) -> list[Entry]:
    """Parse a JSON (list of Q&A objects) or, by suffix, JSON Lines document into entries
    (objects skipped for an empty question noted in `notes`)."""
    text = read_text(path)
    if path.suffix.lower() == ".jsonl":
        return parse_json_lines(text, display, id_prefix, notes)
    return parse_json(text, display, id_prefix, notes)


def parse_json(
    text: str, display: str, id_prefix: str, notes: list[str] | None = None
) -> list[Entry]:
    """Parse the text of a JSON Q&A document."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (one object per line? name the file .jsonl)" if _is_json_lines(text) else ""
        raise CorpusError(display, f"malformed JSON ({exc.msg}){hint}", exc.lineno) from None
    except RecursionError:
        raise CorpusError(display, "malformed JSON (nested too deeply)") from None
    items, key = _item_list(data, display)
    spans = _item_spans(text, key, len(items)) or [(1, 1)] * len(items)
    return _entries(zip(items, spans, strict=True), display, id_prefix, notes)


def parse_json_lines(
    text: str, display: str, id_prefix: str, notes: list[str] | None = None
) -> list[Entry]:
    """Parse the text of a JSON Lines Q&A document (one object per line)."""
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    objects = ((_line_object(line, display, n), (n, n)) for n, line in lines)
    return _entries(objects, display, id_prefix, notes)


def _is_json_lines(text: str) -> bool:
    """Whether the text is JSON Lines: one object on each of its (non-blank) lines."""
    lines = [line for line in text.split("\n") if line.strip()]
    try:
        return len(lines) > 1 and all(isinstance(json.loads(line), dict) for line in lines)
    except (json.JSONDecodeError, RecursionError):
        return False


def _line_object(line: str, display: str, number: int) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(display, f"malformed JSON line ({exc.msg})", number) from None
    except RecursionError:
        raise CorpusError(display, "malformed JSON line (nested too deeply)", number) from None


def _entries(
    items: Iterable[tuple[object, tuple[int, int]]],
    display: str,
    prefix: str,
    notes: list[str] | None,
) -> list[Entry]:
    """Entries of Q&A objects with their line ranges; objects with an empty question are skipped
    (noted in `notes` unless every field is empty)."""
    entries: list[Entry] = []
    keys: set[str] = set()
    answered = False
    for item, (start, end) in items:
        entry = _entry(item, display, prefix, len(entries) + 1, start, end)
        if entry is not None:
            entries.append(entry)
        elif notes is not None and isinstance(item, dict) and any(map(_has_text, item.values())):
            notes.append(f"{display}:{start}: object skipped: its question is empty")
        if isinstance(item, dict):
            keys.update(str(k) for k in item)
            answered = answered or "answer" in find_fields(list(item))
    if not entries:
        raise CorpusError(display, "no Q&A objects (every question is empty)")
    if not answered:  # every answer under a key we do not know would be lost silently
        names = "/".join(FIELD_NAMES["answer"])
        found = ", ".join(sorted(keys))
        raise CorpusError(display, f"no answer field ({names}) in any object; keys: {found}")
    return entries


def _item_list(data: object, display: str) -> tuple[list[object], str | None]:
    """The list of Q&A objects and the key it sits under (None for a top-level list)."""
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict):
        for key in data:
            if isinstance(key, str) and key.lower() in LIST_KEYS and isinstance(data[key], list):
                return data[key], key
        if find_fields(list(data)).keys() >= {"question"}:
            return [data], None  # a single Q&A object
    expected = "a list of objects, or an object with a 'questions', 'entries' or 'faq' list"
    raise CorpusError(display, f"unexpected JSON structure (expected {expected})", 1)


def _entry(
    item: object, display: str, prefix: str, position: int, start: int, end: int
) -> Entry | None:
    if not isinstance(item, dict):
        raise CorpusError(display, f"expected a Q&A object, found {type(item).__name__}", start)
    fields = find_fields(list(item))
    if "question" not in fields:
        names = "/".join(FIELD_NAMES["question"])
        raise CorpusError(display, f"object without a question field ({names})", start)
    for part in ("question", "answer"):
        kind = _not_text(item.get(fields.get(part, "")))
        if kind:
            raise CorpusError(display, f"{part} must be text or a list of lines, not {kind}", start)
    question = " ".join(as_text(item[fields["question"]]).split())
    if not question:
        return None
    tags = item.get(fields["tags"]) if "tags" in fields else None
    return Entry(
        id=entry_id(prefix, position),
        question=question,
        answer=as_text(item.get(fields.get("answer", ""))),
        source=Source(path=display, line_start=start, line_end=max(start, end)),
        alternates=split_values(item.get(fields["alternates"])) if "alternates" in fields else [],
        tags=split_values(tags, ",") if isinstance(tags, str) else split_values(tags),
    )


def _has_text(value: object) -> bool:
    return bool(as_text(value).strip())


def _not_text(value: object) -> str:
    """What a question or answer is instead of text, or "" for text: a string, a number, a
    list of them, or null (no answer).  true would read as "True", NaN as "nan"."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list of non-text values" if any(map(_not_scalar, value)) else ""
    return _not_scalar(value)


def _not_scalar(value: object) -> str:
    """What a value is instead of a string or a finite number, or "" when it is one."""
    if isinstance(value, bool):
        return f"{json.dumps(value)} (a boolean)"
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)  # NaN, Infinity or -Infinity
    return "" if isinstance(value, str | int | float) else "a list, an object or null"


def _item_spans(text: str, key: str | None, count: int) -> list[tuple[int, int]] | None:
    """Line ranges of the list's items, found by decoding them one by one (None if not found)."""
    if key is None:
        pos = text.find("[")
    else:
        match = re.search(re.escape(json.dumps(key)) + r"\s*:\s*\[", text)
        pos = match.end() - 1 if match else -1
    if pos < 0:
        return None
    decoder = json.JSONDecoder()
    newlines = [m.start() for m in re.finditer("\n", text)]
    spans = []
    pos += 1
    try:
        while len(spans) < count:
            pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
            _, end = decoder.raw_decode(text, pos)
            spans.append((_line_of(newlines, pos), _line_of(newlines, end - 1)))
            pos = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
            if text[pos : pos + 1] == ",":
                pos += 1
    except (json.JSONDecodeError, RecursionError):
        return None
    return spans


def _line_of(newlines: list[int], offset: int) -> int:
    return bisect.bisect_left(newlines, offset) + 1
