"""Confidence: how likely the top answer is right, from features of the ranking.

The features are query-agnostic (coverage, cosine, unknown words, question echo); a
logistic function fit on the tune split (scripts/calibrate.py) maps them to 0..1, scaled
down by the `specificity` of the matched words, and the Retriever abstains below a threshold.
"""

from __future__ import annotations

import math
import re

import numpy as np

from qabot.corpus import CorpusIndex
from qabot.english import rarity
from qabot.query import QueryTerms, RankedEntry

# the features of a query that matches nothing
NO_MATCH_FEATURES = (0.0, 0.0, 0.0, 1.0, 0.0)


def coverage(index: CorpusIndex, query: QueryTerms, entry: int) -> tuple[float, float]:
    """IDF-weighted share of the query's terms that the entry (question or answer) contains,
    and the matched IDF mass in units of the rarest term's IDF.

    A query word the corpus lacks weighs the rarest IDF times its English rarity: missing
    "diffusion" or "positional" says more about a query than missing "walk" or "role".
    """
    idf = index.bm25_passages.idf
    unknown_idf = float(idf.max(initial=1.0))
    total = found = 0.0
    for term, weight in query.weights.items():
        if term in index.ask_terms:
            continue
        i = index.bm25_passages.vocabulary.get(term)
        if term not in index.lexicon.terms:
            w = weight * unknown_idf * rarity(query.words.get(term, term))
        else:
            w = weight * (max(float(idf[i]), 0.1) if i is not None else unknown_idf)
        total += w
        if index.entry_contains(term, entry):
            found += w
    return (found / total if total else 0.0), found / unknown_idf


def unknown_share(index: CorpusIndex, query: QueryTerms) -> float:
    """Share of the query's terms that appear nowhere in the corpus (even after resolution),
    each counted by its English rarity: "gelu" counts fully, "formula" about half."""
    if not query.weights:
        return 1.0
    unknown = unknown_terms(index, query)
    return sum(rarity(query.words.get(t, t)) for t in unknown) / len(query.weights)


def unknown_terms(index: CorpusIndex, query: QueryTerms) -> list[str]:
    """The query's terms that appear nowhere in the corpus (even after resolution), the
    words naming the kind of answer (`ASK_WORDS`) aside."""
    return [t for t in query.weights if t not in index.lexicon.terms and t not in index.ask_terms]


def names_uncovered_word(index: CorpusIndex, query: QueryTerms, floor: float) -> bool:
    """Whether the query has a word the corpus lacks that is at least `floor` rare in English:
    it names a subject the corpus does not cover ("webhooks", not "dog" or "coworker").  A
    phrase is as rare as its rarest word ("sign up" is everyday), but a concept named as a
    whole ("inverted dropout", `CorpusIndex.concepts`) is a subject."""
    return any(
        t in index.concepts or word_rarity(index, query.words.get(t, t)) >= floor
        for t in unknown_terms(index, query)
    )


