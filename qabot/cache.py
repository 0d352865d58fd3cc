"""The persisted index of a corpus: where it lives, its key, and loading or building it."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from qabot import __version__
from qabot.corpus import BUILTIN_SYNONYMS, DOMAIN_SYNONYMS, CorpusIndex, build_index
from qabot.errors import CorpusError, EmptyCorpusError, QabotError
from qabot.models import Entry, Source
from qabot.parse import Corpus, corpus_fingerprint, load_corpus

log = logging.getLogger("qabot")  # the CLI prints these as "qabot: ..." lines on stderr


def cached_index(root: Path, index_dir: Path | None, corpus: Corpus | None = None) -> CorpusIndex:
    """The index of the corpus at `root`: loaded from the cache when its key matches (nothing
    is parsed then), else built from `corpus` (or the files) and cached."""
    location = index_location(root, index_dir)
    cached = load_cached(*location, report=False)  # (reported below, under the lock)
    if cached is None:
        with _build_lock(location[0]):  # one builder per corpus; the others wait, then load
            cached = load_cached(*location)
            if cached is None:
                if not location[0].exists():  # (a damaged file was reported as rebuilt)
                    log.info("building the index of %s (later runs load it)", root)
                return build_and_save(corpus or load_corpus(root), *location)
    cached.source_base = str(_base(root))  # its paths are stored relative to the corpus
    return cached


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Hold `.<corpus tag>.lock` beside the index while building it, so that processes
    starting at once build it once.  Where no lock can be taken (a read-only cache folder,
    no `fcntl`), build without one: the atomic save keeps concurrent builds safe anyway."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.parent / f".{path.name[:CORPUS_TAG_LENGTH]}.lock", "a")  # noqa: SIM115
    except (ImportError, OSError):
        yield
        return
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another qabot is building it: wait, then load what it saved
            log.info("waiting for another qabot to finish building this index")
            with contextlib.suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield  # (closing the file releases the lock)


def _base(root: Path) -> Path:
    """The folder that source paths are relative to, spelled as the caller spelled `root`."""
    return root if root.is_dir() else root.parent


def _with_sources(entries: list[Entry], respell: Callable[[str], str]) -> list[Entry]:
    """Entries whose source paths are rewritten (relative to the corpus, for the cache)."""
    return [
        e.model_copy(
            update={"source": e.source.model_copy(update={"path": respell(e.source.path)})}
        )
        for e in entries
    ]


def as_named(source: Source, base: str) -> Source:
    """A source of an index as this run names the corpus: the cache stores paths relative to
    the corpus, so a run that names it another way ("../c1", an absolute path) shows paths
    that work from its own folder.  Done per shown result, not per entry at load."""
    return source.model_copy(update={"path": as_named_path(source.path, base)}) if base else source


def as_named_path(path: str, base: str) -> str:
    """A stored source path as this run names the corpus (see `as_named`)."""
    return str(Path(base) / path) if base else path


def build(corpus: Corpus) -> CorpusIndex:
    """The index of a loaded corpus, with what loading it reported (CorpusError if empty)."""
    try:
        index = build_index(corpus.entries, corpus.synonyms)
    except EmptyCorpusError as exc:
        raise CorpusError(corpus.root, str(exc)) from None
    index.problems = [str(p) for p in corpus.problems]
    index.notices = list(corpus.notices)
    index.built = True
    return index


def index_location(root: Path, index_dir: Path | None) -> tuple[Path, str]:
    """Where the index of the corpus at `root` is cached, and its key (from bytes, no parsing).

    The file is named `<corpus tag>-<key>.npz`: the tag (from the corpus's resolved path)
    lets a new index of the same corpus remove the one it replaces."""
    from qabot import store

    fingerprint = corpus_fingerprint(root)  # (first: a path that cannot be read says so)
    # the root is part of the key: entries store their source path for display
    resolved = os.fsencode(root.resolve())
    files = [
        *fingerprint,
        ("<builtin synonyms>", BUILTIN_SYNONYMS.read_bytes()),
        *((f"<builtin synonyms {p.name}>", p.read_bytes()) for p in DOMAIN_SYNONYMS),
        ("<root>", resolved),
        ("<english word list>", _word_list_version().encode()),
        ("<encoder weights>", _encoder_version().encode()),
        *indexing_code(),
    ]
    key = store.corpus_key(files, __version__)
    tag = hashlib.sha256(resolved).hexdigest()[:CORPUS_TAG_LENGTH]
    return (index_dir or store.default_index_dir()) / f"{tag}-{key}.npz", key


CORPUS_TAG_LENGTH = 12


def _word_list_version() -> str:
    """The size of pyspellchecker's English word list, whose rarities an index stores:
    another list must rebuild it (found without importing the package, which costs 30 ms)."""
    from importlib.util import find_spec

    spec = find_spec("spellchecker")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        words = Path(folder) / "resources" / "en.json.gz"
        if words.exists():
            return str(words.stat().st_size)
    return "none"


def _encoder_version() -> str:
    """The sizes and dates of the sentence encoder's files, whose question vectors an index
    stores (hashing 23 MB would cost 40 ms a start)."""
    data = Path(__file__).with_name("data")
    files = [data / "encoder.npz", data / "encoder_vocab.txt"]
    return " ".join(f"{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files if f.is_file())


INDEXING_MODULES = (
    "chunk.py",
    "corpus.py",
    "encoder.py",  # (the question vectors of semantic.py)
    "english.py",  # (the English rarities a lexicon stores)
    "index.py",
    "lexicon.py",
    "models.py",
    "semantic.py",
    "store.py",
    "text.py",
)


def indexing_code() -> list[tuple[str, bytes]]:
    """The source of the modules that decide what an index holds (parsing, chunking, text
    analysis, index layout): a change there must rebuild cached indexes even within one
    version.  Ranking and interface modules are left out, so changing them keeps the cache."""
    package = Path(__file__).parent
    modules = [package / name for name in INDEXING_MODULES]
    modules += sorted((package / "parse").glob("*.py"))
    return [(f"<code {m.relative_to(package)}>", m.read_bytes()) for m in modules if m.exists()]


def load_cached(path: Path, key: str, report: bool = True) -> CorpusIndex | None:
    """The cached index, or None (with a one-line notice, if `report`, when a bad file is
    being replaced)."""
    from qabot import store

    try:
        return store.load(path, key)
    except store.StaleIndex as exc:
        if report and path.exists():
            log.warning("rebuilding index (%s)", exc)
        return None


def build_and_save(corpus: Corpus, path: Path, key: str, must_save: bool = False) -> CorpusIndex:
    """Build the index of `corpus` and cache it at `path`, removing the indexes it replaces.
    A failure to write only warns, unless `must_save` (then it is a QabotError)."""
    from qabot import store

    index = build(corpus)
    if index_location(corpus.root, path.parent)[1] != key:  # edited while being read: this
        log.warning("index not cached (the corpus changed while it was read)")  # index may
        return index  # hold the old text, and must not be found under either key later
    base = str(_base(corpus.root))
    stored = dataclasses.replace(
        index, entries=_with_sources(index.entries, lambda p: os.path.relpath(p, base))
    )
    stored.question_vectors = index.question_vectors  # (encoded once, for both copies)
    stored.passage_vectors = index.passage_vectors
    try:
        store.save(stored, path, key)
    except OSError as exc:
        reason = _why_not_written(path.parent, exc)
        if must_save:
            raise QabotError(f"cannot write the index ({reason})") from None
        log.warning("index not cached (%s)", reason)
        return index
    _remove_replaced(path)
    return index


def _why_not_written(directory: Path, exc: OSError) -> str:
    """Why an index could not be written into `directory`: "not a folder" when it, or a folder
    above it, is a file (mkdir says "File exists")."""
    if isinstance(exc, FileExistsError | NotADirectoryError) and not directory.is_dir():
        blocking = next((p for p in (directory, *directory.parents) if p.is_file()), directory)
        return f"{blocking} is a file, not a folder"
    return f"{directory}: {exc.strerror or exc}"


KEPT_INDEXES = 3  # indexes kept per corpus: two qabot installs sharing it keep theirs
STALE_TEMP_SECONDS = 3600  # a temporary file this old was left by a killed build


def _remove_replaced(path: Path) -> None:
    """Delete the older indexes of the same corpus beside `path` (one per corpus edit else),
    all but the KEPT_INDEXES newest, and temporary files that killed builds left behind."""
    tag = path.name[:CORPUS_TAG_LENGTH]
    indexes = sorted(path.parent.glob(f"{tag}-*.npz"), key=_modified, reverse=True)
    now = time.time()
    temporary = [
        t
        for t in path.parent.glob(f".{tag}-*.npz.*.tmp")
        if now - _modified(t) > STALE_TEMP_SECONDS
    ]
    for old in [i for i in indexes if i != path][KEPT_INDEXES - 1 :] + temporary:
        with contextlib.suppress(OSError):  # read-only: harmless, tried again next time
            old.unlink()


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
