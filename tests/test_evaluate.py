"""Evaluation: the metrics, the labeled-data reader, and the integrity of the labeled data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS_DIR, make_entry

from qabot.errors import CorpusError
from qabot.evaluate import (
    LabeledQuery,
    Outcome,
    load_conversations,
    load_labels,
    metrics,
)
from qabot.models import Answer, Hit, Source
from qabot.retriever import Retriever
from qabot.text import normalize

EVAL_DIR = CORPUS_DIR / "eval"
SPLITS = {"tune", "report", "holdout"}


def _hit(entry_id: str, passage: str = "some passage") -> Hit:
    return Hit(
        question="q?",
        question_id=entry_id,
        passage=passage,
        answer=passage,
        score=1.0,
        source=Source(path="x.txt", line_start=1, line_end=1),
    )


def _outcome(expected: str | None, ids: list[str], answered: bool, passages=()) -> Outcome:
    label = LabeledQuery(query="q", expected=expected, passages=list(passages))
    answer = Answer(
        query="q", answered=answered, confidence=0.5, results=[_hit(i, f"text {i}") for i in ids]
    )
    return Outcome(label, answer)


def test_metrics_count_rank_passage_and_abstention() -> None:
    outcomes = [
        _outcome("a", ["a", "b"], True, ["text a"]),  # right, right passage
        _outcome("a", ["b", "a"], True, ["text a"]),  # second: MRR 1/2, passage miss
        _outcome("a", ["b", "c", "d", "a"], False),  # fourth, abstained
        _outcome(None, ["a"], False),  # OOD, abstained
        _outcome(None, ["a"], True),  # OOD, answered
    ]
    m = metrics(outcomes)
    assert (m.n_in, m.n_out, m.n_passage) == (3, 2, 2)
    assert m.p_at_1 == pytest.approx(1 / 3)
    assert m.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 3)
    assert m.recall_at_3 == pytest.approx(2 / 3)
    assert m.passage_accuracy == pytest.approx(1 / 2)
    assert m.false_abstention == pytest.approx(1 / 3)
    assert m.ood_abstention == pytest.approx(1 / 2)
    assert len(m.misses) == 3  # wrong first, abstained, answered OOD


def test_a_bad_labeled_line_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"query": "ok", "expected": null}\n{"query": 3\n', encoding="utf-8")
    with pytest.raises(CorpusError) as error:
        load_labels(path)
    assert "labels.jsonl" in str(error.value) and ":2" in str(error.value)


def test_passage_hit_needs_the_right_entry_first() -> None:
    retriever = Retriever.from_entries(
        [make_entry(1, "What is a widget?", "A widget is a small part of a machine.")]
    )
    label = LabeledQuery(query="widget", expected="notes:q1", passages=["small part"])
    assert Outcome(label, retriever.ask("widget")).passage_hit is True
    wrong = LabeledQuery(query="widget", expected="notes:q2", passages=["small part"])
    assert Outcome(wrong, retriever.ask("widget")).passage_hit is False


@pytest.fixture(scope="module")
def labels() -> list[LabeledQuery]:
    return [*load_labels(EVAL_DIR / "queries.jsonl"), *load_labels(EVAL_DIR / "holdout.jsonl")]


def test_labeled_queries_are_unique_across_files(labels: list[LabeledQuery]) -> None:
    keys = [" ".join(label.query.lower().split()) for label in labels]
    assert len(keys) == len(set(keys))
    assert {label.split for label in labels} <= SPLITS


def test_every_label_names_an_entry_and_passages_from_its_answer(
    seed_retriever: Retriever, labels: list[LabeledQuery]
) -> None:
    answers = {e.id: " ".join(normalize(e.answer).split()) for e in seed_retriever.entries}
    for label in labels:
        if label.expected is None:
            assert not label.passages, label.query
            continue
        assert label.expected in answers, label.query
        for passage in label.passages:
            assert " ".join(normalize(passage).split()) in answers[label.expected], passage


FIXTURES = Path(__file__).parent / "fixtures"


# blind FAQs of other domains, to measure documents unlike the seed: appliances (Markdown),
# invoicing software (Q:/A: text), a bank (CSV) and an airline (hand-wrapped Markdown)
@pytest.mark.parametrize(
    ("domain", "size"), [("appliances", 24), ("tallybird", 24), ("bank", 25), ("travel", 25)]
)
def test_other_domain_labels_name_their_entries_and_passages(domain: str, size: int) -> None:
    retriever = Retriever.from_path(FIXTURES / domain, cache=False)
    answers = {e.id: " ".join(normalize(e.answer).split()) for e in retriever.entries}
    assert len(answers) == size  # a title, headings or an introduction are no entries
    labels = load_labels(FIXTURES / domain / "eval" / "queries.jsonl")
    assert {label.split for label in labels} == {"tune", "holdout"}
    for label in labels:
        if label.expected is None:
            continue
        assert label.expected in answers, label.query
        for passage in label.passages:
            assert " ".join(normalize(passage).split()) in answers[label.expected], passage


def test_conversations_end_with_a_labeled_turn(seed_retriever: Retriever) -> None:
    ids = {e.id for e in seed_retriever.entries}
    conversations = load_conversations(EVAL_DIR / "conversations.jsonl")
    assert conversations
    for conversation in conversations:
        assert len(conversation.turns) >= 2
        assert conversation.expected is None or conversation.expected in ids
