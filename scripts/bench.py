"""Benchmarks: qabot's ask latency, BM25 against rank-bm25/bm25s/sklearn, build, cold start, batch.

    python scripts/bench.py                      # 1k, 10k, 100k passages (a few minutes)
    python scripts/bench.py --full --out b.json  # also 1M passages (rank-bm25 skipped there)

Prints one markdown table (medians; ratios are "how many times faster qabot is").  Each corpus
size runs in its own subprocess so that its peak RSS (ru_maxrss) is measured in isolation.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from gen_corpus import generate  # noqa: E402

K = 10
PASSAGES_PER_ENTRY = 10
DEFAULT_SIZES = (1_000, 10_000, 100_000)
FULL_SIZES = (*DEFAULT_SIZES, 1_000_000)
RANK_BM25_LIMIT = 100_000  # ~160 ms per query there; 1M would take minutes to build and query
PYTHON = sys.executable
QABOT = shutil.which("qabot", path=str(Path(PYTHON).parent)) or "qabot"


def per_call_ns(fn: Callable[[object], object], items: list, rounds: int) -> list[int]:
    """Nanoseconds of `fn(item)` for every item, `rounds` times, after one warm-up pass."""
    for item in items:
        fn(item)
    samples = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter_ns()
            fn(item)
            samples.append(time.perf_counter_ns() - start)
    return samples


def median_us(samples: list[int]) -> float:
    return statistics.median(samples) / 1e3


def percentile_us(samples: list[int], q: float) -> float:
    return float(np.percentile(samples, q)) / 1e3


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def top_k(scores: np.ndarray, k: int = K) -> np.ndarray:
    """Indices of the k best scores, best first (argpartition, then sort the k)."""
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


# --- one corpus size (runs in a child process) ---------------------------------------------


def bench_size(n: int) -> dict:
    """Build and query qabot, rank-bm25, bm25s and sklearn on a synthetic corpus of n passages."""
    from qabot.index import build_bm25

    corpus = generate(n)
    passages = corpus.passages()
    queries = corpus.queries
    out: dict = {"n": n, "tokens": len(corpus.token_ids)}

    rss_before = maxrss_mib()
    start = time.perf_counter()
    index = build_bm25(passages)
    out["qabot_build_s"] = time.perf_counter() - start
    out["qabot_build_rss_mib"] = maxrss_mib() - rss_before
    tracemalloc.start()  # a second build, traced: numpy's buffers are counted too
    build_bm25(passages)
    out["qabot_build_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    out["qabot_peak_rss_mib"] = maxrss_mib()
    scorer = index.scorer
    out["qabot_index_mib"] = (
        scorer.indptr.nbytes + scorer.indices.nbytes + scorer.data.nbytes
    ) / 2**20

    def qabot_query(query: list[str]) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = index.ids(Counter(query))
        return scorer.top_k(ids, weights, K)

    def qabot_dense(query: list[str]) -> np.ndarray:  # what rank.py does: all scores, then top-k
        ids, weights = index.ids(Counter(query))
        return top_k(scorer.scores(ids, weights))

    def qabot_scores(query: list[str]) -> np.ndarray:
        return scorer.scores(*index.ids(Counter(query)))

    out["qabot_query_us"] = median_us(per_call_ns(qabot_query, queries, rounds=5))
    out["qabot_dense_query_us"] = median_us(per_call_ns(qabot_dense, queries, rounds=5))

    if n <= RANK_BM25_LIMIT:
        out |= bench_pipeline(passages, queries)
        out |= bench_rank_bm25(passages, queries, qabot_scores)
    out |= bench_bm25s(passages, queries, qabot_scores, n)
    out |= bench_sklearn(passages, queries)
    return out


def bench_pipeline(passages: list[list[str]], queries: list[list[str]]) -> dict:
    """The whole `Retriever.ask` (analysis, both rankers, passages, confidence) on entries of
    PASSAGES_PER_ENTRY synthetic passages each, the question being its first words."""
    from qabot.models import Entry, Source
    from qabot.retriever import Retriever

    entries = []
    for e in range(0, len(passages), PASSAGES_PER_ENTRY):
        chunk = [" ".join(p) + "." for p in passages[e : e + PASSAGES_PER_ENTRY]]
        question = " ".join(passages[e][:8]) + "?"
        line = e // PASSAGES_PER_ENTRY + 1
        source = Source(path="synthetic", line_start=line, line_end=line)
        entries.append(
            Entry(id=f"s:q{line}", question=question, answer="\n\n".join(chunk), source=source)
        )
    start = time.perf_counter()
    retriever = Retriever.from_entries(entries)
    build_s = time.perf_counter() - start
    texts = [" ".join(q) for q in queries]
    samples = per_call_ns(retriever.ask, texts, rounds=2)
    return {
        "pipeline_build_s": build_s,
        "pipeline_ask_p50_us": median_us(samples),
        "pipeline_ask_p95_us": percentile_us(samples, 95),
    }


def bench_rank_bm25(passages: list[list[str]], queries: list[list[str]], qabot_scores) -> dict:
    from rank_bm25 import BM25Okapi

    start = time.perf_counter()
    reference = BM25Okapi(passages)
    out: dict = {"rank_bm25_build_s": time.perf_counter() - start}
    few = queries[: max(5, min(len(queries), 50_000 // len(passages)))]
    samples = per_call_ns(lambda q: top_k(reference.get_scores(q)), few, rounds=1)
    out["rank_bm25_query_us"] = median_us(samples)
    out["rank_bm25_queries_timed"] = len(few)
    diffs, same_top = [], []
    for query in few:
        expected, got = reference.get_scores(query), qabot_scores(query)
        diffs.append(float(np.max(np.abs(expected - got))))
        same_top.append(np.array_equal(top_k(expected), top_k(got)))
    out["parity_max_abs_diff"] = max(diffs)
    out["parity_max_rel_diff"] = max(
        float(
            np.max(
                np.abs(reference.get_scores(q) - qabot_scores(q)) / (1e-9 + reference.get_scores(q))
            )
        )
        for q in few[:10]
    )
    out["parity_same_top10"] = f"{sum(same_top)}/{len(same_top)}"
    return out


def bench_bm25s(passages: list[list[str]], queries: list[list[str]], qabot_scores, n: int) -> dict:
    import bm25s

    # ATIRE's tf part ((k1 + 1) tf / (tf + k1 norm)) with Robertson's idf is BM25Okapi's formula
    # (bm25s' "robertson" drops the k1 + 1 factor); they differ only for terms in half the
    # documents or more, which Okapi floors at 0.25 * mean idf and bm25s at 0.
    start = time.perf_counter()
    model = bm25s.BM25(method="atire", idf_method="robertson", k1=1.5, b=0.75)
    model.index(passages, show_progress=False)
    out: dict = {"bm25s_build_s": time.perf_counter() - start}

    def retrieve(query: list[str]) -> object:
        return model.retrieve([query], k=K, show_progress=False, n_threads=0)

    out["bm25s_query_us"] = median_us(per_call_ns(retrieve, queries, rounds=3))
    if n <= RANK_BM25_LIMIT // 10:
        out["bm25s_max_abs_diff"] = max(
            float(np.max(np.abs(model.get_scores(q) - qabot_scores(q)))) for q in queries
        )
    return out


def bench_sklearn(passages: list[list[str]], queries: list[list[str]]) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    start = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True, dtype=np.float32)
    term_major = vectorizer.fit_transform(passages).T.tocsr()  # so a query touches its postings
    out: dict = {"sklearn_build_s": time.perf_counter() - start}

    def cosine_top(query: list[str]) -> np.ndarray:
        return top_k((vectorizer.transform([query]) @ term_major).toarray()[0])

    out["sklearn_query_us"] = median_us(per_call_ns(cosine_top, queries, rounds=3))
    return out


# --- whole-program measures ------------------------------------------------------------------


def eval_queries() -> list[str]:
    lines = (ROOT / "corpus" / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def bench_ask(index_dir: str) -> dict:
    """In-process `Retriever.ask` latency on the seed corpus, every labeled query."""
    from qabot.retriever import Retriever

    retriever = Retriever.from_path(ROOT / "corpus", index_dir=index_dir)
    samples = per_call_ns(retriever.ask, eval_queries(), rounds=5)
    return {
        "ask_p50_us": median_us(samples),
        "ask_p95_us": percentile_us(samples, 95),
        "seed_passages": len(retriever.index.passage_texts),
    }


def wall_ms(args: list[str], runs: int, stdin: str | None = None) -> float:
    """Median wall time of a fresh process, after one warm-up run."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter_ns()
        subprocess.run(args, input=stdin, capture_output=True, text=True, check=True)
        if i:
            times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1e6


