"""Config precedence (flag > env > config file > bundled) and one-line config errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_qabot

from qabot import cli
from qabot.config import ConfigError, config_path, read_config, resolve

FAQ = "## What is dropout?\nRandomly zeroing activations.\n"


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_path_follows_xdg_config_home(isolated_environment: Path) -> None:
    assert config_path() == isolated_environment.parent / "xdg-config" / "qabot" / "config.toml"
    assert config_path({"HOME": "/h"}).parts[-3:] == (".config", "qabot", "config.toml")


def test_config_file_values_are_read_relative_to_its_folder() -> None:
    path = write_config('corpus = "../qabot/docs"\nindex_dir = "/abs/x/../idx"\n')
    settings = read_config(path)
    assert settings.corpus == path.parent / "docs"  # (written "../qabot/docs", normalized)
    assert settings.index_dir == Path("/abs/idx")


def test_precedence_is_flag_then_env_then_config_file(monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config('corpus = "/from/config"\nindex_dir = "/config/idx"\n')
    assert resolve().corpus == Path("/from/config")
    monkeypatch.setenv("QABOT_CORPUS", "/from/env")
    assert resolve().corpus == Path("/from/env")
    assert resolve("/from/flag").corpus == Path("/from/flag")
    assert resolve("/from/flag").index_dir == Path("/config/idx")
    path.unlink()
    monkeypatch.delenv("QABOT_CORPUS")
    assert resolve().corpus is None  # the bundled corpus


@pytest.mark.parametrize(
    "text",
    [
        'corpus = "unterminated\n',
        "corpus = 3\n",
        'corpus = ""\n',
        b"\xff\xfe".decode("latin-1"),
        'corpuss = "docs"\n',  # a misspelt key would silently leave the bundled corpus
    ],
)
def test_malformed_config_is_a_config_error_naming_the_file(text: str) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError, match=rf"^{path}: "):
        resolve()


def test_missing_config_file_is_not_an_error() -> None:
    assert read_config(config_path()).corpus is None


def test_config_corpus_is_used_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "faq.md").write_text(FAQ, encoding="utf-8")
    write_config(f'corpus = "{tmp_path / "docs"}"\nindex_dir = "{tmp_path / "idx"}"\n')
    assert cli.main(["list"]) == 0
    assert "What is dropout?" in capsys.readouterr().out
    assert not (tmp_path / "idx").exists()  # listing parses, it builds no index
    assert cli.main(["index"]) == 0
    assert list((tmp_path / "idx").glob("*.npz"))


def test_config_corpus_is_used_by_the_chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qabot.tui.app

    write_config(f'corpus = "{tmp_path / "docs"}"\nindex_dir = "{tmp_path / "idx"}"\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "faq.txt").write_text("Q1: What is X?\nAnswer: X.\n")
    opened: list[tuple[object, object]] = []

    def fake_run(corpus: object = None, index_dir: object = None, threshold: object = None) -> int:
        opened.append((corpus, index_dir))
        return 0

    monkeypatch.setattr(qabot.tui.app, "run", fake_run)
    monkeypatch.setattr(cli, "_interactive", lambda: True)  # as in a terminal
    assert cli.main(["chat"]) == 0
    assert opened == [(tmp_path / "docs", tmp_path / "idx")]


def test_malformed_config_exits_2_with_one_line_from_the_console_script() -> None:
    path = write_config("corpus = [\n")
    result = run_qabot("list")
    assert_one_line_error(result)
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"qabot: error: {path}: malformed config")


def test_python_without_tomllib_skips_the_config_file(monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config('corpus = "/from/config"\n')
    monkeypatch.setitem(sys.modules, "tomllib", None)  # as on Python 3.10
    assert read_config(path).corpus is None


def test_a_tilde_in_an_environment_path_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = resolve(env={"QABOT_INDEX_DIR": "~/qidx", "QABOT_CORPUS": "~/notes"})
    assert settings.index_dir == tmp_path / "qidx"  # not a folder named "~" here
    assert settings.corpus == tmp_path / "notes"
