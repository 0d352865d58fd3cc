"""Ask latency of this checkout against a baseline commit, run side by side.

Both versions answer the same labeled queries on the same corpus, in alternating rounds of
fresh processes (A B A B ...), so that load on a shared machine hits both alike; the table
gives each one's median and the ratio.  The baseline is checked out in a temporary git
worktree, removed afterwards.
usage: python scripts/compare.py BASELINE_REF [--rounds N] [--queries N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a child process with the version under test first on sys.path: prints per-query
# latencies (ns) of Retriever.ask after one warm-up pass.
_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from qabot import Retriever
retriever = Retriever.from_path(sys.argv[2], cache=False)
queries = json.loads(sys.stdin.read())
for q in queries:
    retriever.ask(q)
out = []
for q in queries:
    start = time.perf_counter_ns()
    retriever.ask(q)
    out.append(time.perf_counter_ns() - start)
print(json.dumps(out))
"""


def _latencies(source: Path, corpus: Path, queries: list[str]) -> list[int]:
    command = [sys.executable, "-c", _CHILD, str(source), str(corpus)]
    done = subprocess.run(command, input=json.dumps(queries), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"compare: {source} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", help="git ref to compare against, e.g. HEAD~5")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds (default 4)")
    parser.add_argument("--queries", type=int, default=300, help="labeled queries used")
    args = parser.parse_args()
    labels = (ROOT / "corpus" / "eval" / "queries.jsonl").read_text(encoding="utf-8")
    queries = [json.loads(line)["query"] for line in labels.splitlines()][: args.queries]
    corpus = ROOT / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(base), args.baseline], check=True)
        try:
            runs: dict[str, list[int]] = {"this checkout": [], args.baseline: []}
            for _ in range(args.rounds):
                runs["this checkout"] += _latencies(ROOT, corpus, queries)
                runs[args.baseline] += _latencies(base, corpus, queries)
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(base)], check=True)
    medians = {name: statistics.median(ns) / 1000 for name, ns in runs.items()}
    print(f"| version | ask p50 (µs), {len(queries)} queries x {args.rounds} rounds | ratio |")
    print("|---|---|---|")
    reference = medians[args.baseline]
    for name, value in medians.items():
        print(f"| {name} | {value:.0f} | {value / reference:.2f}x |")


if __name__ == "__main__":
    main()
