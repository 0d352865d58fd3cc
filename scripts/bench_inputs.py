"""Build times of documents shaped to find superlinear costs, each at doubling sizes.

    python scripts/bench_inputs.py [--sizes 2000 4000 8000]

Each input once caught a cost that grew with the square of its size; the last column is the
growth exponent between the two largest sizes (log of the time ratio over log of the size
ratio: 1 is linear, 2 quadratic):

- one long word (a DNA sequence): the acronym pattern backtracked from each letter;
- a run of "*" at the start of a line: the passage-label patterns backtracked over it;
- a paragraph hand-wrapped over thousands of lines: it was re-joined line by line;
- thousands of copies of one question: each was compared with every kept copy's answer.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from qabot.retriever import Retriever

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda sigma".split()


def long_word(n: int) -> str:
    return f"Q1: What is the sequence?\nA: {'ACGT' * (n // 4)}\n\nQ2: Why?\nA: Because.\n"


def star_run(n: int) -> str:
    return f"Q1: What is the thing?\nA: {'**' * (n // 2)} end\n\nQ2: Why?\nA: Because.\n"


def wrapped_paragraph(n: int) -> str:
    lines = "\n".join(" ".join(random.choices(WORDS, k=8)) for _ in range(n // 10))
    return f"Q1: What is the story?\n{lines}\n\nQ2: Why?\nA: Because.\n"


def repeated_question(n: int) -> str:
    copies = (
        f"Q{i + 1}: What is the best way?\nA: {' '.join(random.choices(WORDS, k=15))}."
        for i in range(n // 10)
    )
    return "\n\n".join(copies) + "\n"


INPUTS: dict[str, Callable[[int], str]] = {
    "long word (chars)": long_word,
    "run of * (chars)": star_run,
    "wrapped paragraph (lines x10)": wrapped_paragraph,
    "copies of one question (x10)": repeated_question,
}


def build_seconds(text: str) -> float:
    """Seconds to parse, chunk and index `text` as a plain-text document (no cache)."""
    with TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        Retriever.from_path(path, cache=False)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000, 64000])
    args = parser.parse_args()
    random.seed(0)
    build_seconds(long_word(100))  # (imports and the encoder's first load are not measured)
    print("| input | " + " | ".join(f"n={n}" for n in args.sizes) + " | exponent |")
    print("|---|" + "---|" * (len(args.sizes) + 1))
    for name, make in INPUTS.items():
        times = [build_seconds(make(n)) for n in args.sizes]
        sizes = args.sizes[-2:]
        exponent = (
            math.log(times[-1] / times[-2]) / math.log(sizes[1] / sizes[0])
            if len(times) > 1
            else float("nan")
        )
        cells = " | ".join(f"{t:.2f} s" for t in times)
        print(f"| {name} | {cells} | {exponent:.2f} |")


if __name__ == "__main__":
    main()
