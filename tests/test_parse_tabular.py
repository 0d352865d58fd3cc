"""CSV/TSV tables: header detection, row line ranges, alternates and tags, bad tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from qabot.errors import CorpusError
from qabot.parse import load_corpus
from qabot.parse.tabular import parse_csv_file, parse_table

FIXTURES = Path(__file__).parent / "fixtures"


def test_csv_rows_become_entries_with_their_physical_line_range() -> None:
    entries = parse_csv_file(FIXTURES / "faq.csv", "faq.csv", "faq")
    assert [e.id for e in entries] == ["faq:q1", "faq:q2", "faq:q3"]
    dropout = entries[0]
    assert dropout.question == "What is dropout?"
    assert dropout.answer.endswith("so the network cannot rely on any single unit.")
    assert (dropout.source.line_start, dropout.source.line_end) == (2, 3)
    assert (entries[1].source.line_start, entries[1].source.line_end) == (4, 4)


def test_csv_alternates_split_on_bars_and_tags_on_bars_or_commas() -> None:
    entries = parse_csv_file(FIXTURES / "faq.csv", "faq.csv", "faq")
    assert entries[0].alternates == ("what does dropout do", "why use dropout")
    assert entries[1].tags == ("optimization", "training")


def test_csv_question_with_empty_answer_is_kept_unanswered() -> None:
    entries = parse_csv_file(FIXTURES / "faq.csv", "faq.csv", "faq")
    assert entries[2].question == "What is early stopping?"
    assert not entries[2].answered


def test_tsv_headers_are_matched_case_insensitively() -> None:
    entries = parse_csv_file(FIXTURES / "faq.tsv", "faq.tsv", "faq")
    assert [e.question for e in entries] == ["What is a tensor?", "What is a GPU used for?"]
    assert entries[0].answer == "A multi-dimensional array of numbers."


@pytest.mark.parametrize("header", ["query;reply", "Prompt,Response", "QUESTIONS\tANSWERS"])
def test_header_synonyms_and_delimiters_are_detected(header: str) -> None:
    sep = ";" if ";" in header else "\t" if "\t" in header else ","
    entries = parse_table(f"{header}\nWhy?{sep}Because.\n", "t.csv", "t", None)
    assert (entries[0].question, entries[0].answer) == ("Why?", "Because.")


def test_csv_without_question_column_names_file_and_line_one(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,body\nHello,World\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        parse_csv_file(path, str(path), "bad")
    assert info.value.line == 1
    assert str(info.value).startswith(f"{path}:1: no question or answer column")


def test_blank_rows_are_skipped_without_shifting_line_numbers() -> None:
    entries = parse_table("question,answer\n\nA?,x\n\nB?,y\n", "t.csv", "t", ",")
    assert [(e.question, e.source.line_start) for e in entries] == [("A?", 3), ("B?", 5)]
    assert [e.id for e in entries] == ["t:q1", "t:q2"]


def test_table_with_only_empty_questions_is_an_error() -> None:
    with pytest.raises(CorpusError, match="no Q&A rows"):
        parse_table("question,answer\n,orphan answer\n", "t.csv", "t", ",")


def test_csv_loads_as_a_corpus_on_its_own() -> None:
    corpus = load_corpus(FIXTURES / "faq.csv")
    assert len(corpus.entries) == 3
    assert corpus.entries[0].source.path == str(FIXTURES / "faq.csv")


def test_an_unclosed_quote_is_an_error_at_its_row_not_a_swallowed_file() -> None:
    rows = [
        "question,answer",
        "What is dropout?,Zeroing.",
        'What is relu?,"max(0, x)',
        "What is SGD?,Steps.",
    ]
    text = "\n".join(rows) + "\n"
    with pytest.raises(CorpusError, match=r"^t\.csv:3: unterminated quote"):
        parse_table(text, "t.csv", "t", None)


def test_a_lone_quote_inside_an_unquoted_field_is_kept() -> None:
    text = 'question,answer\nWhat is a 3.5" disk?,A floppy disk.\n'
    assert [e.question for e in parse_table(text, "t.csv", "t", None)] == ['What is a 3.5" disk?']


def test_a_quote_that_closes_rows_later_is_an_error_at_its_row() -> None:
    rows = [
        "question\tanswer",
        'What does " mean?\t"Inches, as in 12 in.',
        "What is BN?\tBatch norm.",
        'What is LN?\tLayer norm, the "other" one.',
    ]
    text = "\n".join(rows) + "\n"  # an even number of quotes: the end-of-file check misses it
    with pytest.raises(CorpusError, match=r"^t\.tsv:2: unterminated quote"):
        parse_table(text, "t.tsv", "t", None)


def test_a_quoted_answer_over_several_lines_is_kept() -> None:
    text = 'question,answer\nWhat is X?,"Line one, with a comma.\nLine two."\n'
    entries = parse_table(text, "t.csv", "t", None)
    assert entries[0].answer == "Line one, with a comma.\nLine two."


LIBRARY = [
    "question,answer,alternates,tags",
    "How do I get a card?,Bring a photo ID.,library card,membership",
    "How many books can I borrow?,Up to 30 items.,borrowing limit,borrowing",
    "How long can I keep a book?,21 days.,loan period,borrowing",
    'How do I renew?,"Online, by phone or at a desk.",renewal,borrowing',
    'What are the late fees?,"Fines are 25 cents a day.,overdue fines|fines,fees',
    'What if I lose a book?,"You pay the replacement cost.",lost book,fees',
    "How do I place a hold?,Use the catalog.,reserve a book,borrowing",
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_unclosed_quote_that_swallows_the_next_row_is_an_error_where_it_opened(
    newline: str,
) -> None:
    text = newline.join(LIBRARY) + newline  # csv would read rows 6 and 7 as one, silently
    with pytest.raises(CorpusError) as info:
        parse_table(text, "library.csv", "library", None)
    assert str(info.value) == (
        'library.csv:6: unterminated quote: a field opened with " runs into the next row (line 7)'
    )


def test_the_line_named_is_where_the_quote_opened_not_where_its_row_starts() -> None:
    rows = [
        "question,answer,tags",
        'What is X?,"Line one.',
        'Line two.","fees',  # a legitimate two-line answer, then a tags field left open
        'What is Y?,"Why.",other',
    ]
    with pytest.raises(CorpusError, match=r"^t\.csv:3: unterminated quote: .* \(line 4\)$"):
        parse_table("\n".join(rows) + "\n", "t.csv", "t", None)


@pytest.mark.parametrize("ending", ["", "\n"])
def test_an_unclosed_quote_on_the_last_row_is_an_error_not_an_unanswered_question(
    ending: str,
) -> None:
    text = 'question,answer\n"unclosed,quote' + ending  # a single line, running to the end
    with pytest.raises(CorpusError) as info:
        parse_table(text, "broken.csv", "broken", None)
    assert str(info.value) == 'broken.csv:2: unterminated quote: a field opened with " never closes'


def test_quoted_answers_over_several_lines_with_commas_and_escaped_quotes_are_kept() -> None:
    rows = [
        "question,answer,alternates,tags",
        'How do I renew?,"Three ways, all free:',
        "",
        "Online, under My Account, any time.",
        'By phone, at 555-0142, ""press 2"".',
        'Or at any desk.",renewal|extend a loan,borrowing',
        'What is a 3.5" disk?,"A floppy disk, ""3.5-inch"".",floppy,tech',
        '"Hamlet" is what?,A play.,,',  # a quoted start with text after it: kept, as csv reads it
        'Where is the desk?,"By the door.',
        '",desk,visiting',
    ]
    entries = parse_table("\r\n".join(rows) + "\r\n", "t.csv", "t", None)
    assert [(e.source.line_start, e.source.line_end) for e in entries] == [
        (2, 6),
        (7, 7),
        (8, 8),
        (9, 10),
    ]
    renew = entries[0]
    assert renew.answer.startswith("Three ways, all free:")
    assert 'By phone, at 555-0142, "press 2".' in renew.answer
    assert (renew.alternates, renew.tags) == (("renewal", "extend a loan"), ("borrowing",))
    assert entries[1].answer == 'A floppy disk, "3.5-inch".'
    assert entries[2].question == "Hamlet is what?"


def test_a_folder_skips_a_table_with_an_unclosed_quote_and_reports_it(tmp_path: Path) -> None:
    (tmp_path / "library.csv").write_text("\n".join(LIBRARY) + "\n", encoding="utf-8")
    (tmp_path / "faq.csv").write_text("question,answer\nWhat is X?,X is x.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [e.question for e in corpus.entries] == ["What is X?"]
    assert [str(p) for p in corpus.problems] == [
        f'{tmp_path / "library.csv"}:6: unterminated quote: a field opened with " runs into the'
        " next row (line 7)"
    ]


def test_qabot_list_on_a_table_with_an_unclosed_quote_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qabot import cli

    path = tmp_path / "library.csv"
    path.write_text("\n".join(LIBRARY) + "\n", encoding="utf-8")
    assert cli.main(["list", "--corpus", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f'qabot: error: {path}:6: unterminated quote: a field opened with " runs into the next'
        " row (line 7)\n"
    )


def test_a_row_with_an_empty_question_is_noted_with_its_line_but_blank_rows_are_not() -> None:
    notes: list[str] = []
    text = "question,answer\nA?,x\n,orphan answer\n\n,\n"
    entries = parse_table(text, "t.csv", "t", None, notes)
    assert [e.question for e in entries] == ["A?"]
    assert notes == ["t.csv:3: row skipped: its question is empty"]


def test_qabot_list_prints_the_skipped_row_as_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qabot import cli

    path = tmp_path / "faq.tsv"
    path.write_text("question\tanswer\nWhat is X?\tX is x.\n\tOrphan answer.\n", encoding="utf-8")
    assert cli.main(["list", "--corpus", str(path)]) == 0
    assert capsys.readouterr().err == f"qabot: note: {path}:3: row skipped: its question is empty\n"


@pytest.mark.parametrize(("name", "sep"), [("t.csv", ","), ("t.tsv", "\t")])
def test_unquoted_delimiters_in_a_last_column_answer_are_kept_as_written(
    name: str, sep: str
) -> None:
    answer = f"Unplug it{sep} wait ten seconds{sep} then plug it back in.{sep}{sep}Done."
    text = f"question{sep}answer\nHow do I reset the router?{sep}{answer}\nWhy?{sep}Because.{sep}\n"
    entries = parse_table(text, name, "t", None)
    assert [(e.question, e.answer) for e in entries] == [
        ("How do I reset the router?", answer),
        ("Why?", "Because."),  # a trailing delimiter adds no text
    ]


@pytest.mark.parametrize(("name", "sep"), [("t.csv", ","), ("t.tsv", "\t")])
def test_spill_over_that_cannot_be_placed_is_an_error_at_its_row(name: str, sep: str) -> None:
    header = sep.join(["question", "answer", "alternates", "tags"])
    row = sep.join(["How do I reset it?", "Unplug it", " wait", " plug it in.", "reboot", "net"])
    text = f"{header}\nWhat is X?{sep}X is x.{sep}{sep}\n{row}\n"
    with pytest.raises(CorpusError) as info:
        parse_table(text, name, "t", None)
    assert str(info.value).startswith(f"{name}:3: row has 6 fields but the header has 4: quote")
    assert "\n" not in str(info.value)


def test_answer_in_a_middle_column_without_spill_over_keeps_its_columns() -> None:
    text = "question,answer,tags\nWhat is X?,X is x.,basics,\n"
    entry = parse_table(text, "t.csv", "t", None)[0]
    assert (entry.answer, entry.tags) == ("X is x.", ("basics",))
