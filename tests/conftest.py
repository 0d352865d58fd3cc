"""Shared fixtures: an isolated user environment and the seed corpus, built once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qabot.models import Entry, Source
from qabot.retriever import Retriever

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
SEED = CORPUS_DIR / "deep-learning-interview-questions.txt"
SEED_PREFIX = "deep-learning-interview-questions"
QABOT = Path(sys.executable).with_name("qabot")  # the console script of this environment


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user cache and config at temporary folders so tests never touch the real ones."""
    cache = tmp_path / "xdg-cache"
    config = tmp_path / "xdg-config"
    cache.mkdir()
    config.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("QABOT_CORPUS", raising=False)
    monkeypatch.delenv("QABOT_INDEX_DIR", raising=False)
    return cache


@pytest.fixture(autouse=True)
def fresh_query_vectors() -> None:
    """Forget the sentence vectors of earlier tests' queries: each test encodes its own."""
    from qabot.semantic import query_vector

    query_vector.cache_clear()


@pytest.fixture(scope="session")
def seed_retriever() -> Retriever:
    """The bundled corpus, indexed in memory once for the whole run (no cache is written)."""
    return Retriever.from_path(CORPUS_DIR, cache=False)


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    """The lines of the seed document."""
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_id(number: int) -> str:
    """The entry id of question `number` of the seed document."""
    return f"{SEED_PREFIX}:q{number}"


def make_entry(number: int, question: str, answer: str, path: str = "notes.txt") -> Entry:
    """An in-memory entry `notes:q<number>` (its source line is its number)."""
    return Entry(
        id=f"{Path(path).stem}:q{number}",
        question=question,
        answer=answer,
        source=Source(path=path, line_start=number, line_end=number),
    )


def run_qabot(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `qabot` console script (in the test's environment unless `env`)."""
    return subprocess.run(
        [str(QABOT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    """Bad input: exit code 2 and one `qabot: error: ...` line on stderr, no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qabot: error:")


# an answer of three passages (each list item with the line introducing the list), every
# item saying "summer": by its words, "... in summer" cannot tell them apart
FERN_CARE = (
    "A fern is easy to keep if you mind three things through the year, as every season asks "
    "for something else.\n\n"
    "- Water: keep the soil evenly moist in summer, give it a little less in winter, and never "
    "leave the pot standing in a saucer of water for days.\n"
    "- Light: keep it near a bright window in summer, but out of the harsh midday glare, which "
    "scorches the fronds within a few days.\n"
    "- Feeding: give it a weak liquid fertiliser once a month in summer, and none at all in "
    "winter, when it rests and grows slowly."
)
