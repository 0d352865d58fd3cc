"""Retrieval metrics on labeled queries: P@1, MRR@5, Recall@3, passage accuracy, abstention."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from qabot.errors import CorpusError
from qabot.models import Answer
from qabot.retriever import Retriever
from qabot.text import normalize

K = 5


class LabeledQuery(BaseModel):
    """One labeled query: `expected` is the answering entry id, or None when out of domain."""

    query: str
    expected: str | None
    passages: list[str] = Field(default_factory=list)
    kind: str = "query"
    split: str = "report"


class Conversation(BaseModel):
    """Two (or more) turns; the last turn's answer is labeled."""

    turns: list[str]
    expected: str | None
    passages: list[str] = Field(default_factory=list)
    kind: str = "followup"
    split: str = "report"


def read_jsonl(path: Path, model: type[BaseModel]) -> list:
    """Read a JSON Lines file of `model` objects (CorpusError naming the bad line)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(model.model_validate_json(line))
            except ValueError as exc:
                raise CorpusError(
                    path, f"bad labeled query: {str(exc).splitlines()[0]}", number
                ) from None
    return items


@dataclass
class Outcome:
    """What the retriever did with one labeled query."""

    label: LabeledQuery | Conversation
    answer: Answer

    @property
    def ids(self) -> list[str]:
        return [h.question_id for h in self.answer.results]

    @property
    def rank(self) -> int | None:
        """1-based rank of the expected entry, None if absent."""
        expected = self.label.expected
        return self.ids.index(expected) + 1 if expected in self.ids else None

    @property
    def passage_hit(self) -> bool | None:
        """Whether the top passage contains a labeled substring (None if none labeled)."""
        if not self.label.passages:
            return None
        if self.rank != 1:
            return False
        top = " ".join(normalize(self.answer.results[0].passage).split())
        return any(" ".join(normalize(p).split()) in top for p in self.label.passages)


@dataclass
class Metrics:
    """Aggregate metrics of a set of outcomes."""

    n_in: int = 0
    n_out: int = 0
    p_at_1: float = 0.0
    mrr: float = 0.0
    recall_at_3: float = 0.0
    passage_accuracy: float = 0.0
    n_passage: int = 0
    ood_abstention: float = 0.0
    false_abstention: float = 0.0
    misses: list[str] = field(default_factory=list)


def metrics(outcomes: Sequence[Outcome]) -> Metrics:
    """Compute the metrics of `outcomes` (in-domain ranking, passages, abstention)."""
    inside = [o for o in outcomes if o.label.expected is not None]
    outside = [o for o in outcomes if o.label.expected is None]
    passage = [o.passage_hit for o in inside if o.passage_hit is not None]
    m = Metrics(n_in=len(inside), n_out=len(outside), n_passage=len(passage))
    if inside:
        m.p_at_1 = sum(o.rank == 1 for o in inside) / len(inside)
        m.mrr = sum(1 / o.rank for o in inside if o.rank and o.rank <= K) / len(inside)
        m.recall_at_3 = sum(bool(o.rank and o.rank <= 3) for o in inside) / len(inside)
        m.false_abstention = sum(not o.answer.answered for o in inside) / len(inside)
    if passage:
        m.passage_accuracy = sum(passage) / len(passage)
    if outside:
        m.ood_abstention = sum(not o.answer.answered for o in outside) / len(outside)
    m.misses = [describe_miss(o) for o in outcomes if is_miss(o)]
    return m


def is_miss(outcome: Outcome) -> bool:
    """A wrong top answer, a wrong passage, a false abstention, or an answered OOD query."""
    if outcome.label.expected is None:
        return outcome.answer.answered
    return outcome.rank != 1 or outcome.passage_hit is False or not outcome.answer.answered


def describe_miss(outcome: Outcome) -> str:
    """One line saying what went wrong for a query."""
    label, answer = outcome.label, outcome.answer
    query = label.query if isinstance(label, LabeledQuery) else " / ".join(label.turns)
    top = answer.results[0] if answer.results else None
    got = f"{top.question_id.rsplit(':', 1)[-1]} {top.passage[:50]!r}" if top else "nothing"
    want = label.expected.rsplit(":", 1)[-1] if label.expected else "abstain"
    return (
        f"[{label.split}/{label.kind}] {query!r}: want {want}, got {got} "
        f"(answered={answer.answered}, conf={answer.confidence:.2f})"
    )


def run_queries(retriever: Retriever, labels: Iterable[LabeledQuery]) -> list[Outcome]:
    """Ask every labeled query."""
    return [Outcome(label, retriever.ask(label.query, k=K)) for label in labels]


def run_conversations(retriever: Retriever, conversations: Iterable[Conversation]) -> list[Outcome]:
    """Ask each conversation's turns in order, the previous query as context, as the chat does."""
    outcomes = []
    for conversation in conversations:
        context: str | None = None
        answer = None
        for turn in conversation.turns:
            answer = retriever.ask(turn, k=K, context=context)
            context = answer.resolved_query or turn
        assert answer is not None
        outcomes.append(Outcome(conversation, answer))
    return outcomes


def load_labels(path: Path) -> list[LabeledQuery]:
    """Labeled queries from a JSON Lines file."""
    return read_jsonl(path, LabeledQuery)


def load_conversations(path: Path) -> list[Conversation]:
    """Labeled conversations from a JSON Lines file."""
    return read_jsonl(path, Conversation)


def by_kind(outcomes: Sequence[Outcome]) -> dict[str, list[Outcome]]:
    """Outcomes grouped by query kind."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.label.kind].append(outcome)
    return dict(sorted(groups.items()))


def to_json(m: Metrics) -> str:
    """Metrics as JSON (without the misses)."""
    data = {k: v for k, v in m.__dict__.items() if k != "misses"}
    return json.dumps(data)
