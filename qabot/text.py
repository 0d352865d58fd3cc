"""Text analysis: the single place that decides what a term is, for documents and queries alike.

Pipeline: normalize (NFKC, quotes, case) -> words (hyphenated words give their parts, but a
bound prefix joins: "non-linearity") -> American spelling -> Snowball stem -> synonym and
acronym phrases rewritten to a canonical phrase -> stop words and question phrasing dropped.
Queries additionally resolve out-of-vocabulary words against the corpus lexicon (joined or
split compounds, truncations such as "norm", and typos), see `Lexicon.expand`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")

STOP_WORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are aren arent as at be because
    been before being below between both but by can cannot could couldnt did didnt do does
    doesnt doing dont down during each either etc few for from further had hadnt has hasnt
    have havent having he her here hers herself him himself his i id if im in into is isnt
    it its itself ive just let lets me might mine more most much must mustnt my myself no
    nor not now of off on once only or other others ought our ours ourselves out over own
    please same shall shant she should shouldnt so some such than that thats the their
    theirs them themselves then there theres these they theyre this those though through
    thus to too under until up upon us very via was wasnt we were werent what whats when
    where whether which while who whom whose why how will with within without wont would
    wouldnt yet you your youre yours yourself yourselves explain explained describe define
    definition tell mean meaning meant know known kind kinds anyone someone something thing
    things basically really actually many way ways e g eg ie vs versus simply briefly
    quick quickly detail detailed details overview summary list please
    cant wed youd theyd youll theyll weve youve theyve hows whos wheres whys heres whyd howd
    shouldve wouldve couldve ask asked asking say interview interviewer question questions
    role purpose job hi hello hey hiya howdy thanks thank thx cheers
    """.split()
)

# Prefixes that are not words: "non-linearity" is one word (plus its base, "linearity").
# "re" and "co" stay out: "re-center" joined would stem to "recent".
BOUND_PREFIXES = frozenset("non un under over pre sub multi semi anti inter mis".split())

# Curly quotes, dashes, multiplication signs and friends, mapped before matching.
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00d7": "x",
        "\u2715": "x",
        "\u00b7": " ",
    }
)
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z])s\b")
# letters and digits of any script ("zürich" folds to "zurich", "пароль" stays as written)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
# Letters that no Unicode decomposition takes to the plain one users type: Latin ones, and
# the Russian "ё", usually typed "е"
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "ё": "е"}
)
_AMERICAN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=...)is(ation|ations|e|ed|es|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=..)ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=...)our(s|ed|ing|ite|ites)?$"), r"or\1"),
    (re.compile(r"(?<=...)tred$"), "tered"),
    (re.compile(r"(?<=...)tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=...)ell(ed|ing|er|ers)$"), r"el\1"),
    (re.compile(r"(?<=...)ogue(s)?$"), r"og\1"),
)
_NO_SPELLING_CHANGE = frozenset({"four", "your", "hour", "pour", "tour", "sour", "flour"})
# Comparatives and superlatives the stemmer keeps apart from their adjective ("earlier
# layers" / "early layers"): the adjectives that describe networks, gradients and training.
_BASE_ADJECTIVE = {
    f"{spelled}{suffix}": base
    for base, spelled in {  # the adjective as spelled before -er / -est
        "early": "earli",
        "easy": "easi",
        "fast": "fast",
        "slow": "slow",
        "large": "larg",
        "small": "small",
        "big": "bigg",
        "high": "high",
        "low": "low",
        "wide": "wid",
        "long": "long",
        "short": "short",
        "simple": "simpl",
        "strong": "strong",
        "weak": "weak",
        "great": "great",
    }.items()
    for suffix in ("er", "est")
}


