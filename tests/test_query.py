"""Query analysis helpers: references to a question by its number, anaphora."""

from __future__ import annotations

import pytest
from conftest import make_entry, seed_id

from qabot.query import (
    is_anaphoric,
    is_small_talk,
    question_number,
    refers_to_subject,
    without_greeting,
)
from qabot.retriever import Retriever


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("Q4", 4),
        ("q 4", 4),
        ("question 7?", 7),
        ("show me #2", 2),
        ("tell me about question 9", 9),
        ("what is Q10?", 10),
        ("read the question 3", 3),
        ("what\u2019s Q4", 4),
        ("Question 4:", 4),
        ("question number 12", 12),
        ("what about Q4", 4),
        ("what does Q4 say", 4),
        ("Q4 please", 4),
        ("question four", 4),
        ("and Q5?", 5),
        ("Q123456789012345678901234", 123456789012345678901234),  # (no question: says so)
    ],
)
def test_a_question_named_by_its_number_is_recognized(query: str, number: int) -> None:
    assert question_number(query) == number


@pytest.mark.parametrize(
    "query",
    [
        "Q4 batch norm",
        "why batch norm",
        "what are the 3 types",
        "q",
        "layer 4",
        "question each component",
        "Q4 vs Q5",
    ],
)
def test_other_queries_are_no_question_reference(query: str) -> None:
    assert question_number(query) is None


def test_pronouns_and_a_leading_and_lean_on_the_previous_turn() -> None:
    assert is_anaphoric("how do I fix it?")
    assert is_anaphoric("and the other one")
    assert not is_anaphoric("how do I fix exploding gradients")


@pytest.mark.parametrize(
    ("query", "keeps"),
    [
        ("how does it help with exploding gradients?", True),
        ("can batch norm prevent it?", True),
        ("what are they used for?", True),
        ("and the exploding one?", False),  # another subject in the previous one's place
        ("what about dropout?", False),
        ("and does it help?", False),
        ("how do I fix exploding gradients", False),
        ("is it possible to resit?", False),  # "it" stands for what follows
        ("is it too late to cancel?", False),
        ("how much does it cost to resit?", False),
        ("is it possible to use them together?", True),
        ("is it mandatory?", True),
    ],
)
def test_a_pronoun_keeps_the_previous_subject_a_substitute_replaces_it(
    query: str, keeps: bool
) -> None:
    assert refers_to_subject(query) is keeps


@pytest.mark.parametrize(
    "query",
    [
        "how do I stop my gradients from vanishing",
        "how can i keep the gradients from vanishing",
        "my gradients vanish, what can I do about it",
        "gradients vanish, what should I try",
    ],
)
def test_a_request_for_a_remedy_asks_for_a_fix(seed_retriever: Retriever, query: str) -> None:
    terms = seed_retriever.analyze(query)
    assert "fix" in terms.weights
    assert not {"stop", "keep", "tri"} & set(terms.weights)  # the frame's verbs are no topic
    assert seed_retriever.ask(query).results[0].passage.startswith("Some ways to fix it are:")


@pytest.mark.parametrize(
    "query", ["how do I know my gradients are exploding", "how can I tell my gradients explode"]
)
def test_asking_how_to_know_asks_for_the_signs(seed_retriever: Retriever, query: str) -> None:
    assert "sign" in seed_retriever.analyze(query).weights
    assert "subtle signs" in seed_retriever.ask(query).results[0].passage


def test_a_misspelled_question_word_does_not_cost_confidence(seed_retriever: Retriever) -> None:
    right = seed_retriever.ask("what is dropout")
    typo = seed_retriever.ask("waht is dropout")
    assert typo.answered and typo.confidence == right.confidence
    assert typo.results[0].question_id == right.results[0].question_id


@pytest.mark.parametrize("query", ["x", "f", "a b c"])
def test_single_letters_are_no_query(seed_retriever: Retriever, query: str) -> None:
    # the seed's formulas say "f(x)": a letter alone matches them but asks nothing
    answer = seed_retriever.ask(query)
    assert not answer.answered and answer.results == []


def test_a_kind_of_answer_without_a_subject_is_not_answered(seed_retriever: Retriever) -> None:
    alone = seed_retriever.ask("how do I fix it?")
    assert not alone.answered and alone.confidence < 0.05
    followup = seed_retriever.ask("how do I fix it?", context="what is the vanishing gradient")
    assert followup.answered
    assert followup.results[0].passage.startswith("Some ways to fix it are:")


def test_a_phrase_counts_once_in_the_size_of_a_query(seed_retriever: Retriever) -> None:
    assert seed_retriever.analyze("learning rate").size() == 1
    assert seed_retriever.analyze("could the learning rate be the reason?").size() == 2


