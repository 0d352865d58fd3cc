"""User settings: which corpus and index folder to use, from flags, environment or config file.

Precedence, highest first: the command-line flag, the environment ($QABOT_CORPUS,
$QABOT_INDEX_DIR), the config file `$XDG_CONFIG_HOME/qabot/config.toml` (default
`~/.config/qabot/config.toml`), then the bundled corpus and the user cache folder.  The file
holds `corpus = "..."` and `index_dir = "..."`; relative paths are read from its folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qabot.errors import QabotError

CORPUS_ENV = "QABOT_CORPUS"
INDEX_DIR_ENV = "QABOT_INDEX_DIR"
KEYS = ("corpus", "index_dir")


class ConfigError(QabotError):
    """A config file that cannot be read or holds wrong values; names the file."""


@dataclass(frozen=True)
class Settings:
    """The corpus and index folder to use; None means the built-in default."""

    corpus: Path | None = None
    index_dir: Path | None = None


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the config file lives: $XDG_CONFIG_HOME/qabot/config.toml (~/.config by default)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "qabot" / "config.toml"


def read_config(path: Path) -> Settings:
    """The settings of a config file; a missing file (or Python without tomllib) gives none."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: no TOML reader in the standard library
        return Settings()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return Settings()
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: malformed config ({_one_line(exc)})") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:  # a misspelt key would otherwise silently fall back to the defaults
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    return Settings(**{key: _path_value(data, key, path) for key in KEYS})


def _path_value(data: dict[str, object], key: str, path: Path) -> Path | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {key} must be a non-empty string (a path)")
    return Path(os.path.normpath(path.parent / Path(value).expanduser()))  # "a/../b" -> "b"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def resolve(
    corpus: str | Path | None = None,
    index_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """The settings to use: flags, then environment, then config file, then defaults (None)."""
    env = os.environ if env is None else env
    chosen_corpus = corpus or env.get(CORPUS_ENV) or None
    chosen_index = index_dir or env.get(INDEX_DIR_ENV) or None
    if chosen_corpus is None or chosen_index is None:
        file = read_config(config_path(env))
        chosen_corpus = chosen_corpus or file.corpus
        chosen_index = chosen_index or file.index_dir
    return Settings(  # "~/notes" from an env var quoted in the shell: the home folder too
        Path(chosen_corpus).expanduser() if chosen_corpus else None,
        Path(chosen_index).expanduser() if chosen_index else None,
    )
