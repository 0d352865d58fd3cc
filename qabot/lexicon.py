"""The corpus lexicon: resolves query words the index has never seen to corpus words.

Classes of user vocabulary handled, in order: joined compounds ("auto encoder" ->
"autoencoder"), the corpus's hyphenated words typed joined ("wifi" -> "wi-fi", "checkup" ->
"check-up"), split compounds ("batchnorm" -> "batch" + "norm..."), truncations ("norm" ->
"normalization", "hyperparam" -> "hyperparameters") and typos ("gradiants" -> "gradients",
found by character n-gram TF-IDF over the lexicon's words).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qabot.english import is_common_word, one_edit_away, rarity
from qabot.index import TermIndex, build_tfidf, tfidf_query
from qabot.text import (
    BOUND_PREFIXES,
    STOP_WORDS,
    PhraseTable,
    Token,
    hyphenated_words,
    is_stop_word,
    term,
    tokens,
    words,
)

MAX_COMPLETION_STEMS = 3  # a truncation matching more distinct words than this is ambiguous
MIN_COMPLETION_LENGTH = 4  # "per", "act", "div" are words, not truncations of corpus words
MIN_TYPO_LENGTH = 4
# A common word is a truncation only of a much longer word ("norm", "grad", "arch"), not of one a
# few letters longer ("late" is no "latent", "mode" no "model", "moment" no "momentum")
MIN_COMMON_WORD_COMPLETION = 4
INFLECTIONS = frozenset({"s", "es", "d", "ed", "n", "en", "ing", "ly"})
DERIVATIONAL_SUFFIXES = ("ly", "ness")
TYPO_CANDIDATES = 20  # nearest words by character n-grams, then checked by edit distance


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count 1), or limit+1 if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def word_ngrams(word: str) -> list[str]:
    """Character 3- and 4-grams of a padded word (the typo index's features)."""
    padded = f" {word} "
    return [padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]


@dataclass
class Lexicon:
    """Corpus words (sorted, with counts and English rarities) plus a character n-gram index
    over them."""

    words: list[str]
    counts: np.ndarray
    terms: frozenset[str]
    char_index: TermIndex
    rarities: np.ndarray  # `english.rarity` of each word, kept so that a query need not load
    # the English word list (80 ms) to weigh the corpus words it matched
    # the corpus's hyphenated words whose joined form it never writes ("wi-fi", "check-up")
    compounds: tuple[str, ...] = ()

    @classmethod
    def build(
        cls, texts: Iterable[str], index_terms: Iterable[str], aliases: Iterable[str] = ()
    ) -> Lexicon:
        """Collect content words of `texts`; `index_terms` are the terms the indexes know.

        `aliases` (synonyms the corpus can use, "batchnorm") join with a count of 0: typo
        correction may land on them ("batchnrom"), completions and word families may not."""
        counts: dict[str, int] = {}
        hyphenated: set[str] = set()
        for text in texts:
            for word in words(text):
                if word not in STOP_WORDS and len(word) > 1 and not word.isdigit():
                    counts[word] = counts.get(word, 0) + 1
            hyphenated.update(hyphenated_words(text))
        for alias in aliases:
            counts.setdefault(alias, 0)
        ordered = sorted(counts)
        char_index = build_tfidf(ordered, word_ngrams)
        return cls(
            ordered,
            np.array([counts[w] for w in ordered], dtype=np.int64),
            frozenset(index_terms),
            char_index,
            np.array([rarity(w, typos=False) for w in ordered], dtype=np.float32),
            tuple(sorted(w for w in hyphenated if _is_compound(w, counts))),
        )

    def rarity(self, word: str) -> float:
        """`english.rarity` of a word: stored for corpus words, else looked up; 1 for a
        phrase ("batch norm": a thesaurus phrase names a subject)."""
        word = word.lower()
        if " " in word:
            return 1.0
        i = bisect.bisect_left(self.words, word)
        if i < len(self.words) and self.words[i] == word:
            return float(self.rarities[i])
        return rarity(word)

    @cached_property
    def _word_set(self) -> frozenset[str]:
        return frozenset(self.words)

    def known(self, word: str) -> bool:
        """Whether a surface word's term is indexed."""
        return term(word) in self.terms

    def resolve(self, word: str) -> list[str]:
        """Corpus words that an unknown query word most likely means (empty if none)."""
        return (
            self._compound(word)
            or self._split(word)
            or self._completions(word)
            or self._variant(word)
            or self._correction(word)
            or _misspelled_stop_word(word)
        )

    @cached_property
    def _compound_parts(self) -> dict[str, list[str]]:
        return {w.replace("-", ""): w.split("-") for w in self.compounds}

    def _compound(self, word: str) -> list[str]:
        """The parts of the corpus's hyphenated word that `word` writes joined, or one of
        its plurals ("wifi" -> "wi", "fi"; "ebook" -> "e", "books"; "checkups" -> "check",
        "up": as the document's words, stop words included)."""
        for form in (word, word + "s", word.removesuffix("s")):
            parts = self._compound_parts.get(form)
            if parts:
                return parts
        return []

    def _split(self, word: str) -> list[str]:
        for i in range(2, len(word) - 2):
            left, right = word[:i], word[i:]
            if self.known(left) or left in STOP_WORDS or left in BOUND_PREFIXES:
                tail = [right] if self.known(right) else self._completions(right)
                if tail and not is_common_word(word):  # "inside" is not "in" + "side"
                    # "preprocessing" -> "processing": a prefix that is no word is dropped
                    return [w for w in (left, *tail) if w not in STOP_WORDS | BOUND_PREFIXES]
        return []

    def _completions(self, word: str) -> list[str]:
        found = self._prefix_matches(word)
        if not found and len(word) > MIN_COMPLETION_LENGTH and word.endswith("s"):
            found = self._prefix_matches(word[:-1])  # plural truncation: "hyperparams"
        if found and is_common_word(word) and not _truncation_of(word, found[0]):
            return []
        return found

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        """The [lo, hi) positions of the sorted corpus words that start with `prefix`."""
        lo = bisect.bisect_left(self.words, prefix)
        return lo, bisect.bisect_left(self.words, prefix + "\uffff", lo)

    def _corpus_words(self, lo: int, hi: int) -> list[int]:
        """Positions in [lo, hi) of words the corpus has (synonym aliases have a count of 0)."""
        return [i for i in range(lo, hi) if self.counts[i] > 0]

    def _prefix_matches(self, word: str) -> list[str]:
        """The most frequent corpus word that `word` is a prefix of ("class" -> "classification",
        not also "classic"), if the prefix is not ambiguous."""
        if len(word) < MIN_COMPLETION_LENGTH or word.isdigit():
            return []
        lo, hi = self._prefix_range(word)
        if lo < hi and self.words[lo] == word:
            lo += 1  # a completion is longer than the word itself
        found = self._corpus_words(lo, hi)
        if not found or len({term(self.words[i]) for i in found[:50]}) > MAX_COMPLETION_STEMS:
            return []
        return [self.words[max(found, key=lambda i: self.counts[i])]]

    def _variant(self, word: str) -> list[str]:
        """A corpus word of the same family the stemmer keeps apart: "dimensional" ->
        "dimensionality" (the stem is a prefix of a corpus word), "hyperparametric" ->
        "hyperparameters" (a corpus term is the stem without its last one or two letters);
        a common word only loses a suffix ("slowly" -> "slow")."""
        stem = term(word)
        if len(stem) < MIN_COMPLETION_LENGTH:
            return []
        if is_common_word(word):  # "classy" is no kind of "classification": suffixes only
            return self._without_suffix(word)
        longer = self._prefix_matches(stem)
        if longer:
            return longer
        for cut in (1, 2):
            shorter = stem[:-cut]
            if len(shorter) >= MIN_COMPLETION_LENGTH and shorter in self.terms:
                lo, hi = self._prefix_range(shorter)
                family = (self.words[i] for i in self._corpus_words(lo, hi))
                same = [w for w in family if term(w) == shorter]
                if same:
                    return same[:1]
        return []

    def _without_suffix(self, word: str) -> list[str]:
        """The corpus word left when an adverb or noun suffix is removed ("slowly" -> "slow")."""
        for suffix in DERIVATIONAL_SUFFIXES:
            base = word.removesuffix(suffix)
            if base != word and len(base) >= MIN_COMPLETION_LENGTH and self.known(base):
                return [base]
        return []

    def _correction(self, word: str) -> list[str]:
        # one edit away: looked up directly ("rleu" shares no trigram with "relu"); further:
        # candidates by character n-gram TF-IDF, accepted by Damerau-Levenshtein distance
        if len(word) < MIN_TYPO_LENGTH or word.isdigit() or not self.words:
            return []
        if is_common_word(word):  # a real word is not a typo
            return []
        near = [w for w in one_edit_away(word) if w[0] == word[0] and w in self._word_set]
        if near:  # a doubled letter typed once is the likeliest slip ("freze": freeze, not free)
            return [
                max(
                    near,
                    key=lambda w: (
                        undoubled(w, word),
                        self.counts[bisect.bisect_left(self.words, w)],
                        w,
                    ),
                )
            ]
        grams: dict[str, float] = {}
        for gram in word_ngrams(word):
            grams[gram] = grams.get(gram, 0.0) + 1.0
        scores = self.char_index.scorer.scores(*tfidf_query(self.char_index, grams))
        count = min(TYPO_CANDIDATES, len(scores))
        candidates = np.argpartition(-scores, count - 1)[:count]
        limit = 1 if len(word) <= 6 else 2
        best: tuple[int, int, str] | None = None
        for i in candidates:
            candidate = self.words[int(i)]
            if scores[i] <= 0 or candidate[0] != word[0]:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit and (best is None or (distance, -self.counts[i]) < best[:2]):
                best = (distance, -int(self.counts[i]), candidate)
        return [best[2]] if best else []

    def expand(self, query: list[Token], phrases: PhraseTable | None = None) -> list[Token]:
        """Replace unknown content tokens of a query by the corpus words they most likely mean,
        then analyze the corrected query with `phrases` again (so a correction to "relu"
        becomes its canonical term and "explodng gradient" the phrase "exploding gradient")."""
        out, changed = self._resolved(query, phrases)
        if changed and phrases is not None:
            return _reanalyzed(out, phrases)
        return out

    def _resolved(
        self, query: list[Token], phrases: PhraseTable | None
    ) -> tuple[list[Token], bool]:
        """The query with unknown words resolved, and whether any was."""
        out: list[Token] = []
        changed = False
        i = 0
        while i < len(query):
            tok = query[i]
            joined = self._joined(tok, query[i + 1] if i + 1 < len(query) else None)
            if joined:
                out.extend(_analyzed([joined], phrases))  # "drop out", "auto encoder"
                changed = True
                i += 1
            elif tok.stop or tok.part or tok.term in self.terms:  # a part: its phrase counts
                out.append(tok)
            else:
                resolved = self.resolve(tok.surface)
                out.extend(_analyzed(resolved, phrases) if resolved else [tok])
                changed = changed or bool(resolved)
            i += 1
        return out, changed

    def _joined(self, tok: Token, nxt: Token | None) -> str:
        """The corpus word two query words make when written together ("auto encoder"), or
        ""; a phrase's words stay with their phrase."""
        if nxt is None or nxt.stop or tok.part or nxt.part:
            return ""
        if not (tok.stop or nxt.term not in self.terms or tok.term not in self.terms):
            return ""
        joined = tok.surface + nxt.surface
        return joined if joined not in STOP_WORDS and self.known(joined) else ""


def _is_compound(hyphenated: str, counts: dict[str, int]) -> bool:
    """Whether a hyphenated corpus word is one a user may type joined ("wi-fi", "check-up"):
    words of letters whose joined form the corpus does not write itself, and not a bound
    prefix, which `words` joins already ("non-linearity")."""
    parts = hyphenated.split("-")
    joined = "".join(parts)
    return (
        len(parts) > 1
        and all(p.isalpha() for p in parts)
        and parts[0] not in BOUND_PREFIXES
        and len(joined) >= MIN_COMPLETION_LENGTH
        and joined not in counts
    )


def undoubled(word: str, typed: str) -> bool:
    """Whether `typed` is `word` with one of its doubled letters typed once ("freze" for
    "freeze", "adress" for "address")."""
    return len(word) == len(typed) + 1 and any(
        word[i] == word[i + 1] and word[:i] + word[i + 1 :] == typed for i in range(len(word) - 1)
    )


def _misspelled_stop_word(word: str) -> list[str]:
    """The stop word an unknown word misspells ("waht", "whta", "wat", "teh"), if any: two
    letters swapped, or one letter more or less than a stop word of 4+ letters.  A real word
    is left alone ("hat" is no "that")."""
    if len(word) < 3 or is_common_word(word):
        return []
    for stop in sorted(one_edit_away(word) & STOP_WORDS):
        swapped = len(stop) == len(word) and sorted(stop) == sorted(word)
        if swapped or (abs(len(stop) - len(word)) == 1 and len(stop) >= 4):
            return [stop]
    return []


def _truncation_of(word: str, completion: str) -> bool:
    """Whether a common word may stand for `completion`: an inflection of it ("weights",
    "chosen") or a clipped form of a much longer word ("norm" for "normalization"), not the
    first word of a compound ("classmates")."""
    added = completion[len(word) :]
    if added in INFLECTIONS:  # ("beat": "beaten", though "en" is a word of the list)
        return True
    if is_common_word(added) or is_common_word(added.removesuffix("s")):
        return False  # a compound: "class" is no clipped "classmates", nor "home" "homework"
    return len(added) >= MIN_COMMON_WORD_COMPLETION


def _reanalyzed(out: list[Token], phrases: PhraseTable) -> list[Token]:
    """A resolved query analyzed again, so corrected words can form phrases; a word repeated
    by the resolution ("pre-processing" -> "processing" twice) counts once."""
    surfaces = [t.surface for t in out if not t.part]
    kept = [w for i, w in enumerate(surfaces) if i == 0 or w != surfaces[i - 1]]
    return tokens(" ".join(kept), phrases)


def _analyzed(words: list[str], phrases: PhraseTable | None) -> list[Token]:
    """Tokens of corpus words found for a query word, rewritten by the phrase table."""
    found = [Token(w, term(w), is_stop_word(w)) for w in words]
    return phrases.rewrite(found) if phrases is not None else found