def test_a_short_follow_up_naming_a_phrase_leans_on_the_previous_turn(
    seed_retriever: Retriever,
) -> None:
    # "learning rate" alone points to Q6; two named terms are short enough to lean on Q10
    answer = seed_retriever.ask(
        "might the learning rate be the reason?", context="my loss is stuck after a few epochs"
    )
    assert answer.resolved_query is not None
    assert answer.results[0].question_id == seed_id(10)


def test_a_word_naming_the_kind_of_answer_weighs_less_than_the_subject(
    seed_retriever: Retriever,
) -> None:
    weights = seed_retriever.analyze("how to fix overfitting").weights
    assert (
        weights["fix"] == seed_retriever.config.ask_weight * weights["overfit"] < weights["overfit"]
    )


@pytest.mark.parametrize(
    "turn",
    [
        "thanks",
        "ok",
        "thank you!",
        "cool",
        "bye",
        "got it, thanks",
        "thank you so much!",
        "hi there",
        "that helps",
        "thanks a lot, that was really helpful",
    ],
)
def test_an_acknowledgement_after_an_answer_does_not_repeat_it(
    seed_retriever: Retriever, turn: str
) -> None:
    answer = seed_retriever.ask(turn, context="what is the vanishing gradient problem")
    assert not answer.answered and answer.results == []


@pytest.mark.parametrize(
    "turn", ["ok so how do I fix it?", "thanks, and why does it happen?", "is there a fix?"]
)
def test_a_question_after_an_acknowledgement_is_still_answered(
    seed_retriever: Retriever, turn: str
) -> None:
    answer = seed_retriever.ask(turn, context="what is the vanishing gradient problem")
    assert answer.answered and answer.results[0].question_id == seed_id(9)


@pytest.mark.parametrize(
    ("context", "turn", "number"),
    [
        ("what is the vanishing gradient problem", "and exploding ones?", 5),
        ("why batch norm", "and autoencoders?", 1),
    ],
)
def test_a_follow_up_naming_another_question_s_own_subject_switches_to_it(
    seed_retriever: Retriever, context: str, turn: str, number: int
) -> None:
    answer = seed_retriever.ask(turn, context=context)
    assert answer.resolved_query is None
    assert answer.results[0].question_id == seed_id(number)


@pytest.mark.parametrize(
    ("context", "turn", "number", "passage"),
    [  # Q5's subject, but "it" is batch norm, whose answer speaks of exploding gradients
        # (the effects list says "Tries to Prevent exploding/vanishing gradient")
        ("why batch norm", "how does it help with exploding gradients?", 4, "exploding"),
        ("what are the signs of exploding gradients", "can batch norm prevent it?", 4, ""),
    ],
)
def test_a_pronoun_follow_up_about_another_subject_stays_with_the_previous_one(
    seed_retriever: Retriever, context: str, turn: str, number: int, passage: str
) -> None:
    answer = seed_retriever.ask(turn, context=context)
    assert answer.answered and answer.resolved_query is not None
    assert answer.results[0].question_id == seed_id(number)
    assert passage in answer.results[0].passage


@pytest.mark.parametrize(
    ("context", "turn"),
    [  # Q3 (overfitting) and Q9 (vanishing gradients) never name momentum or the dropout rate
        ("what is momentum", "does it prevent overfitting?"),
        ("what is the dropout rate", "does it cause vanishing gradients?"),
    ],
)
def test_a_pronoun_follow_up_is_not_answered_by_a_question_that_never_names_its_subject(
    seed_retriever: Retriever, context: str, turn: str
) -> None:
    answer = seed_retriever.ask(turn, context=context)
    assert not answer.answered and answer.confidence < seed_retriever.config.threshold
    ids = [hit.question_id for hit in answer.results]  # the previous turn's question first,
    assert ids[0] == seed_id(6) and len(ids) == len(set(ids)) == 5  # then the others


def test_a_pronoun_follow_up_answered_by_a_question_naming_its_subject_stays_answered(
    seed_retriever: Retriever,
) -> None:
    # Q3's answer suggests "convolutional + pooling layers" against overfitting
    answer = seed_retriever.ask("does it reduce overfitting?", context="what is max pooling")
    assert answer.answered and answer.results[0].question_id == seed_id(3)


def test_a_previous_turn_naming_no_subject_does_not_judge_the_follow_up(
    seed_retriever: Retriever,
) -> None:
    alone = seed_retriever.ask("does it prevent overfitting?")
    answer = seed_retriever.ask("does it prevent overfitting?", context="how does it work?")
    assert answer.answered and answer.confidence == alone.confidence


