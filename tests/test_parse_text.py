"""Parsing plain-text Q&A documents: the seed document, edited copies of it, and bad files."""

from __future__ import annotations

import random
import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED, SEED_PREFIX

from qabot.errors import CorpusError
from qabot.models import Entry
from qabot.parse import load_corpus
from qabot.parse.text import parse_text, parse_text_file

ANSWER_STARTS = {
    1: "Autoencoders are one of the deep learning types",
    2: "In mathematical terms",
    3: "To reduce overfitting",
    4: "Batch normalization is a technique for training very deep neural networks",
    5: "By taking incremental steps",
    6: "Hyperparameters are any parameter",
    7: "Parameter sharing is the method",
    8: "In a typical CNN architecture",
    9: "The vanishing gradient problem is encountered",
    10: "Some of the reasons why the loss doesn't decrease",
}
ANSWER_ENDS = {
    3: "restore_best_weights.",
    4: "Faster Training/Convergence to the minimum loss function",
    5: "during training.",
    10: "vanishing gradients",
}
HEADER = re.compile(r"^\s*Q\d+\s*:")
ANSWER_LABEL = re.compile(r"^\s*Answer\s*:\s*")
TOC_SIZE = 10


def _lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def _parse(lines: list[str]) -> list[Entry]:
    return parse_text(lines, "copy.txt", "copy")


def _plain(line: str) -> str:
    """A line without its bullet and surrounding space, to compare document and answer lines."""
    return re.sub(r"^-\s*", "", line.strip())


def _blocks(lines: list[str]) -> dict[int, list[str]]:
    """The seed's answer blocks by question number, each with its own markers (or none)."""
    starts = {}
    for number, prefix in ANSWER_STARTS.items():
        i = next(i for i, line in enumerate(lines) if i >= TOC_SIZE and prefix in line)
        if not ANSWER_LABEL.sub("", lines[i]).startswith(prefix):
            raise AssertionError(f"answer {number} is not at the start of line {i + 1}")
        if i > TOC_SIZE and re.fullmatch(r"\s*Answer\s*:\s*", lines[i - 1]):
            i -= 1
        if i > TOC_SIZE and HEADER.match(lines[i - 1]):
            i -= 1
        starts[number] = i
    ordered = sorted(starts.values())
    ends = dict(zip(ordered, [*ordered[1:], len(lines)], strict=True))
    return {number: lines[start : ends[start]] for number, start in starts.items()}


def _without_markers(lines: list[str], *, headers: bool, labels: bool) -> list[str]:
    """The seed with its body headers and/or "Answer:" labels deleted (label text is kept)."""
    out = lines[:TOC_SIZE]
    for line in lines[TOC_SIZE:]:
        if headers and HEADER.match(line):
            continue
        if labels and ANSWER_LABEL.match(line):
            rest = ANSWER_LABEL.sub("", line).strip()
            if rest:
                out.append(rest)
            continue
        out.append(line)
    return out


@pytest.fixture(scope="module")
def seed() -> list[Entry]:
    return parse_text_file(SEED, str(SEED), SEED_PREFIX)


@pytest.fixture(scope="module")
def by_number(seed: list[Entry]) -> dict[int, Entry]:
    return {int(e.id.rsplit(":q", 1)[1]): e for e in seed}


def test_seed_parses_into_ten_entries_with_document_ids(seed: list[Entry]) -> None:
    assert [e.id for e in seed] == [f"{SEED_PREFIX}:q{n}" for n in range(1, 11)]


def test_load_corpus_gives_the_same_ids_as_the_parser(seed: list[Entry]) -> None:
    corpus = load_corpus(SEED.parent)
    assert [e.id for e in corpus.entries] == [e.id for e in seed]


@pytest.mark.parametrize("number", sorted(ANSWER_STARTS))
def test_each_answer_starts_with_its_own_text(by_number: dict[int, Entry], number: int) -> None:
    assert by_number[number].answer.startswith(ANSWER_STARTS[number])


