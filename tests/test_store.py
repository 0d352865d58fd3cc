"""The persisted index: reuse, invalidation, corruption recovery and concurrent builders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import FERN_CARE, make_entry

import qabot.cache as cache_module
from qabot import store
from qabot.corpus import StoredEntries, build_index
from qabot.models import Entry, Source
from qabot.retriever import Retriever

DOC = (
    "## What is dropout?\nRandomly zeroing activations.\n\n"
    "## What is momentum?\nSmoothing updates.\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus" / "faq.md"
    path.parent.mkdir()
    path.write_text(DOC, encoding="utf-8")
    return path


def index_files(index_dir: Path) -> list[Path]:
    return sorted(index_dir.glob("*.npz"))


def counting_build(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = cache_module.build_index

    def build(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "build_index", build)
    return calls


def test_second_load_reuses_the_cached_index(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "idx"
    Retriever.from_path(corpus, index_dir=index_dir)

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("index rebuilt although the cache is valid")

    monkeypatch.setattr(cache_module, "build_index", fail)
    again = Retriever.from_path(corpus, index_dir=index_dir)
    assert again.ask("what is dropout").best.question_id == "faq:q1"  # type: ignore[union-attr]


def test_changing_the_corpus_builds_a_new_index(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "idx"
    Retriever.from_path(corpus, index_dir=index_dir)
    calls = counting_build(monkeypatch)
    corpus.write_text(DOC + "\n## What is a batch?\nA group of examples.\n", encoding="utf-8")
    changed = Retriever.from_path(corpus, index_dir=index_dir)
    assert calls == [1]
    assert len(changed.entries) == 3
    newest = max(index_files(index_dir), key=lambda p: p.stat().st_mtime)
    assert len(store.load(newest, key_of(newest)).entries) == 3


def test_only_the_newest_indexes_of_a_corpus_are_kept(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    for edit in range(5):  # (two installs sharing the cache keep one each)
        corpus.write_text(DOC + f"\n## Edit {edit}?\nYes.\n", encoding="utf-8")
        Retriever.from_path(corpus, index_dir=index_dir)
    assert len(index_files(index_dir)) == cache_module.KEPT_INDEXES


def test_an_edit_during_the_build_leaves_nothing_cached_under_the_old_key(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "idx"
    real = cache_module.build_index

    def build_then_edit(*args: object, **kwargs: object) -> object:
        index = real(*args, **kwargs)  # type: ignore[arg-type]
        corpus.write_text(DOC.replace("Smoothing", "EDITED"), encoding="utf-8")
        return index

    monkeypatch.setattr(cache_module, "build_index", build_then_edit)
    Retriever.from_path(corpus, index_dir=index_dir)
    assert index_files(index_dir) == []  # the key it was read under no longer fits the files


def test_a_temporary_file_left_by_a_killed_build_is_swept(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    Retriever.from_path(corpus, index_dir=index_dir)
    (kept,) = index_files(index_dir)
    old, fresh = (index_dir / f".{kept.name}.{n}.tmp" for n in ("killed", "writing"))
    for leftover in (old, fresh):
        leftover.write_bytes(b"half an index")
    os.utime(old, (1, 1))
    corpus.write_text(DOC + "\n## New?\nYes.\n", encoding="utf-8")
    Retriever.from_path(corpus, index_dir=index_dir)
    assert not old.exists()
    assert fresh.exists()  # (another process may be writing it right now)


def test_an_index_file_is_as_readable_as_the_umask_allows(corpus: Path, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        Retriever.from_path(corpus, index_dir=tmp_path / "idx")
    finally:
        os.umask(previous)
    (kept,) = index_files(tmp_path / "idx")
    assert kept.stat().st_mode & 0o777 == 0o644  # shared index folders work for every user


def test_another_corpus_s_index_is_left_alone(tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "n.md").write_text(DOC, encoding="utf-8")
        Retriever.from_path(tmp_path / name, index_dir=index_dir)
    assert len(index_files(index_dir)) == 2


def key_of(path: Path) -> str:
    """The key in an index file's name, `<corpus tag>-<key>.npz`."""
    return path.stem.split("-", 1)[1]


