"""Evaluate retrieval on labeled queries: one table per ranker and fusion, per kind, misses.

usage: python scripts/evaluate.py [--corpus PATH] [--queries FILE] [--conversations FILE]
                                  [--split tune|report|all] [--misses]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qabot.errors import QabotError
from qabot.evaluate import (
    Metrics,
    by_kind,
    load_conversations,
    load_labels,
    metrics,
    run_conversations,
    run_queries,
)
from qabot.retriever import Retriever

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = [
    ROOT / "corpus" / "eval" / "queries.jsonl",
    ROOT / "corpus" / "eval" / "holdout.jsonl",
]
# tune: used to choose parameters; report: only reported; holdout: written blind, late
SPLITS = ("tune", "report", "holdout")
RANKERS = {
    "bm25": {"method": "bm25"},
    "tfidf": {"method": "tfidf"},
    "hybrid-rrf": {"method": "hybrid", "fusion": "rrf"},
    "hybrid": {"method": "hybrid", "fusion": "score"},
}
HEADER = (
    "| ranker | split | n in/out | P@1 | MRR@5 | R@3 | passage@1 | OOD abstain | false abstain |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def row(name: str, split: str, m: Metrics) -> str:
    return (
        f"| {name} | {split} | {m.n_in}/{m.n_out} | {m.p_at_1:.3f} | {m.mrr:.3f} | "
        f"{m.recall_at_3:.3f} | {m.passage_accuracy:.3f} | {m.ood_abstention:.3f} | "
        f"{m.false_abstention:.3f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument(
        "--queries",
        nargs="+",
        default=[str(p) for p in DEFAULT_QUERIES if p.exists()],
        help="labeled query files (default: queries.jsonl, plus holdout.jsonl if present)",
    )
    parser.add_argument(
        "--conversations", default=str(ROOT / "corpus" / "eval" / "conversations.jsonl")
    )
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument(
        "--misses", action="store_true", help="list every miss of the hybrid ranker"
    )
    parser.add_argument("--threshold", type=float, help="abstention threshold to evaluate")
    args = parser.parse_args(argv)
    try:
        base = Retriever.from_path(args.corpus, cache=False)
        labels = [label for path in args.queries for label in load_labels(Path(path))]
        conversations = (
            load_conversations(Path(args.conversations))
            if args.conversations and Path(args.conversations).exists()
            else []
        )
    except (QabotError, OSError) as exc:
        print(f"evaluate: error: {exc}", file=sys.stderr)
        return 2
    if args.threshold is not None:
        base = base.with_config(threshold=args.threshold)
    present = [s for s in SPLITS if any(label.split == s for label in labels)]
    splits = [*present, "all"] if args.split == "all" else [args.split]
    print(f"corpus: {args.corpus} ({len(base.entries)} entries); queries: {args.queries}\n")
    print(HEADER)
    hybrid_outcomes = {}
    for name, changes in RANKERS.items():
        retriever = base.with_config(**changes)
        for split in splits:
            chosen = [q for q in labels if split == "all" or q.split == split]
            outcomes = run_queries(retriever, chosen)
            print(row(name, split, metrics(outcomes)))
            if name == "hybrid":
                hybrid_outcomes[split] = outcomes
    for final in [s for s in splits if s != "tune"] or splits:
        print(f"\nhybrid, per query kind ({final} split):\n")
        print(HEADER.replace("| ranker |", "| kind |"))
        for kind, outcomes in by_kind(hybrid_outcomes[final]).items():
            print(row(kind, final, metrics(outcomes)))
    if conversations:
        print("\nfollow-up conversations (hybrid, previous turn as context):\n")
        print(HEADER.replace("| ranker |", "| kind |"))
        for split in splits:
            chosen = [c for c in conversations if split == "all" or c.split == split]
            outcomes = run_conversations(base, chosen)
            for kind, group in by_kind(outcomes).items():
                print(row(kind, split, metrics(group)))
    all_outcomes = hybrid_outcomes[splits[-1]]
    misses = metrics(all_outcomes).misses
    print(f"\nmisses of the hybrid ranker ({len(misses)}):")
    for miss in misses if args.misses else misses[:40]:
        print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