@pytest.mark.parametrize("number", sorted(ANSWER_ENDS))
def test_each_answer_ends_where_the_next_begins(by_number: dict[int, Entry], number: int) -> None:
    assert by_number[number].answer.endswith(ANSWER_ENDS[number])


def test_no_answer_contains_a_marker(seed: list[Entry]) -> None:
    for entry in seed:
        assert "Answer:" not in entry.answer, entry.id
        for line in entry.answer.splitlines():
            assert not HEADER.match(line), (entry.id, line)


def test_no_answer_text_is_lost_or_duplicated(seed: list[Entry]) -> None:
    body = []
    for line in _lines()[TOC_SIZE:]:
        if HEADER.match(line) or not line.strip() or re.fullmatch(r"\s*-\s*", line):
            continue
        body.append(_plain(ANSWER_LABEL.sub("", line)))
    answers = [_plain(line) for e in seed for line in e.answer.splitlines() if line.strip()]
    assert Counter(answers) == Counter(line for line in body if line)


def test_bare_bullets_are_joined_to_the_line_after_them(by_number: dict[int, Entry]) -> None:
    lines = by_number[6].answer.splitlines()
    assert "- Momentum: Momentum can be seen as a learning rate adaptation" in "\n".join(lines)
    assert all(line.strip() != "-" for line in lines)


def test_questions_come_from_the_question_list(seed: list[Entry]) -> None:
    listed = [re.sub(r"^- Q\d+:\s*", "", line) for line in _lines()[:TOC_SIZE]]
    assert [e.question for e in seed] == listed


def test_question_without_a_space_after_its_label_is_read(by_number: dict[int, Entry]) -> None:
    assert by_number[4].question == "Why should we use Batch Normalization?"
    assert by_number[5].question.startswith("How to know whether your model")


def test_unmarked_answer_source_starts_at_its_first_line(by_number: dict[int, Entry]) -> None:
    lines = _lines()
    assert lines[by_number[4].source.line_start - 1].startswith(ANSWER_STARTS[4])
    assert lines[by_number[5].source.line_start - 1].startswith(ANSWER_STARTS[5])


def test_headed_answer_source_starts_at_its_header(by_number: dict[int, Entry]) -> None:
    lines = _lines()
    assert lines[by_number[1].source.line_start - 1].startswith("Q1: What are autoencoders?")
    assert lines[by_number[10].source.line_start - 1].startswith("Q10: When it comes")


def test_every_source_range_ends_on_the_answer_last_line(seed: list[Entry]) -> None:
    lines = _lines()
    for entry in seed:
        last = entry.answer.splitlines()[-1]
        assert _plain(lines[entry.source.line_end - 1]) == _plain(last), entry.id
        assert entry.source.path == str(SEED)


def test_shuffled_copy_gives_each_question_its_own_answer(seed: list[Entry]) -> None:
    lines = _lines()
    order = [7, 2, 9, 4, 1, 10, 5, 3, 6, 8]
    blocks = _blocks(lines)
    shuffled = [lines[n - 1] for n in order] + [line for n in order for line in blocks[n]]
    entries = _parse(shuffled)
    assert [(e.question, e.answer) for e in entries] == [
        (seed[n - 1].question, seed[n - 1].answer) for n in order
    ]


@pytest.mark.parametrize(
    ("headers", "labels"),
    [(False, True), (True, False), (True, True)],
    ids=["answer-labels-removed", "headers-removed", "every-marker-removed"],
)
def test_answers_align_by_content_when_markers_are_removed(
    seed: list[Entry], headers: bool, labels: bool
) -> None:
    entries = _parse(_without_markers(_lines(), headers=headers, labels=labels))
    assert [e.answer for e in entries] == [e.answer for e in seed]


