"""Confidence features and the calibrated probability."""

from __future__ import annotations

import math

import pytest
from conftest import make_entry, seed_id

from qabot.confidence import (
    FORMULA,
    PASSING_MENTION,
    about_subject,
    compares_with_the_unknown,
    confidence,
    coverage,
    most_specific,
    names_unknown_subject,
    question_share,
    shows_asked_formula,
    specificity,
    unknown_share,
)
from qabot.query import analyze_query
from qabot.retriever import Retriever


def test_confidence_is_the_logistic_of_the_weighted_features() -> None:
    assert confidence((1.0, 2.0), (0.5, 1.0, -1.0)) == 1 / (1 + math.exp(-(0.5 + 1.0 - 2.0)))
    assert 0.0 < confidence((1e6, 0.0), (0.0, 1.0, 1.0)) <= 1.0  # clamped, no overflow


def test_a_missing_rare_word_lowers_coverage_more_than_a_missing_common_one(
    seed_retriever: Retriever,
) -> None:
    index = seed_retriever.index
    q1 = 0  # Q1 (autoencoders) contains "autoencoder" but neither extra word

    def share(query: str) -> float:
        return coverage(index, analyze_query(index, query), q1)[0]

    assert share("autoencoder diffusion") < share("autoencoder walk") < 1.0


def test_question_share_is_the_weighted_share_of_query_terms_in_the_question(
    seed_retriever: Retriever,
) -> None:
    index = seed_retriever.index
    # Q4 asks "Why should we use Batch Normalization?"
    assert question_share(index, analyze_query(index, "batch normalization"), 3) == 1.0
    assert question_share(index, analyze_query(index, "covariate shift"), 3) == 0.0
    half = question_share(index, analyze_query(index, "batch normalization covariate"), 3)
    assert 0.0 < half < 1.0


def test_unknown_share_counts_a_missing_word_by_its_english_rarity(
    seed_retriever: Retriever,
) -> None:
    index = seed_retriever.index

    def unknown(query: str) -> float:
        return unknown_share(index, analyze_query(index, query))

    assert unknown("autoencoder") == 0.0
    assert 0.0 < unknown("autoencoder walk") < unknown("autoencoder diffusion") <= 0.5
    assert unknown("word2vec") == 1.0  # absent from the English list: fully unknown


def test_a_concept_the_corpus_lacks_is_not_covered_by_its_words(
    seed_retriever: Retriever,
) -> None:
    # "positional" and "encoding" stem like the corpus's "positive" and "encoder"; the
    # built-in thesaurus names the concept as a whole, which Q1 does not contain
    index = seed_retriever.index
    query = analyze_query(index, "positional encoding")
    assert query.weights["posit_encod"] == 1.0
    assert coverage(index, query, 0)[0] < 0.5
    assert not seed_retriever.ask("what is positional encoding in transformers").answered


def test_words_naming_the_kind_of_question_neither_add_nor_remove_coverage(
    seed_retriever: Retriever,
) -> None:
    # "fix" asks for a remedy: Q9 (vanishing gradient) has "Some ways to fix it", Q1
    # (autoencoders) no remedy at all; neither says more or less about the subject
    index = seed_retriever.index

    def share(query: str, entry: int) -> float:
        return coverage(index, analyze_query(index, query), entry)[0]

    assert share("how to fix autoencoder", 0) == share("autoencoder", 0) == 1.0
    assert share("how to fix a leaky faucet", 8) == share("leaky faucet", 8)


def test_specificity_is_low_when_only_everyday_words_match(seed_retriever: Retriever) -> None:
    index = seed_retriever.index

    def of(query: str, entry: int) -> float:
        return specificity(index, analyze_query(index, query), entry)

    q7, q6 = 6, 5  # Q7 says "converge better"; Q6 lists "Momentum" and "Dropout rate"
    assert of("better", q7) < 0.6
    assert of("which is better?", q7) == of("better", q7)  # stop words add nothing
    assert of("momentum", q6) == of("dropout", q6) == 1.0
    assert of("better momentum", q6) == 1.0  # the most specific matched word counts
    assert of("dropout", q7) == 0.0  # a word the entry lacks is no match


def test_the_most_specific_subject_word_is_the_rarest_in_english(
    seed_retriever: Retriever,
) -> None:
    index = seed_retriever.index

    def of(query: str) -> set[str]:
        return most_specific(index, analyze_query(index, query))

    assert of("momentum in neural network training") == {"momentum"}
    # a phrase is as rare as its rarest word: "deep learning" is everyday English
    assert of("what is batch normalization in deep learning") == {"batch_normal"}
    assert of("what is BN in deep learning") == {"batch_normal"}  # an acronym is a word
    assert of("how do I fix it") == set()  # no subject: only a word naming the kind of answer
    assert of("what is a gelu") == set()  # a word the corpus lacks


