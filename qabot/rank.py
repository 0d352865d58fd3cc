"""Ranking: score passages with BM25 and TF-IDF, fuse, aggregate per question, pick passages.

Each passage is scored on two fields, its own text and its entry's question (a boosted field,
added with a weight).  The two rankers are fused by normalized score fusion (each divided by
its best score, then mixed) or by reciprocal-rank fusion (Cormack et al., SIGIR 2009); the
evaluation compares both.  Entries are ranked by their best passage plus a bonus for the
query terms their passage heads define, each returned once, with the passage that answers
the query's point (`choose_passage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from qabot.confidence import (
    about_subject,
    compares_with_the_unknown,
    confidence,
    confidence_features,
    most_specific,
    names_another_version,
    short_subject,
    shows_asked_formula,
    specificity,
    states_asked_fact,
)
from qabot.corpus import CorpusIndex
from qabot.index import TermIndex, tfidf_query
from qabot.parse.common import LIST_ITEM
from qabot.query import QueryTerms, RankedEntry

Method = Literal["hybrid", "bm25", "tfidf"]
Fusion = Literal["score", "rrf"]
ECHO_CANDIDATES = 10  # entries whose phrasings are compared one by one with a query
# a previous turn's word weighs this share of its weight in a follow-up's point (tune split,
# conversations: passage 0.75 at 0, 0.5 and 1; 0.78 at 0.25)
CONTEXT_POINT_SHARE = 0.25
# passages' cosines with a query are scaled by their spread, or by this when it is smaller: a
# few hundredths of cosine tell nothing (tune: 0 -> 0.15, seed passage 0.807 -> 0.811, the
# airline FAQ lost one; 0.05 changed nothing, 0.2 as 0.15)
MEANING_MIN_SPREAD = 0.15


@dataclass(frozen=True)
class RankConfig:
    """Ranking parameters, chosen on the tune split (scripts/tune.py, scripts/calibrate.py)."""

    method: Method = "hybrid"
    fusion: Fusion = "score"
    bm25_share: float = 0.7  # weight of BM25 in score fusion, TF-IDF gets the rest
    question_weight: float = 0.3  # weight of the question field relative to the passage
    rrf_k: int = 60
    head_weight: float = 0.1  # bonus for passages that define a query term ("- Momentum: ...")
    first_weight: float = 0.2  # prior for the opening passage of an answer
    defines_weight: float = 0.3  # bonus for an entry whose passage heads name the query terms
    # times this for a query of at most two subject terms ("sigmoid vs relu", "kernel"): it
    # asks about those things themselves (tune: "sigmoid vs relu" Q9 -> Q2; 1.5-2 tie, 3 loses)
    short_defines_factor: float = 2.0
    # bonus for an entry whose question the query echoes (Jaccard²): 0.1-0.3 gained one
    # tune query and lost one of the holdout, so only the rule below is on
    echo_weight: float = 0.0
    # a query echoing a question this closely (Jaccard) is that question, asked as written:
    # on every labeled query from 0.6 up, the echoed question was the right one
    echo_min: float = 0.6
    # choosing a passage inside an answer: weight of the fused score next to the score of the
    # query terms the entry's question does not already cover (see `choose_passage`)
    topic_weight: float = 0.5
    point_head_weight: float = 0.5  # the same bonus for heads, when choosing inside an answer
    # the same, for a head that is exactly the query's point ("relu" is "- Relu: ...", not
    # "- Leaky ReLU: ..."): weight of the head's Jaccard overlap with the point
    exact_head_weight: float = 0.5
    # a point term that is the whole head of one of the answer's passages ("- Relu: ...")
    # counts this share of its score in the answer's other passages, which name it only beside
    # another thing ("- Leaky ReLU: ... the same thing as ReLU"); tune: seed passage 0.817 ->
    # 0.821 at 0.5 and 0.25 ("sigmoid vs relu", "keeps the biggest value in each window"),
    # the other domains unchanged
    owned_term_share: float = 0.5
    # the answer's opening passage, which answers its question as a whole, wins over a later
    # one unless the later one holds the point by this much more, in words and meaning (tune:
    # seed passage 0.821 -> 0.828 at 0.3-0.35, the airline FAQ +1 at 0.35; 0.2 gains 0,
    # 0.4 less; added before the meaning's tie-break instead: as good, but the words' lead
    # then overrules meaning in ties it should break)
    opening_weight: float = 0.35
    context_weight: float = 0.5  # weight of the previous turn's terms in a follow-up
    part_weight: float = 0.5  # query weight of each word of a phrase ("neural", "network")
    ask_weight: float = 0.7  # query weight of a word naming the kind of answer ("fix", "reason")
    # the runner-up holding the query's most specific word, which the top entry lacks, takes
    # its place when it scores at least this share of its score (tune: P@1 0.955 -> 0.963,
    # false abstention 0.044 -> 0.041; 0.6-0.8 tie, 0.9 and any score lose a query; 0: off)
    specific_margin: float = 0.8
    # a query the lexical rankers would not answer is answered by the question nearest it in
    # meaning (qabot.semantic) from this cosine up; 0 turns the meaning match off
    meaning_min: float = 0.5
    meaning_margin: float = 0.1  # ... and at least this much nearer than the next question,
    # unless the query has a word the corpus lacks this rare in English or rarer ("webhooks",
    # "variational"): a subject the corpus does not cover, however near its question reads
    meaning_unknown_rarity: float = 0.65
    # a lexical answer below this confidence gives way to a meaning match whose question is
    # `meaning_gap` nearer the query than its own (tune: 0.8 and 0.1 won 3 queries of the
    # other domains and lost none of the seed's; 0.9 lost two)
    meaning_override: float = 0.8
    meaning_gap: float = 0.1
    # read the query's meaning (`semantic.query_vector`) to choose the answer's passage, in a
    # corpus small enough to have passage vectors; False: by its words alone
    meaning_vectors: bool = True
    # choosing a passage inside an answer: weight of its nearness to the query in meaning
    # (cosines scaled within the answer, see MEANING_MIN_SPREAD; tune, before that floor: seed
    # passage 0.800 -> 0.804, the other domains +0-2 each; 0.25 and 1 gained less; with it,
    # 0.35, 0.75 and 1 no better), when the words score the best two passages
    # within this margin (0.5: as good as always, 30% fewer queries encoded; 0.3 lost two);
    # only for the answer's passage, not its related questions'
    meaning_passage_weight: float = 0.5
    meaning_passage_margin: float = 0.5
    threshold: float = 0.45  # abstain below this (tune split: 0.856 OOD abstention, 0.053 false)
    # logistic calibration: intercept, then weights of `confidence_features` (scripts/calibrate.py)
    calibration: tuple[float, ...] = (-4.147, 4.003, 0.368, 1.523, -4.883, 4.578)

    def __post_init__(self) -> None:
        if not isinstance(self.threshold, int | float) or not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be a number in 0..1, not {self.threshold!r}")


@dataclass
class Scores:
    """Per-passage scores of one query."""

    bm25: np.ndarray
    tfidf: np.ndarray
    fused: np.ndarray


def _field_scores(
    passages: TermIndex,
    questions: TermIndex,
    ids_p: tuple[list[int], list[float]],
    ids_q: tuple[list[int], list[float]],
    passage_entry: np.ndarray,
    weight: float,
) -> np.ndarray:
    """Passage scores plus `weight` times the score of each passage's question."""
    per_question = questions.scorer.scores(*ids_q)
    return passages.scorer.scores(*ids_p) + weight * per_question[passage_entry]