def test_answers_align_by_content_with_only_the_first_header_left(seed: list[Entry]) -> None:
    lines = _lines()
    stripped = _without_markers(lines, headers=True, labels=True)
    first_header = next(line for line in lines[TOC_SIZE:] if HEADER.match(line))
    entries = _parse([*stripped[:TOC_SIZE], first_header, *stripped[TOC_SIZE:]])
    assert [e.answer for e in entries] == [e.answer for e in seed]


def test_added_markers_do_not_change_the_answers(seed: list[Entry]) -> None:
    lines = _lines()
    blocks = _blocks(lines)
    marked = list(lines[:TOC_SIZE])
    for number in range(1, 11):
        block = blocks[number]
        if not HEADER.match(block[0]):
            question = re.sub(r"^- Q\d+:\s*", "", lines[number - 1])
            block = [f"Q{number}: {question}", *block]
        if not any(ANSWER_LABEL.match(line) for line in block):
            block = [block[0], "Answer:", *block[1:]]
        marked.extend(block)
    assert [e.answer for e in _parse(marked)] == [e.answer for e in seed]


def test_preamble_and_blank_lines_between_answers_are_ignored(seed: list[Entry]) -> None:
    lines = _lines()
    blocks = _blocks(lines)
    spaced = ["Deep Learning Interview Questions", "", "Collected from interviews.", ""]
    spaced += [*lines[:TOC_SIZE], ""]
    for number in range(1, 11):
        spaced += [*blocks[number], "", ""]
    entries = _parse(spaced)
    assert [(e.question, e.answer) for e in entries] == [(e.question, e.answer) for e in seed]


def test_question_and_a_labels_are_read_as_markers() -> None:
    doc = [
        "Question: What is dropout?",
        "A: Dropout randomly zeroes activations during training.",
        "It reduces overfitting.",
        "",
        "Question: What is a learning rate?",
        "A: The step size of gradient descent.",
    ]
    entries = parse_text(doc, "notes.txt", "notes")
    assert [(e.id, e.question, e.answer) for e in entries] == [
        (
            "notes:q1",
            "What is dropout?",
            "Dropout randomly zeroes activations during training.\nIt reduces overfitting.",
        ),
        ("notes:q2", "What is a learning rate?", "The step size of gradient descent."),
    ]
    assert (entries[1].source.line_start, entries[1].source.line_end) == (5, 6)


def test_question_written_without_an_answer_is_unanswered() -> None:
    doc = [
        "Q1: What is dropout?",
        "A: Dropout randomly zeroes activations.",
        "Q2: What is momentum?",
        "Q3: What is a learning rate?",
        "A: The step size of gradient descent.",
    ]
    entries = parse_text(doc, "notes.txt", "notes")
    assert [e.answered for e in entries] == [True, False, True]
    assert entries[1].answer == ""
    assert entries[2].answer == "The step size of gradient descent."


def _write(tmp_path: Path, data: bytes, name: str = "broken-notes.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file_is_a_corpus_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, b"  \n\n")
    with pytest.raises(CorpusError, match="empty") as info:
        load_corpus(path)
    assert "broken-notes.txt" in str(info.value)


def test_binary_file_is_a_corpus_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Q1: What?\nA: \x00\x01\x02 binary\n")
    with pytest.raises(CorpusError, match="binary") as info:
        load_corpus(path)
    assert "broken-notes.txt" in str(info.value)


def test_non_utf8_file_is_a_corpus_error_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Q1: What is dropout?\nA: caf\xe9 au lait\n")
    with pytest.raises(CorpusError, match="UTF-8") as info:
        load_corpus(path)
    assert info.value.line == 2
    assert "broken-notes.txt:2" in str(info.value)


def test_text_without_questions_is_a_corpus_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Just some notes about neural networks.\nNothing to ask here.\n")
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    assert "broken-notes.txt" in str(info.value)


NUMBERED = [
    "Study notes",
    "",
    "1. What is dropout?",
    "Dropout randomly zeroes activations during training.",
    "",
    "2. What is a learning rate?",
    "The step size of gradient descent.",
]
INLINE = [
    "Q1: What is dropout? A: Randomly zeroing activations.",
    "Q2: What is momentum? Answer: A running average of gradients.",
    "It smooths the updates.",
    "Q3: Why? Is this a question? It has no answer label.",
    "Answer: Then the next line answers it.",
]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            NUMBERED,
            [
                ("What is dropout?", "Dropout randomly zeroes activations during training."),
                ("What is a learning rate?", "The step size of gradient descent."),
            ],
        ),
        (
            INLINE,
            [
                ("What is dropout?", "Randomly zeroing activations."),
                ("What is momentum?", "A running average of gradients.\nIt smooths the updates."),
                (
                    "Why? Is this a question? It has no answer label.",
                    "Then the next line answers it.",
                ),
            ],
        ),
    ],
    ids=["numbered-questions-are-headers", "a-question-line-may-carry-its-answer"],
)
def test_question_layouts(doc: list[str], expected: list[tuple[str, str]]) -> None:
    entries = parse_text(doc, "notes.txt", "notes")
    assert [(e.question, e.answer) for e in entries] == expected


