"""The meaning match: the question nearest a query in sentence-vector space (`qabot.encoder`).

Lexical ranking needs shared words; a user asking "can I take my dog on the plane" shares
none with "Can I travel with my pet?".  When the lexical answer is too weak to give, the
question (or alternate phrasing) nearest the query by meaning may answer instead, if it is
near enough.  The questions are encoded once per index (`CorpusIndex.question_vectors`) and
saved with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from qabot.models import Entry

# Larger corpora are not encoded (about 7 ms a question on the 2-core reference machine:
# 2000 questions take 14 s once, in the first query that needs them).
MAX_ENTRIES = 2000
# Passages are longer (about 45 ms each): in a corpus with more passages to choose among (in
# answers of two or more), the words alone choose them.
MAX_PASSAGES = 600


@lru_cache(maxsize=64)
def query_vector(text: str) -> np.ndarray:
    """The unit sentence vector of a query (kept: a turn is read more than once)."""
    from qabot import encoder

    vector = encoder.encode([text])[0]
    vector.flags.writeable = False
    return vector


@dataclass(frozen=True)
class MeaningMatch:
    """The entry whose question is nearest a query, its cosine and its lead over the next."""

    entry: int
    similarity: float
    margin: float
    of_entry: np.ndarray  # every entry's best cosine (-1 for an unanswered one)


class QuestionVectors:
    """Sentence vectors of every answered entry's question and alternate phrasings."""

    def __init__(self, entries: Sequence[Entry], unanswered: Iterable[int] = ()) -> None:
        self._entries = entries
        self._unanswered = frozenset(unanswered)  # (a question is no answer to itself)

    @classmethod
    def stored(
        cls, entries: Sequence[Entry], matrix: np.ndarray, owners: np.ndarray
    ) -> QuestionVectors:
        """Vectors saved with an index (see `arrays`), not encoded again."""
        vectors = cls(entries)
        vectors.__dict__["arrays"] = (matrix.astype(np.float32), owners.astype(np.int64))
        return vectors

    @cached_property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """One unit vector per phrasing, and the entry each belongs to (encoded once)."""
        from qabot import encoder

        texts, owners = [], []
        for i, entry in enumerate(self._entries):
            if i in self._unanswered:
                continue
            for text in (entry.question, *entry.alternates):
                texts.append(text)
                owners.append(i)
        return encoder.encode(texts), np.array(owners, dtype=np.int64)

    def nearest(self, query: str) -> MeaningMatch | None:
        """The entry nearest `query` (its best phrasing counts), None if none is answered."""
        matrix, owners = self.arrays
        if not len(owners):
            return None
        similarity = matrix @ query_vector(query)
        best = np.full(len(self._entries), -1.0)
        np.maximum.at(best, owners, similarity)
        order = np.argsort(-best)
        runner_up = float(best[order[1]]) if len(order) > 1 else -1.0
        top = float(best[order[0]])
        return MeaningMatch(int(order[0]), top, top - runner_up, best)


class PassageVectors:
    """Sentence vectors of the passages that `chosen` marks (those of answers with more than
    one, among which a query chooses), encoded an answer at a time as queries need them
    (`of_range`), or all at once to be saved (`matrix`, zero rows for the others)."""

    def __init__(self, texts: Sequence[str], chosen: np.ndarray) -> None:
        self._texts = texts
        self._chosen = chosen
        self._encoded: dict[tuple[int, int], np.ndarray] = {}

    @classmethod
    def stored(cls, texts: Sequence[str], matrix: np.ndarray) -> PassageVectors:
        """Vectors saved with an index, not encoded again."""
        vectors = cls(texts, np.linalg.norm(matrix, axis=1) > 0)
        vectors.__dict__["matrix"] = matrix.astype(np.float32)
        return vectors

    @cached_property
    def matrix(self) -> np.ndarray:
        """One unit vector per chosen passage, zeros for the others."""
        from qabot import encoder

        rows = np.flatnonzero(self._chosen)
        out = np.zeros((len(self._texts), encoder.DIMENSIONS), dtype=np.float32)
        out[rows] = encoder.encode([self._texts[i] for i in rows])
        return out

    def of_range(self, lo: int, hi: int) -> np.ndarray:
        """The vectors of passages [lo, hi) (one answer's)."""
        if "matrix" in self.__dict__:
            return self.matrix[lo:hi]
        if (lo, hi) not in self._encoded:
            from qabot import encoder

            self._encoded[(lo, hi)] = encoder.encode(list(self._texts[lo:hi]))
        return self._encoded[(lo, hi)]