def score(index: CorpusIndex, query: QueryTerms, config: RankConfig) -> Scores:
    """Score every passage with both rankers and fuse them as `config` says."""
    bm25 = _field_scores(
        index.bm25_passages,
        index.bm25_questions,
        index.bm25_passages.ids(query.weights),
        index.bm25_questions.ids(query.weights),
        index.passage_entry,
        config.question_weight,
    )
    features = query.features()
    tfidf = _field_scores(
        index.tfidf_passages,
        index.tfidf_questions,
        tfidf_query(index.tfidf_passages, features),
        tfidf_query(index.tfidf_questions, features),
        index.passage_entry,
        config.question_weight,
    )
    if config.method == "bm25":
        fused = bm25
    elif config.method == "tfidf":
        fused = tfidf
    elif config.fusion == "rrf":
        fused = reciprocal_rank_fusion([bm25, tfidf], config.rrf_k)
    else:
        fused = normalized_score_fusion(bm25, tfidf, config.bm25_share)
    if config.head_weight:
        heads = index.passage_heads.scorer.scores(*index.passage_heads.ids(query.weights))
        top = float(heads.max(initial=0.0))
        if top > 0:
            fused = fused + config.head_weight * float(fused.max()) * (heads / top) ** 2
    if config.first_weight:
        fused = fused + config.first_weight * float(fused.max()) * index.passage_first * (fused > 0)
    return Scores(bm25, tfidf, fused)


