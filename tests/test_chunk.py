"""Chunking answers into passages: lists, definition lists, long paragraphs, the seed's answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qabot.chunk import chunk_answer, chunk_entries, passage_head
from qabot.retriever import Retriever

SHORT_LIST = """Some ways to fix it are:
- Use skip connections.
- Use ReLU activations.
- Use gated units."""

DEFINITIONS = """There are a lot of activation functions:
- Sigmoid function: f(x) = 1/(1+exp(-x)) squashes its input into the range between zero and \
one, which makes it useful for probabilities but it saturates at both ends.
- Relu: f(x) = max(0,x) returns zero for negative inputs and the input itself for positive \
inputs, which is fast to compute and does not saturate for positive values.
- Tanh: squashes its input into the range between minus one and one and is zero centered, \
which often helps optimization compared with the sigmoid function in hidden layers."""

LONG_PARAGRAPH = " ".join(
    f"Sentence number {i} talks about gradients and layers in a deep network." for i in range(20)
)


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_list_of_short_items_stays_one_passage_with_its_intro() -> None:
    assert chunk_answer(SHORT_LIST) == [SHORT_LIST]


def test_list_of_long_definitions_gives_one_passage_per_item() -> None:
    passages = chunk_answer(DEFINITIONS)
    items = DEFINITIONS.splitlines()[1:]
    assert len(passages) == len(items)
    for passage, item in zip(passages, items, strict=True):
        assert passage == f"There are a lot of activation functions:\n{item}"


def test_long_paragraph_is_split_into_sentence_windows() -> None:
    passages = chunk_answer(LONG_PARAGRAPH)
    assert len(passages) > 1
    assert all(p.endswith(".") for p in passages)
    assert " ".join(passages) == LONG_PARAGRAPH


def test_short_paragraph_is_one_passage() -> None:
    text = "Dropout randomly zeroes activations. It reduces overfitting."
    assert chunk_answer(text) == [text]


@pytest.fixture(scope="module")
def seed_passages(seed_retriever: Retriever) -> dict[int, list[str]]:
    """Passages of each seed answer, by question number."""
    return {
        n: chunk_answer(entry.answer) for n, entry in enumerate(seed_retriever.entries, start=1)
    }


def test_no_answer_text_is_lost_in_passages(seed_retriever: Retriever) -> None:
    for entry in seed_retriever.entries:
        passage_words = set(_words("\n".join(chunk_answer(entry.answer))))
        missing = [w for w in _words(entry.answer) if w not in passage_words]
        assert missing == [], entry.id


def test_definition_label_keeps_its_formula_line(seed_passages: dict[int, list[str]]) -> None:
    leaky = [p for p in seed_passages[2] if "Leaky ReLU:" in p]
    assert len(leaky) == 1
    assert "F(x)= ax" in leaky[0]


def test_short_fix_list_is_one_passage(seed_passages: dict[int, list[str]]) -> None:
    fixes = [p for p in seed_passages[9] if "Some ways to fix it are:" in p]
    assert len(fixes) == 1
    for fix in ("skip/residual connections", "Leaky ReLU over sigmoid", "GRUs and LSTMs"):
        assert fix in fixes[0]


def test_momentum_item_is_its_own_passage(seed_passages: dict[int, list[str]]) -> None:
    momentum = [p for p in seed_passages[6] if "- Momentum:" in p]
    assert len(momentum) == 1
    assert "Adagrad" not in momentum[0]
    assert "Dropout rate" not in momentum[0]


@pytest.mark.parametrize(
    ("passage", "head"),
    [
        ("- Leaky ReLU:\nF(x)= ax, x<0", "Leaky ReLU"),
        ("Batch normalization is a technique for training", "Batch normalization"),
        ("- Encoder - Compresses the input data", "Encoder"),
        ("- Latent Space/ Bottleneck \u2013 Compact summary", "Latent Space/ Bottleneck"),
        ("- Use skip/residual connections.", ""),
        ("- Well-known trick-based methods are listed below", ""),
    ],
)
def test_passage_head_reads_colon_dash_and_definition_labels(passage: str, head: str) -> None:
    assert passage_head(passage) == head


def test_dash_labelled_list_item_is_found_by_its_label(seed_retriever: Retriever) -> None:
    top = seed_retriever.ask("what is the bottleneck layer in an autoencoder").results[0]
    assert top.question_id.endswith("q1")
    assert "Bottleneck/ Code - Compact summary" in top.passage


CODE_AND_TABLE = """Compare the argmax of the logits with the labels:
```python
preds = logits.argmax(dim=1)
acc: float = (preds == labels).float().mean()
```
That gives the accuracy of the batch.