DROPOUT, DECAY = "What is dropout?", "What is weight decay?"
ZEROING, PENALTY = "Randomly zeroing activations.", "An L2 penalty on the weights."
TWO = [(DROPOUT, ZEROING), (DECAY, PENALTY)]
LAYOUTS = {
    "heading-between-list-and-answers": (
        [
            "- Q1: " + DROPOUT,
            "- Q2: " + DECAY,
            "",
            "Answers",
            "=======",
            "Q1: " + DROPOUT,
            "Answer: " + ZEROING,
            "Q2: " + DECAY,
            "Answer: " + PENALTY,
        ],
        TWO,
    ),
    "question-wrapped-over-two-lines": (
        [
            "Q1: What is dropout, and why does it help a network",
            "generalize better?",
            "Answer: " + ZEROING,
            "Q2: " + DECAY,
            "Answer: " + PENALTY,
        ],
        [
            ("What is dropout, and why does it help a network generalize better?", ZEROING),
            (DECAY, PENALTY),
        ],
    ),
    "note-between-question-and-answer-label": (
        [
            "Q1: " + DROPOUT,
            "(asked at Google)",
            "Answer: " + ZEROING,
            "Q2: " + DECAY,
            "Answer: " + PENALTY,
        ],
        [(DROPOUT, "(asked at Google)\n" + ZEROING), (DECAY, PENALTY)],
    ),
    "two-answer-labels-under-one-header": (
        [
            "Q1: " + DROPOUT,
            "Answer: " + ZEROING,
            "Answer: A cheap ensemble.",
            "Q2: " + DECAY,
            "Answer: " + PENALTY,
        ],
        [(DROPOUT, ZEROING + "\nA cheap ensemble."), (DECAY, PENALTY)],
    ),
    "nearly-identical-listed-questions": (
        [
            "- Q1: What is the difference between batch and layer normalization?",
            "- Q2: What is the difference between batch and instance normalization?",
            "Answer:",
            "Layer norm normalizes each sample.",
            "Answer:",
            "Instance norm normalizes each channel.",
        ],
        [
            (
                "What is the difference between batch and layer normalization?",
                "Layer norm normalizes each sample.",
            ),
            (
                "What is the difference between batch and instance normalization?",
                "Instance norm normalizes each channel.",
            ),
        ],
    ),
    "numbered-checklist-inside-a-labeled-answer": (
        [
            "Q1: How do I debug a model?",
            "Answer: Work through a checklist:",
            "1. Is the data shuffled?",
            "2. Is the learning rate too high?",
            "Q2: " + DECAY,
            "Answer: " + PENALTY,
        ],
        [
            (
                "How do I debug a model?",
                "Work through a checklist:\n1. Is the data shuffled?\n"
                "2. Is the learning rate too high?",
            ),
            (DECAY, PENALTY),
        ],
    ),
    "q-words-inside-an-answer": (
        [
            "Q1: What are the RL families?",
            "Answer: Two:",
            "- Q-learning learns values.",
            "Q-values are updated.",
            "Q2: " + DECAY,
            "Answer: " + PENALTY,
        ],
        [
            (
                "What are the RL families?",
                "Two:\n- Q-learning learns values.\nQ-values are updated.",
            ),
            (DECAY, PENALTY),
        ],
    ),
    "dotted-and-dashed-question-labels": (
        ["Q.1 " + DROPOUT, ZEROING, "Q-2: " + DECAY, PENALTY],
        TWO,
    ),
    "numbered-answer-labels": (
        [
            "Question 1: " + DROPOUT,
            "Answer 1: " + ZEROING,
            "Question 2: " + DECAY,
            "A2: " + PENALTY,
        ],
        TWO,
    ),
    "unlabeled-question-list": (
        ["- " + DROPOUT, "- " + DECAY, "Answer:", ZEROING, "Answer:", PENALTY],
        TWO,
    ),
    "list-line-pasted-twice": (
        [
            "- Q1: " + DROPOUT,
            "- Q2: " + DECAY,
            "- Q1: " + DROPOUT,
            "- Q3: What is momentum?",
            "Q1: " + DROPOUT,
            ZEROING,
            "Q2: " + DECAY,
            PENALTY,
            "Q3: What is momentum?",
            "A running average.",
        ],
        [*TWO, ("What is momentum?", "A running average.")],
    ),
}