def normalized_score_fusion(a: np.ndarray, b: np.ndarray, share_a: float) -> np.ndarray:
    """Mix two score arrays after dividing each by its maximum (max-normalized fusion)."""
    top_a, top_b = float(a.max(initial=0.0)), float(b.max(initial=0.0))
    na = a / top_a if top_a > 0 else np.zeros_like(a)
    nb = b / top_b if top_b > 0 else np.zeros_like(b)
    return share_a * na + (1 - share_a) * nb


def reciprocal_rank_fusion(runs: list[np.ndarray], rrf_k: int = 60) -> np.ndarray:
    """Reciprocal-rank fusion (Cormack, Clarke, Buettcher 2009): sum of 1 / (k + rank)."""
    fused = np.zeros(len(runs[0]))
    for run in runs:
        ranks = np.empty(len(run))
        ranks[np.argsort(-run, kind="stable")] = np.arange(1, len(run) + 1)
        fused += np.where(run > 0, 1.0 / (rrf_k + ranks), 0.0)
    return fused


def best_passages(
    index: CorpusIndex, fused: np.ndarray, k: int, query: QueryTerms, config: RankConfig
) -> list[RankedEntry]:
    """Top-k entries as (entry, passage to show, score), each entry once, best first.

    An entry scores its best passage plus `defines_weight` (times `short_defines_factor` for
    a short query) times the share of the query it defines (`defined_share`), plus the echo
    of a question asked as written; the runner-up may then take first place, scores swapped
    with the entries (`prefers_runner_up`: two are ranked even for k=1).  The passage shown
    is picked by `choose_passage`.
    """
    n_entries = len(index.entries)
    best = np.full(n_entries, -np.inf)
    np.maximum.at(best, index.passage_entry, fused)
    top = float(best.max(initial=0.0))
    weight = defines_weight(index, query, config)
    if weight and top > 0:
        defined = defined_share(index, query)
        best = np.where(best > 0, best + weight * top * defined, best)
    if top > 0:  # a question asked as written wins, even when its answer repeats none of
        overlap = question_overlap(index, query)  # its words
        echo = config.echo_weight * overlap**2 + (overlap >= config.echo_min)
        best = np.where(best > 0, best + top * echo, best)
    matched = np.flatnonzero(best > 0)
    if len(matched) == 0:
        return []
    n = min(max(k, 2), len(matched))  # (the runner-up may take the first place)
    ranked = matched[np.argpartition(-best[matched], n - 1)[:n]]
    ranked = ranked[np.argsort(-best[ranked], kind="stable")]
    if config.specific_margin and prefers_runner_up(index, query, ranked, best, config):
        best[ranked[[0, 1]]] = best[ranked[[1, 0]]]
        ranked[[0, 1]] = ranked[[1, 0]]
    return [  # (the meaning helps choose the answer's passage, not its related questions')
        RankedEntry(
            int(e),
            choose_passage(index, query, fused, int(e), config, by_meaning=i == 0),
            float(best[e]),
        )
        for i, e in enumerate(ranked[:k])
    ]


