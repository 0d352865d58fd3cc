"""Grid search of ranking weights on the tune split only (the report split is never used here).

usage: python scripts/tune.py [--corpus PATH] [--queries FILE]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from qabot.evaluate import load_labels, metrics, run_queries
from qabot.retriever import Retriever

ROOT = Path(__file__).resolve().parent.parent
GRID = {
    "question_weight": [0.3, 0.6, 1.0],
    "bm25_share": [0.3, 0.5, 0.7],
    "head_weight": [0.0, 0.1, 0.2, 0.3],
    "defines_weight": [0.0, 0.3, 0.5],
    "first_weight": [0.1, 0.2],
    "part_weight": [0.5, 1.0],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--queries", default=str(ROOT / "corpus" / "eval" / "queries.jsonl"))
    args = parser.parse_args()
    base = Retriever.from_path(args.corpus, cache=False)
    tune = [q for q in load_labels(Path(args.queries)) if q.split == "tune" and q.expected]
    results = []
    for values in itertools.product(*GRID.values()):
        config = dict(zip(GRID, values, strict=True))
        m = metrics(run_queries(base.with_config(**config), tune))
        results.append((m.p_at_1 + m.passage_accuracy, m.p_at_1, m.passage_accuracy, config))
    for _total, p1, passage, config in sorted(results, key=lambda r: -r[0])[:15]:
        print(f"P@1 {p1:.3f} passage {passage:.3f}  {config}")


if __name__ == "__main__":
    main()