@pytest.mark.parametrize(("doc", "expected"), LAYOUTS.values(), ids=LAYOUTS.keys())
def test_layouts_that_depart_from_the_seed(doc: list[str], expected: list[tuple[str, str]]) -> None:
    entries = parse_text(doc, "notes.txt", "notes")
    assert [(e.question, e.answer) for e in entries] == expected


def test_seed_wrapped_at_80_columns_gives_the_same_entries(seed: list[Entry]) -> None:
    wrapped = [
        part
        for line in _lines()
        for part in textwrap.wrap(line, 80, break_on_hyphens=False) or [""]
    ]
    entries = _parse(wrapped)
    assert [(" ".join(e.question.split()), " ".join(e.answer.split())) for e in entries] == [
        (" ".join(e.question.split()), " ".join(e.answer.split())) for e in seed
    ]


@pytest.mark.parametrize("marker", ["- ", "", "1. "], ids=["bullets", "plain", "numbered"])
def test_seed_list_without_q_labels_gives_the_same_entries(seed: list[Entry], marker: str) -> None:
    lines = _lines()
    listed = [
        re.sub(r"^- Q(\d+):\s*", lambda m: marker.replace("1", m.group(1)), line)
        for line in lines[:TOC_SIZE]
    ]
    entries = _parse([*listed, *lines[TOC_SIZE:]])
    assert [(e.question, e.answer) for e in entries] == [(e.question, e.answer) for e in seed]


def test_form_feeds_do_not_shift_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "paged.txt"
    path.write_bytes(b"Q1: What is dropout?\nZeroing.\f\nQ2: What is decay?\nA penalty.\n")
    entries = parse_text_file(path, "paged.txt", "paged")
    assert [(e.source.line_start, e.source.line_end) for e in entries] == [(1, 2), (3, 4)]
    assert entries[0].answer == "Zeroing."


def test_double_spaced_seed_gives_the_same_entries(seed: list[Entry]) -> None:
    double_spaced = [part for line in _lines() for part in (line, "")]
    entries = _parse(double_spaced)
    assert [(e.question, e.answer) for e in entries] == [(e.question, e.answer) for e in seed]
    assert [e.source.line_start for e in entries] == [2 * e.source.line_start - 1 for e in seed]


BARE_FAQ = """Houseplant FAQ

How often should I water a succulent?
Water only when the soil is completely dry, usually every two to
three weeks. Overwatering is the most common way to kill one.

Why are the leaves turning yellow?
Too much water or poor drainage. Does the pot have a hole?

How do I repot a plant?
1. Water the plant the day before.
2. Set it in a pot one size larger.
"""