def test_a_follow_up_s_confidence_does_not_depend_on_the_threshold(
    seed_retriever: Retriever,
) -> None:
    turn = "does it prevent overfitting?"
    confidences = {
        seed_retriever.with_config(threshold=t).ask(turn, context="what is momentum").confidence
        for t in (0.1, 0.45, 0.99)
    }
    assert len(confidences) == 1


def test_it_is_the_previous_subject_not_the_question_the_turn_echoes() -> None:
    retriever = Retriever.from_entries(
        [
            make_entry(1, "Is there a textbook?", "Yes: the course follows one book, free online."),
            make_entry(2, "Is attendance mandatory?", "Weekly labs are mandatory."),
        ]
    )
    assert retriever.ask("is attendance mandatory?", context="is there a textbook?").answered
    answer = retriever.ask("is it mandatory?", context="is there a textbook?")
    assert not answer.answered  # (the textbook's answer does not say)
    assert [hit.question_id for hit in answer.results] == ["notes:q1", "notes:q2"]
    # "it" standing for what follows is no previous subject
    assert retriever.ask("is it possible to attend labs?", context="is there a textbook?").answered


@pytest.mark.parametrize("turn", ["how does it help?", "how does that help?"])
def test_asking_how_it_helps_shows_the_benefits(seed_retriever: Retriever, turn: str) -> None:
    answer = seed_retriever.ask(turn, context="why batch norm")
    assert answer.results[0].question_id == seed_id(4)
    assert "has the following effects" in answer.results[0].passage  # not the definition


@pytest.mark.parametrize(
    ("context", "turn", "number"),
    [
        ("loss not decreasing after a few epochs", "why does it happen?", 10),
        ("my loss is not decreasing", "what causes it?", 10),
    ],
)
def test_a_pronoun_follow_up_in_the_corpus_s_words_asks_about_the_previous_subject(
    seed_retriever: Retriever, context: str, turn: str, number: int
) -> None:
    answer = seed_retriever.ask(turn, context=context)
    assert answer.answered and answer.resolved_query is not None
    assert answer.results[0].question_id == seed_id(number)


@pytest.mark.parametrize("turn", ["who invented it?", "how do I pronounce it?"])
def test_a_pronoun_follow_up_about_something_the_corpus_never_says_is_not_answered(
    seed_retriever: Retriever, turn: str
) -> None:
    assert not seed_retriever.ask(turn, context="why batch norm").answered


@pytest.mark.parametrize(
    ("context", "turn"),
    [
        ("what is relu", "what is an LSTM"),  # Q9: "... like in GRUs and LSTMs"
        ("what is momentum", "what is adam"),
        ("what is sigmoid", "what about tanh?"),
    ],
)
def test_a_follow_up_about_a_subject_mentioned_in_passing_abstains_as_it_would_alone(
    seed_retriever: Retriever, context: str, turn: str
) -> None:
    assert not seed_retriever.ask(turn).answered
    assert not seed_retriever.ask(turn, context=context).answered


def test_a_follow_up_whose_words_many_questions_share_keeps_the_topic(
    seed_retriever: Retriever,
) -> None:
    # "use" is in the questions of Q2, Q3, Q4 and Q6: no subject of its own
    answer = seed_retriever.ask("where is it used?", context="what is parameter sharing")
    assert answer.resolved_query is not None
    assert answer.results[0].question_id == seed_id(7)


@pytest.mark.parametrize("frame", ["what's the role of", "what is the purpose of"])
def test_asking_for_the_role_of_a_thing_asks_about_the_thing(
    seed_retriever: Retriever, frame: str
) -> None:
    plain = seed_retriever.ask("what is the decoder")
    framed = seed_retriever.ask(f"{frame} the decoder")
    assert framed.answered and framed.confidence == plain.confidence
    assert "- Decoder - " in framed.results[0].passage


@pytest.mark.parametrize(
    ("text", "small_talk"),
    [
        ("good morning", True),
        ("Good evening!", True),
        ("good morning, thanks", True),
        ("good morning, what is relu?", False),
        ("morning", False),  # alone, it may be a subject: "morning hours"
        ("good model", False),
    ],
)
def test_a_greeting_of_good_and_a_time_of_day_is_small_talk(text: str, small_talk: bool) -> None:
    assert is_small_talk(text) is small_talk


def test_a_greeting_opening_a_query_is_no_part_of_its_words() -> None:
    assert without_greeting("Good morning, what is relu?") == "what is relu?"
    assert without_greeting("morning routines") == "morning routines"
