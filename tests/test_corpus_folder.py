"""Folders mixing formats, duplicate questions, and one-line errors from the real console script."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_qabot

from qabot import cli
from qabot.errors import CorpusError
from qabot.models import Entry, Source
from qabot.parse import corpus_fingerprint, load_corpus, merge_duplicates
from qabot.parse.common import read_lines
from qabot.retriever import Retriever

FOLDER = Path(__file__).parent / "fixtures" / "folder"


def test_folder_mixing_formats_loads_every_supported_file_with_sources() -> None:
    corpus = load_corpus(FOLDER)
    by_id = {e.id: e for e in corpus.entries}
    assert set(by_id) == {
        "intro:q1",
        "intro:q2",
        "sub/more:q1",
        "table:q1",
        "table:q2",
        "items:q1",
    }
    assert by_id["sub/more:q1"].source.path == str(FOLDER / "sub" / "more.md")
    assert (by_id["table:q2"].source.line_start, by_id["table:q2"].source.line_end) == (3, 3)
    assert by_id["items:q1"].alternates == ("how to stop exploding gradients",)


def test_same_numbering_in_two_files_keeps_ids_unique() -> None:
    ids = [e.id for e in load_corpus(FOLDER).entries]
    assert len(ids) == len(set(ids))
    assert "intro:q1" in ids and "sub/more:q1" in ids


def test_reserved_files_are_not_documents_but_synonyms_are_read() -> None:
    corpus = load_corpus(FOLDER)
    assert not any("eval" in e.source.path for e in corpus.entries)
    assert corpus.synonyms == [["lr", "learning rate"]]


def test_one_bad_file_in_a_folder_is_reported_and_skipped() -> None:
    corpus = load_corpus(FOLDER)
    assert [(Path(p.path).name, p.line) for p in corpus.problems] == [("broken.csv", 1)]


def test_duplicate_with_the_same_answer_is_dropped_and_reported() -> None:
    corpus = load_corpus(FOLDER)
    perceptrons = [e for e in corpus.entries if e.question == "What is a perceptron?"]
    assert [e.id for e in perceptrons] == ["intro:q1"]
    assert any("more.md:4-5: duplicate question, kept" in n for n in corpus.notices)


def test_duplicate_with_a_different_answer_keeps_both_and_reports() -> None:
    corpus = load_corpus(FOLDER)
    activation = [e.id for e in corpus.entries if e.question == "What is an activation function?"]
    assert activation == ["intro:q2", "table:q2"]
    assert any("both answers kept" in n for n in corpus.notices)


def _entry(i: str, answer: str) -> Entry:
    source = Source(path=i, line_start=1, line_end=1)
    return Entry(id=i, question="What is X?", answer=answer, source=source)


def test_answered_copy_replaces_an_earlier_unanswered_one() -> None:
    kept, notices = merge_duplicates([_entry("a", ""), _entry("b", "X is x.")])
    assert [e.id for e in kept] == ["b"]
    assert notices == ["a:1: unanswered question, answered at b:1"]


def test_a_copy_of_any_kept_answer_is_dropped_not_only_of_the_first() -> None:
    kept, notices = merge_duplicates(
        [_entry("a", "Something else."), _entry("b", "X is x."), _entry("c", "X is x.")]
    )
    assert [e.id for e in kept] == ["a", "b"]
    assert notices[-1] == "c:1: duplicate question, kept b:1"


def test_documents_differing_only_in_suffix_keep_it_in_their_ids(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    (tmp_path / "notes.md").write_text("## What is relu?\n\nmax(0, x), a rectifier.\n")
    (tmp_path / "other.md").write_text("## What is momentum?\n\nA running average.\n")
    ids = sorted(e.id for e in load_corpus(tmp_path).entries)
    assert ids == ["notes.md:q1", "notes.txt:q1", "other:q1"]


def test_a_name_that_is_another_name_with_a_suffix_keeps_ids_unique(tmp_path: Path) -> None:
    # notes.md keeps its suffix (beside notes.txt), which a downloaded notes.md.txt would
    # otherwise lose: both were "notes.md:q1"; ids are looked up whatever their case
    (tmp_path / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    (tmp_path / "notes.md").write_text("## What is relu?\n\nmax(0, x), a rectifier.\n")
    (tmp_path / "notes.md.txt").write_text("Q1: What is gamma?\nAnswer: A letter.\n")
    (tmp_path / "NOTES.json").write_text('[{"question": "What is delta?", "answer": "D."}]')
    ids = sorted(e.id for e in load_corpus(tmp_path).entries)
    assert ids == ["NOTES.json:q1", "notes.md.txt:q1", "notes.md:q1", "notes.txt:q1"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.md", b"  \n\n", "file is empty"),
        ("latin1.txt", b"Q1: What is caf\xe9?\n", "not valid UTF-8"),
        ("binary.md", b"## What?\n\x00\x01\x02", "binary file"),
        ("prose.md", b"# Notes\n\nJust prose.\n", "no recognizable Q&A"),
        ("nocols.csv", b"title,body\nHello,World\n", "no question or answer column"),
        ("bad.json", b'[{"q": "A?",\n "a": }]', "malformed JSON"),
    ],
)
def test_bad_file_is_one_line_error_from_the_console_script(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run_qabot("ask", "--corpus", str(path), "what is it")
    assert_one_line_error(result)
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(path) in result.stderr and message in result.stderr


def test_missing_corpus_path_is_one_line_error(tmp_path: Path) -> None:
    result = run_qabot("ask", "--corpus", str(tmp_path / "nope"), "what is it")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"qabot: error: {tmp_path / 'nope'}: no such file or directory"
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_corpus_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("## Why?\nBecause.\n", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(CorpusError, match="cannot read file"):
        read_lines(path)


def test_error_line_is_named_for_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"## What?\nok\n\xff\n")
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    assert info.value.line == 3


def folder_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


def test_ask_and_index_never_write_into_the_corpus_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(FOLDER, corpus)
    before = folder_digest(corpus)
    assert cli.main(["index", "--corpus", str(corpus)]) == 0
    assert cli.main(["ask", "--corpus", str(corpus), "what is gradient clipping"]) == 0
    assert cli.main(["list", "--corpus", str(corpus)]) == 0
    assert folder_digest(corpus) == before
    assert "broken.csv:1" in capsys.readouterr().err


def test_index_of_a_large_folder_prints_progress_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(25):
        (tmp_path / f"faq{n:02d}.md").write_text(
            f"## What is topic {n}?\nTopic {n} is about item{n}.\n", encoding="utf-8"
        )
    assert cli.main(["index", "--corpus", str(tmp_path), "--index-dir", str(tmp_path / ".i")]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("indexed 25 entries, 25 passages into ")
    assert "qabot: reading documents 25/25" in captured.err
    assert "qabot: indexing 25 entries" in captured.err


def test_a_broken_link_in_a_folder_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    corpus = load_corpus(tmp_path)
    assert [e.id for e in corpus.entries] == ["notes:q1"]
    assert [str(p) for p in corpus.problems] == [f"{tmp_path / 'gone.md'}: no such file"]


def test_a_linked_folder_is_read_once_even_when_it_links_back(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "extra.txt").write_text("Q1: What is momentum?\nAnswer: A running average.\n")
    (shared / "back").symlink_to(tmp_path)  # a loop: corpus/linked/back/linked/...
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    (corpus_dir / "linked").symlink_to(shared)
    corpus = load_corpus(corpus_dir)
    assert sorted(e.question for e in corpus.entries) == ["What is dropout?", "What is momentum?"]


def test_a_utf16_file_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("Q1: What is dropout?\r\nAnswer: Zeroing units.\r\n".encode("utf-16"))
    assert read_lines(path) == ["Q1: What is dropout?", "Answer: Zeroing units."]


def test_a_named_pipe_in_a_folder_is_reported_not_read_forever(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = load_corpus(tmp_path)
    assert [e.id for e in corpus.entries] == ["notes:q1"]
    assert [str(p) for p in corpus.problems] == [
        f"{tmp_path / 'pipe.txt'}: not a regular file (a pipe, socket or device)"
    ]
    assert corpus_fingerprint(tmp_path)  # the cache key does not read it either


def test_document_names_are_paths_relative_to_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "notes"
    (corpus / "sweets").mkdir(parents=True)
    (corpus / "drinks.csv").write_text("question,answer\nWhat is tea?,A drink.\n", encoding="utf-8")
    (corpus / "sweets" / "cakes.txt").write_text(
        "Q1: What is a cake?\nAnswer: A sweet bake.\n", encoding="utf-8"
    )
    index_dir = tmp_path / "idx"
    built = Retriever.from_path(corpus, cache=False)
    for retriever in (built, Retriever.from_path(corpus, index_dir=index_dir)):
        names = retriever.document_names
        assert sorted(names.values()) == ["drinks.csv", "sweets/cakes.txt"]
        assert set(names) == {e.source.path for e in retriever.entries}  # as hits show them
    loaded = Retriever.from_path(corpus, index_dir=index_dir)  # (the cached index this time)
    assert not loaded.index.built and loaded.document_names == built.document_names
    single = Retriever.from_path(corpus / "drinks.csv", cache=False)
    assert single.document_names == {}


def test_notes_on_skipped_rows_and_objects_are_kept_only_for_files_that_load(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.csv").write_text("question,answer\nWhat is X?,X is x.\n,Lost.\n")
    (tmp_path / "b.jsonl").write_text('{"q": "What is Y?", "a": "Y."}\n{"q": "", "a": "Lost."}\n')
    (tmp_path / "c.csv").write_text('question,answer\n,Lost.\nWhat is Z?,"never closed\nZ\n')
    corpus = load_corpus(tmp_path)
    assert corpus.notices == [
        f"{tmp_path / 'a.csv'}:3: row skipped: its question is empty",
        f"{tmp_path / 'b.jsonl'}:2: object skipped: its question is empty",
    ]
    assert [Path(p.path).name for p in corpus.problems] == ["c.csv"]  # (its note goes with it)


def unreadable_folders(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> None:
    """Make listing `folders` fail as it does without read permission (tests run as root)."""
    scandir = os.scandir

    def fake(path: str | os.PathLike[str] = ".") -> object:
        if Path(path) in folders:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", fake)


def test_a_corpus_folder_that_cannot_be_read_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    unreadable_folders(monkeypatch, tmp_path)
    assert cli.main(["ask", "--corpus", str(tmp_path), "what is dropout"]) == 2
    error = f"qabot: error: {tmp_path}: cannot read folder (Permission denied)\n"
    assert capsys.readouterr().err == error


def test_a_subfolder_that_cannot_be_read_is_reported_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "more.txt").write_text("Q1: What is momentum?\nAnswer: A running average.\n")
    unreadable_folders(monkeypatch, locked)
    corpus = load_corpus(tmp_path)
    problem = f"{locked}: cannot read folder (Permission denied)"
    assert [e.id for e in corpus.entries] == ["notes:q1"]
    assert [str(p) for p in corpus.problems] == [problem]
    assert ("locked", f"<unreadable folder: {corpus.problems[0].message}>".encode()) in (
        corpus_fingerprint(tmp_path)  # part of the index's key, as an unreadable file is
    )
    assert cli.main(["list", "--corpus", str(tmp_path)]) == 0
    assert capsys.readouterr().err == f"qabot: skipped {problem}\n"


def test_documents_only_in_a_subfolder_that_cannot_be_read_name_it_in_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "more.txt").write_text("Q1: What is momentum?\nAnswer: A running average.\n")
    unreadable_folders(monkeypatch, locked)
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert str(info.value) == f"{locked}: cannot read folder (Permission denied)"


def test_a_folder_with_no_entries_says_why_its_files_were_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("title,body\nHello,World\n")
    (tmp_path / "b.txt").write_text("just some text\n")
    (tmp_path / "c.json").write_text("[]")
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    message = str(caught.value)
    assert "no Q&A entries found in any document" in message
    assert "a.csv:1: no question or answer column" in message  # the first two, in order
    assert "b.txt: no recognizable Q&A" in message and "and 1 more" in message


@pytest.mark.parametrize(
    ("name", "text", "ids"),
    [
        (
            "part2.txt",
            "Q11: What is a zorb?\nA: A coin.\n\nQ12: What is a zorbette?\nA: Half.\n",
            [11, 12],
        ),
        (
            "p.md",
            "# Part 2\n\n## Q12: What is a zorb?\n\nA coin.\n\n## Q14: Why?\n\nBecause.\n",
            [12, 14],
        ),
        ("gap.txt", "Q11: What is a zorb?\nA: A coin.\n\nWhat is a zorbette?\nA: Half.\n", [1, 2]),
        (
            "twice.txt",
            "Q1: What is a zorb?\nA: A coin.\n\nQ1: What is a zorbette?\nA: Half.\n",
            [1, 2],
        ),
    ],
    ids=["text", "markdown", "one-unlabeled", "repeated-label"],
)
def test_questions_keep_the_numbers_their_document_gives_them(
    tmp_path: Path, name: str, text: str, ids: list[int]
) -> None:
    # numbered by position unless every question has its own label
    (tmp_path / name).write_text(text)
    entries = load_corpus(tmp_path / name).entries
    assert [e.id for e in entries] == [f"{Path(name).stem}:q{n}" for n in ids]
