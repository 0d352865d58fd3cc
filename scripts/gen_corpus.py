"""Synthetic retrieval corpora for benchmarks: Zipf-distributed pseudo-words, lognormal lengths.

Deterministic for a seed, generated in memory with numpy (1M passages in seconds), no downloads:

    python scripts/gen_corpus.py 10000 --out /tmp/corpus10k.txt   # one passage per line
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

VOCAB_SIZE = 50_000
ZIPF_EXPONENT = 1.07
MEAN_LOG_LENGTH = np.log(48)  # median passage length 48 tokens
SIGMA_LOG_LENGTH = 0.45
_ONSETS = "b c d f g h j k l m n p r s t v w z br ch cl dr fl gr pl sh st th tr".split()
_VOWELS = "a e i o u ai ea io ou".split()


@dataclass
class SyntheticCorpus:
    """Token ids of every passage (flat, with offsets), the words they stand for, and queries."""

    vocab: list[str]
    token_ids: np.ndarray  # int32, all passages concatenated
    offsets: np.ndarray  # int64, n_passages + 1
    queries: list[list[str]]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def passages(self) -> list[list[str]]:
        """Passages as lists of words (what rank_bm25, bm25s and build_bm25 take)."""
        words = np.asarray(self.vocab, dtype=object)[self.token_ids].tolist()
        bounds = self.offsets.tolist()
        return [words[a:b] for a, b in pairwise(bounds)]


def pseudo_word(rank: int) -> str:
    """A pronounceable, unique word for a vocabulary rank: 0 -> "ba", 1 -> "ca", ..."""
    syllables = []
    n = rank
    while True:
        n, s = divmod(n, len(_ONSETS) * len(_VOWELS))
        syllables.append(_ONSETS[s % len(_ONSETS)] + _VOWELS[s // len(_ONSETS)])
        if n == 0:
            return "".join(syllables)
        n -= 1


def zipf_probabilities(vocab_size: int = VOCAB_SIZE, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    """p(rank r) proportional to 1 / r**exponent, r = 1..vocab_size."""
    weights = 1.0 / np.arange(1, vocab_size + 1, dtype=np.float64) ** exponent
    return weights / weights.sum()


def generate(
    n_passages: int,
    *,
    n_queries: int = 200,
    vocab_size: int = VOCAB_SIZE,
    exponent: float = ZIPF_EXPONENT,
    seed: int = 0,
) -> SyntheticCorpus:
    """A corpus of `n_passages` and queries of 2-5 mid-frequency words, reproducible by seed."""
    rng = np.random.default_rng(seed)
    lengths = np.clip(rng.lognormal(MEAN_LOG_LENGTH, SIGMA_LOG_LENGTH, n_passages), 5, 400)
    offsets = np.zeros(n_passages + 1, dtype=np.int64)
    np.cumsum(lengths.astype(np.int64), out=offsets[1:])
    cdf = np.cumsum(zipf_probabilities(vocab_size, exponent))
    token_ids = np.searchsorted(cdf, rng.random(int(offsets[-1])) * cdf[-1]).astype(np.int32)
    vocab = [pseudo_word(r) for r in range(vocab_size)]
    present = np.flatnonzero(np.bincount(token_ids, minlength=vocab_size))
    mid = present[(present >= 50) & (present < 5000)]  # neither stop-word-like nor hapax
    if len(mid) == 0:
        mid = present
    queries = [
        [vocab[i] for i in rng.choice(mid, size=rng.integers(2, 6), replace=False)]
        if len(mid) >= 5
        else [vocab[int(rng.choice(mid))]]
        for _ in range(n_queries)
    ]
    return SyntheticCorpus(vocab, token_ids, offsets, queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of passages (e.g. 1000, 10000, 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="write passages here, one per line (default: stdout)")
    parser.add_argument("--queries", help="also write the queries here, one per line")
    args = parser.parse_args()
    corpus = generate(args.n, seed=args.seed)
    lines = "\n".join(" ".join(p) for p in corpus.passages()) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(lines)
    else:
        print(lines, end="")
    if args.queries:
        with open(args.queries, "w", encoding="utf-8") as out:
            out.writelines(" ".join(q) + "\n" for q in corpus.queries)


if __name__ == "__main__":
    main()
