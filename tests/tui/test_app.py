"""Pilot tests of the qabot chat: ask, abstain, related questions, follow-ups, panel, keys."""

from __future__ import annotations

import asyncio
import io
import re
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from qabot.cli import label
from qabot.models import Entry, Source
from qabot.retriever import Retriever
from qabot.tui.app import QabotApp
from qabot.tui.widgets import (
    AbstainMessage,
    AnswerMessage,
    HelpScreen,
    NoticeMessage,
    SmallTalkMessage,
    UserMessage,
    emphasize,
    keep_line_breaks,
    middle_ellipsis,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SIZE = (100, 36)
Scenario = Callable[[QabotApp, Pilot], Awaitable[None]]


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.from_path(CORPUS, cache=False)


def hold(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, returns: object = None
) -> threading.Event:
    """Make `owner.name` wait until the returned event is set, then return `returns` (or
    what the real one returns): a slow answer, or a corpus still loading."""
    release = threading.Event()
    real = getattr(owner, name)

    def held(*args: object, **kwargs: object) -> object:
        release.wait(timeout=60)
        return returns if returns is not None else real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return release


@pytest.fixture
def tiny() -> Retriever:
    where = Source(path="tiny.txt", line_start=1, line_end=2)
    return Retriever.from_entries(
        [
            Entry(
                id="tiny:q1",
                question="What is the [b]boom[/b] operator?",
                answer="The [bold red]boom[/] operator explodes. See [link=https://x.example]here[/link].",
                source=where,
            ),
            Entry(
                id="tiny:q2",
                question="How do kittens sleep?",
                answer="Kittens sleep curled up in warm places for most of the day.",
                source=where,
            ),
            Entry(
                id="tiny:q3",
                question="What is a teapot?",
                answer="A teapot is a vessel used for steeping tea leaves in hot water.",
                source=where,
            ),
        ]
    )


def play(app: QabotApp, scenario: Scenario, size: tuple[int, int] = SIZE) -> None:
    """Run a pilot scenario to completion (no pytest-asyncio here)."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ask(pilot: Pilot, query: str) -> None:
    await pilot.press(*query, "enter")
    await settle(pilot)


def as_text(renderable: object, width: int = 200) -> str:
    """What a Rich renderable prints, as plain text."""
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def text_of(widget: Widget) -> str:
    """The plain text a message shows: its Statics (Markdown blocks too) and options."""
    parts = []
    for child in [widget, *widget.walk_children()]:
        if isinstance(child, Static):
            parts.append(child.visual.plain)  # type: ignore[union-attr]
        elif isinstance(child, OptionList):
            parts.extend(
                str(child.get_option_at_index(i).prompt) for i in range(child.option_count)
            )
    return "\n".join(parts)


def test_answer_shows_source_question_passage_and_confidence(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        assert app.focused is app.query_one("#query")
        await ask(pilot, "why batch norm")
        assert app.query_one(UserMessage).visual.plain == "why batch norm"
        shown = text_of(app.query_one(AnswerMessage))
        assert "Q4  Why should we use Batch Normalization?" in shown
        assert "standardizes the inputs to a layer" in shown
        assert "high" in shown
        assert app.query_one("#query").value == ""

    play(QabotApp(retriever=retriever), scenario)


def test_header_names_the_corpus_and_counts_entries(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        assert app.sub_title == "corpus · 10 entries"

    play(QabotApp(retriever=retriever), scenario)


def test_unanswerable_query_says_there_is_no_answer(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is the capital of France")
        assert not app.query(AnswerMessage)
        assert "No answer in this corpus" in text_of(app.query_one(AbstainMessage))

    play(QabotApp(retriever=retriever), scenario)


def test_a_threshold_given_to_the_chat_judges_its_answers(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        assert not app.query(AnswerMessage)
        assert "below the threshold 1.00" in text_of(app.query_one(AbstainMessage))

    play(QabotApp(retriever=retriever, threshold=1.0), scenario)


def test_an_abstention_under_the_threshold_names_it_without_a_band(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        text = text_of(app.query_one(AbstainMessage))
        assert "below the threshold 1.00" in text
        assert "high" not in text  # not "confidence 0.99, high" beside "no answer"

    play(QabotApp(retriever=retriever.with_config(threshold=1.0)), scenario)


def test_abstention_offers_closest_questions(tiny: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "kittens")
        message = app.query_one(AbstainMessage)
        assert "How do kittens sleep?" in text_of(message)
        message.query_one(OptionList).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "curled up" in text_of(app.query_one(AnswerMessage))

    # threshold 1.0: qabot abstains on everything but still ranks the hits
    play(QabotApp(retriever=tiny.with_config(threshold=1.0)), scenario)


def test_selecting_a_related_question_shows_its_answer(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        related = app.query_one(AnswerMessage).query_one(OptionList)
        related.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        second = app.query(AnswerMessage).last()
        picked = related.get_option_at_index(1).id
        assert len(app.query(AnswerMessage)) == 2
        assert second.entry_id == picked
        assert retriever.entry(picked).question in text_of(second)
        # the pick is said in the conversation, as a typed question is
        echo = str(app.query(UserMessage).last().render())
        assert echo == f"{picked.rsplit(':', 1)[1].upper()}: {retriever.entry(picked).question}"

    play(QabotApp(retriever=retriever), scenario)


def test_letters_typed_in_a_related_list_start_the_next_question(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await pilot.press("tab")
        assert isinstance(app.focused, OptionList)
        await pilot.press(*"what is")
        field = app.query_one("#query", Input)
        assert app.focused is field and field.value == "what is"

    play(QabotApp(retriever=retriever), scenario)


def test_letters_typed_in_the_side_panel_list_filter_it(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("ctrl+b", "down")
        assert app.focused is app.query_one("#questions")
        await pilot.press(*"vanish")
        await pilot.pause()
        assert app.focused is app.query_one("#filter")
        assert app.query_one("#filter", Input).value == "vanish"
        assert app.query_one("#questions", OptionList).option_count == 1

    play(QabotApp(retriever=retriever), scenario)


def test_full_answer_key_expands_the_latest_message(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        message = app.query_one(AnswerMessage)
        passage = text_of(message.query_one(".passage"))
        await pilot.press("ctrl+o")
        await pilot.pause()
        full = text_of(message.query_one(".passage"))
        assert len(full) > len(passage)
        assert "Faster Training" in full
        assert "Faster Training" not in passage

    play(QabotApp(retriever=retriever), scenario)


def test_the_full_answer_key_does_nothing_when_the_passage_is_the_whole_answer(
    retriever: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why doesn't my loss decrease")  # Q10's answer is one passage
        message = app.query_one(AnswerMessage)
        assert message.passage == message.answer
        before = message.query_one(".badge", Static).visual.plain
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert message.query_one(".badge", Static).visual.plain == before
        assert "full answer" not in before

    play(QabotApp(retriever=retriever), scenario)


def test_the_full_answer_keeps_the_document_s_line_breaks(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is the vanishing gradient problem")
        await pilot.press("ctrl+o")
        await pilot.pause()
        shown = text_of(app.query_one(AnswerMessage))
        # two lines of the document, which Markdown alone would join into one paragraph
        first = "The vanishing gradient problem is encountered"
        second = "When the neural network has many hidden layers"
        assert first in shown and second in shown
        between = shown[shown.index(first) : shown.index(second)]
        assert between.endswith("\n")

    play(QabotApp(retriever=retriever), scenario)


def test_keep_line_breaks_adds_hard_breaks_but_leaves_lists_and_blank_lines() -> None:
    text = "One.\nTwo.\n\nList:\n- a\n- b\nAfter."
    assert keep_line_breaks(text) == "One.  \nTwo.\n\nList:\n- a\n- b  \nAfter."


def test_keep_line_breaks_breaks_before_items_markdown_does_not_read_as_a_list() -> None:
    # the seed's Q10 lists "a) ...", "b) ...": to Markdown that is one paragraph
    text = "Reasons are:\na) one\nb) two\n1. three"
    assert keep_line_breaks(text) == "Reasons are:  \na) one  \nb) two\n1. three"


def test_follow_up_question_resolves_to_previous_topic(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is the vanishing gradient problem")
        await ask(pilot, "how do I fix it?")
        follow_up = app.query(AnswerMessage).last()
        assert follow_up.entry_id.endswith(":q9")
        assert "read as: what is the vanishing gradient problem / how do I fix it?" in text_of(
            follow_up
        )
        assert app.context == "what is the vanishing gradient problem"

    play(QabotApp(retriever=retriever), scenario)


def test_clear_forgets_messages_and_topic(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        assert app.context == "why batch norm"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not app.query_one("#conversation").children
        assert app.context is None

    play(QabotApp(retriever=retriever), scenario)


def test_clear_from_a_related_question_gives_the_keys_back_to_the_input(
    retriever: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await pilot.press("shift+tab")  # onto the answer's related questions
        assert isinstance(app.focused, OptionList)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press(*"momentum")
        assert app.query_one("#query").value == "momentum"

    play(QabotApp(retriever=retriever), scenario)


@pytest.mark.parametrize("typed", ["help", "Help", "?"])
def test_typing_help_shows_the_help_instead_of_an_answer(retriever: Retriever, typed: str) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is the vanishing gradient problem")
        app.query_one("#query").value = typed  # "?" typed alone opens help by itself
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert len(app.query(AnswerMessage)) == 1  # no answer to "help"
        assert app.query_one("#query").value == ""

    play(QabotApp(retriever=retriever), scenario)


def test_answer_arriving_after_clear_is_dropped(
    retriever: Retriever, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = hold(monkeypatch, retriever, "ask")

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press(*"why batch norm", "enter", "ctrl+l")
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert app.is_running
        assert not app.query_one("#conversation").children
        assert app.context is None  # its answer came after the clear: no topic
        await ask(pilot, "how do I fix it?")
        assert "read as:" not in text_of(app.query_one("#conversation"))

    play(QabotApp(retriever=retriever), scenario)


def test_up_and_down_walk_the_query_history(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await ask(pilot, "what is momentum")
        field = app.query_one("#query")
        await pilot.press("up")
        assert field.value == "what is momentum"
        await pilot.press("up")
        assert field.value == "why batch norm"
        await pilot.press("down", "down")
        assert field.value == ""

    play(QabotApp(retriever=retriever), scenario)


def test_side_panel_filter_narrows_the_question_list(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        questions = app.query_one("#questions", OptionList)
        assert not app.query_one("#sidebar").display
        await pilot.press("ctrl+b")
        assert app.query_one("#sidebar").display
        assert app.focused is app.query_one("#filter")
        assert questions.option_count == 10
        await pilot.press(*"gradient")
        await pilot.pause()
        ids = [questions.get_option_at_index(i).id for i in range(questions.option_count)]
        assert sorted(i.rsplit(":", 1)[1] for i in ids) == ["q5", "q9"]

    play(QabotApp(retriever=retriever), scenario)


def test_side_panel_filter_ignores_accents() -> None:
    where = Source(path="offices.txt", line_start=1, line_end=2)
    offices = Retriever.from_entries(
        [
            Entry(
                id="o:q1", question="Where is the Zürich office?", answer="Downtown.", source=where
            ),
            Entry(id="o:q2", question="Where is the Łódź office?", answer="Uptown.", source=where),
        ]
    )

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        questions = app.query_one("#questions", OptionList)
        for typed, found in (("zurich", "o:q1"), ("lodz", "o:q2"), ("ZÜR", "o:q1")):
            await pilot.press("ctrl+b", *typed)
            await pilot.pause()
            assert [questions.get_option_at_index(0).id, questions.option_count] == [found, 1]
            await pilot.press("ctrl+b")  # (closed: the filter starts empty again)
            app.query_one("#filter", Input).value = ""

    play(QabotApp(retriever=offices), scenario)


def test_side_panel_selection_shows_that_answer(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f2", *"vanishing", "enter")
        await settle(pilot)
        message = app.query_one(AnswerMessage)
        assert message.entry_id.endswith(":q9")
        assert retriever.entry(message.entry_id).answer.split("\n")[0][:40] in text_of(message)
        assert message.related
        assert all(not h.question_id.endswith(":q9") for h in message.related)
        assert app.context == retriever.entry(message.entry_id).question

    play(QabotApp(retriever=retriever), scenario)


def test_side_panel_says_when_no_question_matches(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        no_match = app.query_one("#no-match", Static)
        await pilot.press("ctrl+b")
        assert not no_match.display
        await pilot.press(*"zzzq")
        await pilot.pause()
        assert app.query_one("#questions", OptionList).option_count == 0
        assert no_match.display and no_match.visual.plain == "No question matches"
        assert no_match.region.height == 1  # on screen
        await pilot.press("backspace")
        await pilot.pause()
        assert no_match.display  # "zzz" matches nothing either
        app.query_one("#filter", Input).value = "gradient"
        await pilot.pause()
        assert not no_match.display

    play(QabotApp(retriever=retriever), scenario)


def test_down_in_the_filter_moves_to_the_list_and_enter_picks(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("ctrl+b", *"gradient", "down")
        questions = app.query_one("#questions", OptionList)
        assert app.focused is questions
        await pilot.press("down", "enter")
        await settle(pilot)
        picked = questions.get_option_at_index(1).id
        assert app.query_one(AnswerMessage).entry_id == picked
        assert app.focused is app.query_one("#query")  # typing goes on as a follow-up
        await pilot.press(*"how")
        assert app.query_one("#query").value == "how"

    play(QabotApp(retriever=retriever), scenario)


def test_shift_tab_reaches_the_latest_related_questions(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await ask(pilot, "what is the vanishing gradient problem")
        await pilot.press("shift+tab")
        latest = app.query(AnswerMessage).last()
        assert app.focused is latest.query_one(OptionList)
        await pilot.press("f")
        await pilot.pause()
        assert latest.full

    play(QabotApp(retriever=retriever), scenario)


def test_corpus_markup_is_shown_literally(tiny: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is the boom operator")
        shown = text_of(app.query_one(AnswerMessage))
        assert "What is the [b]boom[/b] operator?" in shown
        assert "The [bold red]boom[/] operator explodes." in shown
        assert "[link=https://x.example]here[/link]" in shown
        await pilot.press("ctrl+b")
        await pilot.pause()
        panel = text_of(app.query_one("#sidebar"))
        assert "What is the [b]boom[/b] operator?" in panel

    play(QabotApp(retriever=tiny), scenario)


def test_query_error_is_shown_in_the_chat(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        app.query_one("#query").value = "x" * 2001
        await pilot.press("enter")
        await settle(pilot)
        notice = app.query_one(NoticeMessage)
        assert "too long" in notice.visual.plain
        assert notice.has_class("error")
        assert not app.query(UserMessage)  # 2001 characters are not echoed into the chat
        assert app.query_one("#query").value == "x" * 2001  # left to shorten

    play(QabotApp(retriever=retriever), scenario)


def test_corpus_is_loaded_in_a_worker(tmp_path: Path) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        assert app.retriever is not None
        assert app.sub_title == "corpus · 10 entries"
        await ask(pilot, "why batch norm")
        assert app.query_one(AnswerMessage).entry_id.endswith(":q4")

    play(QabotApp(corpus=CORPUS, index_dir=tmp_path), scenario)


async def _nothing(app: QabotApp, pilot: Pilot) -> None:
    """A scenario that only lets the chat start (and load its corpus)."""


def _bad_csv(folder: Path) -> Path:
    """A CSV corpus whose line 2 opens a quote that never closes."""
    bad = folder / "bad.csv"
    rows = 'question,answer\n"What is dropout?,Randomly zeroing\nWhat is momentum?,Speed\n'
    bad.write_text(rows, encoding="utf-8")
    return bad


def test_a_corpus_that_cannot_be_loaded_ends_the_chat_with_exit_code_2(tmp_path: Path) -> None:
    bad = _bad_csv(tmp_path)
    app = QabotApp(corpus=bad, index_dir=tmp_path / "idx")
    play(app, _nothing)
    assert not app.is_running  # closed by itself: run() prints the error on the terminal
    assert app.return_code == 2
    assert app.load_error is not None and app.load_error.startswith(f"{bad}:2: ")


def test_a_missing_corpus_ends_the_chat_with_exit_code_2(tmp_path: Path) -> None:
    app = QabotApp(corpus=tmp_path / "missing.txt", index_dir=tmp_path)
    play(app, _nothing)
    assert app.return_code == 2
    assert app.load_error is not None and "missing.txt" in app.load_error


def test_an_unexpected_load_failure_ends_the_chat_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> Retriever:
        raise ValueError("index is corrupt")

    monkeypatch.setattr(Retriever, "from_path", broken)
    app = QabotApp(corpus=CORPUS, index_dir=tmp_path)
    play(app, _nothing)
    assert app.return_code == 2
    assert app.load_error == "ValueError: index is corrupt"


def test_run_raises_the_load_error_once_the_chat_has_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qabot.errors import QabotError
    from qabot.tui.app import run

    def headless(app: QabotApp) -> None:  # App.run, without a terminal
        play(app, _nothing)

    monkeypatch.setattr(QabotApp, "run", headless)
    with pytest.raises(QabotError, match=r"bad\.csv:2: unterminated quote"):
        run(corpus=_bad_csv(tmp_path), index_dir=tmp_path / "idx")


def test_copy_key_puts_the_full_answer_on_the_clipboard(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await pilot.press("ctrl+y")
        assert app.clipboard == retriever.entry(app.query_one(AnswerMessage).entry_id).answer

    play(QabotApp(retriever=retriever), scenario)


def test_copy_key_says_the_answer_was_sent_not_that_it_arrived(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await pilot.press("ctrl+y")
        await pilot.pause()
        (notice,) = [n.message for n in app._notifications]
        assert "copied" not in notice.lower()  # an OSC 52 escape gets no word back
        assert "OSC 52" in notice and "\n" not in notice

    play(QabotApp(retriever=retriever), scenario)


def test_a_notice_goes_away_after_a_few_seconds(retriever: Retriever) -> None:
    app = QabotApp(retriever=retriever)

    async def main() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:  # (toasts shown)
            await settle(pilot)
            await ask(pilot, "why batch norm")
            await pilot.press("ctrl+y")
            await pilot.pause(0.2)
            assert app.screen.query("Toast")
            await pilot.pause(3.5)
            assert not app.screen.query("Toast")
            assert not app._notifications

    asyncio.run(main())


def test_help_lists_every_binding(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = as_text(app.screen.query_one("#help-keys", Static).content)
        for binding in app._own_bindings():
            assert all(key in keys for key in binding.key.split(","))
        assert "up / down" in keys
        asking = app.screen.query_one("#help-asking", Static).visual.plain
        assert '"why batch norm"' in asking and '"Q4"' in asking  # the bundled corpus's own
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    play(QabotApp(retriever=retriever), scenario)


def test_pageup_scrolls_the_conversation_from_a_related_questions_list(
    retriever: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        for query in ("why batch norm", "what is momentum", "what is leaky relu"):
            await ask(pilot, query)
        await pilot.press("tab")
        assert isinstance(app.focused, OptionList)  # (the latest answer's related questions)
        conversation = app.query_one("#conversation")
        bottom = conversation.scroll_y
        await pilot.press("pageup")
        await settle(pilot)
        assert conversation.scroll_y < bottom
        assert isinstance(app.focused, OptionList)  # (the focus stays)

    play(QabotApp(retriever=retriever), scenario, size=(80, 24))


def test_help_lists_each_key_once_described_in_one_style(retriever: Retriever) -> None:
    rows = QabotApp(retriever=retriever).help_rows()
    keys = [key for shown, _ in rows for key in shown.split(" / ")]
    assert sorted(keys) == sorted(set(keys))  # pageup and pagedown once, together
    assert {"pageup", "pagedown", "escape", "ctrl+q", "enter"} <= set(keys)
    assert all(what[:1].isupper() and not what.endswith(".") for _, what in rows)


def test_a_help_taller_than_the_screen_scrolls_with_the_keys(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()
        help_box = app.screen.query_one("#help")
        assert help_box.max_scroll_y > 0  # (80 x 24: it does not all fit)
        await pilot.press("end")
        await pilot.pause()
        assert help_box.scroll_y == help_box.max_scroll_y  # "escape closes this help" shows
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    play(QabotApp(retriever=retriever), scenario, size=(80, 24))


def test_help_wraps_its_descriptions_in_a_narrow_terminal(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("#help").region
        keys = app.screen.query_one("#help-keys", Static)
        assert box.right <= app.size.width
        assert keys.region.right <= box.right  # not cut off by the box
        assert keys.region.height > len(app.screen.rows)  # some descriptions took two lines

    play(QabotApp(retriever=retriever), scenario, size=(60, 34))


def test_question_mark_opens_help_only_when_input_is_empty(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press(*"why?")
        assert app.query_one("#query").value == "why?"
        assert not isinstance(app.screen, HelpScreen)
        app.query_one("#query").value = ""
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.query_one("#query").value == ""

    play(QabotApp(retriever=retriever), scenario)


def test_command_palette_runs_the_chat_actions(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Clear conversation", "Toggle question list", "Copy answer"} <= titles
        await ask(pilot, "why batch norm")
        await pilot.press("ctrl+p", *"clear conversation")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen_stack) == 1  # the palette closed
        assert not app.query(AnswerMessage)

    play(QabotApp(retriever=retriever), scenario)


def test_ctrl_q_quits(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running

    play(QabotApp(retriever=retriever), scenario)


def test_emphasize_bolds_plain_terms_outside_code() -> None:
    text = "Batch norm helps. `batch` stays; batches do not."
    assert emphasize(text, ["batch"]) == "**Batch** norm helps. `batch` stays; batches do not."


def test_emphasize_prefers_the_longest_term_and_skips_unsafe_ones() -> None:
    text = "Use batch normalization on each batch."
    out = emphasize(text, ["batch", "batch normalization", "a*b", "[x]"])
    assert out == "Use **batch normalization** on each **batch**."


@pytest.mark.parametrize(
    "as_written",
    [
        "https://shop.example.com/refund",
        "www.example.com/refund.",
        "<https://example.com/refund>",
        "[page](https://example.com/refund)",
        "~~~\ncurl https://api.example.com/refund -d refund=1\n~~~",
        "```sh\nrefund --all\n```",
        "    refund --all  (an indented code line)",
        "``a `refund` span``",
    ],
)
def test_emphasize_leaves_what_markdown_shows_as_written_alone(as_written: str) -> None:
    text = f"Ask for a refund.\n\n{as_written}\n\nThe refund comes back."
    out = emphasize(text, ["refund"])
    assert out.count("**refund**") == 2  # (the two plain ones; a URL or code shows no **)
    assert as_written in out


def _one_entry(answer: str, path: str) -> Retriever:
    where = Source(path=path, line_start=3, line_end=4)
    entries = [
        Entry(id="doc:q1", question="What is a generic list?", answer=answer, source=where),
        Entry(
            id="doc:q2",
            question="How do kittens sleep?",
            answer="Kittens sleep curled up in warm places.",
            source=where,
        ),
    ]
    return Retriever.from_entries(entries)


PLAIN_ANSWER = "A generic list: List<String> names; 2*3*4 = 24; __init__ and a\\b.\n-----"


def test_a_plain_text_answer_shows_every_character_as_written() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is a generic list")
        await pilot.press("ctrl+o")
        await pilot.pause()
        shown = text_of(app.query_one(AnswerMessage))
        assert "List<String> names; 2*3*4 = 24; __init__ and a\\b." in shown
        assert "-----" in shown

    play(QabotApp(retriever=_one_entry(PLAIN_ANSWER, "notes.txt")), scenario)


# lines that Markdown would turn into bullets, a numbered list, a heading, a quote, code
PLAIN_LINES_ANSWER = (
    "A generic list of activations:\n"
    "- Relu: f(x) = max(0,x)\n"
    "* Tanh: squashes to (-1, 1)\n"
    "3. Sigmoid\n"
    "\n"
    "\n"
    "    indented = True\n"
    "# not a heading\n"
    "> not a quote"
)


def test_a_plain_text_answer_keeps_its_list_markers_and_lines_as_written() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is a generic list")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert PLAIN_LINES_ANSWER in text_of(app.query_one(AnswerMessage))

    play(QabotApp(retriever=_one_entry(PLAIN_LINES_ANSWER, "notes.txt")), scenario)


def test_a_plain_text_answer_highlights_whole_query_terms() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "generic names")
        passage = app.query_one(AnswerMessage).query_one(".passage", Static).visual
        marked = [passage.plain[s.start : s.end] for s in passage.spans]  # type: ignore[union-attr]
        assert marked == ["generic", "Names"]  # not the "names" inside "surnames"
        assert passage.plain == answer  # type: ignore[union-attr]

    answer = "A generic list: surnames and Names."
    play(QabotApp(retriever=_one_entry(answer, "notes.txt")), scenario)


def test_a_markdown_answer_is_rendered_as_markdown() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is a generic list")
        shown = text_of(app.query_one(AnswerMessage))
        assert "A generic list is *very* handy" not in shown
        assert "A generic list is very handy" in shown

    answer = "A generic list is *very* handy."
    play(QabotApp(retriever=_one_entry(answer, "faq.md")), scenario)


# a Markdown answer wrapped by hand, as FAQs often are: its lines are not its paragraphs
HAND_WRAPPED_ANSWER = (
    "A generic list holds items of one type and\n"
    "grows as you add to it.\n"
    "\n"
    "To use one:\n"
    "\n"
    "1. Declare it with the type of its\n"
    "   items.\n"
    "2. Add items.\n"
    "\n"
    "That is all there is\n"
    "to it."
)


def test_a_hand_wrapped_markdown_answer_reads_as_paragraphs() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is a generic list")
        shown = text_of(app.query_one(AnswerMessage))
        assert "A generic list holds items of one type and grows as you add to it." in shown
        assert "\nTo use one:\n" in shown  # (its paragraphs stay apart)
        assert "\nThat is all there is to it." in shown

    play(QabotApp(retriever=_one_entry(HAND_WRAPPED_ANSWER, "faq.md")), scenario)


def test_a_hand_wrapped_markdown_list_item_reads_as_one_item() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is a generic list")
        shown = text_of(app.query_one(AnswerMessage))
        assert "\nDeclare it with the type of its items.\nAdd items.\n" in shown

    play(QabotApp(retriever=_one_entry(HAND_WRAPPED_ANSWER, "faq.md")), scenario)


def test_the_chat_cites_a_source_as_the_cli_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qabot.cli import format_answer

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        assert app.retriever is not None
        source = app.query_one(AnswerMessage).source  # "path:52-60"
        assert f"[{source} · " in format_answer(app.retriever.ask("why batch norm"))
        assert Path(source.rsplit(":", 1)[0]).is_file()  # from the user's working folder

    monkeypatch.chdir(tmp_path)  # not the repository: the bundled corpus is elsewhere
    play(QabotApp(index_dir=tmp_path / "idx"), scenario)  # (the bundled corpus)


def test_the_answer_cites_its_file_and_lines() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is a generic list")
        badge = app.query_one(AnswerMessage).query_one(".badge", Static).visual.plain
        assert badge.startswith("notes.txt:3-4  ·  confidence")

    play(QabotApp(retriever=_one_entry(PLAIN_ANSWER, "notes.txt")), scenario)


TRAVEL = Path(__file__).resolve().parents[1] / "fixtures" / "travel"


def test_an_answer_matched_by_meaning_says_so_in_its_badge() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "can I take my dog with me on the plane")  # Q8, about pets
        await ask(pilot, "how much does overweight baggage cost")  # its words match Q6
        by_meaning, by_words = (
            m.query_one(".badge", Static).visual.plain for m in app.query(AnswerMessage)
        )
        assert re.search(r"  ·  confidence [\d.]+ · \w+ · matched by meaning  ·  f ", by_meaning)
        assert "meaning" not in by_words

    play(QabotApp(retriever=Retriever.from_path(TRAVEL, cache=False)), scenario)


def test_tab_from_the_input_reaches_the_latest_related_questions(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await ask(pilot, "what is the vanishing gradient problem")
        await pilot.press("tab")
        assert app.focused is app.query(AnswerMessage).last().query_one(OptionList)
        await pilot.press("tab")
        assert app.focused is app.query_one("#query")

    play(QabotApp(retriever=retriever), scenario)


@pytest.mark.parametrize("key", ["tab", "shift+tab"])
def test_tab_stays_in_the_input_when_the_latest_answer_has_no_related_questions(
    retriever: Retriever, key: str
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "Q4")  # answered, with related questions
        await ask(pilot, "overfitting")  # answered, with none
        assert not app.query(AnswerMessage).last().related
        await pilot.press(key)
        assert app.focused is app.query_one("#query")  # not Q4's list, scrolled out of sight

    play(QabotApp(retriever=retriever), scenario)


@pytest.fixture
def menu() -> Retriever:
    """Two documents of a folder corpus, each numbering its questions from Q1."""

    def entry(document: str, n: int, question: str, answer: str) -> Entry:
        where = Source(path=f"menu/{document}", line_start=n, line_end=n)
        prefix = document.rsplit(".", 1)[0]
        return Entry(id=f"{prefix}:q{n}", question=question, answer=answer, source=where)

    return Retriever.from_entries(
        [
            entry("drinks.csv", 1, "How is coffee brewed?", "Hot water through ground coffee."),
            entry("drinks.csv", 2, "How is tea brewed?", "Leaves steeped in hot water."),
            entry("sweets/cakes.txt", 1, "How is coffee cake baked?", "In a slow oven."),
            entry("sweets/cakes.txt", 2, "What goes in a coffee cake?", "Flour, sugar, coffee."),
        ]
    )


def options_of(questions: OptionList) -> list[str]:
    return [str(questions.get_option_at_index(i).prompt) for i in range(questions.option_count)]


def test_related_questions_name_their_document_when_the_corpus_has_several(
    menu: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "how is coffee brewed")
        related = options_of(app.query_one(AnswerMessage).query_one(OptionList))
        assert "Q2  How is tea brewed?  (drinks.csv)" in related
        assert "Q1  How is coffee cake baked?  (sweets/cakes.txt)" in related

    play(QabotApp(retriever=menu), scenario)


def test_closest_questions_name_their_document_when_the_corpus_has_several(
    menu: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "coffee")
        closest = options_of(app.query_one(AbstainMessage).query_one(OptionList))
        assert "Q1  How is coffee brewed?  (drinks.csv)" in closest
        assert "Q1  How is coffee cake baked?  (sweets/cakes.txt)" in closest

    play(QabotApp(retriever=menu.with_config(threshold=1.0)), scenario)


def test_side_panel_groups_questions_under_their_document(menu: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("ctrl+b")
        questions = app.query_one("#questions", OptionList)
        assert options_of(questions) == [
            "drinks.csv",
            "Q1  How is coffee brewed?",
            "Q2  How is tea brewed?",
            "sweets/cakes.txt",
            "Q1  How is coffee cake baked?",
            "Q2  What goes in a coffee cake?",
        ]
        await pilot.press(*"cakes")  # a document's name filters to its questions
        await pilot.pause()
        assert options_of(questions)[0] == "sweets/cakes.txt"
        assert questions.option_count == 3
        await pilot.press("enter")  # picks the first question, not the heading
        await settle(pilot)
        assert app.query_one(AnswerMessage).entry_id == "sweets/cakes:q1"

    play(QabotApp(retriever=menu), scenario)


def heading_of(message: Widget) -> str:
    return message.query_one(".question", Static).visual.plain  # type: ignore[union-attr]


def test_an_answer_names_its_document_when_the_corpus_has_several(menu: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "how is coffee brewed")
        assert heading_of(app.query_one(AnswerMessage)) == "Q1  How is coffee brewed?  (drinks.csv)"
        await pilot.press("tab", "down", "enter")  # a related question, picked
        await settle(pilot)
        picked = app.query(AnswerMessage).last()
        entry = menu.entry(picked.entry_id)
        document = menu.document_names[entry.source.path]
        assert heading_of(picked) == f"{label(entry.id)}  {entry.question}  ({document})"

    play(QabotApp(retriever=menu), scenario)


def test_a_single_document_corpus_names_no_document(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        assert (
            heading_of(app.query_one(AnswerMessage)) == "Q4  Why should we use Batch Normalization?"
        )
        related = options_of(app.query_one(AnswerMessage).query_one(OptionList))
        assert related and all(o.endswith("?") for o in related)
        questions = options_of(app.query_one("#questions", OptionList))
        assert len(questions) == 10 and all(o.startswith("Q") for o in questions)

    play(QabotApp(retriever=retriever), scenario)


def test_walking_the_history_gives_a_half_typed_draft_back(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await pilot.press(*"my half typed draft")
        field = app.query_one("#query")
        await pilot.press("up")
        assert field.value == "why batch norm"
        await pilot.press("down")
        assert field.value == "my half typed draft"

    play(QabotApp(retriever=retriever), scenario)


PALETTE_FULL = ["ctrl+p", *"full answer", "enter"]


@pytest.mark.parametrize(
    ("queries", "keys"),
    [
        (["why batch norm", "what hyperparameters are there"], ["ctrl+o"]),
        (["why batch norm", "what hyperparameters are there"], PALETTE_FULL),
        (["what hyperparameters are there"], ["ctrl+o"]),  # (the first turn: anchored)
        (["what hyperparameters are there"], PALETTE_FULL),
    ],
    ids=["key", "palette", "first-turn-key", "first-turn-palette"],
)
def test_a_full_answer_is_shown_from_its_top(
    retriever: Retriever, queries: list[str], keys: list[str]
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        for query in queries:  # (Q6: a long answer)
            await ask(pilot, query)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        message = app.query(AnswerMessage).last()
        conversation = app.query_one("#conversation")
        assert message.full
        top, height = conversation.region.y, conversation.region.height
        assert top <= message.region.y < top + height // 2  # its heading in sight, near the top
        assert message.region.height > conversation.region.height  # (it does not all fit)

    play(QabotApp(retriever=retriever), scenario, size=(80, 24))


def test_quitting_while_the_index_builds_does_not_wait_for_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, finished = threading.Event(), threading.Event()

    def slow(*args: object, **kwargs: object) -> Retriever:
        release.wait(timeout=60)
        finished.set()
        raise ValueError("never used")

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        assert app.retriever is None and app.sub_title == "loading corpus…"
        await pilot.press("ctrl+q")

    monkeypatch.setattr(Retriever, "from_path", slow)
    app = QabotApp(corpus=CORPUS, index_dir=tmp_path)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())
    assert not finished.is_set()  # the chat closed while the build was still running
    release.set()


VINAIGRETTE = """\
## How do I make a vinaigrette?

Whisk three parts oil with one part vinegar, a pinch of salt and some mustard.

```
oil, vinegar = 3, 1
```

Taste it and adjust the seasoning before serving.
"""


@pytest.mark.parametrize(
    ("suffix", "keys"),
    [(".md", ["ctrl+o"]), (".txt", ["ctrl+o"]), (".md", ["pageup", "ctrl+o"])],
    ids=["markdown", "plain-text", "after-pageup"],
)
def test_a_full_answer_shorter_than_the_screen_shows_at_once(
    tmp_path: Path, suffix: str, keys: list[str]
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "how do I make a vinaigrette")  # the first turn: little to scroll
        await pilot.press(*keys)
        await settle(pilot)
        message = app.query_one(AnswerMessage)
        assert message.full
        shown = app.query_one("#conversation").content_region
        for part in [message, *message.query(".passage > *"), message.query_one(".badge")]:
            assert shown.contains_region(part.region), part  # not below the screen's edge

    text = VINAIGRETTE if suffix == ".md" else VINAIGRETTE.replace("## ", "Q1: ")
    (tmp_path / f"kitchen{suffix}").write_text(text, encoding="utf-8")
    play(QabotApp(retriever=Retriever.from_path(tmp_path, cache=False)), scenario)


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("thanks", "You're welcome"),
        ("thank you!", "You're welcome"),
        ("hi", "Hello!"),
        ("good morning", "Hello!"),
        ("Good evening!", "Hello!"),
    ],
)
def test_thanks_or_a_greeting_gets_a_friendly_reply_not_a_failed_search(
    retriever: Retriever, said: str, reply: str
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await ask(pilot, said)
        assert not app.query(AbstainMessage)
        shown = app.query_one(SmallTalkMessage).visual.plain  # type: ignore[union-attr]
        assert shown.startswith(reply) and "ctrl+b" in shown
        assert "\n" not in shown and "No answer" not in shown

    play(QabotApp(retriever=retriever), scenario)


def test_thanks_keeps_the_topic_for_the_next_follow_up(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is the vanishing gradient problem")
        await ask(pilot, "thanks")
        assert app.context == "what is the vanishing gradient problem"
        await ask(pilot, "how do I fix it?")
        assert app.query(AnswerMessage).last().entry_id.endswith(":q9")

    play(QabotApp(retriever=retriever), scenario)


def test_a_wrapped_answer_shown_whole_offers_no_full_answer() -> None:
    source = Source(path="notes.txt", line_start=1, line_end=3)
    answer = "Hold the blade at a fifteen degree angle against the whetstone and\npush it across."
    entry = Entry(id="notes:q1", question="How do I sharpen a knife?", answer=answer, source=source)
    retriever = Retriever.from_entries([entry])

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "sharpen a knife")
        message = app.query_one(AnswerMessage)
        assert message.passage != message.answer  # (its lines joined)
        assert "full answer" not in message.query_one(".badge", Static).visual.plain

    play(QabotApp(retriever=retriever), scenario)


def help_asking(app: QabotApp) -> str:
    return app.screen.query_one("#help-asking", Static).visual.plain


def test_the_help_asks_with_an_example_of_the_corpus_not_of_the_bundled_one(
    tiny: Retriever, menu: Retriever
) -> None:
    async def one_document(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()
        asking = help_asking(app)
        assert "batch norm" not in asking and '"Q4"' not in asking
        assert 'like "What is the [b]boom[/b] operator?"' in asking  # the first (as written)...
        assert '"Q1"' in asking  # ...and its number

    async def several(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()
        asking = help_asking(app)
        assert 'like "How is coffee brewed?"' in asking and '"drinks:q1"' in asking  # its id

    long_question = "Why does the [bold]boom[/bold] operator " + "really " * 9 + "explode?"
    where = Source(path="boom.txt", line_start=1, line_end=2)
    long_one = Retriever.from_entries(
        [Entry(id="boom:q1", question=long_question, answer="Pressure builds up.", source=where)]
    )

    async def literally(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()
        asking = help_asking(app)  # no short question: the shortest, cut, as written
        assert 'like "Why does the [bold]boom[/bold] operator really really' in asking
        assert "really…" in asking and "explode" not in asking

    play(QabotApp(retriever=tiny), one_document)
    play(QabotApp(retriever=menu), several)
    play(QabotApp(retriever=long_one), literally)


def test_a_question_asked_while_the_index_builds_is_answered_when_it_is_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, retriever: Retriever
) -> None:
    release = hold(monkeypatch, Retriever, "from_path", returns=retriever)

    async def main() -> None:
        app = QabotApp(corpus=CORPUS, index_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(*"why batch norm", "enter")
            await pilot.press(*"how do I fix it?", "enter")  # (a follow-up of the first)
            await pilot.pause()
            assert app.retriever is None  # (still loading when they were asked)
            assert app.query_one("#query", Input).value == ""  # taken, not left to resend
            asked = [str(m.render()) for m in app.query(UserMessage)]
            assert asked == ["why batch norm", "how do I fix it?"]
            assert not app.query_one("#conversation").loading  # (the questions show)
            release.set()
            for _ in range(200):
                await pilot.pause(0.05)
                if len(app.query(AnswerMessage)) == 2:
                    break
            await settle(pilot)
            first, second = app.query(AnswerMessage)
            assert first.entry_id.endswith(":q4")
            assert second.entry_id.endswith(":q4")  # read with the first: batch norm's fix

    asyncio.run(main())


def test_the_help_asks_in_neutral_words_before_the_corpus_is_loaded() -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        app.action_help()
        await pilot.pause()
        asking = help_asking(app)
        assert "batch norm" not in asking and "Q4" not in asking

    app = QabotApp(corpus="/nonexistent/never-loaded")
    app._load = lambda: None  # type: ignore[method-assign]  # (stays loading)
    play(app, scenario)


def test_middle_ellipsis_keeps_both_ends_of_a_name() -> None:
    name = "deep-learning-interview-questions.txt"
    assert middle_ellipsis(name, 40) == name
    assert middle_ellipsis(name, 31) == "deep-learning-i…w-questions.txt"
    assert middle_ellipsis("日本語のファイル.txt", 10) == "日本….txt"  # (in cells: 9)
    assert middle_ellipsis(name, 1) == "…" and middle_ellipsis(name, 0) == ""


def test_side_panel_shows_a_long_document_name_on_one_line() -> None:
    def entry(document: str, question: str) -> Entry:
        where = Source(path=f"mix/{document}", line_start=1, line_end=2)
        prefix = document.rsplit(".", 1)[0]
        return Entry(id=f"{prefix}:q1", question=question, answer="Yes.", source=where)

    long_name = "deep-learning-interview-questions.txt"
    retriever = Retriever.from_entries(
        [entry(long_name, "What are autoencoders?"), entry("gym.txt", "Is there parking?")]
    )

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await pilot.press("ctrl+b")
        await pilot.pause()
        questions = app.query_one("#questions", OptionList)
        width = questions.scrollable_content_region.width
        assert width < len(long_name)  # (the panel is narrower than the name)
        shown = [questions.render_line(y).text.rstrip() for y in range(4)]
        assert shown[0].startswith("deep-learning-") and shown[0].endswith("questions.txt")
        assert "…" in shown[0] and len(shown[0]) <= width
        assert shown[1].startswith("Q1  What are autoencoders?")  # not the name's end
        assert options_of(questions)[0] == long_name  # (filtered and read whole)

    play(QabotApp(retriever=retriever), scenario)


def test_the_subtitle_counts_one_entry_in_the_singular() -> None:
    where = Source(path="one.txt", line_start=1, line_end=2)
    only = Entry(id="one:q1", question="What is tea?", answer="Leaves in hot water.", source=where)

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        assert app.sub_title.endswith("· 1 entry")

    play(QabotApp(retriever=Retriever.from_entries([only])), scenario)


def test_the_palette_offers_the_chat_s_help_once(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Help") == 1 and titles.count("Keys") <= 1

    play(QabotApp(retriever=retriever), scenario)


def test_a_number_several_documents_share_lists_each_document_s_question(
    tmp_path: Path,
) -> None:
    for name in "abcdef":
        (tmp_path / f"doc{name}.txt").write_text(
            f"Q1: What is thing {name}?\nAnswer: A widget {name}.\n", encoding="utf-8"
        )

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "Q1")
        message = app.query(AbstainMessage).last()
        heading = message.query_one(".question", Static).visual.plain
        assert heading == "Several documents have a Q1: pick one."
        listed = message.query_one(OptionList)
        assert listed.option_count == 6  # (more than the related questions shown otherwise)

    play(QabotApp(retriever=Retriever.from_path(tmp_path, cache=False)), scenario)


def test_pasted_lines_join_into_one_query(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        field = app.query_one("#query", Input)
        field.post_message(events.Paste("why do we use\nbatch\tnormalization?\n"))
        await pilot.pause()
        assert field.value == "why do we use batch normalization?"

    play(QabotApp(retriever=retriever), scenario)


def test_a_damaged_cached_index_is_rebuilt_and_the_chat_says_so(tmp_path: Path) -> None:
    from qabot.cache import index_location

    Retriever.from_path(CORPUS, index_dir=tmp_path)  # (cached)
    location, _ = index_location(CORPUS, tmp_path)
    location.write_bytes(b"not an index")

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.retriever is not None:
                break
        await pilot.pause()
        notes = [str(m.render()) for m in app.query(NoticeMessage)]
        assert any(note.startswith("rebuilding index") for note in notes), notes

    play(QabotApp(corpus=CORPUS, index_dir=tmp_path), scenario)


def test_full_answer_before_any_answer_says_there_is_none(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        said: list[str] = []
        app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert said == ["There is no answer to expand yet."]

    play(QabotApp(retriever=retriever), scenario)


def test_keys_for_the_latest_answer_do_not_reach_back_past_an_abstention(
    retriever: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        said: list[str] = []
        copied: list[str] = []
        app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await ask(pilot, "why batch norm")
        await ask(pilot, "what is the capital of France")
        await pilot.press("ctrl+y", "ctrl+o")
        await pilot.pause()
        assert copied == [] and not app.query(AnswerMessage).last().full
        assert said == [
            "The latest question has no answer to copy yet.",
            "The latest question has no answer to expand yet.",
        ]

    play(QabotApp(retriever=retriever), scenario)


def type_fast(app: QabotApp, keys: list[str]) -> None:
    """Post key events at once, as a terminal sends keys typed fast or pasted without
    bracketed paste (pilot.press waits for each key to be handled)."""
    named = {" ": ("space", " "), "enter": ("enter", "\r")}
    for key in keys:
        name, character = named.get(key, (key, key))
        app.post_message(events.Key(name, character))


def test_lines_sent_fast_are_asked_one_by_one_in_order(retriever: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        type_fast(app, [*"why batch norm", "enter", *"what is dropout", "enter", *"mom"])
        await settle(pilot)
        asked = [str(m.render()) for m in app.query(UserMessage)]
        assert asked == ["why batch norm", "what is dropout"]
        field = app.query_one("#query", Input)
        assert field.value == "mom"  # (typed behind the last enter: the next query)
        assert field.history == ["why batch norm", "what is dropout"]  # type: ignore[attr-defined]

    play(QabotApp(retriever=retriever), scenario)


def test_clear_drops_the_questions_waiting_for_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, retriever: Retriever
) -> None:
    release = hold(monkeypatch, Retriever, "from_path", returns=retriever)

    async def main() -> None:
        app = QabotApp(corpus=CORPUS, index_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(*"why batch norm", "enter", "ctrl+l")
            await pilot.pause()
            assert app.retriever is None  # (asked and cleared while loading)
            release.set()
            for _ in range(200):
                await pilot.pause(0.05)
                if app.retriever is not None:
                    break
            await settle(pilot)
            assert not app.query(UserMessage) and not app.query(AnswerMessage)
            assert app.context is None

    asyncio.run(main())


def test_shift_tab_from_the_latest_related_questions_goes_back_to_the_input(
    retriever: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "why batch norm")
        await ask(pilot, "what is the vanishing gradient problem")
        older, latest = (m.query_one(OptionList) for m in app.query(AnswerMessage))
        assert not older.allow_focus()
        await pilot.press("tab")
        assert app.focused is latest
        await pilot.press("shift+tab")
        assert app.focused is app.query_one("#query")  # not the older answer's list
        await pilot.press("ctrl+b", "down")  # the side panel's list...
        assert app.focused is app.query_one("#questions")
        await pilot.press("tab")  # ...is followed by the latest list only
        assert app.focused is latest

    play(QabotApp(retriever=retriever), scenario)


def test_the_source_line_breaks_between_its_parts_never_inside_the_source() -> None:
    path = "/srv/archive/interview-prep/deep-learning/deep-learning-interview-questions.txt"
    where = Source(path=path, line_start=52, line_end=60)
    answer = "Dropout zeroes random units while training.\n\nIt keeps units from co-adapting."
    entry = Entry(id="dl:q7", question="What is dropout?", answer=answer, source=where)

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is dropout")
        badge = app.query_one(AnswerMessage).query_one(".badge", Static)
        width = badge.content_region.width
        rows = [badge.render_line(y).text.rstrip() for y in range(badge.size.height)]
        assert width < len(path)  # (the path does not fit)
        assert rows[0] == middle_ellipsis(path, width - len(":52-60")) + ":52-60"
        assert rows[0].startswith("/srv/") and rows[0].endswith("questions.txt:52-60")
        assert all(re.match(r"(confidence|f / ctrl\+o)", row) for row in rows[1:]), rows
        assert badge.visual.plain.startswith(f"{path}:52-60  ·  confidence")  # type: ignore[union-attr]

    play(QabotApp(retriever=Retriever.from_entries([entry])), scenario, size=(60, 30))


@pytest.fixture
def half_answered() -> Retriever:
    """A document that asks a question and leaves it unanswered."""
    where = Source(path="todo.txt", line_start=1, line_end=2)
    return Retriever.from_entries(
        [
            Entry(id="todo:q1", question="What is dropout?", answer="", source=where),
            Entry(
                id="todo:q2", question="What is momentum?", answer="A moving average.", source=where
            ),
        ]
    )


def test_unanswered_questions_are_marked_as_the_cli_marks_them(half_answered: Retriever) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is dropout")
        closest = options_of(app.query_one(AbstainMessage).query_one(OptionList))
        assert "Q1  What is dropout?  (unanswered in its document)" in closest
        await pilot.press("ctrl+b")
        await pilot.pause()
        listed = options_of(app.query_one("#questions", OptionList))
        assert listed == ["Q1  What is dropout?  (unanswered)", "Q2  What is momentum?"]

    play(QabotApp(retriever=half_answered), scenario)


def test_copy_of_an_unanswered_question_copies_nothing_and_says_so(
    half_answered: Retriever,
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        said: list[str] = []
        app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
        await pilot.press("ctrl+b", *"dropout", "enter")
        await settle(pilot)
        assert "(no answer in the document)" in text_of(app.query_one(AnswerMessage))
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert not app.clipboard
        assert said == ["Its document leaves this question unanswered: nothing to copy."]

    play(QabotApp(retriever=half_answered), scenario)


def test_copy_sends_the_answer_as_shown_without_terminal_escapes() -> None:
    where = Source(path="notes.txt", line_start=1, line_end=2)
    answer = "Zeroing \x1b]52;c;ZXZpbA==\x07random \x1b[31munits\x1b[0m while training."
    entry = Entry(id="notes:q1", question="What is dropout?", answer=answer, source=where)

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        await ask(pilot, "what is dropout")
        await pilot.press("ctrl+y")
        assert app.clipboard == "Zeroing random units while training."  # (whole escapes gone)
        assert app.clipboard in text_of(app.query_one(AnswerMessage))  # what the screen shows

    play(QabotApp(retriever=Retriever.from_entries([entry])), scenario)


@pytest.mark.parametrize("key", ["ctrl+o", "f"])
def test_the_full_answer_key_says_when_the_answer_is_shown_whole(
    retriever: Retriever, key: str
) -> None:
    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        said: list[str] = []
        app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
        await ask(pilot, "why doesn't my loss decrease")  # Q10's answer is one passage
        if key == "f":
            await pilot.press("tab")  # (onto its related questions)
        await pilot.press(key)
        await pilot.pause()
        assert said == ["This is the whole answer."]

    play(QabotApp(retriever=retriever), scenario)


def test_the_header_names_the_bundled_corpus_by_its_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import qabot.tui.app

    bundled = tmp_path / "_corpus"  # (as installed in the package)
    bundled.mkdir()
    shutil.copy(CORPUS / "deep-learning-interview-questions.txt", bundled)
    monkeypatch.setattr(qabot.tui.app, "PACKAGE_CORPUS", bundled)

    async def scenario(app: QabotApp, pilot: Pilot) -> None:
        assert app.sub_title == "deep-learning-interview-questions.txt · 10 entries"

    play(QabotApp(retriever=Retriever.from_path(bundled, cache=False)), scenario)
