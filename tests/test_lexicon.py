"""The corpus lexicon: typos, truncations, split and joined compounds, unknown words."""

from __future__ import annotations

import pytest

from qabot.lexicon import Lexicon
from qabot.text import terms, tokens

TEXTS = [
    "Exploding gradients make training unstable.",
    "An autoencoder compresses its inputs; autoencoders have an encoder and a decoder.",
    "Hyperparameters such as the learning rate are set by hand.",
    "Batch normalization standardizes the inputs of a layer.",
    "Dropout randomly zeroes activations.",
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.build(TEXTS, [t for text in TEXTS for t in terms(text)])


def _expanded(lexicon: Lexicon, query: str) -> list[str]:
    return [t.surface for t in lexicon.expand(tokens(query)) if not t.stop]


@pytest.mark.parametrize(
    ("typo", "word"), [("gradiants", "gradients"), ("autoencodr", "autoencoder")]
)
def test_typo_resolves_to_the_corpus_word(lexicon: Lexicon, typo: str, word: str) -> None:
    assert lexicon.resolve(typo) == [word]


def test_truncation_resolves_to_the_full_word(lexicon: Lexicon) -> None:
    assert lexicon.resolve("hyperparam") == ["hyperparameters"]


def test_split_compound_resolves_to_its_parts(lexicon: Lexicon) -> None:
    assert lexicon.resolve("batchnorm") == ["batch", "normalization"]


def test_joined_compound_is_found_for_two_query_words(lexicon: Lexicon) -> None:
    assert _expanded(lexicon, "auto encoder") == ["autoencoder"]


def test_known_words_are_kept_as_they_are(lexicon: Lexicon) -> None:
    assert _expanded(lexicon, "exploding gradients") == ["exploding", "gradients"]


@pytest.mark.parametrize("word", ["forest", "kmeans", "clustering"])
def test_unknown_topic_word_stays_unknown(lexicon: Lexicon, word: str) -> None:
    assert lexicon.resolve(word) == []
    assert _expanded(lexicon, word) == [word]


def test_short_unknown_word_is_not_read_as_a_typo(lexicon: Lexicon) -> None:
    assert lexicon.resolve("xyz") == []
