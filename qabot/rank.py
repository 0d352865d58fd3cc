"""Ranking: score passages with BM25 and TF-IDF, fuse, aggregate per question, pick passages.

Each passage is scored on two fields, its own text and its entry's question (a boosted field,
added with a weight).  The two rankers are fused by normalized score fusion (each divided by
its best score, then mixed) or by reciprocal-rank fusion (Cormack et al., SIGIR 2009); the
evaluation compares both.  Entries are ranked by their best passage, each returned once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from qabot.confidence import confidence, confidence_features
from qabot.corpus import CorpusIndex
from qabot.index import TermIndex, tfidf_query
from qabot.text import Token, tokens, word_features

Method = Literal["hybrid", "bm25", "tfidf"]
Fusion = Literal["score", "rrf"]
ANAPHORA = frozenset("it its this that these those they them their one ones there such".split())


@dataclass(frozen=True)
class RankConfig:
    """Ranking parameters (chosen on the tune split, see scripts/evaluate.py)."""

    method: Method = "hybrid"
    fusion: Fusion = "score"
    bm25_share: float = 0.7  # weight of BM25 in score fusion, TF-IDF gets the rest
    question_weight: float = 0.3  # weight of the question field relative to the passage
    rrf_k: int = 60
    head_weight: float = 0.1  # bonus for passages that define a query term ("- Momentum: ...")
    first_weight: float = 0.2  # prior for the opening passage of an answer
    defines_weight: float = 0.3  # bonus for an entry whose passage heads name the query terms
    # choosing a passage inside an answer: weight of the fused score next to the score of the
    # query terms the entry's question does not already cover (see `choose_passage`)
    topic_weight: float = 0.5
    point_head_weight: float = 0.5  # the same bonus for heads, when choosing inside an answer
    context_weight: float = 0.5  # weight of the previous turn's terms in a follow-up
    part_weight: float = 0.5  # query weight of each word of a phrase ("neural", "network")
    threshold: float = 0.45  # abstain below this (tune split: 0.956 OOD abstention, 0.030 false)
    # logistic calibration: intercept, then weights of `confidence_features` (scripts/calibrate.py)
    calibration: tuple[float, ...] = (-3.274, 3.549, 1.252, -0.199, 1.284, -3.401, 4.687)


@dataclass
class QueryTerms:
    """An analyzed query: weighted index terms plus the words they came from."""

    weights: dict[str, float] = field(default_factory=dict)
    sequences: list[tuple[list[str], float]] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)  # term -> word, for terms not indexed
    context: set[str] = field(default_factory=set)  # terms that came from the previous turn

    def add(self, query_tokens: list[Token], weight: float, part_weight: float = 1.0) -> None:
        """Add the content tokens of one text with a weight (`part_weight` times less for the
        words of a phrase, which is already counted once as its canonical term)."""
        content = [t.term for t in query_tokens if not t.stop]
        for tok in query_tokens:
            if not tok.stop:
                share = weight * (part_weight if tok.part else 1.0)
                self.weights[tok.term] = self.weights.get(tok.term, 0.0) + share
        if content:
            self.sequences.append((content, weight))

    def features(self) -> dict[str, float]:
        """Weighted TF-IDF features (unigrams and bigrams within each text)."""
        out: dict[str, float] = {}
        for content, weight in self.sequences:
            for feature in word_features(content):
                out[feature] = out.get(feature, 0.0) + weight
        return out


def analyze_query(
    index: CorpusIndex,
    query: str,
    context: str | None = None,
    config: RankConfig | None = None,
) -> QueryTerms:
    """Analyze a query (and optionally a previous turn) into weighted terms."""
    config = config or RankConfig()
    result = QueryTerms()
    if context:
        context_tokens = index.lexicon.expand(tokens(context, index.phrases))
        result.add(context_tokens, config.context_weight, config.part_weight)
        result.context = {t.term for t in context_tokens if not t.stop}
    query_tokens = index.lexicon.expand(tokens(query, index.phrases))
    result.add(query_tokens, 1.0, config.part_weight)
    for tok in query_tokens:
        if not tok.stop and tok.term not in index.lexicon.terms:
            result.unknown.setdefault(tok.term, tok.surface)
    return result


def is_anaphoric(query: str) -> bool:
    """Whether a query leans on an earlier turn ("how do I fix it?", "and the other one?")."""
    words = [w.strip("?!.,;:'\"").lower() for w in query.split()]
    return bool(words) and (any(w in ANAPHORA for w in words) or words[0] in {"and", "also"})


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
    index: CorpusIndex,
    fused: np.ndarray,
    k: int,
    query: QueryTerms | None = None,
    config: RankConfig | None = None,
) -> list[tuple[int, int, float]]:
    """Top-k entries as (entry, best passage, score), each entry once, best first.

    With `query` and `config`, the passage shown for each entry is picked by
    `choose_passage`; otherwise it is the entry's best-scoring passage.
    """
    n_entries = len(index.entries)
    best = np.full(n_entries, -np.inf)
    np.maximum.at(best, index.passage_entry, fused)
    if query is not None and config is not None and config.defines_weight:
        defined = defined_share(index, query)
        top = float(best.max(initial=0.0))
        if top > 0:
            best = np.where(best > 0, best + config.defines_weight * top * defined, best)
    matched = np.flatnonzero(best > 0)
    if len(matched) == 0:
        return []
    k = min(k, len(matched))
    top = matched[np.argpartition(-best[matched], k - 1)[:k]]
    top = top[np.argsort(-best[top], kind="stable")]
    out = []
    for entry in top:
        if query is not None and config is not None:
            passage = choose_passage(index, query, fused, int(entry), config)
        else:
            lo, hi = index.passage_range(int(entry))
            passage = lo + int(np.argmax(fused[lo:hi]))
        out.append((int(entry), passage, float(best[entry])))
    return out


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


def choose_passage(
    index: CorpusIndex, query: QueryTerms, fused: np.ndarray, entry: int, config: RankConfig
) -> int:
    """The passage of `entry` that best answers `query`.

    Every passage of an answer inherits its question's topic ("Some ways to fix it are:" is
    about the vanishing gradient of its question), so the query terms the question already
    covers cannot tell its passages apart.  The rest of the query (its point) picks the
    passage, helped by passage heads ("- Momentum: ...") and with the fused score
    (`topic_weight`) as a tie-breaker; a query that is all topic gets the answer's opening.
    """
    lo, hi = index.passage_range(entry)
    if query.context:  # a follow-up: the previous turn gave the topic, this turn the point
        point = {t: w for t, w in query.weights.items() if t not in query.context}
    else:
        topic = index.topic_terms(entry)
        point = {term: weight for term, weight in query.weights.items() if term not in topic}
    if not point or hi - lo == 1:
        return lo
    passages = index.bm25_passages
    point_scores = passages.scorer.range_scores(*passages.ids(point), lo, hi)
    top = float(point_scores.max(initial=0.0))
    if top <= 0:
        return lo
    mix = point_scores / top
    heads = index.passage_heads.scorer.range_scores(*index.passage_heads.ids(point), lo, hi)
    if heads.max(initial=0.0) > 0:
        mix = mix + config.point_head_weight * (heads / heads.max()) ** 2
    local = fused[lo:hi]
    mix = mix + config.topic_weight * local / max(float(local.max()), 1e-12)
    return lo + int(np.argmax(mix))


@dataclass
class Ranking:
    """The outcome of ranking one analyzed query: scores, top entries, confidence."""

    scores: Scores
    ranked: list[tuple[int, int, float]]  # (entry, passage shown, entry score), best first
    features: tuple[float, ...]
    confidence: float


def rank(index: CorpusIndex, query: QueryTerms, config: RankConfig, k: int) -> Ranking:
    """Score, pick the top `k` entries (at least 2, for the margin) and calibrate."""
    scores = score(index, query, config)
    ranked = best_passages(index, scores.fused, max(k, 2), query, config)
    features = confidence_features(index, query, scores.tfidf, ranked, config.question_weight)
    return Ranking(scores, ranked, features, confidence(features, config.calibration))