def confidence(features: tuple[float, ...], calibration: tuple[float, ...]) -> float:
    """Calibrated probability that the top answer is right: a logistic function of the
    features (`calibration` = intercept, then one weight per feature)."""
    intercept, *weights = calibration
    z = intercept + sum(w * f for w, f in zip(weights, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def confidence_features(
    index: CorpusIndex,
    query: QueryTerms,
    tfidf: np.ndarray,
    ranked: list[RankedEntry],
    question_weight: float,
) -> tuple[float, ...]:
    """The inputs of `confidence`: (coverage of the query by the top entry, its TF-IDF
    cosine, matched IDF mass, share of query terms unknown to the corpus, share of the query
    in the top entry's question).  The margin over the runner-up was one until its weight,
    cross-validated on the tune split, proved to hurt (scripts/calibrate.py)."""
    if not ranked or index.ask_terms.issuperset(query.weights):  # "how do I fix it?" alone:
        return NO_MATCH_FEATURES  # what kind of answer, but about no subject
    entry, passage, _ = ranked[0]
    cosine = min(float(tfidf[passage]) / (1 + question_weight), 1.0)
    share, mass = coverage(index, query, entry)
    return (
        share,
        cosine,
        mass,
        unknown_share(index, query),
        question_share(index, query, entry),
    )


def question_share(index: CorpusIndex, query: QueryTerms, entry: int) -> float:
    """Weighted share of the query's terms found in the entry's question (or alternates).

    In-domain queries tend to echo their question; out-of-domain ones that an entry still
    matches tend to meet words of its answer only ("scaled dot-product attention")."""
    total = sum(query.weights.values())
    found = sum(
        weight
        for term, weight in query.weights.items()
        if index.bm25_questions.contains(term, entry, entry + 1)
    )
    return found / total if total else 0.0


# English rarity from which a word names a subject ("layer" 0.50, "batch" 0.51; "model" 0.42
# scales a confidence by 0.87, "faster" 0.41 by 0.83, "simple" 0.36 by 0.64, "better" 0.23
# by 0.26).  0.4, 0.45 and 0.5 tie on the tune split; 0.45 leaves the most in-domain queries
# of the holdout untouched.  Squared: on tune, OOD abstention 0.831 -> 0.838 at the same
# false abstention.
SPECIFIC_RARITY = 0.45


# A short query ("what is adam", "LSTM") answered by an entry that only mentions its subject
# in passing is scaled by this: the answer is about something else.
PASSING_MENTION = 0.5
SHORT_SUBJECT_TERMS = 2


def short_subject(index: CorpusIndex, query: QueryTerms) -> set[str]:
    """The subject terms of a query naming at most SHORT_SUBJECT_TERMS of them (its whole
    words and phrases but the ASK_WORDS), else none: such a query asks about those things."""
    subject = query.named - index.ask_terms
    return subject if len(subject) <= SHORT_SUBJECT_TERMS else set()


def about_subject(index: CorpusIndex, query: QueryTerms, entry: int) -> float:
    """1 when the entry is about the subject of a short query (see `is_about`) and the
    corpus names that subject's most specific word, else PASSING_MENTION ("what temperature
    for pork" in a FAQ about chicken).  Longer queries and follow-ups (read with the previous
    turn's words) are not judged: 1."""
    subject = short_subject(index, query)
    if not subject or not query.own >= query.weights.keys():
        return 1.0
    if names_unknown_subject(index, query, subject) or not is_about(index, subject, entry):
        return PASSING_MENTION
    return 1.0


def names_unknown_subject(index: CorpusIndex, query: QueryTerms, subject: set[str]) -> bool:
    """Whether the subject word rarest in English is one the corpus lacks: "pork" in "what
    temperature for pork", not "work" in "how do autoencoders work"."""
    if index.lexicon.terms.issuperset(subject):  # (no English word list to read then)
        return False
    return not index.lexicon.terms.issuperset(rarest(index, query, subject))


def is_about(index: CorpusIndex, subject: set[str], entry: int) -> bool:
    """Whether an entry is about one of the subject terms: its question names it, a passage
    head defines it, or a sentence of its answer opens with it (`CorpusIndex.lead_terms`)."""
    lo, hi = index.passage_range(entry)
    return any(
        term in index.topic_terms(entry)
        or term in index.lead_terms(entry)
        or index.passage_heads.contains(term, lo, hi)
        for term in subject
    )


def most_specific(index: CorpusIndex, query: QueryTerms) -> set[str]:
    """The query's subject terms known to the corpus whose words are rarest in English (all
    of them on a tie): "momentum" in "momentum in neural network training".  A phrase is as
    rare as its rarest word ("deep learning" is everyday, "batch norm" is not); an acronym
    ("BN") is its own word."""
    # (a follow-up read with the previous turn counts that turn's words too: on its own
    # words only, "and exploding ones?" after vanishing gradients kept both turns' reading)
    named = {t for t in query.named if t not in index.ask_terms and t in index.lexicon.terms}
    return rarest(index, query, named)


def rarest(index: CorpusIndex, query: QueryTerms, terms: set[str]) -> set[str]:
    """The terms whose query words are rarest in English (`word_rarity`), all of them on a
    tie; none of none."""
    rarities = {t: word_rarity(index, query.words.get(t, t)) for t in terms}
    top = max(rarities.values(), default=0.0)
    return {t for t, r in rarities.items() if r >= top}


def word_rarity(index: CorpusIndex, text: str) -> float:
    """English rarity of a word, or of a phrase's rarest word."""
    return max(index.lexicon.rarity(word) for word in text.split())


# the answer cannot be right, however well its subject matches (0.97 at most: below 0.45)
UNSTATED_FACT = 0.25


def states_asked_fact(index: CorpusIndex, query: QueryTerms, entry: int) -> float:
    """1 unless the query asks for a kind of fact (`FACT_ASK_WORDS`: who invented it, when)
    that the entry never states, then UNSTATED_FACT: "who invented batch normalization" is
    not answered by what batch normalization does.  Only the turn's own words ask: after
    "who invented batch norm", "how does it work?" asks no such fact.  The fact is the
    `invented` group's words (created by, proposed by, history of...), not a date."""
    asked = index.fact_ask_terms & query.turn_terms
    if asked and not any(index.entry_contains(t, entry) for t in asked):
        return UNSTATED_FACT
    return 1.0


# a formula: an equals or comparison sign ("x < 0"), a function applied to a variable
# ("f(x)", "max(0, x)", "softmax(z)"; not "item(s)" or "VAT(20%)"), or arithmetic in words
FORMULA = re.compile(
    r"[=≈≠≤≥]|\b\w{1,3}\s?[<>]=?\s?-?\w"
    r"|\b[A-Za-zσ]\w{0,11}\((?!e?s\))[^()]{0,30}\b[a-zA-Z]\b[^()]{0,30}\)"
    r"|\b(?:equals|is equal to|divided by|multiplied by|squared)\b",
    re.IGNORECASE,
)


def shows_asked_formula(index: CorpusIndex, query: QueryTerms, passage: int) -> float:
    """1 unless the query asks for a formula (the `formula` group: formula, equation...) and
    the passage shown shows none (`FORMULA`), then UNSTATED_FACT: "what is the formula for
    cross-entropy loss" is not answered by a passage that names the loss in words.  Only the
    turn's own words ask ("what is relu", then "and its formula?" asks it of the Relu item),
    and only in a corpus that never says the word itself (`CorpusIndex.formula_ask_terms`: in
    a baby-food FAQ, "formula" is a subject)."""
    asked = index.formula_ask_terms & query.turn_terms
    if asked and not FORMULA.search(index.passage_texts[passage]):
        return UNSTATED_FACT
    return 1.0


def compares_with_the_unknown(index: CorpusIndex, query: QueryTerms, floor: float) -> float:
    """1 unless the query compares things (`COMPARISON_WORDS`: differ, different, difference)
    and names a subject the corpus lacks (`names_uncovered_word` from `floor`), then
    UNSTATED_FACT: "how is layer normalization different from batch norm" is not answered by
    what the corpus says of batch norm alone.  Only the turn's own words compare."""
    compares = index.comparison_terms & query.turn_terms
    if compares and names_uncovered_word(index, query, floor):
        return UNSTATED_FACT
    return 1.0


def specificity(index: CorpusIndex, query: QueryTerms, entry: int) -> float:
    """English rarity of the rarest query word the entry contains, up to SPECIFIC_RARITY and
    in its units, squared (0 when none matches, 1 for a word that names a subject).

    A query whose matched words are all everyday English ("which is better?", "time",
    "how much is enough") names no subject, however rare those words are in the corpus;
    "dropout", "sigmoid" or a phrase of the thesaurus ("learning rate", "batch norm") do.
    """
    best = 0.0
    for term in query.weights:
        if term in index.ask_terms or term not in index.lexicon.terms:
            continue
        if index.entry_contains(term, entry):
            best = max(best, index.lexicon.rarity(query.words.get(term, term)))
    return min(best / SPECIFIC_RARITY, 1.0) ** 2


_CODE = re.compile(r"([a-z]+)(\d+)")


def names_another_version(index: CorpusIndex, query: QueryTerms) -> float:
    """UNSTATED_FACT when the query names a code the corpus lacks whose letters the corpus
    writes with another number ("Q4" where it speaks of "Q3", "DS102" of "DS101"): it asks
    about something else of the same kind; else 1."""
    for term in unknown_terms(index, query):
        code = _CODE.fullmatch(term)
        if code and any(
            (known := _CODE.fullmatch(t)) and known.group(1) == code.group(1)
            for t in index.lexicon.terms
        ):
            return UNSTATED_FACT
    return 1.0