| Optimizer | Learning rate | When to use |
|---|---|---|
| SGD + momentum | 0.1 | large image models |
| AdamW | 3e-4 | transformers |
Pick one."""


def test_a_code_block_and_a_table_stay_whole_with_the_line_introducing_them() -> None:
    passages = chunk_answer(CODE_AND_TABLE)
    assert passages[0].startswith("Compare the argmax of the logits with the labels:\n```python")
    assert passages[0].endswith("mean()\n```")
    assert passages[2].startswith("| Optimizer | Learning rate |")
    assert passages[2].endswith("| AdamW | 3e-4 | transformers |")
    assert passages[1::2] == ["That gives the accuracy of the batch.", "Pick one."]


def test_a_line_of_code_is_no_passage_head() -> None:
    assert passage_head(chunk_answer(CODE_AND_TABLE)[0]) == ""  # not "acc" from "acc: float"


def test_an_unclosed_fence_runs_to_the_end_of_the_answer() -> None:
    assert chunk_answer("Run:\n```\nmake all\nmake test") == ["Run:\n```\nmake all\nmake test"]


SEED = Path(__file__).resolve().parents[1] / "corpus" / "deep-learning-interview-questions.txt"
WRAPPED = """Hold the blade at a 15 degree angle against the whetstone and
push it across the stone in smooth strokes, keeping the angle
constant. Do ten strokes per side, then hone on a leather strop.

