"""Common English words and word rarity (pyspellchecker's bundled frequency list)."""

from __future__ import annotations

import pytest

from qabot.english import is_common_word, one_edit_away, rarity


@pytest.mark.parametrize("word", ["trees", "Protect", "walk"])
def test_everyday_words_are_common(word: str) -> None:
    assert is_common_word(word)


@pytest.mark.parametrize("word", ["gradiants", "autoencodr", "word2vec"])
def test_misspellings_and_jargon_are_not_common(word: str) -> None:
    assert not is_common_word(word)


def test_rarity_orders_words_by_how_often_english_uses_them() -> None:
    assert 0.0 <= rarity("the") < rarity("walk") < rarity("diffusion") < rarity("word2vec")
    assert rarity("word2vec") == 1.0


def test_a_misspelled_common_word_is_as_rare_as_the_word() -> None:
    assert rarity("fromula") == rarity("formula") < 1.0


def test_one_edit_away_includes_each_kind_of_edit() -> None:
    edits = one_edit_away("relu")
    assert {"rleu", "rel", "relux", "relo"} <= edits


def test_a_short_unknown_word_is_jargon_not_a_typo() -> None:
    # "gelu" is one edit from "glue" and "gel", but four letters are too few to tell
    assert rarity("gelu") == 1.0
