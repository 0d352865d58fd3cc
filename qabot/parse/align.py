"""Content alignment: assign unmarked answer paragraphs to the questions they answer.

Answers follow the question order, so the paragraphs of a document are split into one
contiguous run per question by dynamic programming (an ordered, monotone alignment).  A question
header is a hard constraint (it fixes its question); an "Answer:" label starts a new answer
unless that contradicts the headers (a second "Answer:" paragraph under one header costs
LABEL_PENALTY instead); between them a paragraph joins the question it is most similar to
(TF-IDF cosine over analyzed terms), and splitting between two cohesive paragraphs costs a
penalty.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from qabot.text import terms

SKIP_PENALTY = 2.0  # leaving a question without any answer text
COHESION_WEIGHT = 0.5  # cost of an unmarked split, times the similarity of the two paragraphs
LABEL_PENALTY = 4.0  # keeping an "Answer:" paragraph with the answer before it
_NEG = float("-inf")


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
    vecs = _vectors(questions + [u.text for u in units])
    qvecs, uvecs = vecs[:n], vecs[n:]
    sim = [[_cosine(uv, qv) for qv in qvecs] for uv in uvecs]
    score = [[_NEG] * n for _ in range(m)]
    back = [[-1] * n for _ in range(m)]
    for q in range(n):
        if units[0].fixed in (None, q):
            score[0][q] = sim[0][q] - SKIP_PENALTY * q
    for i in range(1, m):
        unit = units[i]
        split_cost = (
            0.0
            if unit.fixed is not None or unit.starts_answer
            else (COHESION_WEIGHT * _cosine(uvecs[i - 1], uvecs[i]))
        )
        for q in range(n):
            if unit.fixed is not None and unit.fixed != q:
                continue
            best, arg = _NEG, -1
            if unit.fixed is None:
                stay = score[i - 1][q] - (LABEL_PENALTY if unit.starts_answer else 0.0)
                if stay > best:
                    best, arg = stay, q
            for p in range(q):
                cand = score[i - 1][p] - split_cost - SKIP_PENALTY * (q - p - 1)
                if cand > best:
                    best, arg = cand, p
            if arg >= 0:
                score[i][q] = best + sim[i][q]
                back[i][q] = arg
    finals = [score[m - 1][q] - SKIP_PENALTY * (n - 1 - q) for q in range(n)]
    q = max(range(n), key=finals.__getitem__)
    if finals[q] == _NEG:  # (headers are numbered in order, so this cannot happen)
        raise ValueError("markers contradict the question order")
    path = [q]
    for i in range(m - 1, 0, -1):
        q = back[i][q]
        path.append(q)
    return path[::-1]
