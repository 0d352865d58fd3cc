"""Markdown lines as blocks: headings (ATX and setext), bold or "Q:" question lines,
`<details>` blocks and fenced code, with HTML comments and images removed.

`qabot.parse.markdown` decides which blocks are questions; this module only reads the lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# "## Title", also inside a list item ("34. ### What are ...?"), closing "#"s dropped
HEADING = re.compile(
    r"^ {0,3}(?:(?:\d{1,4}[.)]|[-*+])[ \t]+)?(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$"
)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")  # any indent: fences nest in list items
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
BOLD_LINE = re.compile(r"^\s*(?:(?:[-*+]|\d{1,4}[.)])\s+)?(\*\*|__)(.+?)\1:?[ \t]*(.*)$")
IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])|<img\b[^>]*>", re.IGNORECASE)
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
HTML_ONLY_LINE = re.compile(r"^\s*(?:</?(?:p|div|br|hr|span|center|a)\b[^>]*>\s*)+$", re.IGNORECASE)
BACK_LINK = re.compile(
    r"^\s*(?:\*\*|__)?\[[^\]]*\b(?:top|back|contents|toc)\b[^\]]*\]\(#[^)]*\)(?:\*\*|__)?\s*$",
    re.IGNORECASE,
)
DETAILS_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)
DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)
LABEL = re.compile(
    r"^(?:Question\s*\d*\s*[:.)\-]|Q\s*\d*\s*[:.)]|Q\d+\s*[-\s]|\d{1,4}\s*[.):]\s|\d{1,4}\s+-\s)\s*",
    re.IGNORECASE,
)
LABEL_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(?:Q|Question)\s*\d*\s*[:.)]\s*\S", re.IGNORECASE)
CONTENT_START = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,4}[.)])[ \t]+)?")  # indent and list mark
CODE_INDENT = 4  # columns that make an indented code block


@dataclass
class Block:
    """One lexed line (or a whole `<details>` block) of the document."""

    kind: str  # "heading", "details" or "text"
    line: int
    text: str  # the line as written; for a heading/details, the cleaned question text
    level: int = 0
    code: bool = False
    labeled: bool = False  # the question text carried a "Q12:" / "12." label
    bold: tuple[str, str] | None = None  # a bold or "Q:" line: (question, text after it)
    body: list[tuple[int, str]] = field(default_factory=list)  # details content
    question: bool = False
    indent: int = 0  # the column where the line's text starts (after a list mark); for
    # details, where its content starts


def lex(lines: list[str]) -> list[Block]:
    """The lines of a document as blocks (fenced code, comments and images handled)."""
    blocks: list[Block] = []
    fence: str | None = None
    in_comment = False
    i = 0
    while i < len(lines):
        number, raw = i + 1, lines[i]
        i += 1
        if fence is not None:
            blocks.append(Block("text", number, raw, code=True))
            if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                fence = None
            continue
        fenced = FENCE.match(raw)
        if fenced and not in_comment:
            fence = fenced.group(1)
            blocks.append(Block("text", number, raw, code=True))
            continue
        text, in_comment = _strip_comments(raw, in_comment)
        text = IMAGE.sub("", text)
        if raw.strip() and not text.strip():
            gap_after = i == len(lines) or not lines[i].strip()
            if gap_after and blocks and blocks[-1].kind == "text" and not blocks[-1].text.strip():
                blocks.pop()  # with the blank line before it, so no double gap is left
            continue  # a line of only images or comments
        if DETAILS_OPEN.search(text):
            block, i = _details(lines, i - 1)
            if block is not None:
                blocks.append(block)
                continue
        blocks.append(_line_block(number, text, blocks))
    return blocks


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without HTML comments, and whether a comment is still open after it."""
    out, pos = [], 0
    while pos < len(line):
        if in_comment:
            end = line.find("-->", pos)
            if end < 0:
                return "".join(out), True
            pos, in_comment = end + 3, False
        else:
            start = line.find("<!--", pos)
            if start < 0:
                out.append(line[pos:])
                break
            out.append(line[pos:start])
            pos, in_comment = start + 4, True
    return "".join(out), in_comment


def _line_block(number: int, text: str, blocks: list[Block]) -> Block:
    heading = HEADING.match(text)
    if heading:
        title, labeled = _clean_question(heading.group(2) or "")
        level, indent = len(heading.group(1)), _content_column(text)
        return Block("heading", number, title, level=level, labeled=labeled, indent=indent)
    underline = SETEXT_UNDERLINE.match(text)
    if underline and _setext_title(blocks):
        title_block = blocks.pop()
        title, labeled = _clean_question(title_block.text)
        level = 1 if underline.group(1)[0] == "=" else 2
        heading = Block("heading", title_block.line, title, level=level, labeled=labeled)
        heading.indent = title_block.indent
        return heading
    block = Block("text", number, text, indent=_content_column(text))
    block.bold = _bold_question(text)
    return block


def _content_column(text: str) -> int:
    """The column where a line's text starts, after its indentation and any list mark."""
    start = CONTENT_START.match(text)
    return len(start.group().expandtabs(CODE_INDENT)) if start else 0


