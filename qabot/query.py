"""Query analysis: a query (and the previous turn of a conversation) as weighted terms."""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from qabot.corpus import CorpusIndex
from qabot.text import Token, normalize, tokens, word_features

_QUESTION_NUMBER = re.compile(
    r"^\s*(?:(?:and\s+)?(?:show(?:\s+me)?|tell\s+me\s+about|what\s+is|what'?s|open|read|go\s+to|"
    r"answer(?:\s+to)?|what\s+about|how\s+about|what\s+does|what\s+do|give\s+me|"
    r"(?:can|could)\s+you\s+show(?:\s+me)?|and)\s+)?(?:the\s+)?(?:q|question|#)\s*"
    r"(?:(?:number|no\.?)\s*)?(\d+)\s*(?:say|says|please|pls)?\s*[?.!:]*\s*$",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_QUESTION_WORD_NUMBER = re.compile(
    r"\b(question|q)\s+(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE
)
ANAPHORA = frozenset("it its this that these those they them their one ones there such".split())
# Pronouns that stand for the previous turn's subject ("how does it help with X?"), unlike
# "one"/"ones" or a leading "and", which put something else in its place ("and the exploding
# one?")
SUBJECT_PRONOUNS = frozenset("it its itself this these they them their".split())
SUBSTITUTES = frozenset("one ones".split())
SUBSTITUTE_OPENINGS = frozenset({"what about", "how about"})


class RankedEntry(NamedTuple):
    """One entry of a ranking: its index, the passage to show, its score."""

    entry: int
    passage: int
    score: float


@dataclass
class QueryTerms:
    """An analyzed query: weighted index terms plus the words they came from."""

    weights: dict[str, float] = field(default_factory=dict)
    sequences: list[tuple[list[str], float]] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)  # term -> the first word that gave it
    own: set[str] = field(default_factory=set)  # terms of the turn itself (not the previous)
    named: set[str] = field(default_factory=set)  # terms of whole tokens (not phrase parts)
    # the text whose meaning the query has (`meaning`), when its corpus has passage vectors
    # to compare it with: it helps choose among passages that its words cannot tell apart
    meaning_text: str | None = None

    @property
    def turn_terms(self) -> Set[str]:
        """The terms of the turn itself: its own, or all of them for terms built by hand
        (no previous turn to tell apart)."""
        return self.own or self.weights.keys()

    def meaning(self) -> np.ndarray | None:
        """The query's sentence vector (encoded on first use, `semantic.query_vector`)."""
        if self.meaning_text is None:
            return None
        from qabot.semantic import query_vector

        return query_vector(self.meaning_text)

    def add(self, query_tokens: list[Token], weight: float, part_weight: float = 1.0) -> None:
        """Add the content tokens of one text with a weight (`part_weight` times less for the
        words of a phrase, which is already counted once as its canonical term)."""
        content = [t.term for t in query_tokens if not t.stop]
        for tok in query_tokens:
            if not tok.stop:
                if not tok.part:
                    self.named.add(tok.term)
                share = weight * (part_weight if tok.part else 1.0)
                self.weights[tok.term] = self.weights.get(tok.term, 0.0) + share
                self.words.setdefault(tok.term, tok.surface)
        if content:
            self.sequences.append((content, weight))

    def size(self) -> int:
        """How many terms a query names, a phrase ("learning rate") counting once."""
        return len(self.named)

    def features(self) -> dict[str, float]:
        """Weighted TF-IDF features (unigrams and bigrams within each text)."""
        out: dict[str, float] = {}
        for content, weight in self.sequences:
            for feature in word_features(content):
                out[feature] = out.get(feature, 0.0) + weight
        return out


def analyze_query(
    index: CorpusIndex,
    query: str,
    context: str | None = None,
    *,
    context_weight: float = 0.5,
    part_weight: float = 0.5,
    ask_weight: float = 1.0,
) -> QueryTerms:
    """Analyze a query (and optionally the previous turn, at `context_weight`) into weighted
    terms; each word of a multiword phrase weighs `part_weight` next to the phrase's term."""
    result = QueryTerms()
    if context:
        context_tokens = index.lexicon.expand(tokens(context, index.phrases), index.phrases)
        result.add(context_tokens, context_weight, part_weight)
    query_tokens = index.lexicon.expand(
        tokens(without_greeting(query), index.phrases), index.phrases
    )
    result.add(query_tokens, 1.0, part_weight)
    result.own = {t.term for t in query_tokens if not t.stop}
    if ask_weight != 1.0:
        for t in index.ask_terms & result.weights.keys():
            result.weights[t] *= ask_weight
    return result


