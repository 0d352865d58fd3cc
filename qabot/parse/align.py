"""Content alignment: assign unmarked answer paragraphs to the questions they answer.

Answers follow the question order, so the paragraphs of a document are split into one
contiguous run per question by dynamic programming (an ordered, monotone alignment).  A question
header is a hard constraint (it fixes its question); an "Answer:" label starts a new answer
unless that contradicts the headers (a second "Answer:" paragraph under one header costs
LABEL_PENALTY instead); between them a paragraph joins the question it is most similar to
(TF-IDF cosine over analyzed terms), and splitting between two cohesive paragraphs costs a
penalty.

The programme scores a unit only at the questions between the headers around it, and finds
each score's best predecessor from a running maximum: it costs the units times the width of
those windows, linear in a document with headers, and units times questions in one without.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from qabot.text import terms

SKIP_PENALTY = 2.0  # leaving a question without any answer text
COHESION_WEIGHT = 0.5  # cost of an unmarked split, times the similarity of the two paragraphs
LABEL_PENALTY = 4.0  # keeping an "Answer:" paragraph with the answer before it
_NEG = float("-inf")
_TIE_MARGIN = 1e-9  # relative; rounding error is about 1e-16
_NARROW = 16  # windows of fewer questions are compared with a unit one by one


@dataclass
class Unit:
    """A paragraph of answer text with the markers that constrain where it may go."""

    lines: list[tuple[int, str]]  # (1-based line number, original text)
    fixed: int | None = None  # a header names its question
    starts_answer: bool = False  # an "Answer:" label starts a new answer

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


def _vectors(texts: list[str]) -> list[dict[str, float]]:
    bags = [Counter(terms(t)) for t in texts]
    df = Counter(term for bag in bags for term in bag)
    n = len(bags)
    vectors = []
    for bag in bags:
        vec = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t]) + 1) for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def align(questions: list[str], units: list[Unit]) -> list[int]:
    """Return, for each unit, the index of the question it answers (non-decreasing)."""
    n, m = len(questions), len(units)
    if m == 0:
        return []
    windows = _windows(units, n)
    vecs = _vectors(questions + [u.text for u in units])
    qvecs, uvecs = vecs[:n], vecs[n:]
    similarity = _Similarity(qvecs)
    lo, hi = windows[0]
    sims = similarity.row(uvecs[0], windows[0])
    score = [sims[q - lo] - SKIP_PENALTY * q for q in range(lo, hi + 1)]
    backs: list[list[int]] = [[]]
    for i in range(1, m):
        unit = units[i]
        split_cost = (
            0.0
            if unit.fixed is not None or unit.starts_answer
            else (COHESION_WEIGHT * _cosine(uvecs[i - 1], uvecs[i]))
        )
        sims = similarity.row(uvecs[i], windows[i])
        score, back = _step(score, windows[i - 1][0], windows[i], unit, split_cost, sims)
        backs.append(back)
    lo, hi = windows[-1]
    finals = [score[q - lo] - SKIP_PENALTY * (n - 1 - q) for q in range(lo, hi + 1)]
    q = lo + max(range(len(finals)), key=finals.__getitem__)
    if finals[q - lo] == _NEG:  # (the windows leave a path open, so this cannot happen)
        raise ValueError("markers contradict the question order")
    path = [q]
    for i in range(m - 1, 0, -1):
        q = backs[i][q - windows[i][0]]
        path.append(q)
    return path[::-1]


class _Similarity:
    """Cosine similarities of a unit to a window of questions, computed only for the questions
    that share a term with it: the others' are 0 (as `_cosine` finds, all weights being > 0)."""

    def __init__(self, qvecs: list[dict[str, float]]) -> None:
        self.qvecs = qvecs
        self._with: dict[str, list[int]] = {}  # term -> the questions that have it, ascending
        for q, vec in enumerate(qvecs):
            for term in vec:
                self._with.setdefault(term, []).append(q)

    def row(self, uvec: dict[str, float], window: tuple[int, int]) -> list[float]:
        lo, hi = window
        if hi - lo < _NARROW:
            return [_cosine(uvec, self.qvecs[q]) for q in range(lo, hi + 1)]
        sims = [0.0] * (hi - lo + 1)
        for q in {q for term in uvec for q in self._questions_with(term, lo, hi)}:
            sims[q - lo] = _cosine(uvec, self.qvecs[q])
        return sims

    def _questions_with(self, term: str, lo: int, hi: int) -> list[int]:
        questions = self._with.get(term, [])
        return questions[bisect_left(questions, lo) : bisect_right(questions, hi)]


