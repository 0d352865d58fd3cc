"""The Textual chat of qabot: `run()` for the CLI and `QabotApp` for tests and embedding."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, LoadingIndicator

from qabot.cli import (
    EXIT_BAD_INPUT,
    ask_listing_shared,
    confidence_band,
    counted,
    label,
    match_note,
    safe,
    shown_confidence,
)
from qabot.errors import QabotError, QueryError
from qabot.models import Answer, Entry
from qabot.query import is_small_talk
from qabot.retriever import PACKAGE_CORPUS, SOURCE_CORPUS, Retriever, check_query
from qabot.tui.widgets import (
    ASKING_HINT,
    NEUTRAL_HINT,
    AbstainMessage,
    AnswerMessage,
    EntrySelected,
    HelpScreen,
    HistoryInput,
    NoticeMessage,
    QuestionList,
    QuestionPanel,
    SmallTalkMessage,
    UserMessage,
    asking_hint,
)

RELATED = 3  # related questions shown under an answer
# The copy is an OSC 52 escape that many terminals (and tmux setups) ignore without a word
# back, so the notice says what was done, not that it worked.
COPY_NOTICE = "Sent the answer to the terminal clipboard (OSC 52; some terminals ignore it)."
NOTHING_TO_COPY = "Its document leaves this question unanswered: nothing to copy."
BUNDLED_TITLE = "bundled corpus"


@dataclass(frozen=True)
class _Loaded:
    """A retriever with its entries read, their documents named and the help's example
    question chosen (all entries: done in the loading thread, 1-2 s for 100k stored
    entries)."""

    retriever: Retriever
    entries: list[Entry]
    documents: dict[str, str]
    hint: str  # how to ask this corpus (`hint_for`)
    warnings: list[str] = field(default_factory=list)  # of the index cache ("rebuilding ...")

    @classmethod
    def of(cls, retriever: Retriever, warnings: Sequence[str] = ()) -> _Loaded:
        entries, documents = retriever.entries, retriever.document_names
        hint = hint_for(entries, several=bool(documents))
        return cls(retriever, entries, documents, hint, list(warnings))


class _Collected(logging.Handler):
    """The warnings of the "qabot" logger while the index loads (the CLI prints them on
    stderr, which a full-screen chat hides): the chat shows them once it is loaded."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _collected_warnings() -> Iterator[list[str]]:
    handler = _Collected()
    logger = logging.getLogger("qabot")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _settle(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[_Loaded], outcome: object
) -> None:
    """Resolve `future` from another thread (nothing if the app has quit meanwhile)."""

    def resolve() -> None:
        if future.done():
            return
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)  # type: ignore[arg-type]

    with contextlib.suppress(RuntimeError):  # a closed loop: the user quit meanwhile
        loop.call_soon_threadsafe(resolve)


HELP_WORDS = frozenset({"help", "/help", "?", ":help"})
EXAMPLE_WORDS = 8  # an example question of the help is a short one


def _is_bundled(entries: Sequence[Entry], installed_only: bool = False) -> bool:
    """Whether the entries come from the bundled corpus (whose examples the help knows): as
    installed in the package, or (unless `installed_only`) in the source tree."""
    roots = {PACKAGE_CORPUS.resolve()} | (set() if installed_only else {SOURCE_CORPUS.resolve()})
    paths = {e.source.path for e in entries}
    return bool(paths) and all(roots & set(Path(p).resolve().parents) for p in paths)


def corpus_title(name: str, entries: Sequence[Entry]) -> str:
    """The corpus's name for the header: `name` (its folder's or file's), but the bundled
    corpus, installed as the package's "_corpus" folder, by its document's name."""
    if not _is_bundled(entries, installed_only=True):
        return name
    paths = {e.source.path for e in entries}
    return Path(paths.pop()).name if len(paths) == 1 else BUNDLED_TITLE


def hint_for(entries: Sequence[Entry], several: bool) -> str:
    """How to ask this corpus: the bundled corpus's own examples, else one of its questions
    (the first short answered one, else the shortest), else a neutral wording."""
    if _is_bundled(entries):
        return ASKING_HINT
    answered = [e for e in entries if e.answered and e.question.strip()]
    if not answered:
        return NEUTRAL_HINT
    short = (e for e in answered if len(e.question.split()) <= EXAMPLE_WORDS)
    example = next(short, None) or min(answered, key=lambda e: len(e.question))
    return asking_hint(example, several)


class Conversation(VerticalScroll):
    """The messages.  It takes no focus itself (an invisible stop between the input and the
    related questions); pageup / pagedown scroll it from anywhere."""

    can_focus = False


PALETTE_SETTLE = 0.05  # seconds for the chat's screen to be back after the command palette


