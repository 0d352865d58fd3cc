"""Reference tests: qabot's precomputed BM25 and TF-IDF score exactly as rank_bm25 and sklearn."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from conftest import make_entry
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import TfidfVectorizer

from qabot import store
from qabot.corpus import build_index
from qabot.index import (
    SortedVocabulary,
    SparseScorer,
    TermIndex,
    build_bm25,
    build_tfidf,
    tfidf_query,
)
from qabot.models import Entry
from qabot.retriever import Retriever

SMALL = [
    "batch norm normalizes the activations of each mini batch".split(),
    "dropout randomly zeroes activations during training".split(),
    "momentum accumulates a velocity of past gradients".split(),
    "batch size trades gradient noise against speed".split(),
    "an autoencoder learns a compressed code of its input".split(),
    "learning rate schedules decay the step size over training".split(),
]
# "batch" is in exactly half the documents, "norm" in more than half: BM25Okapi's weak spot.
TINY = [
    "batch norm".split(),
    "batch norm layer".split(),
    "norm dropout".split(),
    "momentum".split(),
]
WITH_EMPTY = [[], "relu activation".split(), [], "relu relu gradient".split(), ["gradient"]]
QUERIES = [
    ["batch", "norm"],
    ["batch", "batch", "norm"],  # repeated query term counts twice
    ["dropout"],
    ["momentum", "gradients", "unknown"],
    ["unknown"],
    [],
    ["relu", "gradient"],
    ["activation", "relu", "relu"],
]


def qabot_bm25(index: TermIndex, query: list[str]) -> np.ndarray:
    """BM25 scores of a tokenized query, each occurrence of a term counted (as rank_bm25)."""
    ids, weights = index.ids(dict(Counter(query)))
    return index.scorer.scores(ids, weights)


def ranking(scores: np.ndarray) -> list[int]:
    return list(np.lexsort((np.arange(len(scores)), -np.round(scores, 5))))


@pytest.mark.parametrize("docs", [SMALL, TINY, WITH_EMPTY], ids=["small", "tiny", "empty-docs"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "-".join(q) or "none")
def test_bm25_scores_equal_rank_bm25(docs: list[list[str]], query: list[str]) -> None:
    expected = BM25Okapi(docs).get_scores(query)
    got = qabot_bm25(build_bm25(docs), query)
    assert got.shape == expected.shape
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert ranking(got) == ranking(expected)


def test_bm25_idf_equals_rank_bm25() -> None:
    reference = BM25Okapi(SMALL)
    index = build_bm25(SMALL)
    for term, i in index.vocabulary.items():
        assert index.idf[i] == pytest.approx(reference.idf[term], rel=1e-12)


def test_bm25_scores_on_a_random_corpus_equal_rank_bm25() -> None:
    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(60)]
    probs = 1 / np.arange(1, 61) ** 1.1
    probs /= probs.sum()
    docs = [list(rng.choice(vocab, size=rng.integers(0, 30), p=probs)) for _ in range(200)]
    reference, index = BM25Okapi(docs), build_bm25(docs)
    for _ in range(30):
        query = list(rng.choice(vocab, size=rng.integers(1, 6)))
        expected = reference.get_scores(query)
        assert np.allclose(qabot_bm25(index, query), expected, rtol=1e-5, atol=1e-6)


def test_term_in_exactly_half_the_docs_scores_zero_with_okapi() -> None:
    # log((4 - 2 + .5) / (2 + .5)) = 0: "batch" matches two documents yet adds nothing.
    index = build_bm25(TINY)
    assert index.idf[index.vocabulary["batch"]] == 0.0
    scores = qabot_bm25(index, ["batch"])
    assert np.all(scores == 0.0)
    assert np.allclose(scores, BM25Okapi(TINY).get_scores(["batch"]))


def test_term_in_more_than_half_the_docs_gets_the_epsilon_floor() -> None:
    # "norm" is in 3 of 4 documents: raw idf log(1.5 / 3.5) < 0 is replaced by 0.25 * mean idf.
    def raw(n: int) -> float:
        return float(np.log(4 - n + 0.5) - np.log(n + 0.5))

    doc_freqs = {"batch": 2, "norm": 3, "layer": 1, "dropout": 1, "momentum": 1}
    floor = 0.25 * np.mean([raw(n) for n in doc_freqs.values()])
    index = build_bm25(TINY)
    assert raw(3) < 0 < floor
    assert index.idf[index.vocabulary["norm"]] == pytest.approx(floor)
    assert BM25Okapi(TINY).idf["norm"] == pytest.approx(floor)


def test_a_matching_document_can_score_no_more_than_a_non_matching_one() -> None:
    # Never read "score > 0" as "matched": "batch" is in documents 0 and 1, all score 0.
    scores = qabot_bm25(build_bm25(TINY), ["batch"])
    matched = [i for i, doc in enumerate(TINY) if "batch" in doc]
    assert matched == [0, 1]
    assert scores[0] == scores[3] == 0.0


def words(text: str) -> list[str]:
    """A test analyzer: lower-cased words plus bigrams (like qabot's word_features)."""
    tokens = text.lower().split()
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


TEXTS = [" ".join(doc) for doc in SMALL] + ["batch batch batch norm", ""]
TEXT_QUERIES = ["batch norm", "batch batch norm", "gradient noise speed", "nothing known", "size"]


@pytest.mark.parametrize("query", TEXT_QUERIES)
def test_tfidf_query_vector_equals_sklearn_transform(query: str) -> None:
    vectorizer = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(TEXTS)
    expected = vectorizer.transform([query]).toarray()[0]
    index = build_tfidf(TEXTS, words)
    ids, weights = tfidf_query(index, dict(Counter(words(query))))
    got = np.zeros(len(index.vocabulary))
    got[ids] = weights
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-7)
    cosine = (matrix @ vectorizer.transform([query]).T).toarray()[:, 0]
    assert np.allclose(index.scorer.scores(ids, weights), cosine, rtol=1e-5, atol=1e-6)