def test_a_query_of_everyday_words_only_is_not_answered(seed_retriever: Retriever) -> None:
    for query in ("which is better?", "time", "is it good?"):
        answer = seed_retriever.ask(query)
        assert not answer.answered, query
        assert answer.confidence < seed_retriever.config.threshold
    assert seed_retriever.ask("dropout").answered
    assert seed_retriever.ask("momentum").answered


def _mentions() -> Retriever:
    """Widgets are the subject of one sentence and mentioned at the end of another."""
    answer = (
        "Gizmos are small devices with one button that people press all day long.\n"
        "Some of the best gizmos are built in factories that also make sprockets and widgets.\n"
        "Flanges hold the button in place."
    )
    return Retriever.from_entries([make_entry(1, "What is a gizmo?", answer)])


def test_a_short_query_about_a_word_mentioned_in_passing_is_scaled_down() -> None:
    retriever = _mentions()
    index = retriever.index

    def role(query: str) -> float:
        return about_subject(index, retriever.analyze(query), 0)

    assert role("what are widgets") == PASSING_MENTION  # the end of a sentence only
    assert role("flanges") == 1.0  # a sentence opens with it
    assert role("gizmo") == 1.0  # the question's subject
    assert role("how do factories make sprockets and widgets today") == 1.0  # not short


def test_numbers_do_not_push_a_sentence_s_subject_out_of_its_opening() -> None:
    answer = "CS 201 is worth 7.5 ECTS credits, about 200 hours of work over the semester."
    retriever = Retriever.from_entries([make_entry(1, "How many credits is the course?", answer)])
    assert about_subject(retriever.index, retriever.analyze("how many ects"), 0) == 1.0


def test_a_number_a_sentence_opens_with_is_still_what_it_is_about() -> None:
    answer = "Form 1099 lists your income from clients. Send it with your return by April."
    retriever = Retriever.from_entries([make_entry(1, "How do I fill in the tax form?", answer)])
    assert about_subject(retriever.index, retriever.analyze("1099"), 0) == 1.0


def _poultry() -> Retriever:
    return Retriever.from_entries(
        [
            make_entry(1, "What internal temperature is safe for chicken?", "Cook it to 74 C."),
            make_entry(2, "How long does cooked chicken keep?", "Three to four days, chilled."),
        ]
    )


def test_a_short_query_whose_rarest_word_the_corpus_lacks_is_about_something_else() -> None:
    retriever = _poultry()
    index = retriever.index

    def unknown(query: str) -> bool:
        terms = retriever.analyze(query)
        return names_unknown_subject(index, terms, terms.named - index.ask_terms)

    assert unknown("what temperature for pork")
    assert not unknown("what temperature for chicken")
    assert not unknown("chicken temperature work")  # "work" is everyday: not the subject
    assert not retriever.ask("what temperature for pork").answered
    assert retriever.ask("what temperature for chicken").answered


def test_asking_who_invented_something_needs_an_answer_that_says_so(
    seed_retriever: Retriever,
) -> None:
    for query in ("who invented batch normalization", "when was batch norm invented"):
        assert not seed_retriever.ask(query).answered, query  # Q4 says what it does
    retriever = Retriever.from_entries(
        [
            make_entry(1, "What is Python?", "A programming language created by Guido in 1991."),
            make_entry(2, "What is Rust?", "A systems programming language."),
        ]
    )
    for query in ("who invented python", "who created python"):
        answer = retriever.ask(query)
        assert answer.answered and answer.results[0].question_id == "notes:q1", query
    assert not retriever.ask("who invented rust").answered
    # a follow-up asks its own question: the previous turn's "who invented" is no fact it asks
    after = seed_retriever.ask("what are its drawbacks?", context="who invented batch norm")
    assert after.answered and after.results[0].question_id == seed_id(4)


@pytest.mark.parametrize(
    ("text", "shows"),
    [
        ("- Relu: f(x) = max(0,x)", True),
        ("F(x)= ax, x<0", True),
        ("1/(1+exp(-x))", True),
        ("the loss is at most 1 ≤ 2", True),
        ("softmax(z) and sigmoid(x)", True),
        ("max(0, x) for x < 0", True),
        ("Your BMI equals your weight divided by your height squared", True),
        ("Pick the item(s) and card(s) you need; VAT(20%) applies", False),
        ("Open Settings > Taxes; it costs £5 (inc. VAT) on iOS 15 (or later), e.g. today", False),
        ("It returns a set of probabilities, where the sum of them is 1.", False),
        ("Max pooling: it takes the max number of window 2×2 (see above).", False),
        ("a pooling layer*, then one or more convolutional layers (+ReLU)", False),
    ],
)
def test_a_formula_is_an_equation_or_a_function_applied(text: str, shows: bool) -> None:
    assert bool(FORMULA.search(text)) is shows