def test_unlabeled_question_lines_that_start_paragraphs_are_questions() -> None:
    entries = parse_text(BARE_FAQ.splitlines(), "faq.txt", "faq")
    assert [e.question for e in entries] == [
        "How often should I water a succulent?",
        "Why are the leaves turning yellow?",
        "How do I repot a plant?",
    ]
    assert entries[0].answer.startswith("Water only") and entries[0].answer.endswith("kill one.")
    assert entries[1].answer.endswith("Does the pot have a hole?")  # not a question line
    assert entries[2].answer.splitlines()[-1] == "2. Set it in a pot one size larger."
    assert (entries[2].source.line_start, entries[2].source.line_end) == (10, 12)


def test_a_text_without_any_question_is_still_an_error() -> None:
    with pytest.raises(CorpusError, match="no recognizable Q&A"):
        parse_text(["Just some notes.", "", "Nothing asked here."], "notes.txt", "notes")


def _topics(count: int) -> list[str]:
    """Distinct made-up two-word topics ("kobalu dimezo"), so that each answer names its own."""
    rng = random.Random(count)
    syllables = ["ba", "di", "ko", "lu", "me", "no", "pa", "ri", "so", "tu", "ve", "zo"]
    words = list(dict.fromkeys("".join(rng.choices(syllables, k=3)) for _ in range(4 * count)))
    return [f"{words[2 * k]} {words[2 * k + 1]}" for k in range(count)]


def _source_lines(entry: Entry) -> tuple[int, int]:
    return entry.source.line_start, entry.source.line_end


def test_many_bare_questions_each_get_their_own_answer() -> None:
    topics = _topics(400)
    doc = ["Big FAQ", ""]
    for topic in topics:
        doc += [
            f"How does the {topic} work?",
            f"The {topic} turns.",
            f"Then the {topic} stops.",
            "",
        ]
    entries = parse_text(doc, "faq.txt", "faq")
    assert [(e.question, e.answer, _source_lines(e)) for e in entries] == [
        (f"How does the {t} work?", f"The {t} turns.\nThen the {t} stops.", (3 + 4 * k, 5 + 4 * k))
        for k, t in enumerate(topics)
    ]


def test_many_labeled_questions_each_get_their_own_answer() -> None:
    topics = _topics(400)
    doc = []
    for k, topic in enumerate(topics, 1):
        doc += [f"Q{k}: What is the {topic}?", f"Answer: The {topic} is a tool.", "It is old."]
    entries = parse_text(doc, "notes.txt", "notes")
    assert [(e.question, e.answer, _source_lines(e)) for e in entries] == [
        (f"What is the {t}?", f"The {t} is a tool.\nIt is old.", (1 + 3 * k, 3 + 3 * k))
        for k, t in enumerate(topics)
    ]


def test_a_long_list_with_some_headed_answers_gives_each_answer_to_its_question() -> None:
    topics = _topics(150)
    doc = [f"{k}. What is the {topic}?" for k, topic in enumerate(topics, 1)]
    for k, topic in enumerate(topics, 1):
        if k % 3 == 1:
            doc += [f"Q{k}: What is the {topic}?", "Answer:"]
        doc += [f"The {topic} is a tool.", f"Use the {topic} with care."]
    entries = parse_text(doc, "notes.txt", "notes")
    assert [(e.question, e.answer) for e in entries] == [
        (f"What is the {t}?", f"The {t} is a tool.\nUse the {t} with care.") for t in topics
    ]


