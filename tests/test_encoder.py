"""The sentence encoder: BERT's WordPiece tokenization and MiniLM's sentence vectors."""

from __future__ import annotations

import numpy as np
import pytest

from qabot.encoder import _encode_batch, basic_words, encode, token_ids, wordpieces


def test_basic_words_lowercase_strip_accents_and_split_punctuation() -> None:
    assert basic_words("Café, naïve “Batch-Norm”?") == [
        "cafe",
        ",",
        "naive",
        "\u201c",
        "batch",
        "-",
        "norm",
        "\u201d",
        "?",
    ]
    # a control character is dropped, not a space (as BERT's tokenizer does)
    assert basic_words("tab\there\x00new\nline") == ["tab", "herenew", "line"]


def test_wordpieces_take_the_longest_known_piece_first() -> None:
    # (the ids and pieces of Hugging Face's BertTokenizer for this vocabulary)
    assert wordpieces("autoencoders") == ["auto", "##en", "##code", "##rs"]
    assert wordpieces("x" * 101) == ["[UNK]"]
    assert token_ids("why batch norm") == [101, 2339, 14108, 13373, 102]


def test_a_long_text_is_cut_to_the_model_s_length() -> None:
    ids = token_ids("word " * 1000)
    assert len(ids) == 256 and ids[0] == 101 and ids[-1] == 102


def test_sentence_vectors_are_unit_length_and_paraphrases_are_nearest() -> None:
    vectors = encode(
        [
            "Can I travel with my pet?",
            "can I take my dog with me on the plane",
            "How much baggage can I bring?",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors[1]
    assert similarity[0] > 0.6 > similarity[2]  # the pet question, not the baggage one


def test_encoding_does_not_depend_on_the_batch() -> None:
    alone = encode(["why batch norm"])[0]
    together = encode(["a much longer sentence about something else entirely", "why batch norm"])
    assert np.allclose(alone, together[1], atol=1e-5)  # (padding never leaks into a vector)


@pytest.mark.parametrize("texts", [[], [""]])
def test_nothing_to_encode(texts: list[str]) -> None:
    assert encode(texts).shape == (len(texts), 384)


def test_the_forward_pass_stays_in_float32() -> None:
    # (a float64 scalar in the attention once made numpy 2 compute the rest in float64)
    assert _encode_batch([token_ids("why batch norm")]).dtype == np.float32


def test_vectors_agree_with_the_reference_model() -> None:
    # cosine of all-MiniLM-L6-v2's float32 vectors for this pair (sentence-transformers): 0.9429
    a, b = encode(["That is a happy person", "That is a very happy person"])
    assert float(a @ b) == pytest.approx(0.9429, abs=0.005)