def prefers_runner_up(
    index: CorpusIndex, query: QueryTerms, ranked: np.ndarray, best: np.ndarray, config: RankConfig
) -> bool:
    """Whether the runner-up should answer instead of the top entry: it holds the query's
    most specific subject word, the top entry does not, and it scores within
    `specific_margin` of it ("what is momentum in neural network training": the Momentum
    item, not a vanishing-gradient passage carried by "neural network" and "training")."""
    if len(ranked) < 2 or best[ranked[1]] < config.specific_margin * best[ranked[0]]:
        return False
    specific = most_specific(index, query)
    first, second = int(ranked[0]), int(ranked[1])
    return not any(index.entry_contains(t, first) for t in specific) and any(
        index.entry_contains(t, second) for t in specific
    )


def defines_weight(index: CorpusIndex, query: QueryTerms, config: RankConfig) -> float:
    """The weight of the entries' defined share for this query: larger for a short query."""
    short = bool(short_subject(index, query))
    return config.defines_weight * (config.short_defines_factor if short else 1.0)


def defined_share(index: CorpusIndex, query: QueryTerms) -> np.ndarray:
    """Per entry, the weighted share of the query's terms that head one of its passages
    (the entry defines them: "- Sigmoid function: ...", "- Relu: ...")."""
    heads = index.passage_heads
    share = np.zeros(len(index.entries))
    total = sum(query.weights.values())
    if total <= 0:
        return share
    for term, weight in query.weights.items():
        i = heads.vocabulary.get(term)
        if i is None:
            continue
        a, b = heads.scorer.indptr[i], heads.scorer.indptr[i + 1]
        entries = np.unique(index.passage_entry[heads.scorer.indices[a:b]])
        share[entries] += weight / total
    return share


def question_overlap(index: CorpusIndex, query: QueryTerms) -> np.ndarray:
    """Per entry, the Jaccard overlap of its question field's terms with the query's, or of
    one phrasing's (the question or an alternate, `CorpusIndex.phrasings`) when higher: "when
    are taxes due" is an alternate of "When is the tax filing deadline?" as written.  Only the
    ECHO_CANDIDATES entries sharing the most terms are read phrasing by phrasing, those with
    alternates first among equals."""
    questions = index.bm25_questions
    ids, weights = questions.ids(query.weights)
    matched = np.zeros(len(index.entries))
    if ids:  # (each term's postings name an entry at most once)
        docs, _ = questions.scorer.postings(ids, weights)
        matched += np.bincount(docs, minlength=len(index.entries))
    union = index.question_sizes + len(query.weights) - matched
    overlap = np.divide(matched, union, out=np.zeros_like(matched), where=union > 0)
    sharing = np.flatnonzero(matched)
    if len(sharing) > ECHO_CANDIDATES:  # (among equals, entries with alternates are read)
        rank_by = matched[sharing] + 0.5 * index.with_alternates[sharing]
        sharing = sharing[np.argpartition(-rank_by, ECHO_CANDIDATES)[:ECHO_CANDIDATES]]
    asked = query.named  # (whole words and phrases: "2fa" and "two-factor authentication"
    for entry in sharing:  # are one phrase, though only the second also gives its words)
        for phrasing in index.phrasings(int(entry)):
            if phrasing:
                jaccard = len(asked & phrasing) / len(asked | phrasing)
                overlap[entry] = max(overlap[entry], jaccard)
    return overlap


