"""The persisted index: one `.npz` file (numpy arrays plus a JSON header; no pickle).

Files are keyed by a hash of the corpus content, the synonyms and the qabot version, written
to a temporary file and renamed into place (atomic: concurrent builders never leave a half
file), and validated on load; anything unreadable is reported as `StaleIndex` and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from qabot.corpus import CorpusIndex, StoredEntries
from qabot.encoder import DIMENSIONS
from qabot.index import SortedVocabulary, SparseScorer, TermIndex
from qabot.lexicon import Lexicon
from qabot.semantic import MAX_ENTRIES, PassageVectors, QuestionVectors
from qabot.text import PhraseTable

FORMAT_VERSION = 6
_TERM_INDEXES = (
    "bm25_passages",
    "bm25_questions",
    "tfidf_passages",
    "tfidf_questions",
    "passage_heads",
)


class StaleIndex(Exception):
    """A persisted index that is missing, corrupted, or from another version or corpus."""


def default_index_dir() -> Path:
    """$QABOT_INDEX_DIR, else the user cache directory for indexes (respects XDG_CACHE_HOME
    on Linux): the Python API shares the cache the command line uses."""
    from platformdirs import user_cache_dir

    from qabot.config import INDEX_DIR_ENV

    if os.environ.get(INDEX_DIR_ENV):
        return Path(os.environ[INDEX_DIR_ENV]).expanduser()
    return Path(user_cache_dir("qabot")) / "indexes"


def corpus_key(files: list[tuple[str, bytes]], version: str) -> str:
    """A hash identifying a corpus's content (names and bytes) and the qabot version."""
    digest = hashlib.sha256(f"qabot {version} format {FORMAT_VERSION}\n".encode())
    for name, data in sorted(files):
        digest.update(f"{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


def _sorted_rows(term_index: TermIndex) -> tuple[list[str], SparseScorer, np.ndarray]:
    """A term index's vocabulary in sorted order with its rows and IDFs in the same order, as
    `load` wants it (a loaded vocabulary is looked up by binary search, see SortedVocabulary)."""
    terms = sorted(term_index.vocabulary)
    order = np.fromiter(map(term_index.vocabulary.__getitem__, terms), np.int64, len(terms))
    return terms, term_index.scorer.permuted(order), term_index.idf[order]


def save(index: CorpusIndex, path: Path, key: str) -> None:
    """Write `index` to `path` atomically (temporary file in the same folder, then rename)."""
    header = {
        "format": FORMAT_VERSION,
        "key": key,
        "entries": [e.model_dump() for e in index.entries],
        "passages": index.passage_texts,
        "phrases": index.phrases.groups,
        "lexicon": index.lexicon.words,
        "compounds": list(index.lexicon.compounds),
        "problems": index.problems,
        "notices": index.notices,
    }
    vocabularies: dict[str, list[str]] = {}
    indexes = {name: getattr(index, name) for name in _TERM_INDEXES}
    indexes["lexicon_chars"] = index.lexicon.char_index
    arrays: dict[str, np.ndarray] = {}
    for name, term_index in indexes.items():
        terms, scorer, idf = _sorted_rows(term_index)
        vocabularies[name] = terms
        arrays |= scorer.arrays(name) | {f"{name}.idf": idf}
    header["vocabularies"] = vocabularies
    if len(index.entries) <= MAX_ENTRIES:  # (the meaning match's vectors, see semantic.py)
        matrix, owners = index.question_vectors.arrays
        arrays |= {"question_vectors": matrix.astype(np.float16), "question_owners": owners}
    if index.passage_vectors is not None:
        arrays["passage_vectors"] = index.passage_vectors.matrix.astype(np.float16)
    arrays |= {
        "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
        "passage_entry": index.passage_entry,
        "lexicon_counts": index.lexicon.counts,
        "lexicon_rarities": index.lexicon.rarities,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would: mkstemp makes it private (0600)
        with os.fdopen(fd, "wb") as out:
            np.savez(out, **arrays)
            out.flush()
            os.fsync(out.fileno())  # the rename must never expose a file still being written
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # (the only way to read it is to set it)
    os.umask(mask)
    return mask


def load(path: Path, key: str) -> CorpusIndex:
    """Load an index written by `save`; raise `StaleIndex` if it is not a valid index for `key`.

    Every way a file can be wrong (missing, truncated, garbage, another version or corpus,
    arrays that do not fit together) raises `StaleIndex`, so the caller rebuilds it.
    """
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        header = json.loads(_array(arrays, "header", "u").tobytes())
        if not isinstance(header, dict):
            raise StaleIndex("index header is not an object")
        if header.get("format") != FORMAT_VERSION:
            raise StaleIndex(f"index format {header.get('format')!r}, expected {FORMAT_VERSION}")
        if header.get("key") != key:
            raise StaleIndex("index is from another corpus or qabot version")
        return _from_parts(header, arrays)
    except StaleIndex:
        raise
    except FileNotFoundError:
        raise StaleIndex("no index yet") from None
    except Exception as exc:  # corrupted, truncated or foreign file: rebuilt by the caller
        raise StaleIndex(f"unreadable index ({type(exc).__name__})") from None


def _array(arrays: dict[str, np.ndarray], name: str, kinds: str) -> np.ndarray:
    """A 1-D array of the file whose dtype kind is one of `kinds` ("i" int, "u" uint, "f")."""
    array = arrays.get(name)
    if array is None or array.ndim != 1 or array.dtype.kind not in kinds:
        raise StaleIndex(f"missing or malformed array {name}")
    return array


def _strings(value: object, what: str) -> list[str]:
    # (the types of a JSON list, mapped in C: 10x faster than a loop over 800k terms)
    if not isinstance(value, list) or not set(map(type, value)) <= {str}:
        raise StaleIndex(f"malformed {what}")
    return value


def _term_index(
    arrays: dict[str, np.ndarray], vocab: list[str], name: str, n_docs: int
) -> TermIndex:
    indptr = _array(arrays, f"{name}.indptr", "iu")
    indices = _array(arrays, f"{name}.indices", "iu")
    data = _array(arrays, f"{name}.data", "f")
    idf = _array(arrays, f"{name}.idf", "f")
    stored_docs = _array(arrays, f"{name}.n_docs", "iu")
    if (
        not _strictly_sorted(vocab)
        or len(indptr) != len(vocab) + 1
        or len(idf) != len(vocab)
        or stored_docs.tolist() != [n_docs]
        or indptr[0] != 0
        or indptr[-1] != len(indices)
        or len(data) != len(indices)
        or np.any(np.diff(indptr) < 0)
        or (len(indices) and (indices.min() < 0 or indices.max() >= n_docs))
        or not _rows_sorted(indptr, indices)
    ):
        raise StaleIndex(f"inconsistent arrays in {name}")
    return TermIndex(SortedVocabulary(vocab), SparseScorer.from_arrays(arrays, name), idf)


def _strictly_sorted(terms: list[str]) -> bool:
    """Whether terms are sorted and distinct (what a binary-search vocabulary relies on)."""
    return all(map(str.__lt__, terms, terms[1:]))


def _rows_sorted(indptr: np.ndarray, indices: np.ndarray) -> bool:
    """Whether each row's document ids strictly increase (range lookups rely on it)."""
    rising = np.diff(indices.astype(np.int64)) > 0
    row_ends = indptr[1:-1] - 1  # a new row may start lower than the last one ended
    row_ends = row_ends[(row_ends >= 0) & (row_ends < len(rising))]
    rising[row_ends] = True
    return bool(rising.all())


def _entry_rows(rows: object) -> list[dict[str, Any]]:
    """Stored entries, checked to have the shape of `Entry` (validated one by one when read,
    see StoredEntries: a row that passes here always validates).  Checked a field at a time
    over all rows, so that the type checks run in C (0.05 s for 100k entries)."""
    if not isinstance(rows, list) or not set(map(type, rows)) <= {dict}:
        raise StaleIndex("malformed entries")
    try:
        texts = [[row[name] for row in rows] for name in ("id", "question", "answer")]
        sources = [row["source"] for row in rows]
        if not set(map(type, sources)) <= {dict}:
            raise StaleIndex("malformed entry sources")
        texts.append([source["path"] for source in sources])
        lines = [[source[name] for source in sources] for name in ("line_start", "line_end")]
    except (KeyError, TypeError):
        raise StaleIndex("malformed entries") from None
    lists = [[row.get(name, []) for row in rows] for name in ("alternates", "tags")]
    if (
        not all(set(map(type, column)) <= {str} for column in texts)
        or not all(
            set(map(type, column)) <= {int} and min(column, default=1) >= 1 for column in lines
        )
        or not all(set(map(type, column)) <= {list} for column in lists)
        or not all(set(map(type, chain.from_iterable(column))) <= {str} for column in lists)
    ):
        raise StaleIndex("malformed entries")
    return rows


def _from_parts(header: dict, arrays: dict[str, np.ndarray]) -> CorpusIndex:
    entries = StoredEntries(_entry_rows(header["entries"]))
    passages = _strings(header["passages"], "passages")
    words = _strings(header["lexicon"], "lexicon")
    compounds = tuple(_strings(header.get("compounds", []), "compounds"))
    phrases = [_strings(group, "phrases") for group in header["phrases"]]
    vocabularies = {
        name: _strings(vocab, f"vocabulary {name}")
        for name, vocab in header["vocabularies"].items()
    }
    docs = {"questions": len(entries), "passages": len(passages)}
    indexes = {
        name: _term_index(
            arrays,
            vocabularies[name],
            name,
            docs["questions" if "question" in name else "passages"],
        )
        for name in _TERM_INDEXES
    }
    char_index = _term_index(arrays, vocabularies["lexicon_chars"], "lexicon_chars", len(words))
    counts = _array(arrays, "lexicon_counts", "iu")
    rarities = _array(arrays, "lexicon_rarities", "f")
    passage_entry = _array(arrays, "passage_entry", "iu")
    if len(counts) != len(words) or len(rarities) != len(words):
        raise StaleIndex("lexicon count mismatch")
    if len(passage_entry) != len(passages) or (
        len(passage_entry) and (passage_entry.min() < 0 or passage_entry.max() >= len(entries))
    ):
        raise StaleIndex("passage count mismatch")
    if np.any(np.diff(passage_entry) < 0):  # passage ranges of entries rely on the order
        raise StaleIndex("passages out of entry order")
    terms = frozenset(vocabularies["bm25_passages"]) | frozenset(vocabularies["bm25_questions"])
    index = CorpusIndex(
        entries=entries,
        passage_texts=passages,
        passage_entry=passage_entry,
        phrases=PhraseTable(phrases),
        lexicon=Lexicon(words, counts, terms, char_index, rarities, compounds),
        **indexes,
        problems=_strings(header.get("problems"), "problems"),
        notices=_strings(header.get("notices"), "notices"),
    )
    if "question_vectors" in arrays:
        index.question_vectors = _question_vectors(arrays, entries)
    elif len(entries) <= MAX_ENTRIES:
        raise StaleIndex("missing question vectors")
    if index.passage_vectors is not None:  # (a corpus small enough to have them)
        if "passage_vectors" not in arrays:
            raise StaleIndex("missing passage vectors")
        matrix = _unit_vectors(arrays["passage_vectors"], len(passages), "passage", zeros=True)
        index.passage_vectors = PassageVectors.stored(passages, matrix)
    return index


def _question_vectors(arrays: dict[str, np.ndarray], entries: StoredEntries) -> QuestionVectors:
    """The saved question vectors, checked to be unit vectors of the encoder's size, one
    per phrasing of an existing entry."""
    owners = _array(arrays, "question_owners", "iu")
    matrix = _unit_vectors(arrays["question_vectors"], len(owners), "question")
    if len(owners) and (owners.min() < 0 or owners.max() >= len(entries)):
        raise StaleIndex("inconsistent question vectors")
    return QuestionVectors.stored(entries, matrix, owners)


def _unit_vectors(matrix: np.ndarray, rows: int, what: str, zeros: bool = False) -> np.ndarray:
    """A saved matrix of `rows` unit vectors of the encoder's size (and, with `zeros`, zero
    rows for what was not encoded); StaleIndex otherwise."""
    if matrix.ndim != 2 or matrix.dtype.kind != "f" or matrix.shape != (rows, DIMENSIONS):
        raise StaleIndex(f"inconsistent {what} vectors")
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(matrix.astype(np.float32), axis=1)
    unit = np.abs(norms - 1.0) < 0.01  # (NaN fails both)
    if not np.all(unit | (zeros & (norms == 0.0))):
        raise StaleIndex(f"{what} vectors are no unit vectors")
    return matrix