def entry(n: int, question: str, answer: str) -> Entry:
    return make_entry(n, question, answer, path="t")


ENTRIES = [
    entry(1, "Why use batch normalization?", "Batch norm stabilizes training of deep networks."),
    entry(2, "What is dropout?", "Dropout zeroes random units so the network cannot co-adapt."),
    entry(3, "What is momentum?", "Momentum keeps a running average of past gradients."),
    entry(4, "What is an autoencoder?", "An autoencoder learns to reconstruct its input."),
]


def test_saved_and_loaded_index_scores_identically(tmp_path: Path) -> None:
    built = build_index(ENTRIES)
    store.save(built, tmp_path / "index.npz", "key")
    loaded = store.load(tmp_path / "index.npz", "key")
    for name in ("bm25_passages", "bm25_questions", "tfidf_passages", "tfidf_questions"):
        a, b = getattr(built, name), getattr(loaded, name)
        terms = list(a.vocabulary)  # (stored sorted: a term may have another row)
        assert sorted(terms) == list(b.vocabulary)
        ids_a, ids_b = [a.vocabulary[t] for t in terms], [b.vocabulary[t] for t in terms]
        weights = list(np.linspace(0.5, 1.5, len(terms)))
        assert np.array_equal(a.scorer.scores(ids_a, weights), b.scorer.scores(ids_b, weights))
        assert np.array_equal(a.idf[ids_a], b.idf[ids_b])
    for query in ("why batch norm", "dropout", "what is momentum in gradients"):
        assert Retriever(built).ask(query) == Retriever(loaded).ask(query)


def reference_scores(index: TermIndex, ids: list[int], weights: list[float]) -> np.ndarray:
    """The original gather-and-bincount formula that the fast paths must reproduce bit for bit."""
    s = index.scorer
    idx = np.concatenate([s.indices[s.indptr[t] : s.indptr[t + 1]] for t in ids])
    w = np.concatenate(
        [
            s.data[s.indptr[t] : s.indptr[t + 1]] * float(wt)
            for t, wt in zip(ids, weights, strict=True)
        ]
    )
    return np.bincount(idx, weights=w, minlength=s.n_docs)


