"""Property tests: parsers and the query path never fail with anything but their own errors."""

from __future__ import annotations

import contextlib
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qabot.errors import CorpusError, QueryError
from qabot.models import Answer, Entry, Source
from qabot.parse import PARSERS
from qabot.parse.common import read_text
from qabot.parse.jsonfile import parse_json, parse_json_lines
from qabot.parse.markdown import parse_markdown
from qabot.parse.tabular import parse_table
from qabot.parse.text import parse_text
from qabot.retriever import Retriever

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any code point, control characters included, with Markdown/CSV/JSON syntax mixed in often.
SYNTAX = st.sampled_from(
    [
        "\n",
        "## ",
        "**",
        "?",
        "Q1: ",
        "A: ",
        "```",
        "<details>",
        "<summary>",
        "</details>",
        "<!--",
        "-->",
        "![x](y)",
        ",",
        "\t",
        '"',
        "{",
        "}",
        "[",
        "]",
        ":",
        "|",
        "---",
        "\r",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), SYNTAX), max_size=40).map("".join)
LONG_LINE = st.integers(10_000, 200_000).map(lambda n: "## What is " + "x" * n + "?\n" + "y" * n)


def parsers() -> list[tuple[str, object]]:
    return [
        ("markdown", lambda t: parse_markdown(t, "t.md", "t")),
        ("csv", lambda t: parse_table(t, "t.csv", "t", None)),
        ("tsv", lambda t: parse_table(t, "t.tsv", "t", "\t")),
        ("json", lambda t: parse_json(t, "t.json", "t")),
        ("jsonl", lambda t: parse_json_lines(t, "t.jsonl", "t")),
        ("text", lambda t: parse_text(t.splitlines(), "t.txt", "t")),
    ]


@pytest.mark.parametrize(("name", "parse"), parsers())
@SETTINGS
@given(text=st.one_of(TEXT, st.text(max_size=400)))
def test_parsers_raise_only_corpus_errors_on_arbitrary_text(
    name: str, parse: object, text: str
) -> None:
    try:
        entries = parse(text)  # type: ignore[operator]
    except CorpusError:
        return
    assert all(isinstance(e, Entry) and e.question.strip() for e in entries)
    assert len({e.id for e in entries}) == len(entries)


@pytest.mark.parametrize(("name", "parse"), parsers())
@settings(max_examples=5, deadline=None)
@given(text=LONG_LINE)
def test_parsers_handle_very_long_lines(name: str, parse: object, text: str) -> None:
    with contextlib.suppress(CorpusError):
        parse(text)  # type: ignore[operator]


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from(sorted(PARSERS)))
def test_any_bytes_in_any_supported_file_raise_only_corpus_errors(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"doc{suffix}"
    path.write_bytes(data)
    try:
        PARSERS[suffix](path, str(path), "doc")
    except CorpusError as exc:
        assert str(exc).startswith(str(path))
        assert "\n" not in str(exc)


def test_read_text_rejects_binary_with_the_line_of_the_nul(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"one\ntwo\x00\n")
    with pytest.raises(CorpusError) as info:
        read_text(path)
    assert info.value.line == 2


@cache
def small_retriever() -> Retriever:
    entries = [
        Entry(
            id=f"t:q{i}",
            question=question,
            answer=answer,
            source=Source(path="t.md", line_start=i, line_end=i),
        )
        for i, (question, answer) in enumerate(
            [
                ("What is dropout?", "Dropout zeroes random activations during training."),
                ("What is momentum?", "Momentum accumulates past gradients."),
                ("What is a batch?", ""),
            ],
            1,
        )
    ]
    return Retriever.from_entries(entries)


@SETTINGS
@given(query=st.one_of(TEXT, st.text(max_size=300)), context=st.none() | st.text(max_size=50))
def test_ask_returns_an_answer_or_raises_query_error(query: str, context: str | None) -> None:
    try:
        answer = small_retriever().ask(query, context=context)
    except QueryError:
        return
    assert isinstance(answer, Answer)
    assert 0.0 <= answer.confidence <= 1.0
    for hit in answer.results:  # the unanswered question is a suggestion at most, no passage
        assert hit.question_id != "t:q3" or (not answer.answered and hit.passage == "")


def test_one_megabyte_query_is_rejected_quickly() -> None:
    retriever = small_retriever()
    start = time.perf_counter()
    with pytest.raises(QueryError, match="too long"):
        retriever.ask("why " * 262_144)
    assert time.perf_counter() - start < 0.5


def test_unanswered_question_is_never_an_answer_only_a_marked_suggestion() -> None:
    answer = small_retriever().ask("what is a batch")
    assert not answer.answered
    assert [(h.question_id, h.passage, h.answer) for h in answer.results] == [("t:q3", "", "")]
    other = small_retriever().ask("what is dropout")
    assert "t:q3" not in [hit.question_id for hit in other.results]
