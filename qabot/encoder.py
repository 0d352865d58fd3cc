"""Sentence vectors: all-MiniLM-L6-v2 (Apache-2.0) run in numpy, for meaning beyond words.

A small BERT (6 layers, 384 dimensions) trained so that paraphrases get near vectors: "can I
take my dog on the plane" is near "Can I travel with my pet?" though they share no word.  Its
weights ship with qabot as int8 (`scripts/pack_encoder.py`); nothing is downloaded.  The
tokenizer is BERT's uncased WordPiece, written out here.  Loaded on first use only (about
0.1 s): a query the lexical rankers answer confidently never needs it.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

MAX_TOKENS = 256  # the model's trained sequence length ([CLS] and [SEP] included)
DIMENSIONS = 384  # of a sentence vector
MAX_WORD_CHARS = 100  # a longer word is [UNK] (as BERT's tokenizer)
LAYERS, HEADS = 6, 12
BATCH = 64


@cache
def _vocab() -> dict[str, int]:
    text = (resources.files("qabot") / "data" / "encoder_vocab.txt").read_text(encoding="utf-8")
    tokens = text.split("\n")  # (not splitlines: a token may be any other line separator)
    if tokens and not tokens[-1]:
        tokens.pop()
    return {token: i for i, token in enumerate(tokens)}


@cache
def _weights() -> dict[str, np.ndarray]:
    """The model's arrays, int8 matrices scaled back to float32."""
    with (resources.files("qabot") / "data" / "encoder.npz").open("rb") as raw:
        packed = dict(np.load(raw, allow_pickle=False))
    weights = {}
    for name, value in packed.items():
        if name.endswith(".scale"):
            continue
        if name == "embeddings.word_embeddings.weight.q":  # (47 MB as float32: its rows are
            weights["words.q"], weights["words.scale"] = value, packed[name[:-2] + ".scale"]
        elif name.endswith(".q"):  # scaled when a text's tokens are looked up)
            base = name[:-2]
            matrix = value.astype(np.float32) * packed[base + ".scale"][:, None]
            # a linear layer's matrix is kept transposed: x @ w is one contiguous BLAS call
            weights[base] = matrix if "embeddings" in base else np.ascontiguousarray(matrix.T)
        else:
            weights[name] = value
    return weights


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF  # (Extensions C to E)
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenization: control characters dropped, lowercase without accents,
    split on whitespace and around each punctuation mark and CJK character."""
    spaced = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf"):
            spaced.append(" " if char in "\t\n\r" else "")
        elif _is_cjk(code):
            spaced.append(f" {char} ")
        else:
            spaced.append(char)
    words = []
    for word in "".join(spaced).lower().split():
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
        )
        start = 0
        for i, char in enumerate(word):
            if _is_punctuation(char):
                words.extend([word[start:i], char] if i > start else [char])
                start = i + 1
        if start < len(word):
            words.append(word[start:])
    return words


def wordpieces(word: str) -> list[str]:
    """Greedy longest-match WordPiece split of one basic word ("##" marks a continuation)."""
    vocab = _vocab()
    if len(word) > MAX_WORD_CHARS:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                break
            end -= 1
        else:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def token_ids(text: str) -> list[int]:
    """[CLS] + the text's WordPiece ids (cut to fit) + [SEP]."""
    vocab = _vocab()
    pieces = [p for word in basic_words(text) for p in wordpieces(word)]
    ids = [vocab[p] for p in pieces[: MAX_TOKENS - 2]]
    return [vocab["[CLS]"], *ids, vocab["[SEP]"]]


def _layer_norm(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w[name + ".weight"] + w[name + ".bias"]


def _linear(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    flat = x.reshape(-1, x.shape[-1]) @ w[name + ".weight"] + w[name + ".bias"]
    return flat.reshape(*x.shape[:-1], -1)


def _gelu(x: np.ndarray) -> np.ndarray:
    # the tanh form of GELU: within 1e-3 of the exact one, and needs no scipy
    return (
        0.5 * x * (1.0 + np.tanh(np.float32(0.7978845608) * (x + np.float32(0.044715) * x * x * x)))
    )


def _encode_batch(batch: list[list[int]]) -> np.ndarray:
    w = _weights()
    n, length = len(batch), max(len(ids) for ids in batch)
    ids = np.zeros((n, length), dtype=np.int64)
    mask = np.zeros((n, length), dtype=np.float32)
    for i, row in enumerate(batch):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1.0
    x = (
        w["words.q"][ids].astype(np.float32) * w["words.scale"][ids][..., None]
        + w["embeddings.position_embeddings.weight"][:length]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w, "embeddings.LayerNorm")
    hidden = x.shape[-1]
    size = hidden // HEADS
    blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}"

        def heads(name: str, x: np.ndarray = x, p: str = p) -> np.ndarray:
            y = _linear(x, w, f"{p}.attention.self.{name}")
            return y.reshape(n, length, HEADS, size).transpose(0, 2, 1, 3)

        scale = np.float32(size**-0.5)  # (a float64 scalar would make numpy 2 compute in float64)
        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) * scale + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ heads("value")).transpose(0, 2, 1, 3).reshape(n, length, hidden)
        x = _layer_norm(
            x + _linear(context, w, f"{p}.attention.output.dense"),
            w,
            f"{p}.attention.output.LayerNorm",
        )
        inner = _gelu(_linear(x, w, f"{p}.intermediate.dense"))
        x = _layer_norm(x + _linear(inner, w, f"{p}.output.dense"), w, f"{p}.output.LayerNorm")
    pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))


_BLAS_LOCK = threading.Lock()


@cache
def _blas() -> ThreadpoolController:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def encode(texts: list[str]) -> np.ndarray:
    """Unit sentence vectors (float32, one row per text): mean of the last layer's tokens.

    The matrix products run on one BLAS thread: they are small, and OpenBLAS threads that
    wait for a busy second core made a query 6x slower (85 ms instead of 15 ms)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    tokenized = [token_ids(text) for text in texts]
    order = sorted(range(len(texts)), key=lambda i: len(tokenized[i]))  # little padding
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    with _BLAS_LOCK, _blas().limit(limits=1, user_api="blas"):  # (the limit is process-wide:
        # two chat workers restoring each other's limit would leave BLAS on one thread)
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = _encode_batch([tokenized[i] for i in chunk])
    return out
