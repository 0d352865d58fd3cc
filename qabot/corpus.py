"""A corpus ready to query: entries, passages, analyzers and the four indexes, built once."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np

from qabot.chunk import chunk_entries, passage_head
from qabot.errors import EmptyCorpusError
from qabot.index import TermIndex, build_bm25, build_tfidf
from qabot.lexicon import Lexicon
from qabot.models import Entry
from qabot.semantic import MAX_ENTRIES, MAX_PASSAGES, PassageVectors, QuestionVectors
from qabot.text import (
    PhraseTable,
    find_acronyms,
    is_stop_word,
    terms,
    tokens,
    word_features,
    words,
)

BUILTIN_SYNONYMS = Path(__file__).with_name("synonyms.txt")  # question wording, any corpus
# vocabulary of one domain, for a corpus about it (see `speaks_domain`)
DOMAIN_SYNONYMS = (Path(__file__).with_name("synonyms_dl.txt"),)
MIN_DOMAIN_WORDS = 2  # distinct domain words a corpus names to be about the domain
# Words naming what a question asks about its subject rather than the subject: in "How to
# know whether ... exploding gradients?" (know whether = sign) the signs are the point.
# Each stands for its thesaurus group ("effect" also for benefit, advantage, pro, upside).
ASK_WORDS = "sign fix reason type example difference effect formula invented"
# Kinds of answer an answer either states or not: asked for, they must be in it
FACT_ASK_WORDS = "invented"
FORMULA_ASK_WORDS = "formula"  # (its group: equation, mathematical definition...)
COMPARISON_WORDS = "difference"  # (one stem: differ, different, differently...)
LEAD_TERMS = 4  # the terms a sentence opens with name what it is about
_SENTENCE_END = re.compile(r"(?<=[?.!])\s+")
_SENTENCES = re.compile(rf"\n|{_SENTENCE_END.pattern}")  # sentences and lines


class StoredEntries(Sequence[Entry]):
    """The entries of a loaded index, each validated when first read: a query reads a
    handful, so loading 100k entries does not validate them all (0.9 s).  The store checks
    the rows' shape when it loads them; `ids` and `answered` read the rows directly."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows
        self._entries: list[Entry | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Entry: ...

    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...

    def __getitem__(self, i: int | slice) -> Entry | list[Entry]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        entry = self._entries[i]
        if entry is None:
            entry = self._entries[i] = Entry.model_validate(self._rows[i])
        return entry

    @cached_property
    def ids(self) -> list[str]:
        return [row["id"] for row in self._rows]

    @cached_property
    def paths(self) -> list[str]:
        return [row["source"]["path"] for row in self._rows]

    def unanswered(self) -> list[int]:
        return [i for i, row in enumerate(self._rows) if not row["answer"].strip()]

    def has_alternates(self) -> list[bool]:
        return [bool(row.get("alternates")) for row in self._rows]


@dataclass
class CorpusIndex:
    """Everything a query needs: entries, passages and their indexes, the analyzers."""

    entries: Sequence[Entry]  # a list when built, StoredEntries when loaded
    passage_texts: list[str]
    passage_entry: np.ndarray  # int32: entry index of each passage
    phrases: PhraseTable
    lexicon: Lexicon
    bm25_passages: TermIndex
    bm25_questions: TermIndex
    tfidf_passages: TermIndex
    tfidf_questions: TermIndex
    passage_heads: TermIndex  # BM25 over what each passage defines (see chunk.passage_head)
    # what loading the corpus reported (skipped files, duplicates), kept with a cached index
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # where a loaded index's source paths are relative to, as this run names the corpus ("" for
    # an index built in this process: its paths are as the corpus was named); see cache.py
    source_base: str = ""
    built: bool = False  # built by this process, not loaded: what loading reported is news
    _topics: dict[int, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _leads: dict[int, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _phrasings: dict[int, list[frozenset[str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def passage_range(self, entry: int) -> tuple[int, int]:
        """The [start, end) passage indices of an entry (passages are stored in entry order)."""
        starts = self._passage_starts
        return starts[entry], starts[entry + 1]

    @cached_property
    def _passage_starts(self) -> list[int]:
        """Each entry's first passage index, and the passage count last (derived once: a
        query asks for entry ranges once per query term, in coverage and specificity)."""
        bounds = np.arange(len(self.entries) + 1)
        return np.searchsorted(self.passage_entry, bounds).tolist()

    def entry_contains(self, term: str, entry: int) -> bool:
        """Whether an entry's answer (any passage) or question field holds `term`."""
        lo, hi = self.passage_range(entry)
        return self.bm25_passages.contains(term, lo, hi) or self.bm25_questions.contains(
            term, entry, entry + 1
        )

    def topic_terms(self, entry: int) -> frozenset[str]:
        """The terms of an entry's main question (see `main_question`), alternates and tags,
        but its `ASK_WORDS`: what every passage of its answer is about.  Computed on first use,
        then kept."""
        topic = self._topics.get(entry)
        if topic is None:
            e = self.entries[entry]
            texts = [main_question(e.question), *e.alternates, *e.tags]
            topic = frozenset(t for text in texts for t in terms(text, self.phrases)).difference(
                self.ask_terms
            )
            self._topics[entry] = topic
        return topic

    @cached_property
    def with_alternates(self) -> np.ndarray:
        """Per entry, 1 if it has alternate phrasings, else 0 (read once, without validating
        stored entries)."""
        if isinstance(self.entries, StoredEntries):
            flags = self.entries.has_alternates()
        else:
            flags = [bool(e.alternates) for e in self.entries]
        return np.array(flags, dtype=np.float64)

    def phrasings(self, entry: int) -> list[frozenset[str]]:
        """The term sets of an entry's question and of each alternate phrasing of it (each
        asks the whole question), a phrase once, not also its words: "two-factor
        authentication" is what "2FA" is.  Kept once computed."""
        found = self._phrasings.get(entry)
        if found is None:
            e = self.entries[entry]
            texts = (e.question, *e.alternates)
            found = [frozenset(_content_terms(text, self.phrases)) for text in texts]
            self._phrasings[entry] = found
        return found

    def lead_terms(self, entry: int) -> frozenset[str]:
        """The terms an entry's answer talks about: the first LEAD_TERMS content terms (and
        the numbers among them, `_lead`) of each sentence and line of its passages ("Other
        optimizers, like Adadelta, RMSProp, and Adam", not "... like in GRUs and LSTMs" at a
        sentence's end, nor the examples of an "(e.g. tanh, sigmoid)", which are not indexed
        either).  Kept once computed."""
        leads = self._leads.get(entry)
        if leads is None:
            lo, hi = self.passage_range(entry)
            leads = frozenset(
                t
                for p in range(lo, hi)
                for sentence in _SENTENCES.split(_EXAMPLES.sub(" ", self.passage_texts[p]))
                for t in _lead(_content_terms(sentence, self.phrases))
            )
            self._leads[entry] = leads
        return leads

    @cached_property
    def entry_ids(self) -> list[str]:
        """Every entry's id, in order (derived once, without reading the entries)."""
        if isinstance(self.entries, StoredEntries):
            return self.entries.ids
        return [e.id for e in self.entries]

    @cached_property
    def entry_paths(self) -> list[str]:
        """Every entry's source path, in order (derived once, without reading the entries)."""
        if isinstance(self.entries, StoredEntries):
            return self.entries.paths
        return [e.source.path for e in self.entries]

    @cached_property
    def question_vectors(self) -> QuestionVectors:
        """Sentence vectors of the answered questions (encoded on first use, or loaded)."""
        return QuestionVectors(self.entries, self.unanswered)

    @cached_property
    def passage_vectors(self) -> PassageVectors | None:
        """Sentence vectors of the passages of answers with two or more (encoded as needed,
        or loaded); None when no answer has two, or for a corpus too large to encode
        (`semantic.MAX_PASSAGES` such passages, `semantic.MAX_ENTRIES`)."""
        sizes = np.bincount(self.passage_entry, minlength=len(self.entries))
        chosen = sizes[self.passage_entry] > 1
        if not chosen.any() or chosen.sum() > MAX_PASSAGES or len(self.entries) > MAX_ENTRIES:
            return None
        return PassageVectors(self.passage_texts, chosen)

    @cached_property
    def unanswered(self) -> list[int]:
        """The entries whose document leaves their question unanswered (derived once)."""
        entries = self.entries
        if isinstance(entries, StoredEntries):
            return entries.unanswered()
        return [i for i, e in enumerate(entries) if not e.answered]

    def _group_terms(self, words: str) -> frozenset[str]:
        """The terms of `words` under this corpus's phrase table (each word stands for its
        thesaurus group)."""
        return frozenset(terms(words, self.phrases))

    @cached_property
    def ask_terms(self) -> frozenset[str]:
        """The terms of `ASK_WORDS` under this corpus's phrase table (derived once)."""
        return self._group_terms(ASK_WORDS)

    @cached_property
    def concepts(self) -> frozenset[str]:
        """The thesaurus's concepts named as wholes (`PhraseTable.concepts`), derived once."""
        return self.phrases.concepts()

    @cached_property
    def fact_ask_terms(self) -> frozenset[str]:
        """The terms of `FACT_ASK_WORDS` under this corpus's phrase table (derived once)."""
        return self._group_terms(FACT_ASK_WORDS)

    @cached_property
    def formula_ask_terms(self) -> frozenset[str]:
        """The terms of `FORMULA_ASK_WORDS` under this corpus's phrase table that its text
        never uses (derived once): "formula" asks for one in a corpus that never says the
        word, but names a subject in one that does ("infant formula")."""
        return self._group_terms(FORMULA_ASK_WORDS) - self.lexicon.terms

    @cached_property
    def comparison_terms(self) -> frozenset[str]:
        """The terms of `COMPARISON_WORDS` under this corpus's phrase table (derived once)."""
        return self._group_terms(COMPARISON_WORDS)

    @cached_property
    def head_sizes(self) -> np.ndarray:
        """Distinct terms in each passage's head (0 without one), derived once."""
        return np.bincount(self.passage_heads.scorer.indices, minlength=len(self.passage_texts))

    @cached_property
    def question_sizes(self) -> np.ndarray:
        """Distinct terms in each entry's question field, derived once."""
        return np.bincount(self.bm25_questions.scorer.indices, minlength=len(self.entries))

    @cached_property
    def passage_first(self) -> np.ndarray:
        """True for the first passage of each answer (derived once, used by every query)."""
        first = np.ones(len(self.passage_entry), dtype=bool)
        first[1:] = self.passage_entry[1:] != self.passage_entry[:-1]
        return first


def _content_terms(text: str, phrases: PhraseTable) -> list[str]:
    """The terms of a text's words and phrases, a phrase once (not also its words)."""
    return [t.term for t in tokens(text, phrases) if not t.stop and not t.part]


def _lead(terms: list[str]) -> list[str]:
    """The first LEAD_TERMS of a sentence's `terms` with the numbers among them, which do not
    count ("CS 201 is worth 7.5 ECTS credits" is about ECTS credits, and "Form 1099" still
    about form 1099)."""
    words = 0
    for end, t in enumerate(terms):
        words += not t.isdigit()
        if words > LEAD_TERMS:
            return terms[:end]
    return terms


def read_synonyms(path: Path) -> list[list[str]]:
    """Synonym groups from a file: one group per line, comma-separated, '#' comments (a
    built-in file's `@domain:` line is no group, see `read_domain`)."""
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("@"):
            groups.append([part.strip() for part in line.split(",") if part.strip()])
    return groups


def read_domain(path: Path) -> list[str]:
    """The words naming a domain thesaurus's domain: its `@domain: word, word, ...` line."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@domain:"):
            return [w.strip() for w in line.removeprefix("@domain:").split(",") if w.strip()]
    return []


def speaks_domain(texts: Iterable[str], domain_words: Sequence[str]) -> bool:
    """Whether texts name at least MIN_DOMAIN_WORDS distinct domain words (whole words, a
    plural "s" allowed, case and hyphens ignored): a tax FAQ that says "loss" and "cost"
    names none of "neural network", "backpropagation", "learning rate", ..."""
    if not domain_words:
        return True
    pattern = re.compile(r"\b(" + "|".join(map(_domain_pattern, domain_words)) + r")s?\b")
    found: set[str] = set()
    for text in texts:  # (NFKC, for bold letters, only where a text has non-ASCII)
        plain = (text if text.isascii() else unicodedata.normalize("NFKC", text)).lower()
        found.update(_SEPARATORS.sub(" ", m.group(1)) for m in pattern.finditer(plain))
        if len(found) >= MIN_DOMAIN_WORDS:
            return True
    return False


_SEPARATORS = re.compile(r"[\s-]+")


def _domain_pattern(word: str) -> str:
    """A domain word as a regex: its words apart by spaces or hyphens ("neural-network")."""
    return r"[\s-]+".join(re.escape(part) for part in word.lower().split())


def builtin_groups(texts: Iterable[str] | None = None) -> list[list[str]]:
    """The built-in synonym groups for a corpus of `texts`: each domain's vocabulary if the
    texts speak of that domain (all of them when `texts` is None), then everyday wording,
    always.  The first group to claim a word keeps it: a domain's meaning wins ("cost" is a
    loss in deep learning, a price elsewhere)."""
    groups = []
    # (each domain reads the texts anew; tee keeps only what one has read and another not)
    copies = itertools.tee(texts, len(DOMAIN_SYNONYMS)) if texts is not None else None
    for i, path in enumerate(DOMAIN_SYNONYMS):
        if copies is None or speaks_domain(copies[i], read_domain(path)):
            groups.extend(read_synonyms(path))
    return groups + read_synonyms(BUILTIN_SYNONYMS)


def question_text(entry: Entry) -> str:
    """The question field of an entry: its question, alternate phrasings and tags (a tag
    names what the entry is about, as its question does)."""
    return "\n".join([entry.question, *entry.alternates, *entry.tags])


_AND_WH = re.compile(r"\s+and\s+(?=(?:how|why|what|when|where|which)\b)", re.I)


def main_question(question: str) -> str:
    """The part of a question that says what it is about: everything up to the first
    sub-question ("What are autoencoders? Explain the layers..." -> "What are
    autoencoders?"; "What is X and How to fix it?" -> "What is X"); context sentences
    before a question stay ("You are using a DNN. ... What can you do to ...?")."""
    kept = []
    for sentence in _SENTENCE_END.split(question.strip()):
        clauses = _AND_WH.split(sentence)
        kept.append(clauses[0])
        if sentence.rstrip().endswith("?") or len(clauses) > 1:
            break
    return " ".join(kept)


def phrase_table(entries: Sequence[Entry], synonym_groups: Sequence[Sequence[str]]) -> PhraseTable:
    """Synonyms (built-in, then the corpus's) plus the acronyms the corpus defines itself."""
    texts = (f"{e.question}\n{e.answer}" for e in entries)
    table = PhraseTable(builtin_groups(texts))
    for group in synonym_groups:
        table.add(group)
    for entry in entries:
        for acronym, expansion in find_acronyms(f"{entry.question}\n{entry.answer}"):
            table.add([expansion, acronym])
    return table


# "(e.g. tanh, sigmoid, softmax)": names given as examples in passing, not what a passage is
# about; they are shown but not indexed, so the answer that defines them ranks first
_EXAMPLES = re.compile(r"\((?:e\.?\s?g\.?|for example|for instance|such as)[\s,:][^()]*\)", re.I)


def _phrase_words(phrases: PhraseTable, known: set[str]) -> list[str]:
    """The words of the synonyms of several words ("batch norm", "conv net") of each group
    whose canonical term the corpus uses: a typo may land on them too."""
    found: set[str] = set()
    for group in phrases.groups:
        if not known.issuperset(terms(group[0].strip('"'), phrases)):
            continue
        for phrase in group:
            several = words(phrase.strip('"'))
            if len(several) > 1:
                found.update(w for w in several if len(w) > 2 and not is_stop_word(w))
    return sorted(found)


def build_index(
    entries: Sequence[Entry], synonym_groups: Sequence[Sequence[str]] = ()
) -> CorpusIndex:
    """Chunk, analyze and index a list of entries (imports scikit-learn)."""
    entries = list(entries)
    phrases = phrase_table(entries, synonym_groups)
    passages = chunk_entries([e.answer for e in entries])
    passage_texts = [p.text for p in passages]
    questions = [question_text(e) for e in entries]
    passage_terms = [terms(_EXAMPLES.sub(" ", t), phrases) for t in passage_texts]
    if not any(passage_terms):
        raise EmptyCorpusError("no answer has any text to index")
    question_terms = [terms(q, phrases) for q in questions]
    bm25_passages = build_bm25(passage_terms)
    bm25_questions = build_bm25(question_terms)
    vocabulary = [*bm25_passages.vocabulary, *bm25_questions.vocabulary]
    known = set(vocabulary)
    # a typo of a synonym the corpus can use ("batchnrom") is corrected like a corpus word
    aliases = [w for w in phrases.single_words() if known.issuperset(terms(w, phrases))]
    aliases += _phrase_words(phrases, known)  # ("batch nrom": the "norm" of "batch norm")
    lexicon = Lexicon.build([*passage_texts, *questions], vocabulary, aliases)
    cached = dict(zip(passage_texts, passage_terms, strict=True)) | dict(
        zip(questions, question_terms, strict=True)
    )

    def features(text: str) -> list[str]:
        return word_features(cached[text] if text in cached else terms(text, phrases))

    return CorpusIndex(
        entries=entries,
        passage_texts=passage_texts,
        passage_entry=np.array([p.entry for p in passages], dtype=np.int32),
        phrases=phrases,
        lexicon=lexicon,
        bm25_passages=bm25_passages,
        bm25_questions=bm25_questions,
        tfidf_passages=build_tfidf(passage_texts, features),
        tfidf_questions=build_tfidf(questions, features),
        passage_heads=build_bm25([terms(passage_head(t), phrases) for t in passage_texts]),
    )
