"""Fit the confidence calibration and the abstention threshold on the tune split.

A logistic regression maps `confidence.confidence_features` of the top answer to the probability
that it is right (label 1: in-domain query whose expected entry ranks first; 0: out-of-domain
or wrong).  Prints the coefficients for RankConfig.calibration and a threshold table of the
confidence as `rank` computes it (the probability scaled by `confidence.specificity`).
usage: python scripts/calibrate.py [--corpus PATH] [--queries FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from qabot.confidence import NO_MATCH_FEATURES, specificity
from qabot.evaluate import load_labels
from qabot.rank import rank
from qabot.retriever import Retriever

ROOT = Path(__file__).resolve().parent.parent


def features(retriever: Retriever, query: str) -> tuple[list[float], float, str | None]:
    """The confidence features of a query's top answer, its specificity, and its entry id."""
    terms = retriever.analyze(query)
    if not terms.weights:
        return list(NO_MATCH_FEATURES), 0.0, None
    ranking = rank(retriever.index, terms, retriever.config, 2)
    if not ranking.ranked:
        return list(ranking.features), 0.0, None
    top = ranking.ranked[0].entry
    return (
        list(ranking.features),
        specificity(retriever.index, terms, top),
        retriever.entries[top].id,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--queries", default=str(ROOT / "corpus" / "eval" / "queries.jsonl"))
    args = parser.parse_args()
    # features only: any calibration of the right length will do while fitting a new one
    blank = (0.0,) * (len(NO_MATCH_FEATURES) + 1)
    retriever = Retriever.from_path(args.corpus, cache=False).with_config(calibration=blank)
    labels = load_labels(Path(args.queries))
    data = {"tune": ([], [], [], []), "report": ([], [], [], [])}
    for label in labels:
        x, specific, top = features(retriever, label.query)
        xs, ys, ins, scales = data[label.split]
        xs.append(x)
        ys.append(int(label.expected is not None and top == label.expected))
        ins.append(label.expected is not None)
        scales.append(specific)
    x, y, _, _ = (np.array(v) for v in data["tune"])
    # C=10: 5-fold cross-validation on the tune split (log-loss, and the threshold criterion
    # below) prefers it to 0.1 ... 1
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    coefs = (float(model.intercept_[0]), *(float(c) for c in model.coef_[0]))
    print("calibration =", tuple(round(c, 3) for c in coefs))
    thresholds = [round(0.2 + 0.05 * i, 2) for i in range(9)]
    curves = {}
    for split, (xs, _, ins, scales) in data.items():  # as `rank` does: scaled by specificity
        p = model.predict_proba(np.array(xs))[:, 1] * np.array(scales)
        inside = np.array(ins)
        curves[split] = [(t, np.mean(p[~inside] < t), np.mean(p[inside] < t)) for t in thresholds]
        print(f"\n{split}: threshold  OOD-abstain  false-abstain")
        for t, ood, false in curves[split]:
            print(f"  {t:.2f}  {ood:.3f}  {false:.3f}")
    # a false abstention (a right answer withheld) costs twice an answered OOD query
    best = max(curves["tune"], key=lambda c: (c[1] - 2 * c[2], -c[0]))
    print(f"\nthreshold = {best[0]:.2f}  (tune: OOD abstention minus twice false abstention)")


if __name__ == "__main__":
    main()