def test_a_long_list_reads_a_line_pasted_twice_once_and_near_twins_twice() -> None:
    topics = _topics(300)
    listed = [f"- What is the {topic}?" for topic in topics]
    twins = ["- What is the difference between batch and layer normalization?"]
    twins.append(twins[0].replace("layer", "instance"))
    doc = [*listed[:200], listed[150], *twins, *listed[200:], ""]
    for k, topic in enumerate(topics, 1):
        doc += [f"Q{k}: What is the {topic}?", f"The {topic} is a tool."]
    entries = parse_text(doc, "notes.txt", "notes")
    assert len(entries) == len(topics) + len(twins)
    assert [e.question for e in entries[:200]] == [f"What is the {t}?" for t in topics[:200]]
    assert [e.question for e in entries[200:202]] == [twin[2:] for twin in twins]
    assert all(e.answered for e in entries[:200] + entries[202:])


def test_headers_match_listed_questions_by_text_and_unknown_ones_are_inserted() -> None:
    topics = _topics(300)
    doc = [f"- What is the {topic}?" for topic in topics] + ["", "Answers", ""]
    for k, topic in enumerate(topics):
        if k == 200:
            doc += ["Q: Can I bring a dog to class?", "Only a quiet one."]
        doc += [f"Q: What's the {topic}?", f"The {topic} is a tool."]  # reworded
    entries = parse_text(doc, "notes.txt", "notes")
    expected = [(f"What's the {t}?", f"The {t} is a tool.") for t in topics]
    expected.insert(200, ("Can I bring a dog to class?", "Only a quiet one."))
    assert [(e.question, e.answer) for e in entries] == expected


MIXED_BARE = """Bicycle maintenance FAQ

Q: How often should I oil my chain?
A: Every 150-300 km, or after riding in rain.

Q: What tire pressure should I use?
A: Road tires: 80-100 psi. Check the range printed on
the tire sidewall.

Why do my brakes squeal?
Squealing brakes usually mean contaminated pads or rims.

How do I fix a flat tire?
Remove the wheel and patch or replace the tube.

Q: When should I replace my chain?
A: When a chain checker shows 0.5% stretch.
"""
MIXED_NUMBERED = [
    "Question: What is the return policy?",
    "Answer: You can return items within 30 days with a receipt.",
    "Question: Do you ship abroad?",
    "Answer: Yes, to the EU and the UK.",
    "1. How do I track my order?",
    "Use the link in your confirmation email.",
    "2. Can I change my address?",
    "Only before the order ships.",
]


def test_bare_question_paragraphs_between_labeled_pairs_are_entries() -> None:
    notes: list[str] = []
    entries = parse_text(MIXED_BARE.splitlines(), "bikes.txt", "bikes", notes)
    assert [(e.question, _source_lines(e)) for e in entries] == [
        ("How often should I oil my chain?", (3, 4)),
        ("What tire pressure should I use?", (6, 8)),
        ("Why do my brakes squeal?", (10, 11)),
        ("How do I fix a flat tire?", (13, 14)),
        ("When should I replace my chain?", (16, 17)),
    ]
    assert entries[1].answer.endswith("the tire sidewall.")
    assert entries[2].answer == "Squealing brakes usually mean contaminated pads or rims."
    assert notes == [
        'bikes.txt:10: "Why do my brakes squeal?" read as a question, not as answer text',
        'bikes.txt:13: "How do I fix a flat tire?" read as a question, not as answer text',
    ]


def test_numbered_questions_after_labeled_pairs_are_entries() -> None:
    notes: list[str] = []
    entries = parse_text(MIXED_NUMBERED, "qa.txt", "qa", notes)
    assert [(e.question, e.answer) for e in entries] == [
        ("What is the return policy?", "You can return items within 30 days with a receipt."),
        ("Do you ship abroad?", "Yes, to the EU and the UK."),
        ("How do I track my order?", "Use the link in your confirmation email."),
        ("Can I change my address?", "Only before the order ships."),
    ]
    assert [note.split(": ")[0] for note in notes] == ["qa.txt:5", "qa.txt:7"]


def test_an_unlabeled_question_with_an_answer_label_is_an_entry() -> None:
    doc = ["Q: " + DROPOUT, "A: " + ZEROING, DECAY, "A: " + PENALTY]
    assert [(e.question, e.answer) for e in parse_text(doc, "notes.txt", "notes")] == TWO