# Irregular inflections the stemmer keeps apart from their base word ("paid" / "pay", "sent"
# / "send", "matrices" / "matrix"), British "-t" pasts included ("learnt").  Forms that are
# mostly other words stay out: "led" (LED), "left", "bound", "found", "saw", "felt", "lay",
# "given" (given that), "bit", "won", "sat", "fed", "rose", "spoke", "driven" (data-driven),
# "analyses" (a verb too); so do those whose base shares its stem with other words
# ("people": "person" is also the stem of "personal").
_IRREGULAR_FORMS = """
    arise: arose arisen; begin: began begun; bend: bent; bite: bitten; blow: blew blown;
    break: broke broken; bring: brought; build: built; burn: burnt; buy: bought;
    catch: caught; choose: chose chosen; come: came; deal: dealt; dig: dug; draw: drew drawn;
    dream: dreamt; drink: drank drunk; eat: ate eaten; fall: fallen; fight: fought;
    fly: flew flown; forbid: forbade forbidden; forget: forgot forgotten; forgive: forgave
    forgiven; freeze: froze frozen; get: got gotten; give: gave; go: went gone; grow: grew
    grown; hang: hung; hide: hid hidden; hold: held;
    keep: kept; learn: learnt; leap: leapt; lend: lent; lose: lost; make: made; meet: met;
    pay: paid; rebuild: rebuilt; redo: redid redone; rewrite: rewrote rewritten;
    overwrite: overwrote overwritten; ride: rode ridden; ring: rang rung; rise: risen;
    run: ran; see: seen; seek: sought; sell: sold; send: sent; shake: shook shaken;
    shrink: shrank shrunk; sing: sang sung; sink: sank sunk; sleep: slept;
    slide: slid; smell: smelt; speak: spoken; spend: spent; spill: spilt; spin: spun;
    spoil: spoilt; stand: stood; steal: stole stolen; stick: stuck; strike: struck;
    sweep: swept; swim: swam swum; take: took taken; teach: taught; tear: tore torn;
    think: thought; throw: threw thrown; understand: understood; undo: undid undone;
    wake: woke woken; wear: wore worn; weave: wove woven; withdraw: withdrew
    withdrawn; write: wrote written;
    axis: axes; child: children; criterion: criteria; foot: feet;
    index: indices; man: men; matrix: matrices; mouse: mice;
    phenomenon: phenomena; tooth: teeth; vertex: vertices; woman: women
"""
_BASE_FORM = {
    form: base.strip()
    for entry in _IRREGULAR_FORMS.split(";")
    if entry.strip()
    for base, forms in [entry.split(":")]
    for form in forms.split()
}
_DIMENSIONS = re.compile(r"\b(\d+)\s*(?:x|X|by|\*)\s*(\d+)\b")


def normalize(text: str) -> str:
    """Normalize text for matching: NFKC (bold math letters become plain), quotes, case."""
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    text = _ACRONYM_PLURAL.sub(r"\1", text)  # "LSTMs" -> "LSTM"
    text = _DIMENSIONS.sub(r"\1x\2", text)  # "3 by 3", "3 x 3" and "3×3" -> "3x3"
    return fold_accents(text.casefold())


def as_written(surfaces: set[str], text: str) -> set[str]:
    """Matched words as `text` writes them where it writes them with accents ("zurich" ->
    "Zürich"), so that they can be found in it; others as they are."""
    written: dict[str, str] = {}
    for word in re.findall(r"[^\W_]+", text):
        if not word.isascii():
            written.setdefault(fold_accents(word.casefold()), word)
    return {written.get(s, s) for s in surfaces}


# Scripts written without spaces between words (kana, CJK ideographs; Hangul, whose words
# carry their particles): a run of them is read as its overlapping character pairs, the usual
# indexing of such text without a dictionary ("パスワード" matches "パスワードを")
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")


def _with_bigrams(token: str) -> list[str]:
    """A token's unspaced runs as character pairs (a lone character as itself), its other
    parts ("qabot" in "qabotの") as words."""
    out: list[str] = []
    start = 0
    for run in _UNSPACED.finditer(token):
        out.extend(part for part in token[start : run.start()].split("-") if part)
        chars = run.group()
        out.extend(chars[i : i + 2] for i in range(max(1, len(chars) - 1)))
        start = run.end()
    out.extend(part for part in token[start:].split("-") if part)
    return out


def fold_accents(text: str) -> str:
    """Latin and Greek letters without their accents, as users type them ("zürich" ->
    "zurich", "ώρες" -> "ωρες"), and "ё" as "е"; other marks are kept ("й" is not "и")."""
    if text.isascii():
        return text
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text.translate(_PLAIN_LETTERS)):
        if unicodedata.combining(char) and out and _ACCENTED_SCRIPTS.match(out[-1]):
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


_ACCENTED_SCRIPTS = re.compile("[\x00-\x7f\u0370-\u03ff]")  # ASCII, Greek