# A turn made only of these acknowledges or greets: it asks nothing, of the previous turn either
SMALL_TALK = frozenset(
    "thanks thank you thx ty ok okay k kk cool great nice awesome perfect good fine alright "
    "sure yes yep yeah no nope bye goodbye cya hi hello hey cheers got it that makes sense "
    "understood lol wow hmm much a lot very so there helps helped helpful appreciate "
    "appreciated excellent brilliant amazing this was is really all again for everyone "
    "guys mate buddy".split()
)
# A turn starting with one of these asks something ("is that good?", "was it helpful?")
_QUESTION_OPENERS = frozenset(
    "is are was were do does did can could should would will what why how when where which "
    "who".split()
)


# "good morning" and the like, opening a turn (on their own words, "morning" may be a subject)
_GREETING = re.compile(r"^\s*good\s+(?:morning|afternoon|evening|day|night)\b[\s,.!;:-]*", re.I)


def without_greeting(query: str) -> str:
    """A query without the greeting it opens with ("good morning, what is relu?" -> "what is
    relu?")."""
    return _GREETING.sub("", query, count=1)


def is_small_talk(query: str) -> bool:
    """Whether a turn only acknowledges or greets ("thanks!", "ok cool", "got it, bye",
    "good morning")."""
    words = re.findall(r"[a-z']+", without_greeting(query).lower())
    if not words:
        return _GREETING.match(query) is not None
    if words[0] in _QUESTION_OPENERS:
        return False
    return all(w in SMALL_TALK for w in words)


def is_anaphoric(query: str) -> bool:
    """Whether a query leans on an earlier turn ("how do I fix it?", "and the other one?")."""
    words = [w.strip("?!.,;:'\"").lower() for w in query.split()]
    return bool(words) and (any(w in ANAPHORA for w in words) or words[0] in {"and", "also"})


def refers_to_subject(query: str) -> bool:
    """Whether a turn speaks of the previous turn's subject by a pronoun ("does it help with
    exploding gradients?"), rather than putting another subject in its place ("and the
    exploding one?", "what about dropout?")."""
    words = [w.strip("?!.,;:'\"").lower() for w in _DUMMY_IT.sub(" ", query).split()]
    if not words or words[0] in {"and", "also"} or " ".join(words[:2]) in SUBSTITUTE_OPENINGS:
        return False
    return any(w in SUBJECT_PRONOUNS for w in words) and not any(w in SUBSTITUTES for w in words)


# "it" standing for what follows ("is it possible to resit?", "is it too late to cancel?",
# "how much does it cost to resit?"), not for the previous turn's subject
_DUMMY_IT = re.compile(
    r"\b(?:is|was|isn't|wasn't|will|would|does|did)\s+it(?:\s+be)?(?:\s+[\w']+){1,2}?"
    r"\s+(?:to|if|that)\b",
    re.IGNORECASE,
)


_ENTRY_ID = re.compile(r"^\s*(\S+):q\d+\s*$", re.IGNORECASE)  # "<document>:q<n>"


def id_document(query: str) -> str | None:
    """The document part of a query written as an entry id ("notes:q4" -> "notes"), or
    None when it is not one."""
    match = _ENTRY_ID.match(query)
    return match.group(1) if match else None


def written_as_q(query: str, number: int) -> bool:
    """Whether a query refers to question `number` as "Q<number>" (the form a corpus may also
    use as a word: "Q3" the quarter), rather than "#3" or "question 3"."""
    return re.search(rf"(?<![\w#])q\s*0*{number}(?!\d)", query, re.IGNORECASE) is not None


def question_number(query: str) -> int | None:
    """The number of the question a query refers to by number ("Q4", "question 4", "show
    me #4"), or None when it asks something else."""
    text = _QUESTION_WORD_NUMBER.sub(
        lambda m: f"{m.group(1)} {_NUMBER_WORDS[m.group(2).lower()]}", normalize(query)
    )  # "question four" -> "question 4"
    match = _QUESTION_NUMBER.match(text)
    return int(match.group(1)) if match else None