def corrupt_truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def corrupt_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def corrupt_empty(path: Path) -> None:
    path.write_bytes(b"")


def rewrite(
    path: Path, change: dict[str, object], arrays: dict[str, np.ndarray] | None = None
) -> None:
    with np.load(path, allow_pickle=False) as npz:
        data = {name: npz[name] for name in npz.files}
    header = json.loads(data["header"].tobytes()) | change
    data["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    data |= arrays or {}
    with path.open("wb") as out:
        np.savez(out, **data)


def corrupt_version(path: Path) -> None:
    rewrite(path, {"format": store.FORMAT_VERSION + 1})


def corrupt_indices(path: Path) -> None:
    rewrite(path, {}, {"bm25_passages.indices": np.array([10**6] * 3, dtype=np.int32)})


def corrupt_header(path: Path) -> None:
    rewrite(path, {"entries": [{"id": 1}]})


def corrupt_pickle(path: Path) -> None:
    with np.load(path, allow_pickle=False) as npz:
        data = {name: npz[name] for name in npz.files}
    data["passage_entry"] = np.array([object()], dtype=object)
    with path.open("wb") as out:
        np.savez(out, **data)


def corrupt_zip_member(path: Path) -> None:
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")  # a duplicate member name is the corruption
        archive.writestr("header.npy", b"not an array")


@pytest.mark.parametrize(
    "corrupt",
    [
        corrupt_truncated,
        corrupt_garbage,
        corrupt_empty,
        corrupt_version,
        corrupt_indices,
        corrupt_header,
        corrupt_pickle,
        corrupt_zip_member,
    ],
)
def test_bad_index_file_is_rebuilt_with_a_one_line_notice(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    corrupt: object,
) -> None:
    index_dir = tmp_path / "idx"
    Retriever.from_path(corpus, index_dir=index_dir)
    (path,) = index_files(index_dir)
    corrupt(path)  # type: ignore[operator]
    caplog.clear()
    calls = counting_build(monkeypatch)
    rebuilt = Retriever.from_path(corpus, index_dir=index_dir)
    assert calls == [1]
    (notice,) = [r for r in caplog.records if r.name == "qabot" and r.levelname != "INFO"]
    assert notice.levelname == "WARNING" and notice.getMessage().startswith("rebuilding index (")
    assert rebuilt.ask("what is momentum").best.question_id == "faq:q2"  # type: ignore[union-attr]
    store.load(path, key_of(path))  # the rebuilt file is valid again


def test_load_raises_stale_index_for_every_failure(tmp_path: Path) -> None:
    with pytest.raises(store.StaleIndex, match="no index yet"):
        store.load(tmp_path / "missing.npz", "k")
    (tmp_path / "dir.npz").mkdir()
    with pytest.raises(store.StaleIndex):
        store.load(tmp_path / "dir.npz", "k")


def small_index() -> object:
    entries = [
        Entry(
            id=f"t:q{i}",
            question=f"What is {w}?",
            answer=f"{w} is a thing about {w}s.",
            source=Source(path="t.md", line_start=i, line_end=i),
        )
        for i, w in enumerate(["alpha", "beta", "gamma"], 1)
    ]
    return build_index(entries)


def test_threads_saving_the_same_index_at_once_leave_a_loadable_file(tmp_path: Path) -> None:
    index = small_index()
    path = tmp_path / "idx" / "k.npz"
    errors: list[BaseException] = []

    def save() -> None:
        try:
            for _ in range(5):
                store.save(index, path, "k")  # type: ignore[arg-type]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.load(path, "k").entries) == 3
    assert [p.name for p in path.parent.iterdir()] == ["k.npz"]  # no temporary files left


def test_two_processes_building_at_once_leave_one_valid_index(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    script = (
        "import sys; from qabot.retriever import Retriever; "
        "r = Retriever.from_path(sys.argv[1], index_dir=sys.argv[2]); print(len(r.entries))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(corpus), str(index_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [out.strip() for out, _ in outputs] == ["2", "2"]
    assert all("Traceback" not in err for _, err in outputs)
    (path,) = index_files(index_dir)
    leftovers = [p.name for p in index_dir.iterdir() if p.suffix != ".lock"]
    assert leftovers == [path.name]  # no temporary file either
    assert len(store.load(path, key_of(path)).entries) == 2


def test_processes_starting_at_once_build_the_index_once(corpus: Path, tmp_path: Path) -> None:
    index_dir, log = tmp_path / "idx", tmp_path / "builds.log"
    script = (
        "import sys, qabot.cache as c\n"
        "real = c.build_index\n"
        "def build(*a, **k):\n"
        "    open(sys.argv[3], 'a').write('built\\n')\n"
        "    return real(*a, **k)\n"
        "c.build_index = build\n"
        "from qabot.retriever import Retriever\n"
        "print(len(Retriever.from_path(sys.argv[1], index_dir=sys.argv[2]).entries))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(corpus), str(index_dir), str(log)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [out.strip() for out, _ in outputs] == ["2", "2", "2"], outputs
    assert log.read_text().splitlines() == ["built"]  # the others waited and loaded it


def test_unwritable_index_dir_still_answers(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    retriever = Retriever.from_path(corpus, index_dir=blocker / "idx")
    assert len(retriever.entries) == 2
    warnings_ = [r.getMessage()[:17] for r in caplog.records if r.levelname == "WARNING"]
    assert warnings_ == ["index not cached "]


def test_unsorted_postings_are_a_stale_index(tmp_path: Path) -> None:
    answer = (  # (two passages: over 50 words, as a shorter answer is one passage)
        "Dropout zeroes random units during training, so that no unit can rely on any single"
        " other unit being there.\n\nDropout also helps generalization: a network trained"
        " with it behaves like an average of many thinner networks, which lowers the error on"
        " data it has never seen, at the price of a few more epochs of training."
    )
    index = build_index([make_entry(1, "What is dropout?", answer)])
    assert len(index.passage_texts) == 2
    path = tmp_path / "index.npz"
    store.save(index, path, "k")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    indptr, indices = arrays["bm25_passages.indptr"], arrays["bm25_passages.indices"]
    row = int(np.flatnonzero(np.diff(indptr) >= 2)[0])  # a term in both passages
    a, b = indptr[row], indptr[row + 1]
    indices[a:b] = indices[a:b][::-1].copy()
    np.savez(path, **arrays)
    with pytest.raises(store.StaleIndex):
        store.load(path, "k")


def test_a_change_to_the_indexing_code_changes_the_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qabot import cache

    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "a.md").write_text("## What is dropout?\n\nIt zeroes units.\n", encoding="utf-8")
    before = cache.index_location(corpus, tmp_path)
    real = cache.indexing_code()
    assert any(name == "<code text.py>" for name, _ in real)
    changed = [(n, b + b"\n# edited" if n == "<code text.py>" else b) for n, b in real]
    monkeypatch.setattr(cache, "indexing_code", lambda: changed)
    assert cache.index_location(corpus, tmp_path) != before


def test_passages_out_of_entry_order_are_a_stale_index(tmp_path: Path) -> None:
    entries = [
        make_entry(1, "What is dropout?", "Dropout zeroes units."),
        make_entry(2, "What is momentum?", "Momentum adds past updates."),
    ]
    path = tmp_path / "index.npz"
    store.save(build_index(entries), path, "k")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["passage_entry"] = arrays["passage_entry"][::-1].copy()
    np.savez(path, **arrays)
    with pytest.raises(store.StaleIndex):
        store.load(path, "k")


def test_question_vectors_are_saved_and_loaded_not_encoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qabot import encoder

    entries = [
        make_entry(1, "What is dropout?", "Dropout zeroes units."),
        make_entry(2, "What is momentum?", "Momentum adds past updates."),
        make_entry(3, "What is left open?", ""),  # unanswered: no vector
        make_entry(4, "How do I care for a fern?", FERN_CARE),  # passages to choose among
    ]
    path = tmp_path / "index.npz"
    built = build_index(entries)
    store.save(built, path, "k")
    matrix, owners = built.question_vectors.arrays
    assert owners.tolist() == [0, 1, 3]

    def fail(texts: list[str]) -> None:
        raise AssertionError("questions encoded again")

    real_encode = encoder.encode
    monkeypatch.setattr(
        encoder, "encode", lambda texts: fail(texts) if len(texts) > 1 else real_encode(texts)
    )
    loaded = store.load(path, "k")
    stored, stored_owners = loaded.question_vectors.arrays
    assert stored_owners.tolist() == [0, 1, 3]
    assert np.allclose(stored, matrix, atol=1e-3)  # (kept as float16)
    match = loaded.question_vectors.nearest("why drop units at random")
    assert match is not None and match.entry == 0
    assert loaded.passage_vectors is not None and built.passage_vectors is not None
    assert np.allclose(loaded.passage_vectors.matrix, built.passage_vectors.matrix, atol=1e-3)
    lo, hi = loaded.passage_range(3)
    norms = np.linalg.norm(loaded.passage_vectors.matrix, axis=1)
    assert hi - lo > 1 and np.allclose(norms[lo:hi], 1.0, atol=1e-2)
    assert np.all(norms[:lo] == 0.0)  # one-passage answers: nothing to choose, not encoded


@pytest.mark.parametrize(
    "tamper",
    [
        lambda a: a | {"question_owners": a["question_owners"] + 5},  # no such entry
        lambda a: a | {"passage_vectors": a["passage_vectors"][:0]},  # one per passage
        lambda a: a | {"passage_vectors": a["passage_vectors"] * 3},  # no unit vectors
        lambda a: {k: v for k, v in a.items() if k != "passage_vectors"},  # missing
        lambda a: a | {"question_vectors": a["question_vectors"][:, :10]},  # another size
        lambda a: a | {"question_vectors": a["question_vectors"] * 100},  # no unit vectors
        lambda a: a | {"question_vectors": a["question_vectors"] * np.nan},
        lambda a: {k: v for k, v in a.items() if not k.startswith("question_")},  # missing
    ],
)
def test_malformed_sentence_vectors_are_a_stale_index(
    tmp_path: Path, tamper: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]
) -> None:
    entries = [
        make_entry(1, "What is dropout?", "Dropout zeroes units."),
        make_entry(2, "How do I care for a fern?", FERN_CARE),
    ]
    path = tmp_path / "index.npz"
    store.save(build_index(entries), path, "k")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    np.savez(path, **tamper(arrays))
    with pytest.raises(store.StaleIndex):
        store.load(path, "k")


def test_the_cache_key_covers_parsing_and_analysis_but_not_ranking() -> None:
    from qabot import cache

    names = {name for name, _ in cache.indexing_code()}
    assert {"<code text.py>", "<code chunk.py>", "<code parse/text.py>"} <= names
    assert {"<code encoder.py>", "<code semantic.py>"} <= names  # (vectors an index stores)
    assert "<code rank.py>" not in names and "<code cli.py>" not in names


def test_a_cached_index_shows_sources_as_this_run_names_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "c1"
    corpus.mkdir()
    (corpus / "notes.txt").write_text("Q1: What is dropout?\nAnswer: Zeroing units.\n")
    (tmp_path / "elsewhere").mkdir()
    index_dir = tmp_path / "idx"

    def source(path: str) -> str:
        retriever = Retriever.from_path(path, index_dir=index_dir)
        return retriever.ask("dropout").results[0].source.path

    monkeypatch.chdir(tmp_path)
    assert source("c1") == os.path.join("c1", "notes.txt")  # builds the cache
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert source("../c1") == os.path.join("..", "c1", "notes.txt")  # loads it
    assert source(str(corpus)) == str(corpus / "notes.txt")
    assert len(list(index_dir.glob("*.npz"))) == 1


def test_an_unsorted_vocabulary_is_a_stale_index(tmp_path: Path) -> None:
    # a loaded vocabulary is searched by bisection: its terms must be sorted and distinct
    path = tmp_path / "index.npz"
    store.save(small_index(), path, "k")  # type: ignore[arg-type]
    with np.load(path, allow_pickle=False) as npz:
        header = json.loads(npz["header"].tobytes())
    terms = header["vocabularies"]["bm25_passages"]
    assert terms == sorted(terms)
    for bad in (terms[::-1], [terms[0], *terms[:-1]]):
        rewrite(path, {"vocabularies": header["vocabularies"] | {"bm25_passages": bad}})
        with pytest.raises(store.StaleIndex):
            store.load(path, "k")


def test_the_api_caches_where_qabot_index_dir_says(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a script and the command line share one cache: Retriever.from_path honours the variable
    monkeypatch.setenv("QABOT_INDEX_DIR", str(tmp_path / "shared"))
    Retriever.from_path(corpus)
    assert list((tmp_path / "shared").glob("*.npz"))


def test_loaded_entries_read_like_the_built_ones(tmp_path: Path) -> None:
    built = build_index(
        [
            make_entry(1, "What is dropout?", "Dropout zeroes units, even over Wi-Fi."),
            make_entry(2, "What is momentum?", ""),  # unanswered in its document
            make_entry(3, "What is a gizmo?", "A small device.").model_copy(
                update={"alternates": ("gadget",)}
            ),
        ]
    )
    path = tmp_path / "index.npz"
    store.save(built, path, "k")
    loaded = store.load(path, "k")
    assert isinstance(loaded.entries, StoredEntries)
    assert loaded.lexicon.compounds == built.lexicon.compounds == ("wi-fi",)
    assert loaded.entry_ids == built.entry_ids and loaded.unanswered == built.unanswered == [1]
    assert set(loaded.entry_paths) == set(built.entry_paths) == {"notes.txt"}
    assert list(loaded.entries) == list(built.entries) and len(loaded.entries) == 3
    assert loaded.entries[-1] == built.entries[-1] and loaded.entries[1:] == built.entries[1:]


@pytest.mark.parametrize(
    "change",
    [
        {"id": 7},
        {"answer": None},
        {"source": {"path": "t.md", "line_start": 0, "line_end": 1}},
        {"source": "t.md:1-1"},
        {"tags": ["ok", 3]},
    ],
)
def test_a_malformed_stored_entry_is_a_stale_index(
    tmp_path: Path, change: dict[str, object]
) -> None:
    path = tmp_path / "index.npz"
    store.save(small_index(), path, "k")  # type: ignore[arg-type]
    with np.load(path, allow_pickle=False) as npz:
        rows = json.loads(npz["header"].tobytes())["entries"]
    rewrite(path, {"entries": [rows[0] | change, *rows[1:]]})
    with pytest.raises(store.StaleIndex):
        store.load(path, "k")


def test_a_built_index_encodes_its_questions_once(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qabot import encoder

    calls: list[int] = []
    real_encode = encoder.encode

    def counting(texts: list[str]) -> object:
        calls.append(len(texts))
        return real_encode(texts)

    monkeypatch.setattr(encoder, "encode", counting)
    retriever = Retriever.from_path(corpus, index_dir=tmp_path / "idx")  # built and saved
    retriever.index.question_vectors.nearest("why zero activations at random, said once")
    # the two questions once (for the saved and the returned index); their answers have one
    # passage each, so no passage is encoded: there is nothing to choose among
    assert retriever.index.passage_vectors is None
    assert calls == [2, 1]