@lru_cache(maxsize=200_000)
def american(word: str) -> str:
    """Map a British spelling to the American one (normalisation -> normalization)."""
    if word in _NO_SPELLING_CHANGE:
        return word
    for pattern, replacement in _AMERICAN_RULES:
        new = pattern.sub(replacement, word)
        if new != word:
            return new
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of an already normalized, American-spelled word."""
    return _STEMMER.stemWord(word)


def term(word: str) -> str:
    """The index term of one normalized word: American spelling, base adjective or irregular
    form, then stem."""
    return stem(_BASE_ADJECTIVE.get(word) or _BASE_FORM.get(word) or american(word))


def words(text: str) -> list[str]:
    """Normalized surface words; hyphenated words give their parts ("max-pooling"), except
    after a prefix that is no word: "non-linearity" gives "nonlinearity" and "linearity".

    Queries that join or split such words ("maxpooling", "non linearity") are resolved
    against the corpus lexicon, so documents are not indexed twice for one word.
    """
    out: list[str] = []
    for match in _WORD.finditer(normalize(text)):
        token = match.group().replace("'", "")
        if not token.isascii() and _UNSPACED.search(token):
            out.extend(_with_bigrams(token))
            continue
        if "-" not in token:
            out.append(token)
            continue
        parts = [p for p in token.split("-") if p]
        if len(parts) > 1 and parts[0] in BOUND_PREFIXES:  # "non-linearity" is one word,
            parts = ["".join(parts[:2]), *parts[1:]]  # and its base: "linearity"
        elif _is_code(parts):  # "W-2" is also "w2", as users write it ("2" alone says little)
            out.append("".join(parts))
        out.extend(parts)
    return out


def hyphenated_words(text: str) -> list[str]:
    """The hyphenated words of a text, normalized ("wi-fi", "check-up", "e-books"), which
    users also write joined ("wifi"): see `Lexicon.compounds`."""
    found = (match.group().replace("'", "") for match in _WORD.finditer(normalize(text)))
    return [token for token in found if "-" in token]


def _is_code(parts: list[str]) -> bool:
    """Whether a hyphenated word is a code of letters and a number ("W-2", "covid-19",
    "1099-misc"), which users write with or without its hyphen."""
    if len(parts) != 2:
        return False
    a, b = parts
    return (a.isalpha() and b.isdigit()) or (a.isdigit() and b.isalpha())


@dataclass(frozen=True, slots=True)
class Token:
    """One analyzed word: its surface form, its term, and whether it is a stop word."""

    surface: str
    term: str
    stop: bool
    part: bool = False  # one word of a multiword phrase, also given as its canonical term


class PhraseTable:
    """Equivalent phrases (synonyms, acronyms) rewritten to one canonical term sequence."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._map: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._first_terms: set[str] = set()  # positions starting with another term are skipped
        self._exact: dict[str, tuple[str, ...]] = {}  # '"settings"': that word form only
        self.groups: list[list[str]] = []
        self.max_len = 0
        for group in groups:
            self.add(group)

    def add(self, group: Sequence[str]) -> None:
        """Add a group of equivalent phrases; the first one is canonical (a group may be one
        multiword phrase: "random forest" is then one term, besides its words).

        A word in double quotes matches that form only, not its stem: '"settings"' means
        hyperparameters without making every "set" one."""
        phrases = [p.strip() for p in group if p.strip()]
        canonical = _raw_terms(phrases[0].strip('"')) if phrases else ()
        if len(canonical) < (2 if len(phrases) < 2 else 1):
            return  # a lone phrase of several words is a concept named as a whole
        self.groups.append(phrases)
        for phrase in phrases:
            exact = words(phrase.strip('"')) if phrase[0] == phrase[-1] == '"' else []
            if len(exact) == 1:  # (a quoted phrase of several words matches by stems)
                if exact[0] not in STOP_WORDS:
                    self._exact.setdefault(exact[0], canonical)
                continue
            key = _raw_terms(phrase.strip('"'))
            if key and key not in self._map and (len(key) > 1 or key != canonical):
                self._map[key] = canonical
                self._first_terms.add(key[0])
                self.max_len = max(self.max_len, len(key))

    def concepts(self) -> frozenset[str]:
        """The canonical terms of groups made of multiword phrases only: concepts named as
        wholes ("random forest, random forests"), unlike word-for-word synonyms ("sign up,
        signup, register")."""
        return frozenset(
            "_".join(_raw_terms(group[0].strip('"')))
            for group in self.groups
            if all(len(words(phrase.strip('"'))) > 1 for phrase in group)
        )

    def single_words(self) -> list[str]:
        """The one-word phrases of every group ("batchnorm", "knob"), for typo lookup."""
        split = (words(phrase.strip('"')) for group in self.groups for phrase in group)
        return sorted({w[0] for w in split if len(w) == 1})

    def rewrite(self, tokens: list[Token]) -> list[Token]:
        """Replace known phrases (longest first) by one canonical term, e.g. "bn" -> batch_normal.

        A phrase of several words keeps the canonical phrase's words as terms too, so
        "batch normalization" still matches "normalization"; an acronym ("bn", "gru") gives
        only its canonical term, so "relu" and "gru" do not meet on "unit".
        """
        if not self._map and not self._exact:
            return tokens
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            length, canonical = self._match(tokens, i)
            if canonical is None:
                out.append(tokens[i])
                i += 1
                continue
            surface = " ".join(t.surface for t in tokens[i : i + length])
            out.append(Token(surface, "_".join(canonical), False))
            if length > 1 and len(canonical) > 1:
                out.extend(Token(surface, part, False, part=True) for part in canonical)
            i += length
        return out

    def _match(self, tokens: list[Token], i: int) -> tuple[int, tuple[str, ...] | None]:
        """The longest phrase starting at `i` (a quoted word form counts as one word)."""
        if tokens[i].term in self._first_terms:
            for length in range(min(self.max_len, len(tokens) - i), 1, -1):
                canonical = self._map.get(tuple(t.term for t in tokens[i : i + length]))
                if canonical is not None:
                    return length, canonical
        exact = self._exact.get(tokens[i].surface)
        if exact is not None:
            return 1, exact
        return 1, self._map.get((tokens[i].term,))