def choose_passage(
    index: CorpusIndex,
    query: QueryTerms,
    fused: np.ndarray,
    entry: int,
    config: RankConfig,
    by_meaning: bool = True,
) -> int:
    """The passage of `entry` that best answers `query`.

    Every passage of an answer inherits its main question's topic ("Some ways to fix it are:"
    is about the vanishing gradient of its question), so those terms cannot tell its passages
    apart.  The rest of the query (its point) picks the passage, helped by passage heads
    ("- Momentum: ...", most of all a head naming exactly the point) and with the fused score
    (`topic_weight`) as a tie-breaker; a query that is all topic gets the answer's opening,
    and the opening keeps a head start (`opening_weight`) on the passages a broad query's
    few point words touch in passing.
    A follow-up's previous turn is part of its point, at `CONTEXT_POINT_SHARE` ("what is
    relu", then "what is its formula?": the "Relu:" passage of the activation functions).
    `by_meaning` (the answer's own passage): when the words nearly tie, the passages nearest
    the query in meaning win (`_by_meaning`), unless a head names exactly the point.
    """
    lo, hi = index.passage_range(entry)
    topic = index.topic_terms(entry)
    own = query.turn_terms
    point = {
        t: w * (1.0 if t in own else CONTEXT_POINT_SHARE)
        for t, w in query.weights.items()
        if t not in topic
    }
    if hi - lo <= 1 or not point:
        return lo
    passages = index.bm25_passages
    in_range = [t for t in point if passages.contains(t, lo, hi)]
    if not in_range:
        return lo
    point_scores = _point_scores(index, point, lo, hi, config.owned_term_share)
    mix = point_scores / max(float(point_scores.max()), 1e-12)
    heads = index.passage_heads.scorer.range_scores(*index.passage_heads.ids(point), lo, hi)
    if heads.max(initial=0.0) > 0:
        mix = mix + config.point_head_weight * (heads / heads.max()) ** 2
    exact = np.zeros(hi - lo)
    if config.exact_head_weight:  # (even where BM25 gives the heads' terms an IDF of 0)
        subject = {t: w for t, w in point.items() if t not in index.ask_terms}
        exact = head_overlap(index, subject, lo, hi)
        mix = mix + config.exact_head_weight * exact**2
    local = fused[lo:hi]
    mix = mix + config.topic_weight * local / max(float(local.max()), 1e-12)
    # (a head naming exactly the point is the answer, however near in meaning another reads:
    # "relu" is "- Relu: ...", not "- Leaky ReLU: ...")
    if by_meaning and exact.max(initial=0.0) < 1.0:
        mix = _by_meaning(index, query, mix, lo, hi, config)
    if _stands_alone(index, lo):  # (a broad query's few point words land anywhere)
        mix[0] += config.opening_weight
    return lo + int(np.argmax(mix))


def _stands_alone(index: CorpusIndex, lo: int) -> bool:
    """Whether the answer's first passage (at `lo`, with a next one) is an opening of its own,
    not the first item of a list, whose introduction (if any) every item repeats."""
    first_line = index.passage_texts[lo].split("\n", 1)[0]
    if LIST_ITEM.match(first_line):  # (a list with no introduction)
        return False
    return not index.passage_texts[lo + 1].startswith(first_line + "\n")


def _point_scores(
    index: CorpusIndex, point: dict[str, float], lo: int, hi: int, owned_share: float
) -> np.ndarray:
    """BM25 of the point over the passages in [lo, hi) (TF-IDF where BM25Okapi gives every
    point term an IDF of 0, as it does to a term in half the passages of a small corpus).

    A point term that is the whole head of a passage there is owned by it ("relu" by
    "- Relu: ..."): elsewhere ("- Leaky ReLU: ... the same thing as ReLU") it counts
    `owned_share` of its score.
    """
    owners = _owners(index, point, lo, hi)
    for range_scores in (_bm25_range, _tfidf_range):
        scores = range_scores(index, point, lo, hi)
        for term, owned in owners.items():  # (elsewhere, the owned term's score is cut)
            elsewhere = range_scores(index, {term: point[term]}, lo, hi)
            elsewhere[owned] = 0.0
            scores = scores - (1.0 - owned_share) * elsewhere
        if scores.max(initial=0.0) > 0:
            break
    return scores


