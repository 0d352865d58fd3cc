"""Retriever: the object other tools import; ties corpus -> index -> ranking -> answers."""

from __future__ import annotations

import dataclasses
import operator
import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path, PurePath

from qabot import cache as index_cache
from qabot.confidence import (
    SHORT_SUBJECT_TERMS,
    is_about,
    names_uncovered_word,
    names_unknown_subject,
    question_share,
    short_subject,
    shows_asked_formula,
    states_asked_fact,
)
from qabot.corpus import CorpusIndex, build_index, main_question
from qabot.errors import CorpusError, QabotError, QueryError
from qabot.models import Answer, Entry, Hit, Source
from qabot.parse import Corpus, load_corpus
from qabot.query import (
    SMALL_TALK,
    QueryTerms,
    RankedEntry,
    analyze_query,
    id_document,
    is_anaphoric,
    is_small_talk,
    question_number,
    refers_to_subject,
    written_as_q,
)
from qabot.rank import RankConfig, Ranking, choose_passage, rank
from qabot.semantic import MAX_ENTRIES, MeaningMatch
from qabot.text import as_written, tokens

MAX_QUERY_CHARS = 2000
VAGUE_TERMS = 2  # a query with at most this many content terms may lean on the previous turn
UNANSWERED_MATCH_SHARE = 0.5  # an unanswered question holding this share of a query is shown
PACKAGE_CORPUS = Path(__file__).with_name("_corpus")
SOURCE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CORPUS_ENV = "QABOT_CORPUS"

# English rarity from which a word of a follow-up names its own subject ("cup" 0.38,
# "capital" 0.44; not "world" 0.27 or "sure" 0.22)
SUBJECT_RARITY = 0.3
# a turn saying "it" of the previous turn's subject, answered by a question about something
# else that never names that subject ("is it mandatory?" after "is there a textbook?": "Is
# attendance mandatory?"), keeps this share of its confidence: the answer is not about "it"
OTHER_SUBJECT_FACTOR = 0.25


def default_corpus_path() -> Path:
    """The corpus to use when none is given: $QABOT_CORPUS, else the bundled seed corpus."""
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV])
    return PACKAGE_CORPUS if PACKAGE_CORPUS.is_dir() else SOURCE_CORPUS


def check_query(query: str, what: str = "query") -> str:
    """Validate a query (or, with `what`, another text such as the previous turn): not empty,
    not huge, no control characters (whitespace ones are spaces); return it with its
    whitespace collapsed."""
    if not isinstance(query, str):
        raise QueryError(f"{what} must be text, not {type(query).__name__}")
    text = query.strip()
    if not text:
        raise QueryError(f"{what} is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{what} is too long ({len(text)} characters, limit {MAX_QUERY_CHARS})")
    if any(
        (ord(c) < 32 and c not in "\t\n\r\v\f") or ord(c) == 127 or 0xD800 <= ord(c) < 0xE000
        for c in text
    ):
        raise QueryError(f"{what} contains control or binary characters")
    return " ".join(text.split())


def _whole_k(k: object) -> int:
    """A result count: a whole number (numpy's too) of at least 1, not a bool or a float."""
    try:
        value = operator.index(k)  # type: ignore[arg-type]
    except TypeError:
        value = 0
    if isinstance(k, bool) or value < 1:
        raise QueryError(f"k must be a whole number of at least 1, not {k!r}")
    return value


# the confidence of a meaning match at `RankConfig.meaning_min` (on the tune splits, about four
# in five such answers were right; a nearer question is more likely right)
MEANING_CONFIDENCE = 0.5
# ... and its related questions (the word matches) are those this near the query in meaning
# (cosine of their question): on the tune splits, the unrelated ones ("How do I join
# SkyMiles?" for "can I take my dog on the plane") were below 0.15, the plausible above 0.3
RELATED_MEANING_MIN = 0.25
# the confidence from which a reading counts as an answer when the words' and the meaning's
# readings compete (the default threshold): the user's threshold decides what is shown as
# answered, not which reading answers, so a confidence does not depend on it (but see
# `_replaces`: an answer passing a strict threshold is not given up for one that does not)
ANSWER_POINT = RankConfig.threshold


