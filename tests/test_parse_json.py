"""JSON and JSON Lines documents: structures, field names, line ranges, malformed input."""

from __future__ import annotations

from pathlib import Path

import pytest

from qabot.errors import CorpusError
from qabot.parse.jsonfile import parse_json, parse_json_file, parse_json_lines

FIXTURES = Path(__file__).parent / "fixtures"


def test_faq_list_under_a_key_gives_entries_with_object_line_ranges() -> None:
    entries = parse_json_file(FIXTURES / "faq.json", "faq.json", "faq")
    assert [e.id for e in entries] == ["faq:q1", "faq:q2"]
    assert entries[0].question == "What is momentum?"
    assert (entries[0].source.line_start, entries[0].source.line_end) == (4, 9)
    assert (entries[1].source.line_start, entries[1].source.line_end) == (10, 13)


def test_json_alternates_tags_and_list_answers() -> None:
    momentum, adam = parse_json_file(FIXTURES / "faq.json", "faq.json", "faq")
    assert momentum.alternates == ("why use momentum in sgd",)
    assert momentum.tags == ("optimization",)
    assert adam.answer == (
        "Adam adapts the learning rate per parameter.\n- uses first moments\n- uses second moments"
    )


def test_top_level_list_is_accepted() -> None:
    text = '[\n{"q": "A?", "a": "x"},\n{"q": "B?", "a": "y"}\n]\n'
    entries = parse_json(text, "t.json", "t")
    assert [(e.question, e.source.line_start) for e in entries] == [("A?", 2), ("B?", 3)]


def test_jsonl_uses_each_objects_line_and_string_tags() -> None:
    entries = parse_json_file(FIXTURES / "faq.jsonl", "faq.jsonl", "faq")
    assert [e.source.line_start for e in entries] == [1, 3]
    assert entries[1].tags == ("metrics", "classification")
    assert entries[0].answer == "A table of predicted versus true classes."


def test_malformed_json_reports_the_decoder_line() -> None:
    with pytest.raises(CorpusError) as info:
        parse_json('[\n{"q": "A?", "a": "x"},\n{"q": "B?" "a": "y"}\n]', "t.json", "t")
    assert info.value.line == 3
    assert "malformed JSON" in str(info.value)


def test_malformed_jsonl_reports_the_bad_line() -> None:
    with pytest.raises(CorpusError) as info:
        parse_json_lines('{"q": "A?", "a": "x"}\n\n{"q": "B?", \n', "t.jsonl", "t")
    assert info.value.line == 3


def test_object_without_question_field_is_an_error_naming_its_line() -> None:
    with pytest.raises(CorpusError) as info:
        parse_json('[\n{"q": "A?", "a": "x"},\n{"title": "B"}\n]', "t.json", "t")
    assert info.value.line == 3
    assert "question field" in str(info.value)


@pytest.mark.parametrize("text", ['"just a string"', "42", '{"name": "x"}', "[1, 2]"])
def test_unexpected_structures_are_corpus_errors(text: str) -> None:
    with pytest.raises(CorpusError):
        parse_json(text, "t.json", "t")


def test_deeply_nested_json_is_a_corpus_error_not_a_recursion_error() -> None:
    with pytest.raises(CorpusError):
        parse_json("[" * 100_000 + "]" * 100_000, "t.json", "t")


@pytest.mark.parametrize(
    "answer", ['{"text": "An n-d array."}', '["a line", {"nested": 1}]'], ids=["object", "list"]
)
def test_an_answer_that_is_no_text_is_an_error_at_its_line(tmp_path: Path, answer: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(f'[\n  {{"question": "What is X?", "answer": {answer}}}\n]\n')
    with pytest.raises(CorpusError, match=r"bad\.json:2: answer must be text"):
        parse_json_file(path, str(path.name), "bad")


def test_prompt_completion_lines_are_questions_and_answers() -> None:
    text = '{"prompt": "What is dropout?", "completion": "Zeroing units."}\n'
    entries = parse_json_lines(text, "pc.jsonl", "pc")
    assert [(e.question, e.answer) for e in entries] == [("What is dropout?", "Zeroing units.")]


def test_answers_under_an_unknown_key_are_an_error_naming_the_keys() -> None:
    text = '[{"question": "What is X?", "body": "X is x."}, {"question": "Y?", "body": "y"}]'
    with pytest.raises(CorpusError, match=r"n\.json: no answer field .* keys: body, question"):
        parse_json(text, "n.json", "n")


@pytest.mark.parametrize(
    ("part", "value", "shown"),
    [
        ("question", "true", "true (a boolean)"),
        ("answer", "false", "false (a boolean)"),
        ("question", "NaN", "NaN"),
        ("answer", "-Infinity", "-Infinity"),
        ("answer", '["a line", true]', "a list of non-text values"),
    ],
)
def test_a_boolean_or_nan_question_or_answer_is_an_error_at_its_object(
    part: str, value: str, shown: str
) -> None:
    fields = {"question": '"What is X?"', "answer": '"X is x."'} | {part: value}
    text = f'[\n  {{"q": "A?", "a": "x"}},\n  {{"question": {fields["question"]}, '
    text += f'"answer": {fields["answer"]}}}\n]\n'
    with pytest.raises(CorpusError) as info:
        parse_json(text, "t.json", "t")
    assert str(info.value) == f"t.json:3: {part} must be text or a list of lines, not {shown}"


def test_numbers_and_null_stay_allowed_as_questions_and_answers() -> None:
    text = '{"question": 404, "answer": null}\n{"question": "Why 2?", "answer": [1, 2.5]}\n'
    entries = parse_json_lines(text, "t.jsonl", "t")
    assert [(e.question, e.answer) for e in entries] == [("404", ""), ("Why 2?", "1\n2.5")]


def test_json_lines_saved_as_json_get_a_hint_to_rename_the_file(tmp_path: Path) -> None:
    path = tmp_path / "faq.json"
    path.write_text('{"q": "A?", "a": "x"}\n\n{"q": "B?", "a": "y"}\n', encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        parse_json_file(path, "faq.json", "faq")
    assert str(info.value) == (
        "faq.json:3: malformed JSON (Extra data) (one object per line? name the file .jsonl)"
    )


def test_other_extra_data_gets_no_json_lines_hint() -> None:
    with pytest.raises(CorpusError) as info:
        parse_json('[{"q": "A?", "a": "x"}]\n[{"q": "B?", "a": "y"}]\n', "t.json", "t")
    assert str(info.value) == "t.json:2: malformed JSON (Extra data)"
