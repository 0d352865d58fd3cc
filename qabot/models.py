"""Pydantic models at qabot's boundaries: corpus entries and the JSON answer contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Source(BaseModel):
    """Where a piece of text comes from: a document path and a 1-based, inclusive line range."""

    model_config = ConfigDict(frozen=True)

    path: str
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Source:
        if self.line_end < self.line_start:
            raise ValueError(f"line_end {self.line_end} is before line_start {self.line_start}")
        return self

    @property
    def lines(self) -> str:
        """The line range as a reader writes it: "52-60", or "10" for one line (not "10-10")."""
        if self.line_start == self.line_end:
            return str(self.line_start)
        return f"{self.line_start}-{self.line_end}"

    def __str__(self) -> str:
        return f"{self.path}:{self.lines}"


class Entry(BaseModel):
    """One question with its answer, as parsed from a corpus document (immutable: the index
    is built from it)."""

    model_config = ConfigDict(frozen=True)

    id: str
    question: str
    answer: str
    source: Source
    alternates: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        """True when the document gives an answer for this question."""
        return bool(self.answer.strip())


class Hit(BaseModel):
    """One ranked result: an entry and its best passage for the query."""

    question: str
    question_id: str
    passage: str
    answer: str
    score: float
    source: Source
    matched_terms: list[str] = Field(default_factory=list)
    matched_by: Literal["words", "meaning"] = Field(
        default="words",
        description='"meaning" when the question nearest the query in meaning was chosen'
        " over the word match (its score is then the best word score, its similarity"
        " shows in the confidence).",
    )


class Answer(BaseModel):
    """The reply to one query: the JSON object `qabot ask --json` prints."""

    query: str
    answered: bool
    confidence: float = Field(ge=0.0, le=1.0)
    results: list[Hit] = Field(default_factory=list)
    resolved_query: str | None = Field(
        default=None,
        description="The query actually ranked when a follow-up was resolved with context.",
    )

    @property
    def best(self) -> Hit | None:
        """The top result, if any."""
        return self.results[0] if self.results else None