def _counts(answer: Answer) -> bool:
    """Whether a reading counts as an answer when readings compete: at ANSWER_POINT, not at
    the threshold set, which decides only what is shown as answered."""
    return bool(answer.results) and answer.confidence >= ANSWER_POINT


def _same_best(one: Answer, other: Answer) -> bool:
    """Whether two answers show the same passage of the same question first."""
    a, b = one.best, other.best
    return (
        a is not None and b is not None and (a.question_id, a.passage) == (b.question_id, b.passage)
    )


class Retriever:
    """Answers questions from a corpus: `Retriever.from_path("corpus").ask("why batch norm")`."""

    def __init__(
        self,
        index: CorpusIndex,
        config: RankConfig | None = None,
        name: str = "corpus",
        problems: Sequence[str] = (),
        notices: Sequence[str] = (),
    ) -> None:
        self.index = index
        self.config = config or RankConfig()
        self.name = name
        self.problems = list(problems)  # one line per corpus file that was skipped
        self.notices = list(notices)  # one line per duplicate question handled
        self._passage_pairs: dict[int, list[tuple[str, str]]] = {}

    @classmethod
    def from_entries(
        cls,
        entries: Sequence[Entry],
        synonyms: Sequence[Sequence[str]] = (),
        config: RankConfig | None = None,
    ) -> Retriever:
        """Build a retriever in memory from entries (no cache); their ids must be unique."""
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:  # ask("notes:q1") and entry("notes:q1") would disagree
                raise QabotError(f"duplicate entry id {entry.id!r}")
            seen.add(entry.id)
        if isinstance(synonyms, str):
            raise QabotError("synonyms must be groups of phrases, e.g. [['bn', 'batch norm']]")
        return cls(build_index(entries, synonyms), config)

    @classmethod
    def from_path(
        cls,
        path: str | Path | None = None,
        *,
        config: RankConfig | None = None,
        index_dir: str | Path | None = None,
        cache: bool = True,
    ) -> Retriever:
        """Load a corpus file or folder (default: the bundled corpus), reusing a cached index.

        With a valid cached index nothing is parsed: the key comes from the files' bytes.
        An empty path is an error, not the current folder.
        """
        if isinstance(path, str) and not path.strip():
            raise CorpusError(repr(path), "no corpus path given (None means the bundled corpus)")
        root = Path(path) if path is not None else default_corpus_path()
        if not cache:
            return cls.from_corpus(load_corpus(root), config=config, cache=False)
        index = index_cache.cached_index(root, Path(index_dir) if index_dir else None)
        return cls._over(index, root, config)

    @classmethod
    def from_corpus(
        cls,
        corpus: Corpus,
        *,
        config: RankConfig | None = None,
        index_dir: str | Path | None = None,
        cache: bool = True,
    ) -> Retriever:
        """A retriever over an already loaded corpus, reusing a cached index when `cache`."""
        directory = Path(index_dir) if index_dir else None
        if cache:
            index = index_cache.cached_index(corpus.root, directory, corpus)
        else:
            index = index_cache.build(corpus)
        return cls._over(index, corpus.root, config)

    @classmethod
    def _over(cls, index: CorpusIndex, root: Path, config: RankConfig | None) -> Retriever:
        name = root.name if root.is_dir() else root.stem
        return cls(index, config, name, index.problems, index.notices)

    @property
    def entries(self) -> list[Entry]:
        """The corpus entries, in document order (a copy: sorting it changes nothing here)."""
        return list(self._named_entries)

    @cached_property
    def _named_entries(self) -> list[Entry]:
        base = self.index.source_base
        if not base:
            return list(self.index.entries)
        return [e.model_copy(update={"source": self._source(e)}) for e in self.index.entries]

    @cached_property
    def document_names(self) -> dict[str, str]:
        """Each document's path relative to the corpus ("drinks.csv", "sweets/cakes.txt"),
        keyed by the source path its hits show; empty for a corpus of one document, which has
        nothing to tell apart.  (An entry id starts with that relative path, its suffix
        dropped or not, so a source path's last as many parts are the name.)"""
        names: dict[str, str] = {}
        for entry_id, path in zip(self.index.entry_ids, self.index.entry_paths, strict=True):
            shown = index_cache.as_named_path(path, self.index.source_base)
            if shown not in names:  # (once per document: a corpus may hold 100k entries)
                depth = entry_id.rsplit(":", 1)[0].count("/") + 1
                names[shown] = "/".join(PurePath(path).parts[-depth:])
        return names if len(names) > 1 else {}

    def _source(self, entry: Entry) -> Source:
        return index_cache.as_named(entry.source, self.index.source_base)

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (KeyError if none)."""
        entry = self.index.entries[self._exact_ids[entry_id]]
        return entry.model_copy(update={"source": self._source(entry)})

    @cached_property
    def _exact_ids(self) -> dict[str, int]:
        """Entry index by id as written (built on first use)."""
        return {entry_id: i for i, entry_id in enumerate(self.index.entry_ids)}

    def with_config(self, **changes: object) -> Retriever:
        """A retriever over the same index with some ranking parameters changed."""
        config = dataclasses.replace(self.config, **changes)
        return Retriever(self.index, config, self.name, self.problems, self.notices)

    def ask(self, query: str, k: int = 5, *, context: str | None = None) -> Answer:
        """Answer a query; `context` is the previous turn, used when the query leans on it.

        A short query (at most VAGUE_TERMS content terms) is read with the previous turn when
        it says "it", "that", "and ..." ("how do I fix it?"), or when that reading answers it
        with more confidence ("what are the types?"); so is a query that has no answer alone.
        A full question stands alone, and so does a query that no reading answers.  A turn
        saying "it" of the previous subject is not answered by a question that never names
        that subject (`_about_it`).  A query that names a question ("Q4", "question 4", its
        id "notes:q4") gets that question.
        """
        text = check_query(query)
        k = _whole_k(k)
        blank = isinstance(context, str) and not context.strip()
        context = None if context is None or blank else check_query(context, "context")
        found = self._referenced(text)
        if found is not None:
            return self._by_reference(text, found, k)
        if is_small_talk(text):  # "thanks" after an answer is no request to repeat it
            return Answer(query=text, answered=False, confidence=0.0, results=[])
        if context and (named := self._referenced(context)):  # "Q9", then "how to fix it?"
            context = main_question(self.index.entries[named[0]].question)
        terms = self._with_meaning(self.analyze(text), text)
        alone = self._answer(text, k, terms, by_meaning=True)
        if context is None:
            return alone
        short = terms.size() <= VAGUE_TERMS
        keeps_subject = short and refers_to_subject(text)  # "does it help with X?"
        answer = self._with_context(text, k, context, terms, alone, keeps_subject)
        if keeps_subject:  # (whichever reading answers, "it" must be what it is about)
            return self._about_it(answer, context, k)
        return answer

    def _with_context(
        self,
        text: str,
        k: int,
        context: str,
        terms: QueryTerms,
        alone: Answer,
        keeps_subject: bool,
    ) -> Answer:
        """The answer to a turn read with the previous one (`ask`), or `alone`, its answer read
        without it; `keeps_subject`: the turn speaks of the previous subject by a pronoun."""
        short = terms.size() <= VAGUE_TERMS
        if not short and _counts(alone):  # a full question stands alone, even with "it"
            return alone
        subjectless = self.index.ask_terms.issuperset(terms.weights)  # "how do I fix that?"
        whole = subjectless or keeps_subject
        # (read by its words alone: the previous turn's meaning would outweigh the turn's point)
        merged = self._answer(text, k, self.analyze(text, context, whole_context=whole))
        subject = self._own_subject(terms)  # (not "sure" in "how do I tell for sure?")
        target = self._ids[merged.best.question_id.lower()] if merged.best else None
        if self._switches_topic(terms, alone, merged) and not (
            keeps_subject and self._holds_all(subject, target)
        ):  # "and exploding ones?" after vanishing, not "how does it help with exploding?"
            return alone
        if not self._meets_own_subject(subject, target) and not (
            keeps_subject and self._speaks_corpus(subject)
        ):  # "capital of France?" after Q6; but "why does it happen?" asks about the subject
            return alone
        if not keeps_subject and not self._about_own_subject(subject, target):
            return alone  # "what is an LSTM" after "what is relu": Q9 names LSTMs in passing
        leans = _counts(merged) and merged.confidence > alone.confidence
        if _counts(alone) and _same_best(alone, merged):
            return alone  # "what is dropout" after "what is momentum": no need of the topic
        if (short and is_anaphoric(text)) or leans:
            merged.resolved_query = f"{context} / {text}"
            return merged
        return alone

    def _about_it(self, answer: Answer, context: str, k: int) -> Answer:
        """`answer`, to a turn that speaks of the previous turn's subject by a pronoun, with
        its confidence cut to OTHER_SUBJECT_FACTOR when it holds no word of that subject (a
        previous turn that names none itself, "how does it work?", judges nothing); left
        unanswered, it suggests the previous turn's question first (`_suggesting`)."""
        best = answer.best
        if best is None or refers_to_subject(context):
            return answer
        said = self.analyze(context)  # (its subject with the words of its phrases, "max"
        named = {said.words.get(t, t) for t in self._own_subject(said)}  # and "pool", or
        subject = {t for t in said.weights if said.words.get(t, t) in named} or (
            said.weights.keys() - self.index.ask_terms  # its words: "work", "home")
        )
        subject = {t for t in subject if not t.isdigit()}  # (not "42")
        if not subject:
            return answer
        if self._meets_own_subject(subject, self._ids[best.question_id.lower()]):
            return answer  # ("does it reduce overfitting?" after max pooling: Q3 says pooling)
        conf = round(answer.confidence * OTHER_SUBJECT_FACTOR, 4)
        cut = answer.model_copy(
            update={"confidence": conf, "answered": conf >= self.config.threshold}
        )
        return cut if cut.answered else self._suggesting(cut, context, said, k)

    def _suggesting(self, answer: Answer, context: str, said: QueryTerms, k: int) -> Answer:
        """`answer`, unanswered, with the previous turn's answer (to `context`, analyzed as
        `said`) first among its suggestions ("is it mandatory?" after "what textbook do I
        need?": that question, then "Is attendance mandatory?"), scored as the best of them."""
        previous = self._answer(context, 1, said).best
        if previous is None:
            return answer
        score = answer.results[0].score if answer.results else previous.score
        rest = [h for h in answer.results if h.question_id != previous.question_id]
        results = [previous.model_copy(update={"score": score}), *rest][:k]
        return answer.model_copy(update={"results": results})

    def _with_meaning(self, terms: QueryTerms, text: str) -> QueryTerms:
        """`terms` with `text` as their meaning, when the corpus has passage vectors to compare
        its sentence vector with (and `meaning_vectors` is on)."""
        if self.config.meaning_vectors and self.index.passage_vectors is not None:
            terms.meaning_text = text
        return terms

    def _switches_topic(self, terms: QueryTerms, alone: Answer, merged: Answer) -> bool:
        """Whether a follow-up names another question's own subject: answered alone by a
        question (not the merged reading's) whose topic, and no other's, holds one of its
        words."""
        if not (_counts(alone) and alone.best and merged.best):
            return False
        if alone.best.question_id == merged.best.question_id:
            return False
        entry = self._ids[alone.best.question_id.lower()]
        subject = set(terms.weights) - self.index.ask_terms
        return any(self._topic_owners.get(t) == entry for t in subject)

    def _holds_all(self, subject: set[str], entry: int | None) -> bool:
        """Whether the merged reading's answer (`entry`) holds every word of the turn's own
        subject (batch norm's answer speaks of exploding gradients)."""
        if entry is None or not subject:
            return False
        return all(self.index.entry_contains(t, entry) for t in subject)

    def _speaks_corpus(self, subject: set[str]) -> bool:
        """Whether every word of a turn's own subject is one the corpus uses ("happen",
        "cause"; not "invent" or "capital"): said of "it", they may ask about its subject."""
        return all(t in self.index.lexicon.terms for t in subject)

    def _about_own_subject(self, subject: set[str], entry: int | None) -> bool:
        """Whether the merged reading's answer is about the turn's own subject, as a short
        query asked alone must be (`confidence.is_about`): the previous turn may lend a
        follow-up its topic, not the confidence that a passing mention answers it."""
        if entry is None or not subject or len(subject) > SHORT_SUBJECT_TERMS:
            return True
        return is_about(self.index, subject, entry)

    def _own_subject(self, terms: QueryTerms) -> set[str]:
        """The terms naming a turn's own subject: whole words or phrases (not each word of a
        phrase), not `ASK_WORDS`, not acknowledgements, not the most common English words
        ("sure", "really", "world", "help")."""
        lexicon = self.index.lexicon
        return {
            t
            for t in terms.named - self.index.ask_terms
            if terms.words.get(t, t).lower() not in SMALL_TALK  # "ok so how do I fix it?"
            and lexicon.rarity(terms.words.get(t, t)) >= SUBJECT_RARITY
        }

    def _meets_own_subject(self, subject: set[str], entry: int | None) -> bool:
        """Whether an answer (`entry`) holds a word of `subject` (any, when it is empty): the
        merged reading's, of the turn's own subject (the previous turn sets the topic, it
        cannot answer a question about something else; the most common words, "sure",
        "really", "world", name no subject), or an "it" turn's, of the previous turn's."""
        if not subject or entry is None:
            return True
        return any(self.index.entry_contains(t, entry) for t in subject)

    @cached_property
    def _topic_owners(self) -> dict[str, int]:
        """Topic terms that belong to one question only ("explod"; not "use"), and whose."""
        owners: dict[str, list[int]] = {}
        for entry in range(len(self.index.entries)):
            for t in self.index.topic_terms(entry):
                owners.setdefault(t, []).append(entry)
        return {t: found[0] for t, found in owners.items() if len(found) == 1}

    def analyze(
        self, text: str, context: str | None = None, *, whole_context: bool = False
    ) -> QueryTerms:
        """A query (and the previous turn) as weighted terms, with this retriever's weights;
        `whole_context` weighs the previous turn fully, for a turn that names no subject of
        its own ("my model is overfitting", then "how do I fix that?")."""
        config = self.config
        return analyze_query(
            self.index,
            text,
            context,
            context_weight=1.0 if whole_context else config.context_weight,
            part_weight=config.part_weight,
            ask_weight=config.ask_weight,
        )

    def _referenced(self, text: str) -> list[int] | None:
        """The entries a query names by id ("notes:q4") or number ("Q4", "question 4"), or
        None when it names none."""
        wanted = text.strip().lower()
        if ":" in wanted and (exact := self._ids.get(wanted)) is not None:
            return [exact]
        if id_document(wanted) in self._id_prefixes:
            return []  # "notes:q99": an id of one of its documents, but no question of it
        number = question_number(text)
        if number is None or (written_as_q(text, number) and self._corpus_word(f"q{number}")):
            return None  # (a corpus that speaks of "Q3" as a quarter: "what is Q3?")
        suffix = f":q{number}"
        found = [i for i, entry_id in enumerate(self.index.entry_ids) if entry_id.endswith(suffix)]
        if not found and f"#{number}" in text.replace(" ", "") and self._corpus_word(str(number)):
            return None  # "#404" in a corpus of 12 questions, one about error 404
        return found

    def _corpus_word(self, term: str) -> bool:
        """Whether `term` is a word of the corpus's questions or answers."""
        index = self.index
        return term in index.bm25_passages.vocabulary or term in index.bm25_questions.vocabulary

    @cached_property
    def _id_prefixes(self) -> frozenset[str]:
        """The documents' parts of the entry ids, lowercased ("notes" of "notes:q4")."""
        return frozenset(entry_id.lower().rsplit(":", 1)[0] for entry_id in self.index.entry_ids)

    @cached_property
    def _ids(self) -> dict[str, int]:
        """Entry index by lowercased id (built on first use)."""
        return {entry_id.lower(): i for i, entry_id in enumerate(self.index.entry_ids)}

    def _by_reference(self, text: str, found: list[int], k: int) -> Answer:
        """The answer to "Q4": the passage of that question that answers it as asked (ranked
        with its main question: "Q5", "How to know whether ...?", shows the signs), then the
        questions nearest to it.  A number several documents share, or a question its
        document leaves unanswered, gives suggestions instead."""
        if len(found) != 1 or not self.index.entries[found[0]].answered:
            hits = [self._opening(i, 0.0) for i in found[:k]]
            return Answer(query=text, answered=False, confidence=0.0, results=hits)
        entry = self.index.entries[found[0]]
        near = self._answer(entry.question, k + 1, self.analyze(entry.question)).results
        related = [h for h in near if h.question_id != entry.id][: k - 1]
        own = self._as_asked(found[0], max([1.0, *(h.score for h in related)]))  # best first
        return Answer(query=text, answered=True, confidence=1.0, results=[own, *related])

    def _as_asked(self, entry: int, score: float) -> Hit:
        """A hit showing the passage an entry's main question itself would get."""
        main = main_question(self.index.entries[entry].question)
        ranked = rank(self.index, self.analyze(main), self.config, 1).ranked
        if ranked and ranked[0].entry == entry:
            return self._hit(entry, ranked[0].passage, score, QueryTerms())
        return self._opening(entry, score)

    def _opening(self, entry: int, score: float) -> Hit:
        """A hit showing an entry's first passage (an empty one if the answer has none)."""
        lo, hi = self.index.passage_range(entry)
        if lo < hi:
            return self._hit(entry, lo, score, QueryTerms())
        e = self.index.entries[entry]
        return Hit(
            question=e.question,
            question_id=e.id,
            passage="",
            answer=e.answer,
            score=score,
            source=self._source(e),
        )

    def _answer(self, text: str, k: int, query: QueryTerms, by_meaning: bool = False) -> Answer:
        """The answer to one reading of a query; `by_meaning`: a query the lexical rankers do
        not answer, or answer weakly (below `meaning_override`), may be answered by the
        question nearest it in meaning (`_meaning_match`)."""
        if not query.weights:
            return Answer(query=text, answered=False, confidence=0.0, results=[])
        ranking = rank(self.index, query, self.config, k)
        conf = ranking.confidence
        ranked = ranking.ranked
        hits = [self._hit(r.entry, r.passage, r.score, query) for r in ranked[:k]]
        strong = bool(hits) and conf >= ANSWER_POINT
        weak = self.config.meaning_override if strong else ANSWER_POINT
        if by_meaning and conf < weak:
            replaced = self._answer_by_meaning(text, query, ranking, hits, strong)
            if replaced is not None:
                conf, hits = replaced[0], replaced[1][:k]
        answered = bool(hits) and conf >= self.config.threshold
        if not answered:  # the corpus may ask this very question and leave it unanswered
            top = max((h.score for h in hits), default=0.0)  # (results stay best first)
            hits = [*self._unanswered_matches(query, top), *hits][:k]
        return Answer(
            query=text,
            answered=answered,
            confidence=round(conf, 4),
            results=hits,
        )

    def _answer_by_meaning(
        self, text: str, query: QueryTerms, ranking: Ranking, hits: list[Hit], answered: bool
    ) -> tuple[float, list[Hit]] | None:
        """The confidence and results of a meaning match (`_meaning_match`) that replaces the
        word answer, if one does: it replaces an answer only if it is one itself, and no
        answer only if it is more confident.  A question asking for a formula needs the
        passage shown to show one (`shows_asked_formula`)."""
        ranked = ranking.ranked
        found = self._meaning_match(text, query, ranked[0].entry if answered else None)
        if found is None or not self._replaces(found[1], ranking.confidence, answered):
            return None
        match, conf = found
        passage = choose_passage(self.index, query, ranking.scores.fused, match.entry, self.config)
        conf *= shows_asked_formula(self.index, query, passage)
        if not self._replaces(conf, ranking.confidence, answered):
            return None
        return conf, self._meaning_hits(match, passage, ranked, hits, query)

    def _replaces(self, conf: float, words_conf: float, answered: bool) -> bool:
        """Whether an answer of confidence `conf` replaces the words' (`answered`: theirs
        reaches ANSWER_POINT, or not), never turning an answer under the threshold set into
        none."""
        if not answered:
            return conf > words_conf
        return conf >= ANSWER_POINT and not words_conf >= self.config.threshold > conf

    def _meaning_hits(
        self,
        match: MeaningMatch,
        passage: int,
        ranked: Sequence[RankedEntry],
        hits: list[Hit],
        query: QueryTerms,
    ) -> list[Hit]:
        """A meaning answer (its score the best word score, so results stay best first), then
        the word matches whose question is near the query in meaning too (RELATED_MEANING_MIN):
        the word matches of a query its words answer poorly are often noise."""
        hit = self._hit(match.entry, passage, hits[0].score if hits else 0.0, query)
        related = [
            h
            for r, h in zip(ranked, hits, strict=False)
            if r.entry != match.entry and match.of_entry[r.entry] >= RELATED_MEANING_MIN
        ]
        return [hit.model_copy(update={"matched_by": "meaning"}), *related]

    def _meaning_match(
        self, text: str, query: QueryTerms, rival: int | None = None
    ) -> tuple[MeaningMatch, float] | None:
        """The match of the question nearest `text` in meaning, and the confidence it
        gives: MEANING_CONFIDENCE at a cosine of `meaning_min`, rising to 1 at 1.  None when
        it is not that near or not `meaning_margin` nearer than the next question (nor, when
        the words gave a weak answer, `meaning_gap` nearer than its `rival` question), for a
        query that names no subject ("how do I fix it?") or one the corpus lacks (see
        `names_uncovered_word`), and for a corpus too large to encode (`semantic.MAX_ENTRIES`)."""
        floor = self.config.meaning_min
        if not floor or len(self.index.entries) > MAX_ENTRIES:
            return None
        if self.index.ask_terms.issuperset(query.weights) or names_uncovered_word(
            self.index, query, self.config.meaning_unknown_rarity
        ):
            return None
        subject = short_subject(self.index, query)  # "what temperature for pork" (chicken FAQ)
        if subject and names_unknown_subject(self.index, query, subject):
            return None
        match = self.index.question_vectors.nearest(text)
        if match is None or match.similarity < floor or match.margin < self.config.meaning_margin:
            return None
        gap = self.config.meaning_gap
        if rival is not None and (  # a weak lexical answer, which its question must not rival
            match.entry == rival or match.of_entry[rival] > match.similarity - gap
        ):
            return None
        share = min((match.similarity - floor) / (1.0 - floor), 1.0) if floor < 1 else 1.0
        conf = MEANING_CONFIDENCE + (1.0 - MEANING_CONFIDENCE) * share
        # (who invented it, when: the answer must say so, near in meaning or not)
        return match, conf * states_asked_fact(self.index, query, match.entry)

    def _unanswered_matches(self, query: QueryTerms, score: float) -> list[Hit]:
        """Unanswered entries whose question holds most of the query, as suggestions."""
        return [
            self._opening(entry, score)
            for entry in self.index.unanswered
            if question_share(self.index, query, entry) >= UNANSWERED_MATCH_SHARE
        ]

    def _pairs(self, passage: int) -> list[tuple[str, str]]:
        """(surface word, term) of a passage's content tokens, analyzed once and kept."""
        pairs = self._passage_pairs.get(passage)
        if pairs is None:
            text = self.index.passage_texts[passage]
            pairs = [(t.surface, t.term) for t in tokens(text, self.index.phrases) if not t.stop]
            self._passage_pairs[passage] = pairs
        return pairs

    def _hit(self, entry_index: int, passage: int, value: float, query: QueryTerms) -> Hit:
        entry = self.index.entries[entry_index]
        text = self.index.passage_texts[passage]
        matched = {surface for surface, term in self._pairs(passage) if term in query.weights}
        if not text.isascii():  # "Zürich", which the query's "zurich" matched
            matched = as_written(matched, text)
        return Hit(
            question=entry.question,
            question_id=entry.id,
            passage=text,
            answer=entry.answer,
            score=round(value, 6),
            source=self._source(entry),
            matched_terms=sorted(matched),
        )
