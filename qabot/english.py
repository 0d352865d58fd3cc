"""Common English words, to tell a real word the corpus lacks from a typo of a corpus word.

The word counts come from pyspellchecker's bundled English frequency list (no download).  It
is loaded on first use only: when a query has a word the corpus lacks.
"""

from __future__ import annotations

import gzip
import json
import math
from functools import cache, lru_cache
from importlib import resources

# A word seen at least this often in pyspellchecker's English list is a word, not a typo:
# "trees", "drivers", "protect" stay themselves instead of becoming "tries", "diverse",
# "product"; rare words ("bach" 162, "grads" 153) may still be corrected.
COMMON_WORD_COUNT = 200
MIN_MISSPELLING_LENGTH = 5  # shorter unknown words are read as themselves, not as typos


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


@lru_cache(maxsize=8192)  # coverage and the unknown share ask for the same words
def rarity(word: str, typos: bool = True) -> float:
    """0 for the most common English word, 1 for a word absent from the list ("word2vec").

    A word one edit away from a listed word ("fromula") is read as that word: a typo of a
    common word says as little about a query's topic as the word itself.  `typos=False`
    skips that for words that are no typos (a corpus's own words: "convnet" is jargon, not
    a typo of "connect"), which is also 400 times faster.
    """
    counts = _counts()
    word = word.lower()
    count = counts.get(word)
    if count is None and typos and len(word) >= MIN_MISSPELLING_LENGTH:  # "gelu": no "glue"
        count = max((counts.get(e, 0) for e in one_edit_away(word)), default=0)
    return 1.0 - math.log1p(count or 0) / _log_max_count()


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)