def test_asking_for_a_formula_needs_a_passage_that_shows_one(seed_retriever: Retriever) -> None:
    for query in ("what is the formula for cross-entropy loss", "equation of the softmax"):
        answer = seed_retriever.ask(query)  # Q2 names them in words only: a suggestion
        assert not answer.answered and "- Softmax:" in answer.results[0].passage, query
    for query in ("relu formula", "what's the formula for the sigmoid"):
        answer = seed_retriever.ask(query)
        assert answer.answered and "f(x) =" in answer.results[0].passage, query
    # the follow-up asks it of the previous turn's subject, whose item shows it
    after = seed_retriever.ask("what is its formula?", context="what is leaky relu")
    assert after.answered and "F(x)= ax" in after.results[0].passage
    retriever = Retriever.from_entries(
        [
            make_entry(1, "What is the hinge loss?", "A loss for classifiers with a margin."),
            make_entry(2, "What is the L2 loss?", "The squared error: L = (y - p)^2."),
        ]
    )
    assert not retriever.ask("what is the formula of the hinge loss").answered
    answer = retriever.ask("what is the formula of the l2 loss")
    assert answer.answered and answer.results[0].question_id == "notes:q2"


def test_a_formula_is_asked_by_the_turn_s_own_words_only(seed_retriever: Retriever) -> None:
    index = seed_retriever.index
    asked = analyze_query(index, "formula for cross-entropy loss")
    follow_up = analyze_query(index, "and how is it used?", "formula for cross-entropy loss")
    softmax = next(i for i, t in enumerate(index.passage_texts) if "- Softmax:" in t)
    assert shows_asked_formula(index, asked, softmax) < 1.0
    assert shows_asked_formula(index, follow_up, softmax) == 1.0


def test_in_a_corpus_that_says_formula_the_word_names_a_subject() -> None:
    retriever = Retriever.from_entries(
        [
            make_entry(1, "Which infant formula do you stock?", "We stock Aptamil and Kendamil."),
            make_entry(2, "How do I prepare a bottle?", "Boil water and let it cool."),
        ]
    )
    answer = retriever.ask("which infant formula do you stock")
    assert answer.answered and answer.results[0].question_id == "notes:q1"
    assert not retriever.index.formula_ask_terms


def test_a_comparison_with_a_subject_the_corpus_lacks_is_not_answered(
    seed_retriever: Retriever,
) -> None:
    for query in ("how is GELU different from relu", "layer normalization: how does it differ?"):
        answer = seed_retriever.ask(query)  # the seed knows relu and batch norm, not the others
        assert not answer.answered, query
    for query in (
        "how does leaky relu differ from relu",
        "difference between max and average pooling",
    ):
        assert seed_retriever.ask(query).answered, query
    index = seed_retriever.index
    asked = analyze_query(index, "how is layer normalization different from batch norm")
    assert compares_with_the_unknown(index, asked, 0.65) < 1.0
    # a follow-up compares only with its own words: the previous turn's "different" is no ask
    follow_up = analyze_query(index, "and what is layer norm?", "how is dropout different")
    assert compares_with_the_unknown(index, follow_up, 0.65) == 1.0


def test_a_follow_up_is_not_judged_by_its_subject_alone() -> None:
    retriever = _mentions()
    query = retriever.analyze("what are widgets", "what is a gizmo")
    assert about_subject(retriever.index, query, 0) == 1.0


def test_seed_terms_mentioned_in_passing_are_not_answered(seed_retriever: Retriever) -> None:
    for query in ["LSTM", "what is adam", "explain backprop", "what is a transformer"]:
        answer = seed_retriever.ask(query)
        assert not answer.answered, query
        assert answer.results, query  # the mention is still offered as a suggestion
    assert seed_retriever.ask("early stopping").results[0].question_id == seed_id(3)
    assert seed_retriever.ask("early stopping").answered  # "... callbacks for early stopping"


def test_examples_in_an_eg_parenthesis_are_no_subject_of_the_answer() -> None:
    answer = "Activations shape the output of a unit (e.g. tanh, sigmoid, softmax) in a layer."
    retriever = Retriever.from_entries([make_entry(1, "What do activations do?", answer)])
    assert about_subject(retriever.index, retriever.analyze("what is tanh"), 0) == (PASSING_MENTION)
