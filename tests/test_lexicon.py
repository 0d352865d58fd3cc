"""The corpus lexicon: typos, truncations, split and joined compounds, unknown words."""

from __future__ import annotations

import pytest
from conftest import make_entry, seed_id

from qabot import english
from qabot.lexicon import Lexicon
from qabot.retriever import Retriever
from qabot.text import PhraseTable, terms, tokens

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


@pytest.mark.parametrize("word", ["trees", "drivers", "protect"])
def test_common_english_word_is_not_corrected_into_a_corpus_word(
    lexicon: Lexicon, word: str
) -> None:
    # each is within the edit limit of a corpus word ("tries", "diverse", "product")
    lex = Lexicon.build(["It tries a diverse product."], ["tri", "divers", "product"])
    assert lex.resolve(word) == []
    assert lexicon.resolve(word) == []


def test_rare_misspelling_of_a_four_letter_word_is_corrected() -> None:
    lex = Lexicon.build(["The batch size is a hyperparameter."], ["batch", "size"])
    assert lex.resolve("sise") == ["size"]


@pytest.mark.parametrize("word", ["per", "act"])
def test_three_letter_word_is_not_read_as_a_truncation(word: str) -> None:
    lex = Lexicon.build(["Performance of the activation."], ["perform", "activ"])
    assert lex.resolve(word) == []


def test_plural_truncation_resolves_to_the_full_word(lexicon: Lexicon) -> None:
    assert lexicon.resolve("hyperparams") == ["hyperparameters"]


def test_truncation_gives_one_word_per_term() -> None:
    lex = Lexicon.build(["Normalization and normalizations."], ["normal"])
    assert lex.resolve("norm") == ["normalization"]


@pytest.mark.parametrize("word", ["late", "mode", "moment", "line"])
def test_a_common_word_is_no_truncation_of_a_slightly_longer_word(word: str) -> None:
    text = "The latent model uses momentum on linear layers."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(word) == []


@pytest.mark.parametrize(
    ("word", "full"),
    [("norm", "normalization"), ("grad", "gradients"), ("chose", "chosen")],
)
def test_a_common_word_still_stands_for_a_long_word_or_its_own_inflection(
    word: str, full: str
) -> None:
    text = "Normalization of gradients was chosen."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(word) == [full]


@pytest.mark.parametrize(("word", "compound"), [("class", "classmates"), ("home", "homework")])
def test_a_common_word_is_no_truncation_of_a_compound_it_begins(word: str, compound: str) -> None:
    text = f"Ask your {compound} first."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(word) == []


@pytest.mark.parametrize(("word", "inflected"), [("beat", "beaten"), ("sharp", "sharpen")])
def test_a_common_word_still_stands_for_its_inflection_that_ends_in_a_word(
    word: str, inflected: str
) -> None:
    text = f"The record was {inflected}."  # ("en" is a word of the English list)
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(word) == [inflected]


def test_common_word_is_not_split_into_a_stop_word_and_a_corpus_word() -> None:
    lex = Lexicon.build(["The side of the layer."], ["side", "layer"])
    assert lex.resolve("inside") == []


@pytest.mark.parametrize(
    ("word", "family"),
    [("slowly", "slow"), ("hyperparametric", "hyperparameters")],
)
def test_word_of_the_same_family_resolves_to_the_corpus_form(word: str, family: str) -> None:
    text = "Layers learn slow with these hyperparameters."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(word) == [family]


def test_truncation_gives_only_the_most_frequent_completion() -> None:
    text = "Classification of classes. A classification task. A classic example."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve("clas") == ["classification"]


@pytest.mark.parametrize("word", ["classy", "normalcy"])
def test_a_common_word_is_no_variant_of_a_longer_corpus_word(word: str) -> None:
    text = "Classification needs normalization."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(word) == []


def test_a_transposition_in_a_short_word_is_corrected() -> None:
    # "rleu" shares no character trigram with "relu": found by one-edit lookup
    text = "Relu returns zero for negative inputs."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve("rleu") == ["relu"]


@pytest.mark.parametrize(("typo", "word"), [("freze", "freeze"), ("adress", "address")])
def test_a_doubled_letter_typed_once_beats_a_more_frequent_word_one_edit_away(
    typo: str, word: str
) -> None:
    # "free" and "adres" are one edit away too, and more frequent here
    text = f"Free cards are free. Free transfers, free alerts. {word.title()} it. Adres adres."
    lex = Lexicon.build([text], terms(text))
    assert lex.resolve(typo) == [word]


def test_a_correction_is_analyzed_like_corpus_text() -> None:
    phrases = PhraseTable([["rectified linear unit", "relu"]])
    text = "Relu returns zero for negative inputs."
    lex = Lexicon.build([text], terms(text, phrases))
    expanded = lex.expand(tokens("rleu", phrases), phrases)
    assert [t.term for t in expanded] == ["rectifi_linear_unit"]