class QabotApp(App[int]):
    """Chat with a corpus: ask in the input, read sourced answers, follow related questions."""

    CSS_PATH = "app.tcss"
    TITLE = "qabot"
    NOTIFICATION_TIMEOUT = 3  # seconds: a notice is one short line (Textual's default is 5)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", tooltip="Show all key bindings (also ? in an empty input)"),
        Binding(
            "ctrl+b,f2", "toggle_sidebar", "Questions", tooltip="Show or hide all corpus questions"
        ),
        Binding("ctrl+o", "toggle_full", "Full answer", tooltip="Whole text of the latest answer"),
        Binding(
            "ctrl+y",
            "copy_answer",
            "Copy",
            tooltip="Send the latest answer to the terminal clipboard (OSC 52)",
        ),
        Binding("ctrl+l", "clear", "Clear", tooltip="Clear the conversation and its topic"),
        Binding("escape", "focus_input", "Back to input", show=False),
        Binding("pageup", "scroll_conversation(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_conversation(1)", "Scroll down", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    # Keys handled by widgets (or bindings better described together), for the help screen;
    # a binding with a key listed here is described by its row.
    EXTRA_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("enter", "Ask the question in the input"),
        ("up / down", "Previous / next query (in the input)"),
        ("tab / shift+tab", "To the latest answer's related questions and back; enter opens one"),
        ("pageup / pagedown", "Scroll the conversation"),
        ("f", "Full answer of the focused message"),
        ("ctrl+p", "Command palette"),
    ]

    def __init__(
        self,
        retriever: Retriever | None = None,
        corpus: str | Path | None = None,
        index_dir: str | Path | None = None,
        threshold: float | None = None,
    ) -> None:
        super().__init__()
        self.retriever = retriever
        self.corpus = corpus
        self.index_dir = index_dir
        self.threshold = threshold  # the abstention threshold, if not the retriever's own
        self.context: str | None = None  # topic of the conversation, passed to ask(context=)
        self.documents: dict[str, str] = {}  # Retriever.document_names
        self.asking = NEUTRAL_HINT  # how to ask, in the help (examples from the corpus)
        self.load_error: str | None = None
        self.waiting: list[tuple[str, Widget]] = []  # asked while loading: query, its pending
        self.awaited: set[Widget] = set()  # the pending indicators whose reply is still wanted

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield QuestionPanel()
            yield Conversation(id="conversation")
        yield HistoryInput(placeholder="Ask a question (F1: help)", id="query")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sidebar").display = False
        self.query_one("#conversation", VerticalScroll).anchor()
        self.query_one("#query").focus()
        if self.retriever is not None:
            self._loaded(_Loaded.of(self._judging(self.retriever)))
        else:
            self.sub_title = "loading corpus…"
            self.query_one("#conversation").loading = True
            self._load()

    @work(exit_on_error=False)
    async def _load(self) -> None:
        """Build (or read the cached) index off the UI thread.

        The build runs in a daemon thread that this worker awaits, not in a thread worker:
        quitting mid-build then ends at once instead of waiting for the build to finish."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[_Loaded] = loop.create_future()

        def build() -> None:
            try:  # (reading every entry for the side panel is work for this thread too)
                with _collected_warnings() as warnings:
                    retriever = Retriever.from_path(self.corpus, index_dir=self.index_dir)
                result = _Loaded.of(self._judging(retriever), warnings)
            except BaseException as exc:  # handed to the worker, which reports it
                _settle(loop, done, exc)
            else:
                _settle(loop, done, result)

        threading.Thread(target=build, name="qabot-load", daemon=True).start()
        try:
            loaded = await done
        except (QabotError, OSError) as exc:
            self._load_failed(str(exc))
        except Exception as exc:  # e.g. a corrupt cached index: say so instead of spinning
            self._load_failed(f"{type(exc).__name__}: {exc}")
        else:
            self._loaded(loaded)

    def _judging(self, retriever: Retriever) -> Retriever:
        """The retriever with the chosen abstention threshold (`--threshold`), if any."""
        if self.threshold is None:
            return retriever
        return retriever.with_config(threshold=self.threshold)

    def _loaded(self, loaded: _Loaded) -> None:
        retriever = self.retriever = loaded.retriever
        self.documents = loaded.documents
        self.asking = loaded.hint
        title = corpus_title(retriever.name, loaded.entries)
        self.sub_title = f"{title} · {counted(len(loaded.entries), 'entry')}"
        self.query_one("#conversation").loading = False
        self.query_one(QuestionPanel).set_entries(loaded.entries, self.documents)
        for problem in retriever.problems:
            self._say(NoticeMessage(f"skipped {problem}", error=True))
        for warning in loaded.warnings:  # ("rebuilding index (unreadable index ...)")
            self._say(NoticeMessage(warning))
        self._ask_waiting()  # (questions asked while loading: answered now, in order)

    def _load_failed(self, message: str) -> None:
        """A corpus that cannot be loaded ends the chat: `run()` then says why in one line,
        on the restored terminal, as for a corpus that cannot be read at all."""
        self.load_error = message
        self.exit(return_code=EXIT_BAD_INPUT)

    def _say(self, widget: Widget, before: Widget | None = None) -> None:
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(widget, before=before)
        # a new message is read at the end, even if a full answer was scrolled to its top
        conversation.scroll_end(animate=False)

    def _pending(self) -> Widget:
        """A pending indicator, said in the conversation until the reply it awaits replaces
        it (a cleared conversation awaits none)."""
        pending = LoadingIndicator(classes="pending")
        self.awaited.add(pending)
        self._say(pending)
        return pending

    @on(HistoryInput.Submitted, "#query")
    def _submitted(self, event: HistoryInput.Submitted) -> None:
        # (the input was cleared as the enter came: keys typed behind it are the next query)
        field = self.query_one("#query", HistoryInput)
        query = event.value.strip()
        if not query:
            return
        if query.lower() in HELP_WORDS:  # a user typing "help" wants the keys, not an answer
            self.action_help()
            return
        try:
            check_query(query)
        except QueryError as exc:  # said at once, not echoed; the text goes back to fix
            self._say(NoticeMessage(str(exc), error=True))
            field.give_back(event.value)
            return
        field.remember(query)
        self._say(UserMessage(query))
        pending = self._pending()
        if self.retriever is None:  # kept, and answered as soon as the corpus is loaded
            self.waiting.append((query, pending))
            self.query_one("#conversation").loading = False  # (shown, with its own spinner)
            self.notify("Loading the corpus: the answer follows when it is ready.")
            return
        self._ask(query, self.context, pending)

    def _ask_waiting(self) -> None:
        """Ask the first question that waited for the corpus to load; each waits for the
        one before it to be answered, so that a follow-up leans on its topic."""
        if self.waiting:
            query, pending = self.waiting.pop(0)
            self._ask(query, self.context, pending, then=self._ask_waiting)

    @work(thread=True, group="ask")
    def _ask(
        self,
        query: str,
        context: str | None,
        pending: Widget,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Rank off the UI thread; the reply replaces the pending indicator (then `then`)."""
        assert self.retriever is not None
        try:
            answer = ask_listing_shared(self.retriever, query, 1 + RELATED, context)
        except QabotError as exc:
            self.call_from_thread(self._reply, pending, NoticeMessage(str(exc), error=True))
        else:
            self.call_from_thread(self._answered, answer, context, pending)
        if then is not None:
            self.call_from_thread(then)

    def _answered(self, answer: Answer, context: str | None, pending: Widget) -> None:
        if pending not in self.awaited:  # cleared meanwhile: it sets no topic either
            return
        if answer.answered and answer.best is not None:
            # A resolved follow-up keeps the topic it leaned on; a standalone answer sets it.
            self.context = context if answer.resolved_query else answer.query
            band = confidence_band(answer.confidence)
            conf = f"confidence {shown_confidence(answer.confidence)}"
            message: Widget = AnswerMessage(
                answer.best,
                badge=" · ".join(filter(None, [conf, band, match_note(answer.best)])),
                band=band,
                related=answer.results[1 : 1 + RELATED],
                resolved_query=answer.resolved_query,
                documents=self.documents,
            )
        elif not answer.results and is_small_talk(answer.query):
            message = SmallTalkMessage(answer.query)  # the topic stays for the next question
        else:
            threshold = self.retriever.config.threshold if self.retriever else None
            message = AbstainMessage(answer, self.documents, threshold)
        self._reply(pending, message)

    def _reply(self, pending: Widget, message: Widget) -> None:
        if pending not in self.awaited:  # conversation cleared meanwhile
            return
        self.awaited.discard(pending)
        self._say(message, before=pending)
        pending.remove()

    @on(EntrySelected)
    def _entry_selected(self, event: EntrySelected) -> None:
        if self.retriever is None:
            return
        try:
            entry = self.retriever.entry(event.entry_id)
        except KeyError:
            return
        self.context = entry.question  # "how do I fix it?" now refers to this question
        self.query_one("#query").focus()  # the next keys are a follow-up, not list moves
        self._say(UserMessage(f"{label(entry.id)}: {entry.question}"))  # (what was picked)
        self._show_entry(entry, self._pending())

    @work(thread=True, group="ask")
    def _show_entry(self, entry: Entry, pending: Widget) -> None:
        """A picked entry, with the questions its own question would also bring up."""
        assert self.retriever is not None
        try:
            hits = self.retriever.ask(entry.question, k=2 + RELATED).results
        except QabotError:
            hits = []
        related = [h for h in hits if h.question_id != entry.id][:RELATED]
        message = AnswerMessage(
            entry, badge="picked from the list", related=related, documents=self.documents
        )
        self.call_from_thread(self._reply, pending, message)

    def _replies(self) -> list[AnswerMessage | AbstainMessage]:
        """The conversation's replies to questions, oldest first."""
        children = self.query_one("#conversation").children
        return [m for m in children if isinstance(m, AnswerMessage | AbstainMessage)]

    def _last_answer(self, to: str) -> AnswerMessage | None:
        """The latest reply if it is an answer; else None, and a notice that there is no
        answer `to` ("expand", "copy"): none yet, or none to the latest question (an earlier
        answer would be taken for its answer)."""
        replies = self._replies()
        if replies and isinstance(replies[-1], AnswerMessage):
            return replies[-1]
        latest = "The latest question has" if replies else "There is"
        self.notify(f"{latest} no answer to {to} yet.", severity="warning")
        return None

    async def action_toggle_full(self) -> None:
        """Show the whole answer of the latest message (or its passage again)."""
        message = self._last_answer("expand")
        if message is not None:
            await message.action_toggle_full()

    def action_copy_answer(self) -> None:
        """Send the full text of the latest answer, as shown (escapes removed), to the
        terminal's clipboard."""
        message = self._last_answer("copy")
        if message is None:
            return
        if not message.answered:  # (its "(no answer in the document)" is no answer)
            self.notify(NOTHING_TO_COPY, severity="warning", markup=False)
            return
        self.copy_to_clipboard(safe(message.answer))
        self.notify(COPY_NOTICE, markup=False)

    def action_clear(self) -> None:
        """Start a fresh conversation: the topic is forgotten, and so are the questions
        still waiting for the corpus or for their answer (which then land nowhere)."""
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.remove_children()
        self.context = None
        self.waiting.clear()
        self.awaited.clear()
        conversation.loading = self.retriever is None and self.load_error is None
        self.query_one("#query").focus()  # the focused message may have been removed

    def action_toggle_sidebar(self) -> None:
        """Show or hide the list of corpus questions."""
        panel = self.query_one(QuestionPanel)
        panel.display = not panel.display
        self.query_one("#filter" if panel.display else "#query").focus()

    def action_focus_input(self) -> None:
        self.query_one("#query").focus()

    def action_focus_related(self) -> None:
        """Focus the related or closest questions of the latest answer (tab from the input).

        An answer without any leaves the focus in the input: an older answer's list may be
        scrolled out of sight (the conversation stays anchored at its end)."""
        answers = self._replies()
        if answers and (lists := answers[-1].query(QuestionList)):
            lists.first().focus()

    def action_scroll_conversation(self, pages: int) -> None:
        """Scroll the conversation by pages, wherever the focus is."""
        conversation = self.query_one("#conversation", VerticalScroll)
        if pages < 0:
            conversation.scroll_page_up()
        else:
            conversation.scroll_page_down()

    def action_help(self) -> None:
        """Show every key binding."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_rows(), self.asking))

    def help_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every key of the chat, each key once."""
        described = {key for keys, _ in self.EXTRA_KEYS for key in keys.split(" / ")}
        rows = [
            (b.key.replace(",", " / "), b.tooltip or b.description)
            for b in self._own_bindings()
            if not set(b.key.split(",")) <= described
        ]
        return [*rows, *self.EXTRA_KEYS]

    def _own_bindings(self) -> list[Binding]:
        return [b for b in self.BINDINGS if isinstance(b, Binding)]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette offers the chat's actions next to Textual's own."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Clear conversation", "Remove all messages", self.action_clear)
        yield SystemCommand(
            "Toggle question list", "Show or hide all corpus questions", self.action_toggle_sidebar
        )
        yield SystemCommand(  # (a moment after the palette is gone: the grown answer is
            # then laid out on the chat's screen, and shows from its top)
            "Full answer",
            "Expand the latest answer to the whole text",
            lambda: self.set_timer(PALETTE_SETTLE, self.action_toggle_full),
        )
        yield SystemCommand(
            "Copy answer",
            "Send the latest answer to the terminal clipboard (OSC 52)",
            self.action_copy_answer,
        )
        yield SystemCommand(  # ("Keys" is Textual's own command, which opens its key panel)
            "Help", "Show all key bindings of the chat and how to ask", self.action_help
        )


def run(
    corpus: str | Path | None = None,
    index_dir: str | Path | None = None,
    threshold: float | None = None,
) -> int:
    """Open the chat full screen.  A corpus that could not be loaded closes it and is raised
    as a `QabotError` once the terminal is restored, so that its one-line message stays."""
    app = QabotApp(corpus=corpus, index_dir=index_dir, threshold=threshold)
    app.run()
    if app.load_error:
        raise QabotError(app.load_error)
    return app.return_code or 0
