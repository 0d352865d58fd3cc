"""Sparse indexes over passages: BM25 (rank-bm25's BM25Okapi, precomputed) and TF-IDF.

Both are stored term-major (one CSR row of document weights per term), so scoring a query is
a weighted sum of a few rows via `np.bincount`: no Python loop over documents.  Building uses
scipy and scikit-learn; querying needs numpy only, so a loaded index answers without them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

BM25_K1 = 1.5
BM25_B = 0.75
BM25_EPSILON = 0.25


@dataclass
class SparseScorer:
    """Term-major sparse weights: `scores(ids, w)[d] = sum_i w[i] * weight(ids[i], d)`."""

    indptr: np.ndarray  # int64, n_terms + 1
    indices: np.ndarray  # int32 document ids
    data: np.ndarray  # float32 weights
    n_docs: int

    def scores(self, term_ids: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """Scores of every document for a weighted bag of term ids (float64)."""
        if len(term_ids) == 0:
            return np.zeros(self.n_docs)
        if len(term_ids) == 1:
            a, b = self.indptr[term_ids[0]], self.indptr[term_ids[0] + 1]
            out = np.zeros(self.n_docs)
            out[self.indices[a:b]] = self.data[a:b] * float(weights[0])
            return out
        starts, ends = self.indptr[term_ids], self.indptr[np.asarray(term_ids) + 1]
        idx = np.concatenate([self.indices[a:b] for a, b in zip(starts, ends, strict=True)])
        w = np.concatenate(
            [self.data[a:b] * float(wt) for a, b, wt in zip(starts, ends, weights, strict=True)]
        )
        return np.bincount(idx, weights=w, minlength=self.n_docs)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to persist, keyed with `prefix`."""
        return {
            f"{prefix}.indptr": self.indptr,
            f"{prefix}.indices": self.indices,
            f"{prefix}.data": self.data,
            f"{prefix}.n_docs": np.array([self.n_docs]),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> SparseScorer:
        """Rebuild a scorer persisted by `arrays`."""
        return cls(
            arrays[f"{prefix}.indptr"],
            arrays[f"{prefix}.indices"],
            arrays[f"{prefix}.data"],
            int(arrays[f"{prefix}.n_docs"][0]),
        )

    @classmethod
    def from_doc_major(cls, matrix: object) -> SparseScorer:
        """From a scipy sparse documents x terms matrix."""
        term_major = matrix.T.tocsr()  # type: ignore[attr-defined]
        term_major.sort_indices()
        return cls(
            term_major.indptr.astype(np.int64),
            term_major.indices.astype(np.int32),
            term_major.data.astype(np.float32),
            matrix.shape[0],
        )  # type: ignore[attr-defined]


@dataclass
class TermIndex:
    """A vocabulary (term -> row) with its scorer; what BM25 and TF-IDF indexes share."""

    vocabulary: dict[str, int]
    scorer: SparseScorer
    idf: np.ndarray  # per term, float64

    def ids(self, weighted_terms: dict[str, float]) -> tuple[list[int], list[float]]:
        """Known term ids and their weights."""
        ids, weights = [], []
        for term, weight in weighted_terms.items():
            i = self.vocabulary.get(term)
            if i is not None:
                ids.append(i)
                weights.append(weight)
        return ids, weights


def _count_matrix(docs: Iterable[Sequence[str]]) -> tuple[object, dict[str, int], np.ndarray]:
    from scipy.sparse import csr_matrix  # build-time only

    vocabulary: dict[str, int] = {}
    indptr, indices, counts, lengths = [0], [], [], []
    for doc in docs:
        row: dict[int, int] = {}
        for term in doc:
            j = vocabulary.setdefault(term, len(vocabulary))
            row[j] = row.get(j, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
        lengths.append(len(doc))
    matrix = csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(lengths), len(vocabulary)),
    )
    return matrix, vocabulary, np.asarray(lengths, dtype=np.float64)


def okapi_idf(doc_freq: np.ndarray, n_docs: int, epsilon: float = BM25_EPSILON) -> np.ndarray:
    """IDF exactly as rank_bm25.BM25Okapi: log((N-n+.5)/(n+.5)), negatives floored at eps*mean."""
    idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
    if len(idf):
        idf[idf < 0] = epsilon * idf.mean()
    return idf


def build_bm25(docs: Sequence[Sequence[str]], k1: float = BM25_K1, b: float = BM25_B) -> TermIndex:
    """BM25Okapi over tokenized documents, as a precomputed document-term weight matrix."""
    counts, vocabulary, lengths = _count_matrix(docs)
    n_docs = len(lengths)
    avgdl = lengths.sum() / n_docs if n_docs and lengths.sum() else 1.0
    doc_freq = np.bincount(counts.indices, minlength=len(vocabulary)).astype(np.float64)  # type: ignore[attr-defined]
    idf = okapi_idf(doc_freq, n_docs)
    rows = np.repeat(np.arange(n_docs), np.diff(counts.indptr))  # type: ignore[attr-defined]
    tf = counts.data  # type: ignore[attr-defined]
    norm = k1 * (1 - b + b * lengths[rows] / avgdl)
    counts.data = idf[counts.indices] * tf * (k1 + 1) / (tf + norm)  # type: ignore[attr-defined]
    return TermIndex(vocabulary, SparseScorer.from_doc_major(counts), idf)


def build_tfidf(texts: Sequence[str], analyzer: Callable[[str], list[str]]) -> TermIndex:
    """scikit-learn TF-IDF (sublinear tf, smooth idf, l2 rows) with our own analyzer."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # ~1 s import: build-time only

    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(texts)
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    return TermIndex(
        vocabulary, SparseScorer.from_doc_major(matrix), vectorizer.idf_.astype(np.float64)
    )


def tfidf_query(index: TermIndex, features: dict[str, float]) -> tuple[list[int], list[float]]:
    """The l2-normalized, sublinear-tf TF-IDF vector of weighted query features (as sklearn)."""
    ids, counts = index.ids(features)
    weights = [
        (1 + math.log(c) if c >= 1 else c) * index.idf[i] for i, c in zip(ids, counts, strict=True)
    ]
    norm = math.sqrt(sum(w * w for w in weights)) or 1.0
    return ids, [w / norm for w in weights]
