"""Sparse indexes over passages: BM25 (rank-bm25's BM25Okapi, precomputed) and TF-IDF.

Both are stored term-major (one CSR row of document weights per term), so scoring a query is
a weighted sum of a few rows via `np.bincount`: no Python loop over documents.  Building uses
scipy and scikit-learn; querying needs numpy only, so a loaded index answers without them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

BM25_K1 = 1.5
BM25_B = 0.75
BM25_EPSILON = 0.25
SMALL_POSTINGS = 2048  # below this many postings, range_scores masks instead of bisecting


@dataclass
class SparseScorer:
    """Term-major sparse weights: `scores(ids, w)[d] = sum_i w[i] * weight(ids[i], d)`."""

    indptr: np.ndarray  # int64, n_terms + 1
    indices: np.ndarray  # int32 document ids
    data: np.ndarray  # float32 weights
    n_docs: int
    # indptr as Python ints: slicing with them skips numpy scalar indexing (~1 µs per term)
    _bounds: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._bounds = self.indptr.tolist()

    def postings(
        self, term_ids: Sequence[int], weights: Sequence[float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Document ids and weighted values (float32) of the terms' postings, in query order."""
        bounds, indices, data = self._bounds, self.indices, self.data
        if len(term_ids) == 1:
            a, b = bounds[term_ids[0]], bounds[term_ids[0] + 1]
            return indices[a:b], data[a:b] * float(weights[0])
        spans = [(bounds[t], bounds[t + 1]) for t in term_ids]
        idx = np.concatenate([indices[a:b] for a, b in spans])
        w = np.concatenate(
            [data[a:b] * float(wt) for (a, b), wt in zip(spans, weights, strict=True)]
        )
        return idx, w

    def scores(self, term_ids: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """Scores of every document for a weighted bag of term ids (float64)."""
        if len(term_ids) == 0:
            return np.zeros(self.n_docs)
        idx, w = self.postings(term_ids, weights)
        if len(term_ids) == 1:  # postings of one term have distinct documents
            out = np.zeros(self.n_docs)
            out[idx] = w
            return out
        return np.bincount(idx, weights=w, minlength=self.n_docs)

    def range_scores(
        self, term_ids: Sequence[int], weights: Sequence[float], lo: int, hi: int
    ) -> np.ndarray:
        """`scores()[lo:hi]`, reading only the postings in that range."""
        if hi <= lo or len(term_ids) == 0:
            return np.zeros(max(hi - lo, 0))
        bounds = self._bounds
        if sum(bounds[t + 1] - bounds[t] for t in term_ids) <= SMALL_POSTINGS:
            idx, w = self.postings(term_ids, weights)  # short: one masked pass beats bisecting
            inside = (idx >= lo) & (idx < hi)
            return np.bincount(idx[inside] - lo, weights=w[inside], minlength=hi - lo)
        out = np.zeros(hi - lo)
        for t, w in zip(term_ids, weights, strict=True):
            docs, values = self.range_postings(t, lo, hi)
            out[docs - lo] += values * w
        return out

    def range_postings(self, term_id: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Document ids in [lo, hi) containing a term, and its weights there.

        Postings are sorted by document (`from_matrix` sorts them, the store checks it).
        """
        a, b = self._bounds[term_id], self._bounds[term_id + 1]
        docs = self.indices[a:b]
        i, j = a + int(docs.searchsorted(lo)), a + int(docs.searchsorted(hi))
        return self.indices[i:j], self.data[i:j]

    def top_k(
        self, term_ids: Sequence[int], weights: Sequence[float], k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents containing a query term, and their scores, best first.

        Scores equal `scores()`; only the documents with a posting are ranked (the others
        score 0), so a query costs its postings, not the corpus size.  Ties go to the lower
        document id.  A returned document contains a term even if its score is 0.
        """
        if len(term_ids) == 0 or k < 1:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx, w = self.postings(term_ids, weights)
        if len(term_ids) == 1:
            docs, totals = idx, w.astype(np.float64)
        elif len(idx) * 32 >= self.n_docs:  # small corpus: dense arrays beat sorting postings
            dense = np.bincount(idx, weights=w, minlength=self.n_docs)
            hit = np.zeros(self.n_docs, dtype=bool)
            hit[idx] = True
            docs = np.flatnonzero(hit)
            totals = dense[docs]
        else:
            docs, inverse = np.unique(idx, return_inverse=True)
            totals = np.bincount(inverse.ravel(), weights=w)
        if len(docs) > k:
            kth = np.partition(totals, len(totals) - k)[len(totals) - k]
            keep = np.flatnonzero(totals >= kth)
            docs, totals = docs[keep], totals[keep]
        order = np.lexsort((docs, -totals))[:k]
        return docs[order].astype(np.int64), totals[order]

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to persist, keyed with `prefix`."""
        return {
            f"{prefix}.indptr": self.indptr,
            f"{prefix}.indices": self.indices,
            f"{prefix}.data": self.data,
            f"{prefix}.n_docs": np.array([self.n_docs]),
        }

    def permuted(self, order: np.ndarray) -> SparseScorer:
        """The same weights with its rows (terms) in `order`: row i is row order[i]."""
        lengths = np.diff(self.indptr)[order]
        indptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        # where each new posting comes from: its row's old start plus its place in the row
        source = np.repeat(self.indptr[:-1][order] - indptr[:-1], lengths) + np.arange(indptr[-1])
        return SparseScorer(indptr, self.indices[source], self.data[source], self.n_docs)

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


class SortedVocabulary(Mapping[str, int]):
    """A vocabulary stored in sorted order, a term's row being its position: a loaded index
    needs no dict of its 500k terms (0.4 s at 100k passages), a lookup is a binary search."""

    __slots__ = ("terms",)

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms  # sorted, distinct (the store checks it)

    def get(self, term: str, default: int | None = None) -> int | None:  # type: ignore[override]
        i = bisect.bisect_left(self.terms, term)
        return i if i < len(self.terms) and self.terms[i] == term else default

    def __getitem__(self, term: str) -> int:
        i = self.get(term)
        if i is None:
            raise KeyError(term)
        return i

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


@dataclass
class TermIndex:
    """A vocabulary (term -> row) with its scorer; what BM25 and TF-IDF indexes share."""

    vocabulary: Mapping[str, int]
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

    def contains(self, term: str, lo: int, hi: int) -> bool:
        """Whether a document in [lo, hi) contains `term`."""
        i = self.vocabulary.get(term)
        return i is not None and len(self.scorer.range_postings(i, lo, hi)[0]) > 0


def _term_counts(docs: Sequence[Sequence[str]]) -> tuple[object, dict[str, int], np.ndarray]:
    """Term-major counts (terms x documents CSR), the vocabulary (first-seen order), lengths."""
    from scipy.sparse import csr_matrix  # build-time only

    # One C-level pass each for the vocabulary and the token ids; numpy and scipy do the rest.
    vocabulary = {term: i for i, term in enumerate(dict.fromkeys(chain.from_iterable(docs)))}
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    token_ids = np.fromiter(
        map(vocabulary.__getitem__, chain.from_iterable(docs)),
        dtype=np.int32,
        count=int(lengths.sum()),
    )
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # Documents x terms with one entry per token; converting to term-major is a counting sort
    # that leaves each term's documents ascending, so repeats are adjacent and summing them
    # is a linear pass.
    tokens = csr_matrix(
        (np.ones(len(token_ids), dtype=np.int32), token_ids, offsets),
        shape=(len(docs), len(vocabulary)),
    )
    counts = tokens.tocsc()
    counts.sum_duplicates()
    term_major = csr_matrix(
        (counts.data, counts.indices, counts.indptr), shape=(len(vocabulary), len(docs))
    )
    return term_major, vocabulary, lengths.astype(np.float64)


def okapi_idf(doc_freq: np.ndarray, n_docs: int, epsilon: float = BM25_EPSILON) -> np.ndarray:
    """IDF exactly as rank_bm25.BM25Okapi: log((N-n+.5)/(n+.5)), negatives floored at eps*mean."""
    idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
    if len(idf):
        idf[idf < 0] = epsilon * idf.mean()
    return idf


def build_bm25(docs: Sequence[Sequence[str]], k1: float = BM25_K1, b: float = BM25_B) -> TermIndex:
    """BM25Okapi over tokenized documents, as a precomputed document-term weight matrix."""
    counts, vocabulary, lengths = _term_counts(docs)
    n_docs = len(lengths)
    avgdl = lengths.sum() / n_docs if n_docs and lengths.sum() else 1.0
    doc_freq = np.diff(counts.indptr).astype(np.float64)  # type: ignore[attr-defined]
    idf = okapi_idf(doc_freq, n_docs)
    terms = np.repeat(np.arange(len(vocabulary), dtype=np.int32), doc_freq.astype(np.int64))
    tf = counts.data  # type: ignore[attr-defined]
    norm = k1 * (1 - b + b * lengths / avgdl)
    weights = idf[terms] * tf * (k1 + 1) / (tf + norm[counts.indices])  # type: ignore[attr-defined]
    scorer = SparseScorer(
        counts.indptr.astype(np.int64),  # type: ignore[attr-defined]
        counts.indices.astype(np.int32),  # type: ignore[attr-defined]
        weights.astype(np.float32),
        n_docs,
    )
    return TermIndex(vocabulary, scorer, idf)


def build_tfidf(texts: Sequence[str], analyzer: Callable[[str], list[str]]) -> TermIndex:
    """scikit-learn TF-IDF (sublinear tf, smooth idf, l2 rows) with our own analyzer."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # ~1 s import: build-time only

    if not any(analyzer(text) for text in texts):  # (sklearn refuses an empty vocabulary)
        empty = SparseScorer(
            np.zeros(1, dtype=np.int64),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.float32),
            len(texts),
        )
        return TermIndex({}, empty, np.zeros(0))
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