def _raw_terms(text: str) -> tuple[str, ...]:
    return tuple(term(w) for w in words(text))


def tokens(text: str, phrases: PhraseTable | None = None) -> list[Token]:
    """Analyze text into tokens (stop words kept and flagged), with phrases rewritten."""
    named = _capitalized_stop_words(text)
    out = [Token(w, term(w), is_stop_word(w) and w not in named) for w in words(text)]
    return phrases.rewrite(out) if phrases is not None else out


_CAPITALS = re.compile(r"\b[A-Z]{2,}\b")


def _capitalized_stop_words(text: str) -> frozenset[str]:
    """Stop words a text writes in capitals, so names ("ship to the US", "call IT"), when the
    text also has lowercase letters (a text in capitals writes every word so)."""
    named = frozenset(w.lower() for w in _CAPITALS.findall(text)).intersection(STOP_WORDS)
    return named if named and not text.isupper() else frozenset()


def is_stop_word(word: str) -> bool:
    """A stop word, or a single letter ("f(x)", "x"): neither says what a text is about."""
    return word in STOP_WORDS or (len(word) == 1 and word.isalpha())


def terms(text: str, phrases: PhraseTable | None = None) -> list[str]:
    """The index terms of a text: stemmed, canonical, without stop words."""
    return [t.term for t in tokens(text, phrases) if not t.stop]


# "(CNN)", and the up to eight words right before it, read in a window of ACRONYM_WINDOW
# characters: one pattern for both backtracked over a long word from each of its letters
_ACRONYM_PAREN = re.compile(r"\(\s*([A-Z1-9][A-Za-z1-9]{1,9}?)s?\s*\)")
_WORDS_BEFORE = re.compile(r"(?:[A-Za-z][\w-]*[\s/]+){1,8}\Z")
ACRONYM_WINDOW = 200
# a digit of an acronym stands for its number word: "two-factor authentication (2FA)"
_DIGIT_WORDS = dict(enumerate("one two three four five six seven eight nine".split(), 1))


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """Acronyms a text defines, e.g. "Convolutional Neural Network (CNN)" -> (CNN, expansion)."""
    found: list[tuple[str, str]] = []
    text = unicodedata.normalize("NFKC", text)
    for match in _ACRONYM_PAREN.finditer(text):
        acronym = match.group(1)
        capitals = [c for c in acronym if c.isupper() or c.isdigit()]
        if sum(c.isupper() for c in capitals) < 2 or acronym.lower() in STOP_WORDS:
            continue  # "(HE)" would make every "he" a high-efficiency
        words = _WORDS_BEFORE.search(text, max(0, match.start() - ACRONYM_WINDOW), match.start())
        if words is None:
            continue
        candidates = re.split(r"[\s/-]+", words.group().strip())  # "Short-Term" is 2 words
        phrase = candidates[-len(capitals) :]
        if len(phrase) == len(capitals) and all(
            _initial_of(w, c) for w, c in zip(phrase, capitals, strict=True)
        ):
            found.append((acronym, " ".join(phrase)))
    return found


def _initial_of(word: str, letter: str) -> bool:
    """Whether an acronym's letter (or digit) stands for `word`: "N" for "Network", "2" for
    "Two" or "2"."""
    if letter.isdigit():
        return word.lower() in (letter, _DIGIT_WORDS[int(letter)])
    return word[0].lower() == letter.lower()


def word_features(term_list: Sequence[str]) -> list[str]:
    """TF-IDF features of a term sequence: unigrams and adjacent bigrams."""
    return [*term_list, *(f"{a} {b}" for a, b in itertools.pairwise(term_list))]