def bench_processes(index_dir: str, runs: int = 7, batch: int = 1000) -> dict:
    """Cold start of `qabot ask` against the numpy+scipy import floor; batch throughput."""
    ask = [QABOT, "ask", "why batch norm", "--index-dir", index_dir]
    subprocess.run(ask, capture_output=True, check=True)  # builds and caches the index
    out = {
        "cold_start_ms": wall_ms(ask, runs),
        "floor_ms": wall_ms([PYTHON, "-c", "import numpy, scipy.sparse"], runs),
    }
    queries = eval_queries()
    stdin = "\n".join((queries * (batch // len(queries) + 1))[:batch]) + "\n"
    batch_ms = wall_ms([QABOT, "ask", "--json", "-", "--index-dir", index_dir], 3, stdin)
    out["batch_queries"] = batch
    out["batch_qps"] = batch / (batch_ms / 1e3)
    out["batch_qps_excluding_start"] = batch / ((batch_ms - out["cold_start_ms"]) / 1e3)
    return out


# --- report ----------------------------------------------------------------------------------


def fmt_time(us: float | None) -> str:
    if us is None:
        return "n/a"
    if us >= 1e6:
        return f"{us / 1e6:.2f} s"
    return f"{us / 1e3:.2f} ms" if us >= 1e3 else f"{us:.1f} µs"


def fmt_ratio(ref: float | None, ours: float) -> str:
    return (
        "n/a"
        if ref is None
        else f"{ref / ours:,.0f}×"
        if ref / ours >= 10
        else f"{ref / ours:.1f}×"
    )


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def table(general: dict, sizes: list[dict]) -> str:
    rows = [
        "| measure | N | qabot | rank-bm25 | bm25s | sklearn TF-IDF | qabot speedup / ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    if "ask_p50_us" in general:
        rows.append(
            f"| `Retriever.ask` p50 / p95, in process | seed ({general['seed_passages']} passages)"
            f" | {fmt_time(general['ask_p50_us'])} / {fmt_time(general['ask_p95_us'])}"
            " | | | | |"
        )
    for s in sizes:
        if "pipeline_ask_p50_us" in s:
            rows.append(
                f"| `Retriever.ask` p50 / p95, whole pipeline ({PASSAGES_PER_ENTRY} passages per"
                f" entry; full build {s['pipeline_build_s']:.1f} s) | {label(s['n'])}"
                f" | {fmt_time(s['pipeline_ask_p50_us'])} / {fmt_time(s['pipeline_ask_p95_us'])}"
                " | | | | |"
            )
    measured = [s for s in sizes if "rank_bm25_query_us" in s]
    for s in sizes:
        r, b, k = s.get("rank_bm25_query_us"), s["bm25s_query_us"], s["sklearn_query_us"]
        q = s["qabot_query_us"]
        rank_note = fmt_time(r) if r is not None else "n/a (skipped)"
        if r is None and measured:  # rank-bm25 scans every document: time grows with N
            base = measured[-1]
            r = base["rank_bm25_query_us"] * s["n"] / base["n"]
            rank_note = f"~{fmt_time(r)} (not run; linear from {label(base['n'])})"
        rows.append(
            f"| BM25 query + top-{K}, p50 | {label(s['n'])} | {fmt_time(q)}"
            f" (dense scores + argpartition {fmt_time(s['qabot_dense_query_us'])}) | {rank_note}"
            f" | {fmt_time(b)} | {fmt_time(k)} | {fmt_ratio(r, q)} vs rank-bm25,"
            f" {fmt_ratio(b, q)} vs bm25s, {fmt_ratio(k, q)} vs sklearn |"
        )
    for s in sizes:
        r = s.get("rank_bm25_build_s")
        rows.append(
            f"| index build (peak traced memory; index size) | {label(s['n'])}"
            f" | {s['qabot_build_s']:.2f} s ({s['qabot_build_peak_mib']:.0f} MiB peak;"
            f" {s['qabot_index_mib']:.0f} MiB index)"
            f" | {'n/a' if r is None else f'{r:.2f} s'} | {s['bm25s_build_s']:.2f} s"
            f" | {s['sklearn_build_s']:.2f} s | |"
        )
    for s in sizes:
        if "parity_max_abs_diff" in s and s["n"] <= RANK_BM25_LIMIT // 10:
            bm25s_diff = s.get("bm25s_max_abs_diff")
            rows.append(
                f"| score parity with rank-bm25 (max abs diff; same top-{K}) | {label(s['n'])}"
                f" | {s['parity_max_abs_diff']:.1e}; {s['parity_same_top10']} | reference"
                f" | {'' if bm25s_diff is None else f'{bm25s_diff:.1e} (vs qabot)'} | | |"
            )
    if "cold_start_ms" in general:
        ratio = general["cold_start_ms"] / general["floor_ms"]
        rows.append(
            f'| cold start `qabot ask "why batch norm"`, persisted index | seed'
            f" | {general['cold_start_ms']:.0f} ms | | | |"
            f" {ratio:.2f}× the `import numpy, scipy.sparse` floor ({general['floor_ms']:.0f} ms) |"
        )
        rows.append(
            f"| batch `qabot ask --json -` throughput | {general['batch_queries']} queries"
            f" | {general['batch_qps']:,.0f} q/s ({general['batch_qps_excluding_start']:,.0f}"
            " q/s after start-up) | | | | |"
        )
    return "\n".join(rows)


def run_size_child(n: int) -> dict:
    result = subprocess.run(
        [PYTHON, __file__, "--child", str(n)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 1000,10000,100000)")
    parser.add_argument("--full", action="store_true", help="also 1M passages")
    parser.add_argument("--out", help="also write the results as JSON here")
    parser.add_argument("--skip-process", action="store_true", help="no cold start / batch runs")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(bench_size(args.child)))
        return
    if importlib.util.find_spec("bm25s") is None:  # said before minutes of work, not after
        sys.exit("bench.py compares against bm25s: pip install -e '.[bench]' first")
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else list(FULL_SIZES if args.full else DEFAULT_SIZES)
    )
    general: dict = {}
    with tempfile.TemporaryDirectory() as index_dir:
        general |= bench_ask(index_dir)
        if not args.skip_process:
            general |= bench_processes(index_dir)
    results = []
    for n in sizes:
        print(f"benchmarking {label(n)} passages ...", file=sys.stderr, flush=True)
        results.append(run_size_child(n))
    print(table(general, results))
    if args.out:
        Path(args.out).write_text(
            json.dumps({"general": general, "sizes": results, "cpus": os.cpu_count()}, indent=2)
        )


if __name__ == "__main__":
    main()
