"""The public API as the README shows it, and a light `import qabot`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS_DIR, REPO_ROOT

from qabot.models import Answer
from qabot.retriever import Retriever


def test_readme_api_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    from qabot import Retriever

    r = Retriever.from_path("corpus")
    a = r.ask("why batch norm", k=5)
    assert a.answered
    assert a.results[0].question_id.endswith(":q4")
    assert Answer.model_validate_json(a.model_dump_json()) == a


def _readme_python_blocks() -> list[str]:
    """The Python code blocks of the README."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", readme, flags=re.MULTILINE | re.DOTALL)


def test_readme_from_entries_example_runs_as_printed(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = [b for b in _readme_python_blocks() if "Retriever.from_entries(" in b]
    assert blocks, "the README shows how to build a Retriever from entries"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # (raises if an Entry lacks a field)
        printed = capsys.readouterr().out.split()
        promised = re.findall(r"# (\S+)$", block, flags=re.MULTILINE)
        assert printed == promised  # what its comments say it prints


def test_from_path_writes_its_index_to_the_isolated_cache(isolated_environment: Path) -> None:
    from qabot import Retriever

    Retriever.from_path(CORPUS_DIR)
    assert list(isolated_environment.rglob("*.npz"))


def test_importing_qabot_leaves_sklearn_and_textual_unloaded() -> None:
    code = (
        "import sys, qabot; from qabot import Answer, Entry; "
        "print(sorted(m for m in ('sklearn', 'textual') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_every_error_a_tool_may_catch_is_importable_from_qabot() -> None:
    import qabot

    assert issubclass(qabot.EmptyCorpusError, qabot.QabotError)
    with pytest.raises(qabot.EmptyCorpusError):
        qabot.Retriever.from_entries([])


@pytest.mark.parametrize("path", ["", "  "])
def test_an_empty_corpus_path_is_an_error_not_the_current_folder(
    path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qabot

    (tmp_path / "notes.txt").write_text("Q1: What is a sprocket?\nA: A toothed wheel.\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(qabot.CorpusError, match="no corpus path given"):
        qabot.Retriever.from_path(path, cache=False)


def test_entries_whose_questions_have_no_words_are_answered_by_their_answers() -> None:
    import qabot

    source = qabot.Source(path="notes", line_start=1, line_end=1)
    retriever = qabot.Retriever.from_entries(
        [
            qabot.Entry(id="a", question="", answer="Sprockets mesh with chains.", source=source),
            qabot.Entry(id="b", question="?", answer="Flanges hold the wheel.", source=source),
        ]
    )
    assert retriever.ask("sprockets").results[0].question_id == "a"
    assert retriever.ask("flanges").results[0].question_id == "b"


def _csv_corpus(folder: Path, name: str, rows: str) -> Retriever:
    """A retriever over one CSV document of question,answer `rows`."""
    (folder / name).write_text(f"question,answer\n{rows}", encoding="utf-8")
    return Retriever.from_path(folder, cache=False)


def test_a_corpus_with_accents_or_in_another_script_is_answered(tmp_path: Path) -> None:
    retriever = _csv_corpus(
        tmp_path,
        "offices.csv",
        "Where is the Zürich office?,On Bahnhofstrasse.\n"
        "Как сбросить пароль?,Откройте настройки и нажмите сброс.\n",
    )
    zurich = retriever.ask("zurich office")
    assert zurich.answered and zurich.results[0].question_id == "offices:q1"
    password = retriever.ask("сбросить пароль")
    assert password.answered and password.results[0].question_id == "offices:q2"


def test_a_source_line_range_must_not_run_backwards() -> None:
    from pydantic import ValidationError

    import qabot

    assert qabot.Source(path="a.txt", line_start=5, line_end=5).lines == "5"
    with pytest.raises(ValidationError, match="before line_start"):
        qabot.Source(path="a.txt", line_start=5, line_end=2)


def test_matched_terms_are_written_as_in_the_passage_with_their_accents(tmp_path: Path) -> None:
    retriever = _csv_corpus(
        tmp_path,
        "offices.csv",
        "Where is the office?,Our Zürich office is on Bahnhofstrasse.\n"
        "How do I reset my password?,Open settings and press reset.\n",
    )
    best = retriever.ask("zurich office").results[0]
    assert best.matched_terms == ["Zürich", "office"]  # (to find and highlight in the passage)


def test_a_corpus_without_spaces_between_words_is_answered_by_part(tmp_path: Path) -> None:
    retriever = _csv_corpus(
        tmp_path,
        "faq.csv",
        "パスワードをリセットするには？,設定を開いてリセットを押します。\n"
        "営業時間は？,午前九時から午後五時までです。\n",
    )
    answer = retriever.ask("パスワード リセット")
    assert answer.answered and answer.results[0].question_id == "faq:q1"
    assert retriever.ask("営業時間").results[0].question_id == "faq:q2"


def test_a_country_written_like_a_pronoun_is_asked_for(tmp_path: Path) -> None:
    retriever = _csv_corpus(
        tmp_path,
        "shipping.csv",
        "How long does shipping take?,Three to five days within the EU.\n"
        "Which countries outside Europe do you deliver to?,The US and Canada.\n"
        "Can you call us back?,Leave your number and we call you.\n",
    )
    assert retriever.ask("do you deliver to the US").results[0].question_id == "shipping:q2"
    assert retriever.ask("US delivery").results[0].question_id == "shipping:q2"
