"""The meaning match: a query that shares no words with its question still finds it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import make_entry

from qabot.retriever import Retriever
from qabot.semantic import MeaningMatch, PassageVectors, QuestionVectors, query_vector

FIXTURES = Path(__file__).parent / "fixtures"

AIRLINE_FAQ = [
    make_entry(1, "Can I travel with my pet?", "Small animals fly in the cabin in a carrier."),
    make_entry(2, "How much baggage can I bring?", "One cabin bag of 10 kg and a personal item."),
    make_entry(3, "How do I book a flight?", "Book on our website or in the app."),
    make_entry(4, "Can my child fly on their own?", "From 12 years old, with our escort service."),
    make_entry(5, "What about seats?", ""),  # asked, never answered
]
DOG = "can I take my dog with me on the plane"


@pytest.fixture(scope="module")
def airline() -> Retriever:
    return Retriever.from_entries(AIRLINE_FAQ)


def test_the_nearest_question_in_meaning_shares_no_word_with_the_query() -> None:
    match = QuestionVectors(AIRLINE_FAQ).nearest(DOG)
    assert match is not None and match.entry == 0  # the pet question
    assert match.similarity > 0.6 and match.margin > 0.1


def test_an_unanswered_question_is_never_the_nearest() -> None:
    match = QuestionVectors(AIRLINE_FAQ, unanswered=[4]).nearest("what about the seats?")
    assert match is not None and match.entry != 4


def test_a_paraphrase_the_words_miss_is_answered_by_meaning(airline: Retriever) -> None:
    answer = airline.ask(DOG)
    assert answer.answered and answer.results[0].question_id == "notes:q1"
    assert answer.results[0].matched_by == "meaning"
    assert {hit.matched_by for hit in answer.results[1:]} <= {"words"}
    assert 0.5 <= answer.confidence < 1.0
    # the words alone do not answer it: the meaning match does
    assert not airline.with_config(meaning_min=0.0).ask(DOG).answered


def test_a_child_flying_alone_finds_its_question(airline: Retriever) -> None:
    answer = airline.ask("my 9 year old wants to fly by himself to see his dad")
    assert answer.answered and answer.results[0].question_id == "notes:q4"


@pytest.mark.parametrize(
    "query",
    [
        "can my dog travel with a vape",  # near the pet question, but "vape" is not in it
        "who invented the cabin bag",  # the answer must say who
        "how do I fix it?",  # no subject at all
    ],
)
def test_the_meaning_match_does_not_answer_what_the_corpus_lacks(
    airline: Retriever, query: str
) -> None:
    assert not airline.ask(query).answered


def test_a_confident_word_match_is_left_as_it_is(airline: Retriever) -> None:
    answer = airline.ask("how much baggage can I bring")
    assert answer.results[0].question_id == "notes:q2"
    assert answer.results[0].matched_by == "words"
    assert (
        answer.confidence
        == airline.with_config(meaning_min=0.0).ask("how much baggage can I bring").confidence
    )


def test_a_weak_word_match_gives_way_to_a_question_much_nearer_in_meaning() -> None:
    # the words meet "Can I book a flight for someone else?" ("need", "flight"); the meaning
    # is "What time should I get to the airport?"
    travel = Retriever.from_path(FIXTURES / "travel", cache=False)
    query = "how early must I be at the airport before my flight"
    words_only = travel.with_config(meaning_override=0.0).ask(query)
    assert words_only.results[0].question_id == "skyway-airlines-faq:q3"
    answer = travel.ask(query)
    assert answer.answered and answer.results[0].question_id == "skyway-airlines-faq:q11"


def test_an_everyday_phrase_the_corpus_lacks_names_no_subject() -> None:
    # "sign up" (a built-in synonym phrase) is not in this FAQ; it is everyday English, no
    # subject the FAQ lacks, so the meaning match may answer ("webhooks" would be one)
    gym = Retriever.from_entries(
        [
            make_entry(1, "How do I join the gym?", "Join online or at the front desk."),
            make_entry(2, "Is there parking?", "Yes, 40 free spaces behind the building."),
            make_entry(3, "What are your opening hours?", "6am to 10pm every day."),
        ]
    )
    answer = gym.ask("I want to start working out with you, how do I sign up?")
    assert answer.answered and answer.results[0].question_id == "notes:q1"


def test_a_meaning_match_never_turns_a_word_answer_into_none(
    airline: Retriever, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict = airline.with_config(threshold=0.7)
    query = "is there a baggage limit"
    words = strict.with_config(meaning_min=0.0).ask(query)
    assert words.answered and words.confidence < 0.8  # (a weak word answer: below 0.8)
    # a nearer question whose confidence is under this threshold must not replace it
    nearest = MeaningMatch(0, 0.9, 0.5, np.array([0.9, 0.1, 0.1, 0.1, -1.0]))
    monkeypatch.setattr(
        Retriever, "_meaning_match", lambda self, text, query, rival: (nearest, 0.6)
    )
    answer = strict.ask(query)
    assert answer.answered and answer.results[0].question_id == words.results[0].question_id


def test_passage_vectors_are_encoded_an_answer_at_a_time_as_needed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qabot import encoder

    texts = ["Dropout zeroes units.", "Momentum adds past updates.", "Pooling shrinks maps."]
    calls: list[int] = []
    real_encode = encoder.encode
    monkeypatch.setattr(encoder, "encode", lambda t: calls.append(len(t)) or real_encode(t))
    vectors = PassageVectors(texts, np.array([False, True, True]))
    first = vectors.of_range(1, 3)
    again = vectors.of_range(1, 3)
    assert calls == [2] and again is first  # encoded once, then kept
    assert np.allclose(first, vectors.matrix[1:3], atol=1e-5)  # the same as all at once
    assert calls == [2, 2]  # (all at once: only the chosen passages)
    norms = np.linalg.norm(vectors.matrix, axis=1)
    assert norms[0] == 0.0 and np.allclose(norms[1:], 1.0, atol=1e-4)


def test_a_query_vector_is_read_only_and_kept() -> None:
    vector = query_vector("why does dropout help, asked for this test")
    assert query_vector("why does dropout help, asked for this test") is vector
    with pytest.raises(ValueError):
        vector[0] = 1.0


def test_a_meaning_answer_keeps_only_related_questions_near_the_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qabot import retriever as retriever_module

    travel = Retriever.from_path(FIXTURES / "travel", cache=False)
    query = "can I take my dog with me on the plane"
    answer = travel.ask(query)
    assert answer.results[0].matched_by == "meaning"
    assert answer.results[0].question == "Can I travel with my pet?"
    match = travel.index.question_vectors.nearest(query)
    assert match is not None
    ids = travel.index.entry_ids
    nearness = {
        hit.question_id: match.of_entry[ids.index(hit.question_id)] for hit in answer.results
    }
    assert all(n >= retriever_module.RELATED_MEANING_MIN for n in nearness.values())
    # without the floor, a word match far from it in meaning ("join SkyMiles": "take") shows
    monkeypatch.setattr(retriever_module, "RELATED_MEANING_MIN", -1.0)
    unfiltered = travel.ask(query).results
    assert len(unfiltered) > len(answer.results)