def test_a_corrected_word_joins_its_neighbour_in_a_phrase() -> None:
    phrases = PhraseTable([["exploding gradient", "gradient explosion"]])
    text = "Exploding gradients make the weights grow."
    lex = Lexicon.build([text], terms(text, phrases))
    expanded = lex.expand(tokens("explodng gradient", phrases), phrases)
    assert "explod_gradient" in [t.term for t in expanded]


def test_a_typo_of_a_synonym_resolves_through_the_synonym(seed_retriever: Retriever) -> None:
    # "batchnorm" is a built-in synonym of batch normalization, not a corpus word
    assert seed_retriever.analyze("batchnrom").weights == {"batch_normal": 1.0}
    assert "batchnorm" in seed_retriever.index.phrases.single_words()


def test_a_typo_of_a_word_of_a_synonym_phrase_resolves_through_the_phrase(
    seed_retriever: Retriever,
) -> None:
    # "norm" is no corpus word: only a word of the built-in synonym "batch norm"
    assert "batch_normal" in seed_retriever.analyze("why batch nrom").weights
    answer = seed_retriever.ask("why batch nrom")
    assert answer.answered and answer.best is not None
    assert answer.best.question_id == seed_id(4)


def test_a_phrase_with_unknown_words_counts_once() -> None:
    # a corpus that says only "BN": the words of "batch norm" are not resolved on their own
    # (its neural network and learning rate make it a deep-learning corpus: built-in "BN")
    answer = "BN lets a neural network train with a higher learning rate."
    retriever = Retriever.from_entries([make_entry(1, "Why use BN?", answer)])
    assert retriever.analyze("batch norm").weights["batch_normal"] == 1.0


def test_a_synonym_is_a_typo_target_but_no_completion() -> None:
    # "minimizes" (quoted: means fix) is an alias; "minimization" must not complete to it
    retriever = Retriever.from_entries([make_entry(1, "How to fix it?", "A fix solves it.")])
    assert "fix" not in retriever.analyze("loss minimization").weights


@pytest.mark.parametrize(("typo", "word"), [("waht", "what"), ("whta", "what"), ("teh", "the")])
def test_a_misspelled_stop_word_is_read_as_that_stop_word(
    lexicon: Lexicon, typo: str, word: str
) -> None:
    assert lexicon.resolve(typo) == [word]
    assert [t.stop for t in lexicon.expand(tokens(f"{typo} dropout"))] == [True, False]


@pytest.mark.parametrize("word", ["hat", "gelu", "thew"])
def test_a_real_or_unrelated_word_is_no_misspelled_stop_word(word: str) -> None:
    # "hat" is a word one letter short of "that"; "thew" has one letter more than "the",
    # too short a stop word to tell from a typo of something else; "gelu" is jargon
    lex = Lexicon.build(["Dropout."], ["dropout"])
    assert lex.resolve(word) == []


def test_a_corpus_word_s_rarity_is_stored_and_its_jargon_is_no_typo() -> None:
    texts = ["A convnet stacks layers.", "The model is better."]
    lexicon = Lexicon.build(texts, [t for text in texts for t in terms(text)])
    assert lexicon.rarity("convnet") == 1.0  # not read as a typo of "connect"
    assert english.rarity("convnet") < 1.0  # (which a query word may be)
    assert lexicon.rarity("better") == pytest.approx(english.rarity("better"))
    assert lexicon.rarity("batch norm") == 1.0  # a thesaurus phrase names a subject


HYPHENATED = [
    "Free Wi-Fi reaches every reading room.",
    "Borrow e-books in the app; a yearly check-up is free.",
    "Non-linearity matters. Max-pooling and maxpooling are both written here.",
]


@pytest.fixture(scope="module")
def hyphenated() -> Lexicon:
    return Lexicon.build(HYPHENATED, [t for text in HYPHENATED for t in terms(text)])


def test_the_corpus_s_hyphenated_words_are_recorded_unless_it_writes_them_joined(
    hyphenated: Lexicon,
) -> None:
    # ("non-" is joined by the analysis itself; "maxpooling" is a corpus word of its own)
    assert hyphenated.compounds == ("check-up", "e-books", "wi-fi")


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("wifi", ["wi", "fi"]),
        ("ebooks", ["books"]),
        ("ebook", ["books"]),  # (a plural of the corpus's word, or its singular)
        ("checkups", ["check"]),
        ("checkup", ["check"]),
    ],
)
def test_a_hyphenated_corpus_word_typed_joined_is_read_as_its_parts(
    hyphenated: Lexicon, typed: str, parts: list[str]
) -> None:
    assert _expanded(hyphenated, typed) == parts