def _setext_title(blocks: list[Block]) -> bool:
    """Whether the last block is a one-line paragraph a setext underline turns into a heading."""
    if not blocks or blocks[-1].kind != "text" or blocks[-1].code or not blocks[-1].text.strip():
        return False
    title = blocks[-1].text
    if re.match(r"^\s*(?:[-*+>|]|\d+[.)])", title) or title.startswith("    "):
        return False
    before = blocks[-2] if len(blocks) > 1 else None
    return before is None or before.kind != "text" or not before.text.strip()


def _bold_question(text: str) -> tuple[str, str] | None:
    """(question, rest of line) for `**What is X?** rest`, `**Q:** What is X?` or `Q: ...`."""
    bold = BOLD_LINE.match(text)
    if bold:
        inner, rest = bold.group(2).strip(), bold.group(3).strip()
        if re.fullmatch(r"(?:Q|Question)\s*\d*\s*[:.)]?", inner, re.IGNORECASE) and rest:
            return _clean_question(rest)[0], ""
        question, labeled = _clean_question(inner)
        if labeled or question.rstrip().endswith("?"):
            return question, rest
        return None
    if LABEL_LINE.match(text):
        question, _ = _clean_question(re.sub(r"^\s*[-*+]\s+", "", text))
        return (question, "") if question else None
    return None


def _details(lines: list[str], start: int) -> tuple[Block | None, int]:
    """A `<details>` block starting at line index `start`: (block, index after it)."""
    depth, end = 0, None
    for j in range(start, len(lines)):
        depth += len(DETAILS_OPEN.findall(lines[j])) - len(DETAILS_CLOSE.findall(lines[j]))
        if depth <= 0:
            end = j
            break
    if end is None:
        return None, start + 1
    chunk = "\n".join(lines[start : end + 1])
    summary = SUMMARY.search(chunk)
    if summary is None:
        return None, start + 1
    after = chunk[summary.end() :]
    closing = list(DETAILS_CLOSE.finditer(after))
    content = after[: closing[-1].start()] if closing else after
    first_line = start + 1 + chunk[: summary.end()].count("\n")
    body, in_comment = [], False
    for offset, line in enumerate(content.split("\n")):
        line, in_comment = _strip_comments(line, in_comment)
        line = IMAGE.sub("", line)
        if not HTML_ONLY_LINE.match(line):
            body.append((first_line + offset, line))
    while body and not body[0][1].strip():
        body.pop(0)  # the rest of the <summary> line
    title, labeled = _clean_question(summary.group(1))
    block = Block("details", start + 1, title, labeled=labeled, body=body)
    block.indent = column(body[0][1]) if body else 0
    return block, end + 1


def _clean_question(raw: str) -> tuple[str, bool]:
    """Display text of a question (markup, anchors and label removed) and whether it had a label."""
    text = "".join(
        unicodedata.normalize("NFKC", c) if 0x1D400 <= ord(c) <= 0x1D7FF else c for c in raw
    )
    text = HTML_TAG.sub("", LINK.sub(r"\1", text))
    text = re.sub(r"\s*\{#[^}]*\}\s*$", "", text)
    text = re.sub(r"(\*\*|__)", "", text).strip()
    text = re.sub(r"^[*_](.+)[*_]$", r"\1", text).strip()
    label = LABEL.match(text + " ")
    rest = (text + " ")[label.end() :] if label else ""
    if rest.strip():  # ("Q1:What is X?" has no space after its label)
        return " ".join(rest.split()), True
    return " ".join(text.split()), False


def column(text: str) -> int:
    """The column where the text after the leading spaces and tabs of `text` starts."""
    return len(text[: len(text) - len(text.lstrip(" \t"))].expandtabs(CODE_INDENT))


def dedent(lines: list[str], indent: int, gap: bool) -> list[str]:
    """The lines of an answer without their common indentation, where an indented code block
    counts from four columns further in, so that it stays a code block.

    A line is such code when it starts four columns past `indent` (where the question's text
    starts) after a blank line or another code line (or first, with `gap`: after a heading),
    outside fenced code.
    """
    width: int | None = None
    code, fence = False, None
    for line in lines:
        if not line.strip():
            gap = True
            continue
        start = column(line)
        code = fence is None and start >= indent + CODE_INDENT and (gap or code)
        fence = _fence_after(line, fence) if not code else None
        gap = False
        start -= CODE_INDENT if code else 0
        width = start if width is None else min(width, start)
    return [_strip_columns(line, width or 0) for line in lines]


def _fence_after(line: str, fence: str | None) -> str | None:
    """The fence open after `line`, given the one open before it."""
    if fence is not None:
        closed = line.strip().startswith(fence) and not line.strip().strip(fence[0])
        return None if closed else fence
    fenced = FENCE.match(line)
    return fenced.group(1) if fenced else None


def _strip_columns(line: str, width: int) -> str:
    """`line` without its first `width` columns of indentation (tabs count to the next stop)."""
    if not width:
        return line
    text = line.lstrip(" \t")
    return line[: len(line) - len(text)].expandtabs(CODE_INDENT)[width:] + text
