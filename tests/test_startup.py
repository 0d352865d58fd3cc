"""Startup: the real `qabot` command answers from a persisted index without sklearn or Textual."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sklearn", "textual")
QABOT = shutil.which("qabot", path=str(Path(sys.executable).parent))


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)


def heavy_modules_after(code: str) -> list[str]:
    """The heavy modules imported by a fresh interpreter running `code`."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    return json.loads(run([sys.executable, "-c", probe]).stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index cache warmed by the real console script (the first run builds and saves)."""
    assert QABOT, "the qabot console script is not installed next to this interpreter"
    folder = tmp_path_factory.mktemp("index")
    run([QABOT, "ask", "why batch norm", "--index-dir", str(folder)])
    assert list(folder.glob("*.npz"))
    return folder


def test_console_script_answers_from_the_persisted_index(index_dir: Path) -> None:
    result = run([QABOT, "ask", "why batch norm", "--json", "--index-dir", str(index_dir)])
    answer = json.loads(result.stdout)
    assert answer["results"]
    assert "rebuilding" not in result.stderr


def test_ask_with_a_persisted_index_imports_neither_sklearn_nor_textual(index_dir: Path) -> None:
    code = (
        "from qabot.cli import main\n"
        f"assert main(['ask', 'why batch norm', '--index-dir', {str(index_dir)!r}]) == 0"
    )
    assert heavy_modules_after(code) == []


def test_a_query_of_corpus_words_does_not_read_the_english_word_list(index_dir: Path) -> None:
    # its 80 ms load is for words the corpus lacks; the rarity of corpus words is stored
    code = (
        "from qabot.cli import main\n"
        f"assert main(['ask', 'why batch norm', '--index-dir', {str(index_dir)!r}]) == 0\n"
        f"assert main(['ask', 'what is dropout', '--index-dir', {str(index_dir)!r}]) == 0\n"
        "import json, sys\n"
        "print(json.dumps('spellchecker' in sys.modules))"
    )
    assert json.loads(run([sys.executable, "-c", code]).stdout.splitlines()[-1]) is False


def test_batch_ask_imports_neither_sklearn_nor_textual(index_dir: Path) -> None:
    code = (
        "import io, sys\n"
        "sys.stdin = io.StringIO('what is momentum\\nwhy batch norm\\n')\n"
        "from qabot.cli import main\n"
        f"assert main(['ask', '--json', '-', '--index-dir', {str(index_dir)!r}]) == 0"
    )
    assert heavy_modules_after(code) == []


def test_help_imports_neither_sklearn_nor_textual() -> None:
    code = (
        "from qabot.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as exc:\n    assert exc.code == 0"
    )
    assert heavy_modules_after(code) == []


def test_help_of_the_console_script_succeeds() -> None:
    assert "usage: qabot" in run([QABOT, "--help"]).stdout
