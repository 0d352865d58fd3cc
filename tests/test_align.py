"""Content alignment: unmarked paragraphs go to questions in order; markers constrain them."""

from __future__ import annotations

import pytest

from qabot.parse.align import Unit, align

QUESTIONS = ["What is dropout?", "What is momentum in optimizers?", "What is a convolution kernel?"]
DROPOUT = "Dropout randomly zeroes activations to regularize."
MOMENTUM = "Momentum accumulates past updates of the optimizer."
KERNEL = "A kernel is a small matrix slid over the image in a convolution."


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
