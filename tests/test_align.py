"""Content alignment: unmarked paragraphs go to questions in order; markers constrain them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qabot.parse.align import (
    _NEG,
    COHESION_WEIGHT,
    LABEL_PENALTY,
    SKIP_PENALTY,
    Unit,
    _cosine,
    _vectors,
    align,
)

QUESTIONS = ["What is dropout?", "What is momentum in optimizers?", "What is a convolution kernel?"]
DROPOUT = "Dropout randomly zeroes activations to regularize."
MOMENTUM = "Momentum accumulates past updates of the optimizer."
KERNEL = "A kernel is a small matrix slid over the image in a convolution."
Document = tuple[list[str], list[Unit]]


def unit(text: str, fixed: int | None = None, starts_answer: bool = False) -> Unit:
    return Unit(lines=[(1, text)], fixed=fixed, starts_answer=starts_answer)


def test_unmarked_paragraphs_go_to_the_most_similar_question() -> None:
    assert align(QUESTIONS, [unit(DROPOUT), unit(MOMENTUM), unit(KERNEL)]) == [0, 1, 2]


def test_header_unit_is_fixed_to_its_question_whatever_it_says() -> None:
    assert align(QUESTIONS, [unit(DROPOUT, fixed=2)]) == [2]
    assert align(QUESTIONS, [unit(MOMENTUM, fixed=0), unit(MOMENTUM)]) == [0, 1]


def test_unmarked_continuation_stays_with_the_question_before_it() -> None:
    questions = QUESTIONS[:2]
    units = [unit(DROPOUT), unit("Dropout is applied during training only."), unit(MOMENTUM)]
    assert align(questions, units) == [0, 0, 1]


def test_answer_label_unit_starts_a_new_question() -> None:
    questions = QUESTIONS[:2]
    units = [
        unit(DROPOUT),
        unit("Dropout is applied during training only.", starts_answer=True),
        unit(MOMENTUM),
    ]
    assert align(questions, units) == [0, 1, 1]


def test_alignment_is_monotone_even_when_content_is_out_of_order() -> None:
    owners = align(QUESTIONS, [unit(DROPOUT), unit(KERNEL), unit(MOMENTUM)])
    assert owners == sorted(owners)


def test_markers_against_the_question_order_are_rejected() -> None:
    with pytest.raises(ValueError, match="contradict"):
        align(QUESTIONS, [unit(KERNEL, fixed=2), unit(DROPOUT, fixed=0)])


def test_no_units_give_no_owners() -> None:
    assert align(QUESTIONS, []) == []


def test_a_second_answer_label_under_one_header_stays_with_it() -> None:
    units = [
        unit(DROPOUT, fixed=0),
        unit("It is also a cheap form of ensembling.", starts_answer=True),
        unit(MOMENTUM, fixed=1),
    ]
    assert align(QUESTIONS[:2], units) == [0, 0, 1]


def test_units_between_two_headers_go_to_the_questions_between_them() -> None:
    # the kernel paragraph is most like question 2, but the header of question 1 follows it
    units = [unit(DROPOUT, fixed=0), unit(KERNEL), unit(MOMENTUM, fixed=1)]
    assert align(QUESTIONS, units) == [0, 0, 1]


def test_markers_outside_the_questions_are_rejected() -> None:
    for fixed in (-1, len(QUESTIONS)):
        with pytest.raises(ValueError, match="contradict"):
            align(QUESTIONS, [unit(DROPOUT), unit(KERNEL, fixed=fixed)])


def test_a_long_document_of_headed_answers_keeps_every_header() -> None:
    questions = [f"What is topic{k}?" for k in range(3000)]
    units = [
        u
        for k in range(3000)
        for u in (unit(f"topic{k} is this.", fixed=k), unit(f"More on topic{k}."))
    ]
    assert align(questions, units) == [k for k in range(3000) for _ in (0, 1)]


def _full_scan(questions: list[str], units: list[Unit]) -> list[int]:
    """The alignment as the plain dynamic programme finds it: every unit at every question,
    after every earlier question (the reference that `align` must equal, ties included)."""
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
    if finals[q] == _NEG:
        raise ValueError("markers contradict the question order")
    path = [q]
    for i in range(m - 1, 0, -1):
        q = back[i][q]
        path.append(q)
    return path[::-1]


# few words, so that texts repeat and paragraphs without any term tie at every question
TEXTS = st.lists(
    st.sampled_from(["dropout", "momentum", "kernel", "batch", "norm", "the", "what", "1."]),
    max_size=4,
).map(" ".join)


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[str], list[Unit]]:
    questions = draw(st.lists(TEXTS, min_size=1, max_size=25))
    headers = sorted(draw(st.sets(st.integers(0, len(questions) - 1))))
    units = []
    for text in draw(st.lists(TEXTS, max_size=40)):
        fixed = headers.pop(0) if headers and draw(st.booleans()) else None
        if draw(st.integers(0, 30)) == 0:  # now and then a header out of order
            fixed = draw(st.integers(-1, len(questions)))
        units.append(unit(text, fixed=fixed, starts_answer=draw(st.integers(0, 3)) == 0))
    return questions, units


def _outcome(method: Callable[[list[str], list[Unit]], list[int]], doc: Document) -> object:
    try:
        return method(*doc)
    except ValueError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_alignment_equals_the_full_dynamic_programme(doc: Document) -> None:
    assert _outcome(align, doc) == _outcome(_full_scan, doc)