def _windows(units: list[Unit], n: int) -> list[tuple[int, int]]:
    """The questions each unit may go to, lowest and highest: a header fixes its question, so
    the units after it go to it or a later one, and the units before the next header to an
    earlier one than that header's.  Only these states lie on a path through every header, and
    their scores depend on no others, so the alignment is the same as over all questions."""
    lows, low = [], 0
    for unit in units:
        low = low if unit.fixed is None else unit.fixed
        lows.append(low)
    highs, high = [], n - 1
    for unit in reversed(units):
        highs.append(high if unit.fixed is None else min(high, unit.fixed))
        high = high if unit.fixed is None else unit.fixed - 1
    windows = list(zip(lows, reversed(highs), strict=True))
    if any(not 0 <= low <= high for low, high in windows):
        raise ValueError("markers contradict the question order")
    return windows


def _step(
    prev: list[float],
    prev_lo: int,
    window: tuple[int, int],
    unit: Unit,
    split_cost: float,
    sims: list[float],
) -> tuple[list[float], list[int]]:
    """One unit's scores over its window, and the previous unit's question each comes from
    (the same as the full scan over every previous question computes: see `_Splits`)."""
    lo, hi = window
    prev_end = prev_lo + len(prev)
    follow = [score - split_cost for score in prev]  # (rounded as the full scan rounds them)
    # keys and scores are at most this large
    scale = 1.0 + split_cost + 4.0 * (hi + 1) + max(map(abs, prev))
    splits = _Splits(_TIE_MARGIN * scale)
    for p in range(prev_lo, min(lo, prev_end)):
        splits.add(p, follow[p - prev_lo] + SKIP_PENALTY * p)
    stay_cost = LABEL_PENALTY if unit.starts_answer else 0.0
    score, back = [], []
    for q in range(lo, hi + 1):
        if lo < q <= prev_end:
            splits.add(q - 1, follow[q - 1 - prev_lo] + SKIP_PENALTY * (q - 1))
        best, arg = _NEG, -1
        if unit.fixed is None and q < prev_end:
            stay = prev[q - prev_lo] - stay_cost
            if stay > best:
                best, arg = stay, q
        for p in splits.near:
            cand = follow[p - prev_lo] - SKIP_PENALTY * (q - p - 1)
            if cand > best:
                best, arg = cand, p
        score.append(best + sims[q - lo] if arg >= 0 else _NEG)
        back.append(arg)
    return score, back


class _Splits:
    """The previous questions `p` a unit at question `q` may follow, reduced to those that
    can be the best: `prev[p] - split_cost - SKIP_PENALTY * (q - p - 1)`, the first of equals.

    That score is `prev[p] - split_cost + SKIP_PENALTY * p` (the key) less the same amount for
    every `p`, rounded once, so the best is the candidate with the highest key, whatever `q`.
    Only rounding can tie it with one whose key is a little lower, so every candidate within
    `margin` (relative to the scores, far above rounding error) of the highest key is kept, and
    they are scored as the full scan scores them.
    """

    def __init__(self, margin: float) -> None:
        self.margin = margin
        self.top = _NEG
        self.near: list[int] = []  # by position
        self._keys: list[float] = []

    def add(self, p: int, key: float) -> None:
        if key > self.top + self.margin:  # (the usual case: it is the only one left)
            self.top, self.near, self._keys = key, [p], [key]
            return
        if key > self.top:
            self.top = key
            kept = [
                (r, k) for r, k in zip(self.near, self._keys, strict=True) if k >= key - self.margin
            ]
            self.near, self._keys = [r for r, _ in kept], [k for _, k in kept]
        if key >= self.top - self.margin:
            self.near.append(p)
            self._keys.append(key)