def test_a_question_line_inside_an_answer_stays_there_with_a_note() -> None:
    doc = [
        "Q: Should I use Adam?",
        "A: Usually yes.",
        "Why not SGD?",
        "SGD needs more tuning.",
        "Q: " + DECAY,
        "A: " + PENALTY,
    ]
    notes: list[str] = []
    entries = parse_text(doc, "notes.txt", "notes", notes)
    assert [(e.question, e.answer) for e in entries] == [
        ("Should I use Adam?", "Usually yes.\nWhy not SGD?\nSGD needs more tuning."),
        (DECAY, PENALTY),
    ]
    assert notes == [
        'notes.txt:3: "Why not SGD?" kept in the answer above; give it a question label to ask it'
    ]


def test_a_numbered_checklist_with_explanations_stays_in_its_answer() -> None:
    doc = [
        "Q1: How do I debug a model?",
        "Answer: Work through a checklist:",
        "1. Is the data shuffled?",
        "Shuffle it every epoch.",
        "2. Is the learning rate too high?",
        "Lower it tenfold.",
        "Q2: " + DECAY,
        "Answer: " + PENALTY,
    ]
    notes: list[str] = []
    entries = parse_text(doc, "notes.txt", "notes", notes)
    assert [e.question for e in entries] == ["How do I debug a model?", DECAY]
    assert entries[0].answer.splitlines()[1:] == doc[2:6]
    assert notes == []


def test_plain_question_paragraphs_after_a_question_list_head_their_answers() -> None:
    doc = ["- " + DROPOUT, "- " + DECAY, "", DROPOUT, ZEROING, "", DECAY, PENALTY]
    assert [(e.question, e.answer) for e in parse_text(doc, "notes.txt", "notes")] == TWO


def test_the_seed_has_no_unmarked_question_to_note() -> None:
    notes: list[str] = []
    parse_text_file(SEED, str(SEED), SEED_PREFIX, notes)
    assert notes == []


def test_load_corpus_passes_on_the_notes_of_a_text_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "\n".join(MIXED_NUMBERED).encode(), "shop.txt")
    corpus = load_corpus(path)
    assert len(corpus.entries) == 4
    assert [notice.split(": ")[0] for notice in corpus.notices] == [f"{path}:5", f"{path}:7"]


SECTIONED_FAQ = """\
LIBRARY FAQ

MEMBERSHIP

Q: How do I renew my library card?
A: Cards are valid for 3 years. Renew at any branch with a photo ID.

BORROWING

Q: How many items can I borrow?
A: Up to 30 items at a time.

Digital Services and Apps

Q: What is the app called?

Riverside Reads

Q: Can I print?
A: Yes, at 10 cents a page.
Call Us
"""


def test_section_headings_between_questions_are_no_answer_text() -> None:
    entries = parse_text(SECTIONED_FAQ.splitlines(), "faq.txt", "faq")
    answers = {e.question: e.answer for e in entries}
    assert answers == {
        "How do I renew my library card?": (
            "Cards are valid for 3 years. Renew at any branch with a photo ID."
        ),
        "How many items can I borrow?": "Up to 30 items at a time.",
        # a title-like line that is the whole answer, or inside a paragraph, stays
        "What is the app called?": "Riverside Reads",
        "Can I print?": "Yes, at 10 cents a page.\nCall Us",
    }
    assert entries[0].source.line_end == 6  # (not the heading's line)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("BORROWING", True),
        ("Payments and Gift Cards", True),
        ("**Delivery**", True),
        ("Opening Hours:", True),
        ("Call us", False),  # a sentence's words, not a title's
        ("Thanks for reading!", False),
        ("- Museum passes", False),
        ("555-0177", False),
        ("Eight Words Is Far Too Many For A Title", False),
    ],
)
def test_what_reads_as_a_section_heading(line: str, heading: bool) -> None:
    from qabot.parse.common import is_section_heading

    assert is_section_heading(line) is heading
