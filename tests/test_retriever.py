"""The Retriever: follow-up context, query validation, in-memory corpora and entry lookup."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_entry, seed_id
from pydantic import ValidationError

from qabot.cli import format_answer
from qabot.errors import EmptyCorpusError, QabotError, QueryError
from qabot.retriever import MAX_QUERY_CHARS, Retriever


@pytest.fixture(scope="module")
def tiny() -> Retriever:
    return Retriever.from_entries(
        [
            make_entry(
                1, "What is dropout?", "Dropout randomly zeroes activations during training."
            ),
            make_entry(2, "What is momentum?", "Momentum adds a fraction of the previous update."),
            make_entry(3, "What is a kernel?", "A kernel is a small matrix slid over an image."),
        ]
    )


def test_follow_up_is_resolved_with_the_previous_turn(seed_retriever: Retriever) -> None:
    answer = seed_retriever.ask(
        "how do I fix it?", context="what is the vanishing gradient problem"
    )
    assert answer.results[0].question_id == seed_id(9)
    assert answer.resolved_query is not None
    assert "vanishing gradient" in answer.resolved_query


def test_follow_up_shows_the_passage_about_its_own_point(seed_retriever: Retriever) -> None:
    # the previous turn gives the topic; "fix" picks the passage, though Q9's question
    # ("... and How to fix it?") also says "fix"
    answer = seed_retriever.ask(
        "how do I fix it?", context="what is the vanishing gradient problem"
    )
    assert answer.results[0].passage.startswith("Some ways to fix it are:")


def test_a_follow_up_with_no_subject_takes_its_whole_subject_from_the_previous_turn(
    seed_retriever: Retriever,
) -> None:
    # "fix" alone would weigh as much as the half-weighted "overfitting" and pull toward
    # Q9's "How to fix it?"; the turn names no subject, so the previous turn's counts fully
    answer = seed_retriever.ask("how do I fix that?", context="my model is overfitting")
    assert answer.answered
    assert answer.results[0].question_id == seed_id(3)


def test_vague_follow_up_without_a_pronoun_uses_the_previous_turn(
    seed_retriever: Retriever,
) -> None:
    # alone, "what are the types?" matches Q1's "deep learning types"; with the previous
    # turn the merged reading is more confident
    alone = seed_retriever.ask("what are the types?")
    answer = seed_retriever.ask("what are the types?", context="what is an activation function")
    assert alone.results[0].question_id != seed_id(2)
    assert answer.results[0].question_id == seed_id(2)
    assert answer.resolved_query is not None


def test_self_contained_query_ignores_the_context(seed_retriever: Retriever) -> None:
    answer = seed_retriever.ask(
        "what is parameter sharing", context="what is the vanishing gradient problem"
    )
    assert answer.results[0].question_id == seed_id(7)
    assert answer.resolved_query is None


def test_query_without_context_has_no_resolved_query(seed_retriever: Retriever) -> None:
    assert seed_retriever.ask("what is parameter sharing").resolved_query is None


@pytest.mark.parametrize(
    "query",
    ["", "   \n\t ", "x" * (MAX_QUERY_CHARS + 1), "why\x00 batch norm", "batch\x1b[31m norm"],
    ids=["empty", "whitespace", "too-long", "nul", "escape"],
)
def test_bad_query_is_a_query_error(tiny: Retriever, query: str) -> None:
    with pytest.raises(QueryError):
        tiny.ask(query)


@pytest.mark.parametrize("space", ["\t", "\r", "\v", "\f"])
def test_whitespace_controls_in_a_query_are_spaces(tiny: Retriever, space: str) -> None:
    answer = tiny.ask(f"what{space}is{space}dropout")
    assert answer.query == "what is dropout"
    assert answer.results == tiny.ask("what is dropout").results


def test_query_at_the_length_limit_is_accepted(tiny: Retriever) -> None:
    query = ("dropout " * MAX_QUERY_CHARS)[:MAX_QUERY_CHARS]
    assert tiny.ask(query).results[0].question_id == "notes:q1"


def test_retriever_from_entries_answers_from_its_own_corpus(tiny: Retriever) -> None:
    answer = tiny.ask("what does momentum add", k=3)
    assert answer.results[0].question_id == "notes:q2"
    assert answer.results[0].passage == "Momentum adds a fraction of the previous update."


def test_hit_carries_the_entry_source(tiny: Retriever) -> None:
    hit = tiny.ask("kernel matrix").results[0]
    assert hit.question_id == "notes:q3"
    assert (hit.source.path, hit.source.line_start) == ("notes.txt", 3)


def test_entry_is_found_by_id(tiny: Retriever) -> None:
    assert tiny.entry("notes:q2").question == "What is momentum?"


def test_unknown_entry_id_is_a_key_error(tiny: Retriever) -> None:
    with pytest.raises(KeyError):
        tiny.entry("notes:q99")


def test_seed_entry_is_found_by_id(seed_retriever: Retriever) -> None:
    assert seed_retriever.entry(seed_id(4)).question == "Why should we use Batch Normalization?"


def test_a_stored_question_is_never_taken_over_by_the_previous_turn(
    seed_retriever: Retriever,
) -> None:
    # every question of the seed asked verbatim after every other one (Q9 even says "it")
    entries = seed_retriever.entries
    wrong = [
        (e.id, previous.id)
        for e in entries
        for previous in entries
        if previous is not e
        and seed_retriever.ask(e.question, context=previous.question).results[0].question_id != e.id
    ]
    assert wrong == []


def test_entries_without_answer_text_are_an_empty_corpus_error() -> None:
    with pytest.raises(EmptyCorpusError):
        Retriever.from_entries([make_entry(1, "What is dropout?", "")])
    with pytest.raises(EmptyCorpusError):
        Retriever.from_entries([])


def test_an_unanswerable_query_is_not_read_with_the_previous_turn(
    seed_retriever: Retriever,
) -> None:
    # the merged reading is more confident than the query alone, but still no answer:
    # saying "read as: <previous turn> / ..." would only confuse
    answer = seed_retriever.ask("what is the capital of france", context="exploding gradients")
    assert not answer.answered
    assert answer.resolved_query is None


def test_a_question_number_answers_that_question_with_related_ones(
    seed_retriever: Retriever,
) -> None:
    answer = seed_retriever.ask("Q4", k=3)
    assert answer.answered and answer.confidence == 1.0
    ids = [h.question_id for h in answer.results]
    assert ids[0] == seed_id(4) and len(ids) == 3 and len(set(ids)) == 3
    assert answer.results[0].passage.startswith("Batch normalization is a technique")
    scores = [h.score for h in answer.results]
    assert scores == sorted(scores, reverse=True)  # best first, as the JSON contract says
    assert [h.question_id for h in seed_retriever.ask("Q4", k=1).results] == [seed_id(4)]


def test_a_question_number_shows_the_passage_that_answers_it_as_asked(
    seed_retriever: Retriever,
) -> None:
    # Q5 asks "How to know whether ... exploding gradients?": its signs, not its opening
    assert seed_retriever.ask("Q5").results[0].passage.startswith("There are some subtle signs")


def test_a_follow_up_to_a_question_number_leans_on_that_question(
    seed_retriever: Retriever,
) -> None:
    answer = seed_retriever.ask("how do I fix it?", context="Q9")
    assert answer.answered and answer.results[0].question_id == seed_id(9)
    assert answer.results[0].passage.startswith("Some ways to fix it are")


def test_a_question_number_the_corpus_lacks_has_no_answer(seed_retriever: Retriever) -> None:
    answer = seed_retriever.ask("question 11")
    assert not answer.answered and answer.results == []


@pytest.fixture(scope="module")
def quarters() -> Retriever:
    """A corpus whose own words include "Q4", "Q3" and "404"."""
    return Retriever.from_entries(
        [
            make_entry(1, "What was revenue in Q1?", "Ten million."),
            make_entry(2, "What was revenue in Q4?", "Fifteen million."),
            make_entry(3, "What does error 404 mean?", "The page was not found."),
            make_entry(4, "When is the Q3 report published?", "In October."),
        ]
    )


@pytest.mark.parametrize("query", ["Q3", "what is Q3?"])
def test_a_q_number_the_corpus_uses_as_a_word_is_searched_as_one(
    quarters: Retriever, query: str
) -> None:
    assert quarters.ask(query).results[0].question == "When is the Q3 report published?"


def test_a_number_no_question_has_is_searched_when_the_corpus_uses_it(
    quarters: Retriever,
) -> None:
    assert quarters.ask("#404").results[0].question == "What does error 404 mean?"
    assert quarters.ask("question 404").results == []  # (asked as a question number)


@pytest.mark.parametrize(
    ("query", "known"),
    [
        ("when is the Q2 report published", "when is the Q3 report published"),
        ("what was revenue in Q2?", "what was revenue in Q4?"),
        ("Q5 revenue", "Q1 revenue"),
    ],
)
def test_a_code_the_corpus_has_only_with_other_numbers_is_not_answered(
    quarters: Retriever, query: str, known: str
) -> None:
    # the corpus speaks of Q1, Q3 and Q4: Q2 is another thing of the same kind
    assert not quarters.ask(query).answered
    assert quarters.ask(known).answered


@pytest.mark.parametrize("query", ["#2", "question 2", "question two"])
def test_other_forms_of_a_number_still_name_the_question(quarters: Retriever, query: str) -> None:
    answer = quarters.ask(query)
    assert answer.confidence == 1.0
    assert answer.results[0].question == "What was revenue in Q4?"


def test_a_number_several_documents_share_is_offered_as_suggestions() -> None:
    retriever = Retriever.from_entries(
        [
            make_entry(1, "What is a widget?", "A widget is a part.", "a.txt"),
            make_entry(1, "What is a gizmo?", "A gizmo is a device.", "b.txt"),
        ]
    )
    answer = retriever.ask("Q1")
    assert not answer.answered
    assert [h.question_id for h in answer.results] == ["a:q1", "b:q1"]
    chosen = retriever.ask("b:q1")  # the full id picks one
    assert chosen.answered and chosen.results[0].passage == "A gizmo is a device."


@pytest.fixture(scope="module")
def sprocket_unanswered() -> Retriever:
    """Three questions; the document leaves the second, about sprockets, unanswered."""
    return Retriever.from_entries(
        [
            make_entry(1, "What is a widget?", "A widget is a part."),
            make_entry(2, "What is a sprocket?", ""),
            make_entry(3, "What is a gizmo?", "A gizmo is a device."),
        ]
    )


def test_a_question_number_its_document_leaves_unanswered_is_no_answer(
    sprocket_unanswered: Retriever,
) -> None:
    answer = sprocket_unanswered.ask("Q2")
    assert not answer.answered
    assert [(h.question_id, h.passage) for h in answer.results] == [("notes:q2", "")]


def test_a_question_its_document_leaves_unanswered_is_suggested_when_asked_in_words(
    sprocket_unanswered: Retriever,
) -> None:
    retriever = sprocket_unanswered
    answer = retriever.ask("what is a sprocket")
    assert not answer.answered
    first = answer.results[0]
    assert (first.question_id, first.answer) == ("notes:q2", "")
    scores = [h.score for h in answer.results]
    assert scores == sorted(scores, reverse=True)
    shown = format_answer(answer)
    assert "Q2: What is a sprocket?  (unanswered in its document)" in shown
    # an answered query gets no unanswered suggestion
    assert all(h.answer for h in retriever.ask("what is a gizmo").results)


@pytest.mark.parametrize("k", [0, -3, 2.5, True])
def test_a_k_below_one_or_not_whole_is_a_query_error(seed_retriever: Retriever, k: object) -> None:
    with pytest.raises(QueryError, match="k must be"):
        seed_retriever.ask("why batch norm", k=k)  # type: ignore[arg-type]


def test_entries_handed_out_cannot_change_the_retriever(seed_retriever: Retriever) -> None:
    entries = seed_retriever.entries
    entries.sort(key=lambda e: e.question)
    entries.clear()
    best = seed_retriever.ask("why batch norm").results[0]
    assert best.question_id == seed_id(4) and "Batch Normalization" in best.question
    with pytest.raises(ValidationError):
        seed_retriever.entry(seed_id(4)).answer = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (5, "context must be text"),
        ("x" * 2001, "context is too long"),
        ("a\x00b", "context contains"),
    ],
)
def test_a_bad_previous_turn_is_a_query_error_that_names_the_context(
    seed_retriever: Retriever, context: object, message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        seed_retriever.ask("how do I fix it?", context=context)  # type: ignore[arg-type]


def test_the_threshold_decides_what_is_answered_not_the_confidence(
    seed_retriever: Retriever,
) -> None:
    # its words answer it weakly (0.38), its meaning better: under a low threshold the words'
    # reading had counted as the answer, and the meaning was not tried
    query = "training accuracy is great but test accuracy is bad, how to fix"
    answers = {t: seed_retriever.with_config(threshold=t).ask(query) for t in (0.2, 0.45, 0.9)}
    assert len({a.confidence for a in answers.values()}) == 1
    assert len({a.best.question_id for a in answers.values() if a.best}) == 1
    assert answers[0.2].answered and not answers[0.9].answered


@pytest.mark.parametrize("threshold", [2, -0.1, float("nan"), "x"])
def test_a_threshold_outside_0_to_1_is_refused(
    seed_retriever: Retriever, threshold: object
) -> None:
    with pytest.raises(ValueError, match=r"threshold must be a number in 0\.\.1"):
        seed_retriever.with_config(threshold=threshold)


def test_from_entries_refuses_duplicate_ids_and_a_string_of_synonyms() -> None:
    twice = [make_entry(1, "What is x?", "X is y."), make_entry(1, "What is z?", "Z is w.")]
    with pytest.raises(QabotError, match="duplicate entry id 'notes:q1'"):
        Retriever.from_entries(twice)
    with pytest.raises(QabotError, match="synonyms must be groups"):
        Retriever.from_entries(twice[:1], synonyms="bn,batch norm")  # type: ignore[arg-type]


def test_a_tag_finds_its_entry_like_its_question_would() -> None:
    tagged = make_entry(1, "What is dropout?", "Randomly zeroing units while training.")
    retriever = Retriever.from_entries(
        [
            tagged.model_copy(update={"tags": ("regularization",)}),
            make_entry(2, "What is momentum?", "A running average of past updates."),
            make_entry(3, "What is a kernel?", "A small matrix slid over an image."),
        ]
    )
    answer = retriever.ask("regularization")
    assert answer.answered
    assert answer.results[0].question_id == "notes:q1"


@pytest.mark.parametrize(
    "query", ["what's the capital of France", "who won the world cup", "what is a GAN"]
)
def test_an_off_topic_turn_is_not_answered_whatever_the_previous_topic(
    seed_retriever: Retriever, query: str
) -> None:
    assert not seed_retriever.ask(query).answered
    for entry in seed_retriever.entries:  # as after picking a question or asking "Q4"
        answer = seed_retriever.ask(query, context=entry.question)
        assert not answer.answered, entry.id


def _tax_faq() -> Retriever:
    deadline = make_entry(
        3, "When is the tax filing deadline?", "Usually April 15, or the next business day."
    ).model_copy(update={"alternates": ("due date for taxes", "when are taxes due")})
    return Retriever.from_entries(
        [
            make_entry(1, "What is a W-2 form?", "It reports your wages and taxes withheld."),
            deadline,
            make_entry(4, "Can I get an extension?", "Yes: file Form 4868 by the deadline."),
        ]
    )


def test_each_alternate_phrasing_is_a_question_asked_as_written() -> None:
    retriever = _tax_faq()
    for query in ("when are taxes due", "due date for taxes", "taxes due"):
        answer = retriever.ask(query)
        assert answer.answered, query  # (the whole question field is 5 terms: 0.4 overlap)
        assert answer.results[0].question_id == "notes:q3", query


def test_an_alternate_is_found_among_many_questions_with_the_same_words(tmp_path: Path) -> None:
    # twelve questions hold both words: only ten are read phrasing by phrasing, those with
    # alternates first, so the one whose alternate is the query as written is never missed
    rows = ["question,answer,alternates"]
    rows += [f"What is the filing deadline for form {n}?,Day {n} of April.," for n in range(12)]
    rows.append("When are my taxes due?,On April 15.,filing deadline")
    (tmp_path / "faq.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for _ in range(2):  # built, then loaded from the persisted index
        retriever = Retriever.from_path(tmp_path / "faq.csv", index_dir=tmp_path / "idx")
        assert retriever.ask("filing deadline").results[0].question_id == "faq:q13"


def test_a_query_echoing_a_question_beats_an_answer_that_has_its_words() -> None:
    for query in ("filing deadline", "tax deadline"):  # the extension's answer says both
        assert _tax_faq().ask(query).results[0].question_id == "notes:q3", query


def test_a_question_asked_as_written_gets_its_answer_even_one_sharing_no_word() -> None:
    retriever = Retriever.from_entries(
        [
            make_entry(1, "What is the capital of Zorbia?", "The capital of Zorbia is Plimton."),
            make_entry(2, "What does the flag of Zorbia look like?", "Three green stripes."),
            make_entry(3, "What is the national dish of Zorbia?", "Fried glorp with mint."),
        ]
    )
    for entry in retriever.entries:
        answer = retriever.ask(entry.question)
        assert answer.answered, entry.question
        assert answer.results[0].question_id == entry.id


@pytest.mark.parametrize(
    "polite",
    [
        "hi, what is relu?",
        "hey can you tell me what relu is",
        "thanks! what is relu",
        "good morning, what is relu?",
        "Good evening! what is relu",
    ],
)
def test_a_greeting_or_thanks_around_a_question_changes_nothing(
    seed_retriever: Retriever, polite: str
) -> None:
    plain, asked = seed_retriever.ask("what is relu"), seed_retriever.ask(polite)
    assert asked.answered and asked.best is not None and plain.best is not None
    assert asked.best.question_id == plain.best.question_id == seed_id(2)
    assert asked.confidence == pytest.approx(plain.confidence)


def test_a_question_the_topic_adds_nothing_to_is_not_shown_as_read_with_it(
    seed_retriever: Retriever,
) -> None:
    # both are items of Q6: the topic raises the confidence but changes no passage
    answer = seed_retriever.ask("what is dropout", context="what is momentum")
    assert answer.answered and answer.resolved_query is None
    assert answer.best is not None and answer.best.passage.startswith("- Dropout rate:")
    follow_up = seed_retriever.ask("how do I fix it?", context="why batch norm")
    assert follow_up.resolved_query == "why batch norm / how do I fix it?"  # (it needs it)


@pytest.mark.parametrize(
    ("query", "question"),
    [
        ("is there wifi", "Is there free Wi-Fi?"),
        ("can I borrow an ebook", "Can I borrow e-books?"),
        ("cost of a checkup", "How much does a check-up cost?"),
    ],
)
def test_a_hyphenated_word_typed_joined_finds_its_question(query: str, question: str) -> None:
    retriever = Retriever.from_entries(
        [
            make_entry(1, "Is there free Wi-Fi?", "Yes, in every reading room."),
            make_entry(2, "Can I borrow e-books?", "Yes, through the app, 10 at a time."),
            make_entry(3, "How much does a check-up cost?", "A check-up costs $80."),
            make_entry(4, "Can I print?", "Yes, 10 cents a page; the printer takes cards."),
        ]
    )
    answer = retriever.ask(query)
    assert answer.answered and answer.best is not None and answer.best.question == question
