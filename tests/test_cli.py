"""The real `qabot` console script, run as a subprocess: output, JSON, batch mode, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import QABOT, SEED, assert_one_line_error, run_qabot, seed_id

from qabot.cli import shown_confidence
from qabot.models import Answer, Source

Run = Callable[..., "subprocess.CompletedProcess[str]"]
HIT_KEYS = {
    "question",
    "question_id",
    "passage",
    "answer",
    "score",
    "source",
    "matched_terms",
    "matched_by",
}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module, so the seed index is built once and then loaded."""
    return tmp_path_factory.mktemp("qabot-cache")


@pytest.fixture
def qabot(cache_dir: Path, tmp_path: Path) -> Run:
    """Run the console script with an isolated cache, config and working directory (and no
    $COLUMNS: text output then wraps at its default width, whatever runs the tests)."""
    env = {k: v for k, v in os.environ.items() if k not in ("QABOT_CORPUS", "COLUMNS")}
    env |= {"XDG_CACHE_HOME": str(cache_dir), "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_qabot(*args, stdin=stdin, env=env, cwd=tmp_path)

    return run


def test_console_script_is_installed() -> None:
    assert QABOT.is_file()


def test_python_dash_m_qabot_is_the_same_command(cache_dir: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QABOT_CORPUS"}
    env |= {"XDG_CACHE_HOME": str(cache_dir), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    command = [sys.executable, "-m", "qabot", "ask", "--json", "why batch norm"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"][0]["question_id"] == seed_id(4)
    empty = subprocess.run([*command[:-1], "  "], capture_output=True, text=True, env=env)
    assert_one_line_error(empty)


def test_ask_prints_the_question_and_its_passage(qabot: Run) -> None:
    result = qabot("ask", "why batch norm")
    assert result.returncode == 0, result.stderr
    assert "Q4: Why should we use Batch Normalization?" in result.stdout
    assert "Batch normalization is a technique for training very deep neural" in result.stdout
    assert "Faster Training/Convergence" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["why", "batch", "norm"],
        ["why", "--json", "batch", "-k", "2", "norm"],
        ["--", "why", "batch", "norm"],
        ["why", "batch", "--full", "--", "norm"],
    ],
    ids=["unquoted", "flags-between-words", "after-double-dash", "double-dash-after-flag"],
)
def test_an_unquoted_query_is_its_words_joined(qabot: Run, args: list[str]) -> None:
    result = qabot("ask", "--json", *args)
    assert result.returncode == 0, result.stderr
    answer = Answer.model_validate_json(result.stdout)
    assert answer.query == "why batch norm"
    assert answer.results[0].question_id == seed_id(4)
    assert len(answer.results) == 2 or "-k" not in args  # the flags after a word work too


def test_ask_full_prints_the_whole_answer(qabot: Run) -> None:
    result = qabot("ask", "--full", "why batch norm")
    assert result.returncode == 0, result.stderr
    assert "Faster Training/Convergence to the minimum loss function" in result.stdout


def test_ask_k_prints_that_many_question_headings(qabot: Run) -> None:
    result = qabot("ask", "-k", "3", "exploding gradients")
    headings = [line for line in result.stdout.splitlines() if line[:1] == "Q" and ": " in line]
    assert result.returncode == 0, result.stderr
    assert len(headings) == 3
    assert headings[0].startswith("Q5: ")


def test_ask_k_labels_the_other_hits_by_rank_not_as_confidences(qabot: Run) -> None:
    result = qabot("ask", "-k", "3", "why batch norm")
    assert result.returncode == 0, result.stderr
    answer, others = (
        " ".join(part.split())  # (a source line may wrap)
        for part in result.stdout.split("\nOther matches, best first:\n")
    )
    assert " · confidence 1.00 (high)]" in answer and "score" not in answer
    details = re.findall(r" · ([^]]*\])", others)
    assert len(details) == 2
    assert all(d.startswith("ranking score ") and d.endswith("]") for d in details)
    assert "confidence" not in others


TRAVEL = Path(__file__).parent / "fixtures" / "travel"
PET_BY_MEANING = "can I take my dog with me on the plane"  # -> Q8 "Can I travel with my pet?"
MEANING_META = re.compile(
    r"\[[^]]* · confidence [\d.]+ \((?:high|medium|low)\) · matched by meaning\]"
)


def meta_lines(block: str) -> list[str]:
    """The bracketed meta lines of a text answer, each joined back into one line."""
    return re.findall(r"\[[^]]*\]", " ".join(block.split()))


@pytest.mark.parametrize("full", [False, True], ids=["passage", "full"])
def test_a_meaning_match_says_so_after_its_confidence(qabot: Run, full: bool) -> None:
    flags = ["--full"] if full else []
    result = qabot("ask", "--corpus", str(TRAVEL), *flags, PET_BY_MEANING)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Q8: Can I travel with my pet?\n")
    metas = meta_lines(result.stdout)
    assert len(metas) == 1 and MEANING_META.fullmatch(metas[0]), metas


def test_with_k_only_the_meaning_match_gets_the_note(qabot: Run) -> None:
    # (-> Q11 "What time should I get to the airport?", its word matches near it in meaning)
    query = "how early do I need to be at the airport before my flight"
    result = qabot("ask", "--corpus", str(TRAVEL), "-k", "3", query)
    assert result.returncode == 0, result.stderr
    answer, others = result.stdout.split("\nOther matches, best first:\n")
    assert MEANING_META.fullmatch(meta_lines(answer)[0])
    other_metas = meta_lines(others)
    assert other_metas and all("ranking score" in m for m in other_metas)
    assert "meaning" not in others


def test_a_text_batch_notes_the_meaning_match_and_not_the_word_match(qabot: Run) -> None:
    stdin = f"{PET_BY_MEANING}\nhow much does overweight baggage cost\n"
    result = qabot("ask", "--corpus", str(TRAVEL), "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    by_meaning, by_words = result.stdout.split("\n---\n")
    assert MEANING_META.fullmatch(meta_lines(by_meaning)[0])
    assert meta_lines(by_words)[0].endswith(" (high)]")
    assert "meaning" not in by_words


def test_ask_abstains_with_no_answer_and_exit_zero(qabot: Run) -> None:
    result = qabot("ask", "what is a random forest")
    assert result.returncode == 0, result.stderr
    assert "No answer" in result.stdout


def test_an_abstention_under_the_threshold_names_it(qabot: Run) -> None:
    result = qabot("ask", "--threshold", "1", "why batch norm")
    assert result.returncode == 0, result.stderr
    first = " ".join(result.stdout.split("Closest questions:")[0].split())  # (wrapped)
    assert first.startswith('No answer in this corpus for "why batch norm" (confidence 0.9')
    assert first.endswith(", below the threshold 1.00).")
    assert "(high)" not in result.stdout


def test_ask_json_follows_the_answer_contract(qabot: Run) -> None:
    result = qabot("ask", "--json", "why batch norm")
    assert result.returncode == 0, result.stderr
    answer = Answer.model_validate_json(result.stdout)
    assert answer.results[0].question_id == seed_id(4)
    raw = json.loads(result.stdout)
    assert {"query", "answered", "confidence", "results"} <= raw.keys()
    for hit in raw["results"]:
        assert hit.keys() >= HIT_KEYS
        assert {"path", "line_start", "line_end"} <= hit["source"].keys()


def test_ask_json_batch_answers_each_stdin_line_in_order(qabot: Run) -> None:
    queries = ["why batch norm", "what is momentum", "autoencodr", "Q7"]
    result = qabot("ask", "--json", "-", stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    answers = [Answer.model_validate_json(line) for line in lines]
    assert [a.query for a in answers] == queries
    tops = [a.results[0].question_id for a in answers]
    assert tops == [seed_id(4), seed_id(6), seed_id(1), seed_id(7)]  # "Q7" names question 7


def test_batch_reads_a_bom_and_reports_undecodable_bytes_in_place(
    cache_dir: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QABOT_CORPUS"}
    env |= {"XDG_CACHE_HOME": str(cache_dir), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    stdin = b"\xef\xbb\xbfwhy batch norm\n\xff\xfe bad\nwhat is momentum\n"
    command = [str(QABOT), "ask", "--json", "-"]
    result = subprocess.run(command, input=stdin, capture_output=True, env=env, cwd=tmp_path)
    assert result.returncode == 2
    first, bad, last = result.stdout.decode("utf-8").splitlines()
    assert Answer.model_validate_json(first).query == "why batch norm"  # no BOM left
    assert json.loads(bad) == {
        "query": "\ufffd\ufffd bad",
        "error": "query contains control or binary characters",
    }
    assert Answer.model_validate_json(last).results[0].question_id == seed_id(6)


def test_text_batch_separates_answers_and_numbers_bad_lines(qabot: Run) -> None:
    result = qabot("ask", "-", stdin="why batch norm\n\nwhat is momentum\n")
    blocks = result.stdout.split("\n---\n")
    assert result.returncode == 2
    assert len(blocks) == 3 and blocks[1] == 'error: line 2 (""): query is empty'


def test_text_batch_error_shows_the_control_character_it_names(qabot: Run) -> None:
    result = qabot("ask", "-", stdin="why\x00 batch\x1b[31m norm\nwhat is momentum\n")
    first = result.stdout.split("\n---\n")[0]
    assert first == 'error: line 1 ("why\\x00 batch\\x1b[31m norm"): ' + (
        "query contains control or binary characters"
    )


def test_text_batch_error_shows_the_start_of_a_long_line(qabot: Run) -> None:
    result = qabot("ask", "-", stdin="why " * 625 + "\nwhat is momentum\n")
    first = result.stdout.split("\n---\n")[0]
    assert result.returncode == 2
    assert first.startswith('error: line 1 ("' + ("why " * 15)[:60] + '…"): query is too long')
    assert len(first) < 140


def test_list_prints_each_question_after_its_label(qabot: Run) -> None:
    result = qabot("list")
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    items = [line for line in lines if not line.startswith(" " * 7)]  # (long ones wrap)
    assert [line.split()[0] for line in items] == [f"Q{n}" for n in range(1, 11)]


@pytest.mark.parametrize(("columns", "width"), [("50", 50), (None, 88)])
def test_list_wraps_to_the_terminal_width_under_the_question_text(
    tmp_path: Path, columns: str | None, width: int
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / SEED.name).write_bytes(SEED.read_bytes())
    (tmp_path / "notes" / "z.txt").write_text("Q1: Why?\nA: Because.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env |= {"COLUMNS": columns} if columns else {}
    result = run_qabot("list", "--corpus", "notes", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= width
    assert lines[0] == f"notes/{SEED.name}:"
    q3, q4 = (next(i for i, ln in enumerate(lines) if ln.startswith(f"   Q{n}  ")) for n in (3, 4))
    hanging = lines[q3 + 1 : q4]  # Q3 is a question of 38 words
    assert len(hanging) > 1 and all(ln.startswith(" " * 7) and ln[7] != " " for ln in hanging)
    assert "   Q1  Why?" in lines  # the other document's


def test_list_groups_questions_under_their_document(qabot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("## What is dropout?\n\nIt zeroes units.\n", encoding="utf-8")
    (folder / "b.md").write_text("## What is momentum?\n\nIt adds updates.\n", encoding="utf-8")
    result = qabot("list", "--corpus", str(folder))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].endswith("a.md:") and lines[2].endswith("b.md:")
    assert lines[1].split() == ["Q1", "What", "is", "dropout?"]
    assert lines[3].split() == ["Q1", "What", "is", "momentum?"]


def test_list_json_prints_entries(qabot: Run) -> None:
    result = qabot("list", "--json")
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr
    assert [e["id"] for e in entries] == [seed_id(n) for n in range(1, 11)]
    for entry in entries:
        assert {"id", "question", "answer", "source"} <= entry.keys()
    assert entries[3]["question"] == "Why should we use Batch Normalization?"


@pytest.mark.parametrize(
    "query",
    ["", "   ", "x" * 100_000, "why \x1b[31m batch norm", "bell\x07"],
    ids=["empty", "blank", "huge", "escape", "bell"],
)
def test_bad_query_exits_2_with_a_one_line_error(qabot: Run, query: str) -> None:
    assert_one_line_error(qabot("ask", query))


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "-k", "0", "x"],
        ["ask", "-k", "abc", "x"],
        ["ask", "--threshold", "nan", "x"],
        ["ask", "--threshold", "2", "x"],
        ["list", "--bogus"],
        ["ask", "why", "--bogus", "norm"],
        ["list", "extra"],
        ["ask", "-", "why"],
        ["frobnicate"],
        [],
    ],
    ids=[
        "k-zero",
        "k-text",
        "threshold-nan",
        "threshold-2",
        "unknown-option",
        "unknown-option-between-words",
        "list-with-words",
        "stdin-with-words",
        "unknown-command",
        "none",
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(qabot: Run, args: list[str]) -> None:
    assert_one_line_error(qabot(*args))


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["ask", "-", "extra"], "ask"),
        (["ask", "why", "--bogus"], "ask"),
        (["list", "extra"], "list"),
        (["index", "--bogus"], "index"),
        (["chat", "extra"], "chat"),
    ],
)
def test_a_usage_error_of_a_command_points_to_its_own_help(
    qabot: Run, args: list[str], command: str
) -> None:
    result = qabot(*args)
    assert_one_line_error(result)
    assert result.stderr.rstrip().endswith(f"(see: qabot {command} --help)")


@pytest.mark.parametrize("command", ["list", "index"])
def test_threshold_is_refused_where_it_does_nothing(qabot: Run, command: str) -> None:
    result = qabot(command, "--threshold", "0.5")
    assert_one_line_error(result)
    assert "unrecognized arguments: --threshold" in result.stderr
    assert "--threshold" not in qabot(command, "--help").stdout


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_threshold_is_offered_where_answers_are_judged(qabot: Run, command: str) -> None:
    assert "--threshold" in qabot(command, "--help").stdout


def _wrapped_lines(folder: Path, *args: str, columns: str | None) -> list[str]:
    """The text output of `qabot ask` run in `folder` on a terminal `columns` wide."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env |= {"COLUMNS": columns} if columns else {}
    result = run_qabot("ask", *args, env=env, cwd=folder)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize(("columns", "width"), [("60", 60), ("20", 40), ("300", 100)])
def test_text_output_wraps_to_the_terminal_width(tmp_path: Path, columns: str, width: int) -> None:
    corpus = tmp_path / "c.txt"  # shown as "c.txt": every line can be wrapped to 40 columns
    corpus.write_bytes(SEED.read_bytes())
    lines = _wrapped_lines(tmp_path, "--corpus", "c.txt", "why batch norm", columns=columns)
    assert max(map(len, lines)) <= width
    assert max(map(len, lines)) > width - 12  # (the width is used, not a narrower one)
    related = lines.index("Related questions:")
    items = lines[related + 1 : lines.index("", related)]
    assert items[0].startswith("  - Q") and len(items) > 3  # wrapped related questions...
    assert all(i.startswith(("  - Q", "    ")) for i in items)  # ...with a hanging indent


def test_text_output_wraps_at_88_columns_without_a_terminal(tmp_path: Path) -> None:
    corpus = tmp_path / "c.txt"
    corpus.write_bytes(SEED.read_bytes())
    lines = _wrapped_lines(tmp_path, "--corpus", "c.txt", "why batch norm", columns=None)
    assert 80 < max(map(len, lines)) <= 88


def _chat_on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run `qabot chat` on a 100x30 pseudo-terminal: its exit code and all it wrote there
    (it is killed, with code -9, if it has not ended after 30 s)."""
    import fcntl
    import pty
    import select
    import struct
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    command = [str(QABOT), "chat", *args]
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env)
    os.close(slave)  # (reading the master fails once the chat has closed its end)
    chunks, deadline = [], time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.5)[0]:
                try:
                    chunks.append(os.read(master, 65536))
                except OSError:  # EIO: no process holds the terminal any more
                    break
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return process.wait(timeout=10), b"".join(chunks).decode(errors="replace")


def test_chat_with_a_corpus_that_cannot_be_loaded_closes_with_a_one_line_error(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('question,answer\n"What is x?,open quote\nWhat is y?,why\n', encoding="utf-8")
    code, screen = _chat_on_a_terminal("--corpus", str(bad), cwd=tmp_path)
    assert code == 2, screen
    after = screen.rsplit("\x1b[?1049l", 1)[-1]  # what is left once the chat screen is gone
    after = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", after)  # (modes the chat turns off)
    assert after.strip().splitlines() == [
        f'qabot: error: {bad}:2: unterminated quote: a field opened with " never closes'
    ]
    assert "Traceback" not in screen


def test_chat_without_a_terminal_exits_2_instead_of_spinning(qabot: Run) -> None:
    result = qabot("chat", stdin="")  # stdin and stdout are pipes here
    assert_one_line_error(result)
    assert "terminal" in result.stderr


@pytest.mark.parametrize("bad", ["/nonexistent", "empty.txt"])
def test_chat_with_an_unreadable_corpus_says_so_before_opening(
    qabot: Run, tmp_path: Path, bad: str
) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = qabot("chat", "--corpus", str(tmp_path / bad) if bad == "empty.txt" else bad)
    assert_one_line_error(result)
    assert "terminal" not in result.stderr  # the corpus is checked first
    assert ("file is empty" if bad == "empty.txt" else "no such file") in result.stderr


def test_missing_corpus_exits_2_with_a_one_line_error(qabot: Run) -> None:
    result = qabot("ask", "--corpus", "/nonexistent", "why batch norm")
    assert_one_line_error(result)
    assert "/nonexistent" in result.stderr


def test_corpus_whose_answers_are_all_empty_exits_2_naming_it(qabot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("## What is dropout?\n\n## What is momentum?\n", encoding="utf-8")
    result = qabot("ask", "--corpus", str(folder), "dropout")
    assert_one_line_error(result)
    assert str(folder) in result.stderr and "no answer" in result.stderr


def test_a_corpus_of_one_letter_words_exits_2_naming_it(qabot: Run, tmp_path: Path) -> None:
    # single letters are not indexed ("f(x)"): this answer has nothing to find it by
    corpus = tmp_path / "tiny.txt"
    corpus.write_text("Q1: What is X?\nAnswer: Y\n", encoding="utf-8")
    result = qabot("ask", "--corpus", str(corpus), "what is x")
    assert_one_line_error(result)
    assert str(corpus) in result.stderr


def test_the_full_answer_hint_shows_only_when_there_is_more(qabot: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "one.txt"
    corpus.write_text("Q1: What is dropout?\nAnswer: Zeroing random units.\n", encoding="utf-8")
    whole = qabot("ask", "--corpus", str(corpus), "what is dropout")
    assert whole.returncode == 0 and "Zeroing random units." in whole.stdout
    assert "--full" not in whole.stdout  # the passage is the whole answer
    assert "(use --full for the whole answer)" in qabot("ask", "why batch norm").stdout


def test_a_corpus_of_short_answers_is_indexed_and_persisted(qabot: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "short.txt"
    corpus.write_text("Q1: What is XY?\nAnswer: 42\n", encoding="utf-8")
    first = qabot("ask", "--json", "--corpus", str(corpus), "what is xy")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["results"][0]["answer"] == "42"
    again = qabot("ask", "--corpus", str(corpus), "what is xy")
    assert again.returncode == 0 and again.stderr == ""  # loaded, not rebuilt


@pytest.mark.parametrize(
    ("name", "data"),
    [("empty.txt", b""), ("binary.txt", b"Q1: What?\nA: \x00\x01\x02\n")],
    ids=["empty", "binary"],
)
def test_bad_corpus_file_exits_2_with_a_one_line_error(
    qabot: Run, tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = qabot("ask", "--corpus", str(path), "dropout")
    assert_one_line_error(result)
    assert name in result.stderr


@pytest.fixture
def escape_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "escapes.txt"
    path.write_text(
        "Q1: What is \x1b]0;pwned\x07dropout?\n"
        "A: Dropout \x1b[31mrandomly zeroes\x1b[0m activations during training.\n"
        "Q2: What is momentum?\n"
        "A: Momentum adds a fraction of the previous update.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "args",
    [["ask", "dropout"], ["ask", "--full", "dropout"], ["ask", "--json", "dropout"], ["list"]],
    ids=["ask", "full", "json", "list"],
)
def test_corpus_text_is_never_sent_as_terminal_escapes(
    qabot: Run, escape_corpus: Path, args: list[str]
) -> None:
    result = qabot(*args, "--corpus", str(escape_corpus))
    assert result.returncode == 0, result.stderr
    assert "dropout" in result.stdout.lower()
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    if "--json" not in args:  # (the whole sequence goes: no "[31m" or "0;pwned" is left)
        assert "[31m" not in result.stdout and "0;pwned" not in result.stdout


@pytest.mark.parametrize("command", [[], ["ask"], ["list"], ["index"], ["chat"]])
def test_help_exits_0_and_gives_an_example(qabot: Run, command: list[str]) -> None:
    result = qabot(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "example" in result.stdout


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.1865, "0.19"), (0.185, "0.19"), (0.1849, "0.18"), (0.9985, "1.00"), (0.29, "0.29")],
)
def test_a_confidence_is_shown_rounded(value: float, shown: str) -> None:
    assert shown_confidence(value) == shown


@pytest.mark.parametrize(
    ("value", "threshold", "shown"),
    [
        (0.9985, 1.0, "0.999"),
        (0.99995, 1.0, "0.99995"),
        (0.4499, 0.45, "0.4499"),
        (0.4449, 0.45, "0.44"),
        (0.2, 0.45, "0.20"),
    ],
)
def test_a_confidence_under_a_threshold_never_shows_as_reaching_it(
    value: float, threshold: float, shown: str
) -> None:
    assert shown_confidence(value, below=threshold) == shown


def test_text_answers_show_the_json_confidence_rounded(qabot: Run) -> None:
    queries = ["relu", "what is momentum", "learning rate", "autoencodr", "what is a gpu"]
    stdin = "\n".join(queries) + "\n"
    confidences = [
        json.loads(line)["confidence"]
        for line in qabot("ask", "--json", "-", stdin=stdin).stdout.splitlines()
    ]
    texts = qabot("ask", "-", stdin=stdin).stdout.split("\n---\n")
    assert len(texts) == len(confidences) == len(queries)
    for value, text in zip(confidences, texts, strict=True):
        rounded = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert f"confidence {rounded}" in text


def test_list_shows_a_document_whose_questions_are_all_unanswered(
    qabot: Run, tmp_path: Path
) -> None:
    corpus = tmp_path / "todo.txt"
    corpus.write_text("Q1: What is dropout?\nQ2: What is relu?\n", encoding="utf-8")
    listed = qabot("list", "--corpus", str(corpus))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "   Q1  What is dropout?  (unanswered)",
        "   Q2  What is relu?  (unanswered)",
    ]
    assert_one_line_error(qabot("ask", "--corpus", str(corpus), "relu"))  # nothing to answer


def test_suggestions_sharing_a_label_name_their_documents(qabot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing random units.\n")
    (folder / "b.txt").write_text("Q1: What is dropout?\nAnswer: A regularizer.\n")
    (folder / "c.txt").write_text("Q1: What is momentum?\nAnswer: An average of updates.\n")
    closest = qabot("ask", "--corpus", str(folder), "--threshold", "1", "dropout").stdout
    assert "  - Q1: What is dropout?  (" in closest and "a.txt)" in closest
    assert "b.txt)" in closest
    related = qabot("ask", "--corpus", str(folder), "dropout").stdout.split("Related questions:")
    assert "b.txt)" in related[1]  # another "Q1" than the one shown above it


def test_a_number_several_documents_share_lists_their_ids(qabot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    (folder / "mycorp").mkdir(parents=True)
    (folder / "mycorp" / "drinks.txt").write_text(
        "Q1: What is tea?\nA: Leaves in water.\nQ2: What is espresso?\nA: Pressed coffee.\n"
    )
    (folder / "mycorp" / "food.txt").write_text(
        "Q1: What is bread?\nA: Baked dough.\nQ2: What is pasta?\n"
    )
    result = qabot("ask", "--corpus", str(folder), "Q2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Several documents have a Q2; ask for one by its id:",
        "  - mycorp/drinks:q2  What is espresso?",
        "  - mycorp/food:q2  What is pasta?  (unanswered in its document)",
    ]
    by_id = qabot("ask", "--corpus", str(folder), "mycorp/drinks:q2")
    assert by_id.stdout.startswith("Q2: What is espresso?")  # a listed id answers as printed


def test_folder_notes_are_printed_when_the_index_is_built_not_when_loaded(
    qabot: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing random units.\n")
    (folder / "b.txt").write_text("Q1: What is dropout?\nAnswer: A regularizer.\n")
    (folder / "bad.csv").write_text("title,body\nHello,World\n")
    first = qabot("ask", "--corpus", str(folder), "dropout")
    assert first.returncode == 0, first.stderr
    assert "qabot: skipped " in first.stderr and "both answers kept" in first.stderr
    again = qabot("ask", "--corpus", str(folder), "dropout")
    assert again.returncode == 0 and again.stderr == ""  # loaded: said once already
    listed = qabot("list", "--corpus", str(folder))
    assert "qabot: skipped " in listed.stderr and "both answers kept" in listed.stderr


def test_index_that_cannot_be_written_exits_2_naming_the_folder(qabot: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index folder should be\n")
    result = qabot("index", "--index-dir", str(blocker))
    assert_one_line_error(result)
    assert "cannot write the index" in result.stderr and str(blocker) in result.stderr
    assert f"{blocker} is a file, not a folder" in result.stderr  # (mkdir: "File exists")


def test_index_says_where_it_wrote(qabot: Run, tmp_path: Path) -> None:
    result = qabot("index", "--index-dir", str(tmp_path / "idx"))
    assert result.returncode == 0, result.stderr
    (written,) = (tmp_path / "idx").glob("*.npz")
    assert result.stdout == f"indexed 10 entries, 58 passages into {written}\n"


def test_index_of_one_entry_says_entry(qabot: Run, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Q1: What is a sprocket?\nA: A toothed wheel.\n")
    result = qabot("index", "--corpus", "one.txt", "--index-dir", "idx")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("indexed 1 entry, 1 passage into ")


@pytest.mark.parametrize(
    "args",
    [
        ("--corpus", "one.txt", "ask", "sprocket"),
        ("--json", "-k", "1", "ask", "sprocket", "--corpus", "one.txt"),
    ],
)
def test_options_written_before_the_command_are_read(
    qabot: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "one.txt").write_text("Q1: What is a sprocket?\nA: A toothed wheel.\n")
    result = qabot(*args)
    assert result.returncode == 0, result.stderr
    assert "What is a sprocket?" in result.stdout


def test_a_damaged_index_is_rebuilt_with_one_notice_line(qabot: Run, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    assert qabot("index", "--index-dir", str(index_dir)).returncode == 0
    (written,) = index_dir.glob("*.npz")
    written.write_bytes(b"junk")
    result = qabot("ask", "--index-dir", str(index_dir), "why batch norm")
    assert result.returncode == 0
    assert result.stderr.startswith("qabot: rebuilding index (") and result.stderr.count("\n") == 1


def _stderr_on_a_terminal(*args: str) -> str:
    """What the console script writes to stderr when stderr is a terminal (a pty)."""
    import pty
    import select

    master, slave = pty.openpty()
    try:
        subprocess.run([str(QABOT), *args], stdout=subprocess.DEVNULL, stderr=slave, timeout=120)
        chunks = []
        while select.select([master], [], [], 0.2)[0]:  # what the finished run left there
            chunks.append(os.read(master, 4096))
        return b"".join(chunks).decode()
    finally:
        os.close(slave)
        os.close(master)


def test_a_first_build_is_announced_on_a_terminal_only(tmp_path: Path) -> None:
    args = ("ask", "why batch norm", "--index-dir", str(tmp_path / "idx"))
    assert "building the index" in _stderr_on_a_terminal(*args)
    assert "building the index" not in _stderr_on_a_terminal(*args)  # later runs load it
    rebuilt = run_qabot("ask", "why batch norm", "--index-dir", str(tmp_path / "other"))
    assert rebuilt.stderr == ""  # in a script or pipe: nothing but what it asked for


@pytest.mark.parametrize(
    ("query", "says"),
    [("Q99", "has no question 99"), ("what's the capital of France", "No question shares")],
)
def test_an_answer_with_no_close_question_points_to_the_list(
    qabot: Run, query: str, says: str
) -> None:
    result = qabot("ask", query)
    assert result.returncode == 0
    assert "No answer in this corpus" in result.stdout
    assert says in result.stdout and "qabot list" in result.stdout


def test_source_paths_are_shown_as_a_reader_types_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qabot.cli import shown_path

    home, work = tmp_path / "home", tmp_path / "home" / "work"
    work.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    assert shown_path(str(work / "corpus" / "faq.txt")) == "corpus/faq.txt"
    assert shown_path(str(home / "notes" / "faq.txt")) == "~/notes/faq.txt"
    assert shown_path("/srv/faq.txt") == "/srv/faq.txt"
    assert shown_path("corpus/faq.txt") == "corpus/faq.txt"  # relative: as stored


def test_text_output_shortens_the_source_path_and_json_keeps_it(qabot: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"  # the console script runs in tmp_path
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    text = qabot("ask", "--corpus", str(corpus), "why batch norm")
    assert f"[corpus/{SEED.name}:52-60 · " in text.stdout
    answer = json.loads(qabot("ask", "--corpus", str(corpus), "--json", "why batch norm").stdout)
    assert answer["results"][0]["source"]["path"] == str(corpus / SEED.name)


def test_no_full_answer_hint_when_the_passage_is_the_whole_answer(
    qabot: Run, tmp_path: Path
) -> None:
    # a CSV answer wrapped in its cell: the passage joins its lines, the answer is the same
    (tmp_path / "faq.csv").write_text(
        'question,answer\n"How do I descale a kettle?","Boil vinegar and water,\n'
        'then rinse twice."\n',
        encoding="utf-8",
    )
    result = qabot("ask", "--corpus", str(tmp_path / "faq.csv"), "descale kettle")
    assert "Boil vinegar and water, then rinse twice." in result.stdout
    assert "--full" not in result.stdout


@pytest.fixture
def two_documents(tmp_path: Path) -> Path:
    """A folder corpus of two documents in subfolders, each numbering its questions from Q1."""
    folder = tmp_path / "drinks"
    (folder / "tea").mkdir(parents=True)
    (folder / "coffee").mkdir()
    (folder / "tea" / "tea.txt").write_text(
        "Q1: How do I brew green tea?\nA: Use water at 80 degrees for two minutes.\n"
        "Q2: Why is my tea cloudy?\nA: Hard water makes tea cloudy; filtered water fixes it.\n"
    )
    (folder / "coffee" / "coffee.txt").write_text(
        "Q1: How do I fix a bitter espresso?\nA: Grind coarser and shorten the shot.\n"
        "Q2: Why is my grinder noisy?\nA: A stone may be stuck in the burrs.\n"
    )
    return folder


@pytest.mark.parametrize(
    "args",
    [["how do I fix it"], ["-k", "2", "how do I fix cloudy tea"], ["cloudy tea"]],
    ids=["closest", "k-hits-and-related", "related"],
)
def test_every_listed_question_names_its_document_when_there_are_several(
    qabot: Run, two_documents: Path, args: list[str]
) -> None:
    result = qabot("ask", "--corpus", str(two_documents), *args)
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith("  - Q")]
    assert listed  # (the query is chosen to list some)
    documents = ("  (tea/tea.txt)", "  (coffee/coffee.txt)")
    assert all(line.endswith(documents) for line in listed), result.stdout
    headings = [line for line in result.stdout.splitlines() if line[:1] == "Q"]
    sources = [line for line in result.stdout.splitlines() if line.startswith("  [")]
    assert len(sources) == len(headings)  # each hit shown in full says where it is from
    assert all(line.endswith(documents) for line in headings), result.stdout  # (as listed)


def test_a_single_document_s_answer_names_no_document(qabot: Run) -> None:
    first = qabot("ask", "-k", "2", "why batch norm").stdout.splitlines()
    headings = [line for line in first if line[:1] == "Q"]
    assert headings[0] == "Q4: Why should we use Batch Normalization?"
    assert len(headings) == 2 and not headings[1].endswith(")")


@pytest.mark.parametrize("query", ["thanks", "thank you!", "hi", "good morning"])
def test_a_greeting_or_thanks_is_no_failed_search(qabot: Run, query: str) -> None:
    result = qabot("ask", query)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout == f'Nothing to look up in "{query}": ask a question, or see `qabot list`.\n'
    )
    answer = json.loads(qabot("ask", "--json", query).stdout)  # JSON: still an abstention
    assert (answer["answered"], answer["confidence"], answer["results"]) == (False, 0.0, [])


def _documents_sharing_q2(folder: Path, count: int) -> Path:
    """A folder of `count` documents doc1.txt... each with its own Q1 and Q2."""
    folder.mkdir()
    for i in range(1, count + 1):
        (folder / f"doc{i}.txt").write_text(
            f"Q1: What is thing {i}?\nAnswer: A widget.\n"
            f"Q2: Why use gadget {i}?\nAnswer: It works.\n",
            encoding="utf-8",
        )
    return folder


def test_a_number_shared_by_more_documents_than_k_lists_them_all(
    qabot: Run, tmp_path: Path
) -> None:
    folder = _documents_sharing_q2(tmp_path / "docs", 7)
    result = qabot("ask", "--corpus", str(folder), "Q2")
    assert [f"doc{i}:q2" in result.stdout for i in range(1, 8)] == [True] * 7


def test_a_query_matching_nothing_names_no_threshold(qabot: Run) -> None:
    result = qabot("ask", "--", "-zzqx qqzx")
    assert "No answer in this corpus" in result.stdout and "threshold" not in result.stdout


def _one_hit(answer: str, line_start: int = 3, line_end: int = 9) -> Answer:
    """An answered query whose one hit is `answer` (passage and whole answer alike)."""
    source = {"path": "faq.csv", "line_start": line_start, "line_end": line_end}
    hit = {"question": "How?", "question_id": "faq:q1", "passage": answer, "answer": answer}
    return Answer.model_validate(
        {
            "query": "how",
            "answered": True,
            "confidence": 0.9,
            "results": [{**hit, "score": 1.0, "source": source}],
        }
    )


def test_numbered_and_lettered_items_wrap_under_their_text() -> None:
    from qabot.cli import format_answer

    words = "add line items with a description, a quantity and a unit price"
    answer = "\n".join(
        [f"3. {words}.", f"12) {words}.", f"a) {words}.", f"- {words}.", f"Then {words}."]
    )
    body = format_answer(_one_hit(answer), width=40).split("\n\n")[1]
    assert body.splitlines() == [
        "  3. add line items with a description,",
        "     a quantity and a unit price.",
        "  12) add line items with a description,",
        "      a quantity and a unit price.",
        "  a) add line items with a description,",
        "     a quantity and a unit price.",
        "  - add line items with a description, a",
        "    quantity and a unit price.",
        "  Then add line items with a",  # (no item: no hanging indent)
        "  description, a quantity and a unit",
        "  price.",
    ]


def test_a_one_line_source_is_cited_as_one_line() -> None:
    from qabot.cli import format_answer, shown_source

    text = format_answer(_one_hit("Bring a photo ID.", 10, 10))
    assert "[faq.csv:10 · confidence 0.90 (high)]" in text
    assert shown_source(Source(path="faq.csv", line_start=3, line_end=9)) == "faq.csv:3-9"


def test_a_note_cites_a_one_line_source_as_one_line(qabot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.csv").write_text("question,answer\nWhat is dropout?,Zeroing units.\n")
    (folder / "b.txt").write_text("Q1: What is dropout?\nAnswer: A regularizer.\n")
    listed = qabot("list", "--corpus", str(folder))
    assert re.search(r"a\.csv:2[:,] ", listed.stderr), listed.stderr
    assert "a.csv:2-2" not in listed.stderr
    assert "b.txt:1-2" in listed.stderr  # (a range of lines stays one)
    answer = json.loads(qabot("ask", "--json", "--corpus", str(folder / "a.csv"), "dropout").stdout)
    assert answer["results"][0]["source"] | {"path": ""} == {
        "path": "",
        "line_start": 2,
        "line_end": 2,
    }  # the JSON contract keeps both ends


# Answers wrapped by hand, as many FAQs are: a paragraph or an item spans several lines
MUSTY = """\
A musty smell comes from detergent residue
and moisture trapped in the door gasket.

To get rid of it:

1. Wipe the door gasket with a cloth dampened
   in white vinegar and water.
2. Leave the door ajar between washes.
"""
CYCLE = """\
A wash cycle is one run of the machine
from filling to the final spin.

Its length depends on the program.
"""


def _hand_wrapped(folder: Path, suffix: str) -> str:
    """A FAQ of MUSTY and CYCLE written in `folder` as Markdown (".md") or plain text
    (".txt"): the --corpus argument that reads it."""
    musty, cycle = "Why does my washer smell musty?", "What is a wash cycle?"
    if suffix == ".md":
        text = f"## {musty}\n\n{MUSTY}\n## {cycle}\n\n{CYCLE}"
    else:
        text = f"Q: {musty}\nA: {MUSTY}\nQ: {cycle}\nA: {CYCLE}"
    (folder / f"faq{suffix}").write_text(text, encoding="utf-8")
    return f"faq{suffix}"


def test_a_hand_wrapped_markdown_answer_prints_as_paragraphs(qabot: Run, tmp_path: Path) -> None:
    corpus = _hand_wrapped(tmp_path, ".md")
    result = qabot("ask", "--corpus", corpus, "--full", "washer smells musty")
    body = result.stdout.split("\n\n", 1)[1].split("\n\nRelated questions:")[0]
    assert body.splitlines() == [
        "  A musty smell comes from detergent residue and moisture trapped in the door gasket.",
        "",
        "  To get rid of it:",
        "",
        "  1. Wipe the door gasket with a cloth dampened in white vinegar and water.",
        "  2. Leave the door ajar between washes.",
    ]


def test_a_hand_wrapped_plain_text_answer_prints_its_lines_as_written(
    qabot: Run, tmp_path: Path
) -> None:
    corpus = _hand_wrapped(tmp_path, ".txt")
    result = qabot("ask", "--corpus", corpus, "--full", "washer smells musty")
    assert "  A musty smell comes from detergent residue\n  and moisture trapped" in result.stdout
    assert "  1. Wipe the door gasket with a cloth dampened\n     in white vinegar" in result.stdout


def test_a_markdown_passage_that_is_the_whole_answer_keeps_its_paragraphs(
    qabot: Run, tmp_path: Path
) -> None:
    corpus = _hand_wrapped(tmp_path, ".md")
    result = qabot("ask", "--corpus", corpus, "what is a wash cycle")  # (no --full)
    assert (
        "  A wash cycle is one run of the machine from filling to the final spin.\n"
        "\n"
        "  Its length depends on the program.\n"
    ) in result.stdout


def test_a_batch_lists_every_document_s_shared_number_and_honours_k(
    qabot: Run, tmp_path: Path
) -> None:
    folder = _documents_sharing_q2(tmp_path / "docs", 7)
    listed = qabot("ask", "--corpus", str(folder), "-", stdin="Q2\n").stdout
    assert [f"doc{i}:q2" in listed for i in range(1, 8)] == [True] * 7  # as for one query
    single = qabot("ask", "-k", "3", "why batch norm").stdout
    batch = qabot("ask", "-k", "3", "-", stdin="why batch norm\n").stdout
    assert batch == single and "Other matches" in batch


def test_a_dash_after_double_dash_is_part_of_the_query(qabot: Run) -> None:
    result = qabot("ask", "--json", "--", "why", "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["query"] == "why -"


def test_an_empty_corpus_or_index_path_is_an_error_not_the_default(qabot: Run) -> None:
    for flag in ("--corpus", "--index-dir"):
        result = qabot("ask", flag, "", "why batch norm")
        assert_one_line_error(result)
        assert flag in result.stderr


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_note(qabot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "drinks"
    folder.mkdir()
    (folder / "tea.txt").write_text("Q1: What is tea?\nA: Leaves in water.\n")
    latte = os.path.join(os.fsencode(folder), b"caf\xe9.txt")  # (Latin-1, not UTF-8)
    with open(latte, "w", encoding="utf-8") as file:
        file.write("Q1: What is latte?\nA: Milk.\n")
    result = qabot("ask", "--json", "--corpus", str(folder), "tea")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"][0]["question"] == "What is tea?"
    assert "skipped" in result.stderr and "caf\ufffd.txt" in result.stderr
    assert "not valid UTF-8" in result.stderr and "Traceback" not in result.stderr
    listed = qabot("list", "--json", "--corpus", str(folder))
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == ["tea:q1"]


def test_a_symbolic_link_loop_is_a_one_line_error(qabot: Run, tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = qabot("ask", "--corpus", str(loop), "why")
    assert_one_line_error(result)
    assert "symbolic link" in result.stderr


def test_stderr_shows_a_file_name_s_escapes_and_line_breaks_inert(
    qabot: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "tea.txt").write_text("Q1: What is tea?\nA: Leaves in water.\n")
    (folder / "\x1b[31mred\x1b]0;TITLE\x07\nline2.txt").write_text("no questions here\n")
    result = qabot("list", "--corpus", str(folder))
    assert result.returncode == 0
    (skipped,) = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert "\\x1b[31mred" in skipped and "\\nline2.txt" in skipped  # shown, not obeyed
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_bidirectional_controls_are_not_echoed(qabot: Run) -> None:
    result = qabot("ask", "\u202ecapital of france\u2066")
    assert result.returncode == 0
    assert '"capital of france"' in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_a_one_line_error(qabot: Run, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QABOT_CORPUS"}
    env |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path)}
    for args in (["ask", "--json", "why batch norm"], ["list"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [str(QABOT), *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env
            )
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "qabot: error: cannot write the output: No space left on device"
        ]


def test_closed_standard_streams_are_one_line_errors(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QABOT_CORPUS"}
    env |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path)}
    stdin_closed = subprocess.run(
        f"{QABOT} ask --json - <&-", shell=True, capture_output=True, text=True, env=env
    )
    assert_one_line_error(stdin_closed)
    assert "stdin" in stdin_closed.stderr
    stdout_closed = subprocess.run(
        f"{QABOT} ask --json x >&-", shell=True, stderr=subprocess.PIPE, text=True, env=env
    )
    assert_one_line_error(stdout_closed)


def test_a_url_or_command_longer_than_a_line_stays_whole_to_copy() -> None:
    from qabot.cli import format_answer

    url = "https://pypi.example.com/simple/some-very-long-package-name-1.2.3.tar.gz"
    body = format_answer(_one_hit(f"Install it with pip install {url} then restart."), width=40)
    assert any(line.strip() == url for line in body.splitlines())


def test_a_file_error_names_the_file_not_the_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qabot import cli

    def refused(args: object, out: object) -> int:
        raise PermissionError(13, "Permission denied", "/srv/cache/index.npz")

    monkeypatch.setattr(cli, "cmd_list", refused)
    assert cli.main(["list"]) == 2
    assert capsys.readouterr().err == "qabot: error: /srv/cache/index.npz: Permission denied\n"


def test_an_unknown_id_of_the_corpus_is_no_question_not_a_word_search(qabot: Run) -> None:
    result = qabot("ask", "deep-learning-interview-questions:q99")
    assert result.returncode == 0
    assert "This corpus has no question deep-learning-interview-questions:q99" in result.stdout
    answer = json.loads(qabot("ask", "--json", "deep-learning-interview-questions:q99").stdout)
    assert (answer["answered"], answer["results"]) == (False, [])