Store the knife on a magnetic strip, never loose in a drawer where
the edge knocks against other tools."""


def test_a_paragraph_wrapped_by_hand_is_one_passage() -> None:
    passages = chunk_answer(WRAPPED)
    assert [" ".join(p.split()) for p in passages] == [
        " ".join(paragraph.split()) for paragraph in WRAPPED.split("\n\n")
    ]


def test_a_line_wrapped_after_a_comma_joins_even_when_short() -> None:
    assert chunk_answer("Boil a 1:1 mix of water and vinegar,\nthen rinse twice.") == [
        "Boil a 1:1 mix of water and vinegar, then rinse twice."
    ]


def test_short_step_lines_are_one_passage() -> None:
    steps = "Spray it with baking soda paste.\nLeave overnight.\nWipe with a damp cloth."
    assert chunk_answer(steps) == [steps]


def test_a_short_item_line_then_its_lowercase_explanation_keeps_its_line_break() -> None:
    # the seed's "- Relu: f(x) = max(0,x)" / "it returns 0 if ...": meant, not wrapped
    text = (
        "There are a lot of activation functions:\n- Relu: f(x) = max(0,x)\n"
        "it returns 0 if the input is negative and the input itself if it is positive, "
        "which is fast to compute and does not saturate for positive values of the input.\n"
        "- Tanh: f(x) = tanh(x)\nit squashes its input into the range between minus one and "
        "one and is zero centered, which often helps optimization in hidden layers."
    )
    assert "- Relu: f(x) = max(0,x)\nit returns 0" in chunk_answer(text)[0]


@pytest.mark.parametrize("width", [72, 80, 90, 100])
def test_the_seed_wrapped_at_a_common_width_gives_the_same_passages(
    seed_retriever: Retriever, tmp_path: Path, width: int
) -> None:
    folded = "\n".join(
        wrapped
        for line in SEED.read_text(encoding="utf-8").splitlines()
        for wrapped in _fold(line, width)
    )
    (tmp_path / "seed.txt").write_text(folded + "\n", encoding="utf-8")
    passages = Retriever.from_path(tmp_path, cache=False).index.passage_texts
    original = seed_retriever.index.passage_texts
    # a sentence that ends exactly at a wrap cannot be told from a paragraph end: allow a few
    assert abs(len(passages) - len(original)) <= 2
    assert _cut_endings(passages) <= _cut_endings(original)  # no passage ends mid-sentence


def _cut_endings(passages: list[str]) -> set[str]:
    """The last words of passages that end without punctuation (the seed's list items do)."""
    return {" ".join(p.split()[-3:]) for p in passages if not re.search(r"[.!?:)]\W*$", p)}


def _fold(line: str, width: int) -> list[str]:
    """`fold -s -w width`: break a line at the last space before `width`."""
    out: list[str] = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        cut = width if cut <= 0 else cut + 1
        out.append(line[:cut].rstrip())
        line = line[cut:]
    out.append(line)
    return out


def test_between_blank_lines_a_paragraph_is_whole_even_where_a_sentence_ends_a_line() -> None:
    text = (
        "Lubricate the chain every 150 to 300 kilometres, or after any ride\n"
        "in the rain. A dry chain squeaks and wears the cassette faster.\n\n"
        "Wipe the chain with a rag first, apply one drop of lube to each\n"
        "roller, let it soak in for five minutes, then wipe off the excess.\n"
        "Too much lube attracts grit and turns into a grinding paste."
    )
    passages = chunk_answer(text)
    assert len(passages) == 2
    assert passages[1].startswith("Wipe the chain") and passages[1].endswith("grinding paste.")


def test_in_a_text_wrapped_by_hand_a_sentence_ending_at_the_wrap_does_not_end_the_paragraph() -> (
    None
):
    text = (
        "The Maillard reaction is the browning of proteins and sugars above about\n"
        "140 C. It gives seared steak, toast and roasted coffee their flavour, too.\n"
        "It needs a dry surface, so pat meat dry before searing."
    )
    assert chunk_answer(text) == [" ".join(text.split())]


def test_a_line_ending_in_a_colon_keeps_what_it_introduces() -> None:
    text = (
        "If you have not pushed yet, run:\n\ngit reset --soft HEAD~1\n\n"
        "This keeps your changes staged. Use --hard instead to throw the changes away."
    )
    assert chunk_answer(text)[0] == "If you have not pushed yet, run:\ngit reset --soft HEAD~1"


def test_a_run_of_step_lines_of_up_to_fifteen_words_is_one_passage() -> None:
    steps = (
        "Open the conflicted files and look for the <<<<<<< and >>>>>>> markers.\n"
        "Edit the file to keep the right lines and delete the markers.\n"
        "Run git add on each fixed file.\n"
        "Run git commit (or git rebase --continue during a rebase)."
    )
    assert chunk_answer(steps) == [steps]


def test_indented_code_lines_keep_their_line_breaks() -> None:
    text = (
        "Call fit with your data and print the last loss value of the run:\n\n"
        "    history = model.fit(x_train, y_train, epochs=10, batch_size=32)\n"
        '    print(history.history["loss"][-1])\n\nThat is all.'
    )
    assert chunk_answer(text)[0].splitlines()[1:] == [
        "    history = model.fit(x_train, y_train, epochs=10, batch_size=32)",
        '    print(history.history["loss"][-1])',
    ]


def test_an_attribute_of_something_is_no_definition_head() -> None:
    # "The size of each kernel filter is ..." says what size filters are, not what a kernel is
    assert passage_head("The size of each kernel filter is usually 3x3.") == ""
    head = passage_head("Batch normalization is a technique for deep nets.")
    assert head == "Batch normalization"


def test_what_is_a_kernel_gets_the_entry_that_defines_it(seed_retriever: Retriever) -> None:
    answer = seed_retriever.ask("what is a kernel")
    assert answer.results[0].question_id.endswith(":q6")
    assert answer.results[0].passage.startswith("- Kernel:")


STEPS = "\n".join(
    [
        "To get rid of it:",
        "1. Wipe the door gasket with a cloth dampened in vinegar and water, pulling the folds.",
        "2. Remove the detergent drawer and rinse it under warm running water until it is clean.",
        "3. Run an empty cleaning cycle at 90 degrees with a cup of washing soda or a tablet.",
        "4. Leave the door and drawer ajar between washes so the drum can dry out completely.",
    ]
)


def test_numbered_steps_stay_one_passage_with_their_intro() -> None:
    # each step is too long for a grouped list: as bullets they are one passage per item
    assert chunk_answer(STEPS) == [STEPS]
    bullets = STEPS.replace("1. ", "- ").replace("2. ", "- ").replace("3. ", "- ")
    assert len(chunk_answer(bullets.replace("4. ", "- "))) == 4


def test_a_long_procedure_is_cut_per_step() -> None:
    steps = [f"{n}. " + " ".join(["word"] * 40) + "." for n in range(1, 6)]
    assert len(chunk_answer("\n".join(["Do this:", *steps]))) == 5


def test_a_short_answer_is_one_passage() -> None:
    short = (
        "Members on the annual pass can bring one guest per visit, up to 4 times a month.\n"
        "Other members can buy a day pass for a guest for $15."
    )
    assert len(chunk_answer(short)) == 2  # two paragraphs (one per line, as in the seed)
    long = "\n".join([short, "Guests must sign a waiver at the front desk on their first visit."])
    passages = chunk_entries([short, long * 2])
    assert [p.text for p in passages if p.entry == 0] == [short]  # read at a glance: whole
    assert len([p for p in passages if p.entry == 1]) > 1  # 60+ words: cut as before


@pytest.mark.parametrize("line", ["**" * 1000 + " end", "- " + " " * 2000 + "x"])
def test_a_line_of_markers_or_spaces_has_no_head(line: str) -> None:
    # (the label patterns read a line's first LABEL_SPAN characters: over the whole line, they
    # backtracked from each "*" or space, 60 s for 8,000 of them; scripts/bench_inputs.py)
    assert passage_head(line) == ""
    assert passage_head(line + ": defined") == ""  # (no label 2,000 characters in)


def test_a_paragraph_wrapped_over_many_lines_is_joined_as_written() -> None:
    lines = [f"line {i} of a long paragraph that goes on and on without end" for i in range(3000)]
    (passage,) = [p for p in chunk_answer("\n".join(lines)) if "line 0 " in p]
    assert passage.startswith("line 0 of") and "line 1 of" in passage