def random_corpus(seed: int, n_docs: int = 300) -> tuple[list[list[str]], np.random.Generator]:
    rng = np.random.default_rng(seed)
    probs = 1 / np.arange(1, 201) ** 1.07
    docs = [
        [f"w{i}" for i in rng.choice(200, size=rng.integers(0, 40), p=probs / probs.sum())]
        for _ in range(n_docs)
    ]
    return docs, rng


@pytest.mark.parametrize("seed", range(5))
def test_fast_scores_are_bitwise_the_reference_formula(seed: int) -> None:
    docs, rng = random_corpus(seed)
    index = build_bm25(docs)
    for _ in range(40):
        ids = list(rng.choice(len(index.vocabulary), size=rng.integers(1, 6)))
        weights = list(rng.uniform(0.2, 2.0, size=len(ids)))
        assert np.array_equal(
            index.scorer.scores(ids, weights), reference_scores(index, ids, weights)
        )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 5, 10, 1000])
def test_top_k_equals_a_full_sort_of_the_matching_documents(seed: int, k: int) -> None:
    docs, rng = random_corpus(seed)
    index = build_bm25(docs)
    for _ in range(20):
        ids = list(rng.choice(len(index.vocabulary), size=rng.integers(1, 6), replace=False))
        weights = list(rng.uniform(0.2, 2.0, size=len(ids)))
        full = index.scorer.scores(ids, weights)
        matching = np.unique(
            np.concatenate(
                [
                    index.scorer.indices[index.scorer.indptr[t] : index.scorer.indptr[t + 1]]
                    for t in ids
                ]
            )
        )
        expected = matching[np.lexsort((matching, -full[matching]))][:k]
        docs_k, scores_k = index.scorer.top_k(ids, weights, k)
        assert list(docs_k) == list(expected)
        assert np.array_equal(scores_k, full[expected])


def test_top_k_of_no_terms_is_empty() -> None:
    docs, scores = build_bm25(SMALL).scorer.top_k([], [], 10)
    assert len(docs) == len(scores) == 0


def test_each_term_lists_its_documents_once_in_order() -> None:
    docs, _ = random_corpus(11)
    scorer = build_bm25([*docs, ["w1", "w1", "w1"], []]).scorer
    for t in range(len(scorer.indptr) - 1):
        postings = scorer.indices[scorer.indptr[t] : scorer.indptr[t + 1]]
        assert np.all(np.diff(postings) > 0)


@pytest.mark.parametrize("small_postings", [0, 10_000], ids=["bisect", "mask"])
def test_range_scores_equal_a_slice_of_the_full_scores(
    small_postings: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qabot.index.SMALL_POSTINGS", small_postings)
    index = build_bm25(SMALL)
    ids, weights = index.ids({"batch": 1.0, "gradient": 0.5, "activations": 2.0})
    full = index.scorer.scores(ids, weights)
    for lo, hi in [(0, len(SMALL)), (1, 3), (2, 2), (3, len(SMALL))]:
        assert np.allclose(index.scorer.range_scores(ids, weights, lo, hi), full[lo:hi])


def test_a_sorted_vocabulary_finds_its_terms_by_position() -> None:
    vocabulary = SortedVocabulary(["apple", "kiwi", "pear"])
    assert vocabulary.get("kiwi") == 1 and vocabulary["pear"] == 2
    assert vocabulary.get("banana") is None and "zzz" not in vocabulary and "apple" in vocabulary
    assert list(vocabulary) == ["apple", "kiwi", "pear"] and len(vocabulary) == 3
    with pytest.raises(KeyError):
        vocabulary["fig"]


def test_permuted_rows_keep_each_row_s_postings() -> None:
    scorer = SparseScorer(
        np.array([0, 2, 3, 5]),
        np.array([0, 2, 1, 0, 1], dtype=np.int32),
        np.array([1, 2, 3, 4, 5], dtype=np.float32),
        3,
    )
    permuted = scorer.permuted(np.array([2, 0, 1]))
    for new, old in enumerate([2, 0, 1]):
        assert np.array_equal(permuted.scores([new], [1.0]), scorer.scores([old], [1.0]))
