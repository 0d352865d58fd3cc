"""Helpers shared by the format parsers: safe reading, entry ids, line-level markers."""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
from pathlib import Path

from qabot.errors import CorpusError

MAX_FILE_BYTES = 50 * 1024 * 1024

# "Q1: ...", "- Q1: ...", "Q: ...", "Question 3) ...", "**Q4:** ...", "Q.1 ...", "Q-2: ...";
# an unnumbered "Q" needs ":" or a separator and a space ("Q. What ...", not "Q-learning").
QUESTION_LABEL = re.compile(
    r"^\s*(?:[-*+\u2022]\s+)?(?:\*\*|__)?\s*(?:Q|Question)"
    r"(?:\s*[.\-#]?\s*(\d+)\s*(?:\*\*|__)?\s*([:.)\-]|(?=\s))"
    r"|\s*(?:\*\*|__)?\s*(?::|[.)\-](?=\s)))"
    r"\s*(?:\*\*|__)?\s*(.*?)\s*(?:\*\*|__)?\s*$",
    re.IGNORECASE,
)
# "1. What is ...?" / "12) What ...?" : numbered lines are questions only when they end with "?".
NUMBERED_QUESTION = re.compile(r"^\s*(?:[-*+\u2022]\s+)?(\d{1,4})\s*[.)]\s+(.+\?)\s*$")
ANSWER_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:A\s*\d*\s*(?:\*\*|__)?\s*:|(?:Ans|Answer)\s*\d*\s*(?:\*\*|__)?\s*[:.)\-])"
    r"\s*(?:\*\*|__)?\s*(.*)$",
    re.IGNORECASE,
)
LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)]|[a-zA-Z][.)]{1,2}|\([a-z0-9]\))(?:\s+|$)")
BARE_BULLET = re.compile(r"^\s*[-*+\u2022]\s*$")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (or UTF-16 with its byte-order mark), with one-line errors for
    binary, undecodable or empty files."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # reading a named pipe would wait forever
            raise CorpusError(path, "not a regular file (a pipe, socket or device)")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(path, f"file is too large ({size} bytes, limit {MAX_FILE_BYTES})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(path, "no such file") from None
    except IsADirectoryError:
        raise CorpusError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise CorpusError(path, f"cannot read file ({exc.strerror or exc})") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        try:
            return _non_empty(path, data.decode("utf-16"))
        except UnicodeDecodeError:
            raise CorpusError(path, "not valid UTF-16 (it starts with a UTF-16 mark)") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CorpusError(path, "binary file (NUL byte), not a text document", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    return _non_empty(path, text)


def _non_empty(path: Path, text: str) -> str:
    if not text.strip():
        raise CorpusError(path, "file is empty")
    return text


def read_lines(path: Path) -> list[str]:
    """Read a UTF-8 text file as lines, numbered as editors and `grep -n` number them (errors
    as `read_text`).

    Only line feeds and carriage returns end a line; a form feed (a page break from
    pdftotext), a vertical tab or a Unicode line separator inside a line becomes a space.
    """
    text = _INLINE_BREAKS.sub(" ", read_text(path))
    lines = _LINE_END.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


_LINE_END = re.compile(r"\r\n|\r|\n")
_INLINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def match_question(line: str, numbered: bool = True) -> tuple[int | None, str] | None:
    """If `line` is a question line, return (its number or None, the question text).

    "Q4 What is X?" needs its "?" (a label without a separator); `numbered=False` leaves
    "1. Is the data shuffled?" to be a list item, as in a document whose questions say "Q1:".
    """
    plain = unicodedata.normalize("NFKC", line)
    m = QUESTION_LABEL.match(plain)
    if m and m.group(3) and (m.group(1) is None or m.group(2) or m.group(3).endswith("?")):
        return (int(m.group(1)) if m.group(1) else None, _strip_bold(line, m.group(3)))
    if not numbered:
        return None
    m = NUMBERED_QUESTION.match(plain)
    if m:
        return int(m.group(1)), m.group(2).strip()
    return None


def _strip_bold(original: str, plain_question: str) -> str:
    # keep the original characters of the question when NFKC did not change its length
    stripped = original.strip()
    if len(unicodedata.normalize("NFKC", stripped)) == len(stripped):
        start = unicodedata.normalize("NFKC", stripped).rfind(plain_question)
        if start >= 0:
            return stripped[start : start + len(plain_question)].strip()
    return plain_question.strip()


def match_answer_label(line: str) -> str | None:
    """If `line` starts with an answer label ("Answer:", "A:"), return the text after it."""
    m = ANSWER_LABEL.match(unicodedata.normalize("NFKC", line))
    if not m:
        return None
    # the label is ASCII, so the original line's tail from the same offset is the text
    return m.group(1).strip()


def slug(path: Path) -> str:
    """A stable, readable id prefix for a document: its path without suffix, '/'-separated."""
    return path.with_suffix("").as_posix()


# Column / field names that hold each part of an entry (CSV headers, JSON keys), lower-case.
FIELD_NAMES = {
    "question": ("question", "questions", "q", "query", "prompt", "question_text"),
    "answer": (
        "answer",
        "answers",
        "a",
        "response",
        "reply",
        "completion",
        "answer_text",
        "solution",
    ),
    "alternates": ("alternates", "alternate", "alternatives", "paraphrases", "variants"),
    "tags": ("tags", "tag", "categories", "category", "topics"),
}


def find_fields(names: list[str]) -> dict[str, str]:
    """Map each entry part (question, answer, alternates, tags) to the first name that holds it."""
    found: dict[str, str] = {}
    folded = {name: name.strip().lower() for name in names if isinstance(name, str)}
    for part, candidates in FIELD_NAMES.items():
        for candidate in candidates:
            match = next((n for n, f in folded.items() if f == candidate), None)
            if match is not None:
                found[part] = match
                break
    return found


def split_values(value: object, separator: str = "|") -> list[str]:
    """A list of non-empty strings from a list, or a string separated by `separator`."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(separator)
    return [str(item).strip() for item in items if str(item).strip()]


def as_text(value: object) -> str:
    """A field value as entry text: strings as is, lists of lines joined, None as ""."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(as_text(v) for v in value)
    text = value if isinstance(value, str) else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def entry_id(prefix: str, position: int) -> str:
    """The id of the `position`-th (1-based) entry of a document."""
    return f"{prefix}:q{position}"


def question_key(question: str) -> str:
    """What makes two questions the same: their words, case-folded, punctuation ignored."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", question).casefold()))


SECTION_MAX_WORDS = 6
# words a title leaves in lower case ("Payments and Gift Cards")
_TITLE_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or per the to via vs with".split()
)
_BOLD_LINE = re.compile(r"^(\*\*|__)(.+?)\1:?$")


def is_section_heading(text: str) -> bool:
    """Whether a line reads as the title of a section of questions ("BORROWING", "Payments
    and Gift Cards", "**Delivery**"): a few words with no sentence punctuation or list mark,
    in capitals, in title case or in bold."""
    line = text.strip()
    if not line or LIST_ITEM.match(line) or line.startswith(("#", "|", ">", "`")):
        return False
    bold = _BOLD_LINE.match(line)
    inner = (bold.group(2) if bold else line).strip().removesuffix(":").strip()
    words = inner.split()
    if not words or len(words) > SECTION_MAX_WORDS or inner[-1] in ".!?;,":
        return False
    letters = [c for c in inner if c.isalpha()]
    if not letters:
        return False
    if bold or not any(c.islower() for c in letters):
        return True
    return words[0][0].isupper() and all(
        w[0].isupper() or not w[0].isalpha() or w.casefold() in _TITLE_SMALL_WORDS
        for w in words[1:]
    )


def drop_section_heading(lines: list[tuple[int, str]]) -> None:
    """Remove a section heading that ends an answer's (number, text) lines just before the
    next question ("BORROWING" between two Q&A pairs): a line of its own after a blank line,
    read as a heading by `is_section_heading`, with answer text above it."""
    end = len(lines)
    while end and not lines[end - 1][1].strip():
        end -= 1
    if end < 3 or lines[end - 2][1].strip() or not is_section_heading(lines[end - 1][1]):
        return
    if any(text.strip() for _, text in lines[: end - 2]):
        del lines[end - 2 :]
