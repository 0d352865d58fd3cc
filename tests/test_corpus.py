"""The built corpus: which built-in vocabulary applies to which corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_entry

from qabot import corpus
from qabot.corpus import DOMAIN_SYNONYMS, builtin_groups, read_domain, speaks_domain
from qabot.models import Entry
from qabot.retriever import Retriever

DL_WORDS = read_domain(DOMAIN_SYNONYMS[0])

HOME_FAQ = [
    make_entry(1, "Can I deduct a capital loss on my taxes?", "Yes, up to 3000 a year."),
    make_entry(2, "How much does a yearly membership cost?", "A yearly membership is 120."),
    make_entry(3, "Why is my sourdough bread so dense?", "The starter was not active enough."),
    make_entry(4, "Do Siamese cats shed a lot?", "Less than most breeds; brush them weekly."),
]


def test_the_deep_learning_thesaurus_names_its_domain() -> None:
    assert "neural network" in DL_WORDS and "learning rate" in DL_WORDS


def test_a_corpus_speaks_a_domain_when_it_names_two_of_its_words() -> None:
    assert speaks_domain(["Lower the learning rate of the neural network."], DL_WORDS)
    # plurals, case and hyphens do not matter
    assert speaks_domain(["Neural-Networks train for several Epochs."], DL_WORDS)
    assert not speaks_domain(["A capital loss lowers the cost of taxes."], DL_WORDS)
    assert not speaks_domain(["Dropout is all it says."], DL_WORDS)  # one is not enough
    assert not speaks_domain(["the relubricated chain"], DL_WORDS)  # whole words only
    assert speaks_domain(["anything"], [])  # a thesaurus without a domain applies everywhere


def test_question_wording_applies_to_every_corpus_and_domain_words_to_theirs() -> None:
    home = builtin_groups(["How much does a membership cost?"])
    everything = builtin_groups()
    assert next(g for g in home if g[0] == "fix")[:2] == ["fix", "remedy"]
    assert not any("bn" in group for group in home)
    assert any("bn" in group for group in everything)


def test_deep_learning_meanings_stay_out_of_another_topic() -> None:
    retriever = Retriever.from_entries(HOME_FAQ)

    def top(query: str) -> str:
        return retriever.ask(query).results[0].question_id

    assert "loss" not in retriever.analyze("how much does it cost").weights
    assert top("how much does it cost") == "notes:q2"  # not the capital loss
    assert "fully_connect" not in retriever.analyze("dense").weights
    assert "siames" not in retriever.analyze("do twins shed").weights
    assert "network" not in retriever.analyze("net loss").weights


def test_a_deep_learning_corpus_keeps_its_vocabulary(seed_retriever: Retriever) -> None:
    assert "loss" in seed_retriever.analyze("cost").weights
    assert "batch_normal" in seed_retriever.analyze("BN").weights
    # a "net" is a network: "my net isn't learning" is about the network, not a point
    assert "network" in seed_retriever.analyze("my net isn't learning").weights


def test_every_domain_reads_the_corpus_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the texts come once, as a generator: the second domain must still read all of them
    cooking, cars = tmp_path / "cooking.txt", tmp_path / "cars.txt"
    cooking.write_text("@domain: oven, recipe\nbake, roast\n", encoding="utf-8")
    cars.write_text("@domain: engine, tire\nmotor, engine block\n", encoding="utf-8")
    monkeypatch.setattr(corpus, "DOMAIN_SYNONYMS", (cooking, cars))
    texts = ["Check the engine and each tire.", "Preheat the oven for the recipe."]
    groups = corpus.builtin_groups(text for text in texts)
    assert ["bake", "roast"] in groups and ["motor", "engine block"] in groups


SHOP_FAQ = [
    make_entry(1, "How do I return an item?", "Print the label from your orders page."),
    make_entry(2, "When is my refund paid?", "A refund is paid 5 days after we receive the item."),
    make_entry(3, "How do I create an invoice?", "Open Billing and press New invoice."),
    make_entry(4, "Can I send a gift message?", "Yes, we send it with the item you ordered."),
    make_entry(5, "How do I get my order faster?", "Choose express delivery; you get it next day."),
    make_entry(6, "How do I delete an invoice?", "Open the invoice and press Delete."),
]


MEAL_FAQ = [
    make_entry(1, "How do I apply a promo code?", "Type it at checkout; one code per order."),
    make_entry(2, "Do you have vegetarian options?", "Yes, four of our recipes each week."),
    make_entry(3, "I have a food allergy. Is it safe?", "Our kitchen handles nuts and gluten."),
    make_entry(4, "How do I cancel my subscription?", "Open Plans and press Cancel plan."),
    make_entry(5, "Is there a resit if I fail?", "Yes, in August, for a fee of 20 pounds."),
]


@pytest.mark.parametrize(
    ("faq", "query", "number"),
    [
        (SHOP_FAQ, "can I send back the item", 1),  # not the gift "we send with the item"
        (SHOP_FAQ, "how long until I get my money back", 2),  # not "get it next day"
        (SHOP_FAQ, "how do I set up a new invoice", 3),  # not deleting one
        (SHOP_FAQ, "remove an invoice", 6),
        (MEAL_FAQ, "where do I enter a coupon", 1),
        (MEAL_FAQ, "veggie meals", 2),
        (MEAL_FAQ, "I'm allergic to peanuts", 3),
        (MEAL_FAQ, "how do I quit", 4),
        (MEAL_FAQ, "can I retake the exam", 5),
    ],
)
def test_everyday_words_of_a_support_question_find_the_faq_s_words(
    faq: list[Entry], query: str, number: int
) -> None:
    answer = Retriever.from_entries(faq).ask(query)
    assert answer.results[0].question_id == f"notes:q{number}"