def _bm25_range(index: CorpusIndex, terms: dict[str, float], lo: int, hi: int) -> np.ndarray:
    passages = index.bm25_passages
    return passages.scorer.range_scores(*passages.ids(terms), lo, hi)


def _tfidf_range(index: CorpusIndex, terms: dict[str, float], lo: int, hi: int) -> np.ndarray:
    tfidf = index.tfidf_passages
    return tfidf.scorer.range_scores(*tfidf_query(tfidf, terms), lo, hi)


def _owners(index: CorpusIndex, point: dict[str, float], lo: int, hi: int) -> dict[str, np.ndarray]:
    """The point terms that are the whole head of a passage in [lo, hi), with those passages
    (offsets from `lo`)."""
    heads = index.passage_heads
    owners = {}
    for term in point:
        i = heads.vocabulary.get(term)
        if i is not None:
            docs, _ = heads.scorer.range_postings(i, lo, hi)
            owned = docs[index.head_sizes[docs] == 1] - lo
            if len(owned):
                owners[term] = owned
    return owners


def _by_meaning(
    index: CorpusIndex, query: QueryTerms, mix: np.ndarray, lo: int, hi: int, config: RankConfig
) -> np.ndarray:
    """`mix` (the passages' scores) plus their nearness to the query in meaning, scaled to
    0..`meaning_passage_weight` by their spread (at least MEANING_MIN_SPREAD), when the words
    leave the best two within `meaning_passage_margin` (the query is encoded only then) and
    the corpus has passage vectors."""
    if query.meaning_text is None or index.passage_vectors is None:
        return mix
    first, second = np.sort(mix)[-2:][::-1]
    if first - second >= config.meaning_passage_margin:
        return mix
    vector = query.meaning()
    if vector is None:
        return mix
    nearness = index.passage_vectors.of_range(lo, hi) @ vector
    spread = max(float(nearness.max() - nearness.min()), MEANING_MIN_SPREAD)
    return mix + config.meaning_passage_weight * (nearness - nearness.min()) / spread


def head_overlap(index: CorpusIndex, point: dict[str, float], lo: int, hi: int) -> np.ndarray:
    """Per passage in [lo, hi), the Jaccard overlap of its head's terms with `point`'s (0
    without a head): 1 when the head names exactly what the query asks about."""
    heads = index.passage_heads
    matched = np.zeros(hi - lo)
    for term in point:
        i = heads.vocabulary.get(term)
        if i is not None:
            docs, _ = heads.scorer.range_postings(i, lo, hi)
            matched[docs - lo] += 1
    sizes = index.head_sizes[lo:hi]
    union = sizes + len(point) - matched
    return np.divide(matched, union, out=np.zeros(hi - lo), where=sizes > 0)


@dataclass
class Ranking:
    """The outcome of ranking one analyzed query: scores, top entries, confidence."""

    scores: Scores
    ranked: list[RankedEntry]  # best first
    features: tuple[float, ...]
    confidence: float


def rank(index: CorpusIndex, query: QueryTerms, config: RankConfig, k: int) -> Ranking:
    """Score, pick the top `k` entries (at least one) and calibrate."""
    scores = score(index, query, config)
    ranked = best_passages(index, scores.fused, max(k, 1), query, config)
    features = confidence_features(index, query, scores.tfidf, ranked, config.question_weight)
    value = confidence(features, config.calibration)
    if ranked:
        value *= specificity(index, query, ranked[0].entry)
        value *= about_subject(index, query, ranked[0].entry)
        value *= states_asked_fact(index, query, ranked[0].entry)
        value *= shows_asked_formula(index, query, ranked[0].passage)
        value *= compares_with_the_unknown(index, query, config.meaning_unknown_rarity)
        value *= names_another_version(index, query)
    return Ranking(scores, ranked, features, value)
