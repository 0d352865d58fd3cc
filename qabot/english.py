"""Common English words, to tell a real word the corpus lacks from a typo of a corpus word.

The word counts come from pyspellchecker's bundled English frequency list (no download).  It
is loaded on first use only, which is when a query word is about to be typo-corrected.
"""

from __future__ import annotations

import gzip
import json
import math
from functools import cache
from importlib import resources

# A word seen at least this often in pyspellchecker's English list is a word, not a typo:
# "trees", "drivers", "protect" stay themselves instead of becoming "tries", "diverse",
# "product"; rare words ("bach" 162, "grads" 153) may still be corrected.
COMMON_WORD_COUNT = 200


@cache
def _counts() -> dict[str, int]:
    """Word -> count in pyspellchecker's English list (read directly: 45 ms, not 75 ms)."""
    data = resources.files("spellchecker") / "resources" / "en.json.gz"
    try:
        with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            return json.load(text)
    except (OSError, ValueError):  # another layout of the package: its public API
        from spellchecker import SpellChecker

        return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def is_common_word(word: str) -> bool:
    """Whether `word` is a common English word (case-insensitive)."""
    return _counts().get(word.lower(), 0) >= COMMON_WORD_COUNT


@cache
def _log_max_count() -> float:
    return math.log1p(max(_counts().values(), default=1))


def rarity(word: str) -> float:
    """0 for the most common English word, 1 for a word absent from the list ("word2vec")."""
    return 1.0 - math.log1p(_counts().get(word.lower(), 0)) / _log_max_count()
