"""Widgets of the qabot chat: messages, the question panel, the history input and the help screen.

Corpus text is data: it reaches the screen only as plain `Content`/`Text` or as Markdown
source (whose inline text Textual renders literally), never as Rich/Textual markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from qabot.cli import abstention_reason, label, safe, shared_number, shown_path, shown_source
from qabot.layout import MARKDOWN_LIST_ITEM, is_markdown, reflow_markdown
from qabot.models import Answer, Entry, Hit
from qabot.text import fold_accents

# A term is bolded in Markdown only when it is letters/digits (and single spaces): such a
# word cannot open or close any Markdown construct, so `**term**` is the only markup added.
_PLAIN_TERM = re.compile(r"[^\W_]+(?: [^\W_]+)*")
HIGHLIGHT_STYLE = "bold reverse"


def term_pattern(terms: Iterable[str], border: str = r"\w") -> re.Pattern[str] | None:
    """A pattern finding the plain terms as whole words (longest first), none if no term is
    plain; `border` is the character class a match may not touch on either side."""
    words = sorted({t for t in terms if _PLAIN_TERM.fullmatch(t)}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(" ".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<![{border}])({alternatives})(?![{border}])", re.IGNORECASE)


# what Markdown shows as written, where `**` would show too: fenced and indented code, code
# spans, link targets and URLs
_AS_WRITTEN = re.compile(
    r"^(?P<fence>```|~~~)[^\n]*\n(?:.*?\n)??(?:(?P=fence)[^\n]*$|\Z)"  # a fenced block
    r"|^(?: {4}|\t)(?![ \t]*(?:[-*+]|\d{1,3}[.)])\s)[^\n]*$"  # an indented code line
    r"|(?P<ticks>`+).*?(?P=ticks)"  # a code span
    r"|\]\([^)\n]*\)|<[a-zA-Z][\w+.-]*:[^>\s]*>"  # a link's target, an autolink
    r"|\b(?:[a-zA-Z][\w+.-]*://|www\.)[^\s<>()\[\]]*",  # a bare URL
    re.MULTILINE | re.DOTALL,
)


def emphasize(markdown: str, terms: Iterable[str]) -> str:
    """Markdown source with the plain matched terms wrapped in `**`; code, link targets and
    URLs, which Markdown shows as written, are left alone."""
    pattern = term_pattern(terms, border=r"\w*")
    if pattern is None:
        return markdown
    out, start = [], 0
    for kept in _AS_WRITTEN.finditer(markdown):
        out.append(pattern.sub(r"**\1**", markdown[start : kept.start()]))
        out.append(kept.group())
        start = kept.end()
    out.append(pattern.sub(r"**\1**", markdown[start:]))
    return "".join(out)


def keep_line_breaks(markdown: str) -> str:
    """Markdown source whose line breaks show as written: Markdown joins a line to the one
    before it ("... value.\nWhen the ..." would read as one paragraph, and a line after a
    list item as part of that item), so such lines get a hard break (two trailing spaces)."""
    lines = markdown.split("\n")
    for i in range(len(lines) - 1):
        here, after = lines[i], lines[i + 1]
        if here.strip() and after.strip() and not MARKDOWN_LIST_ITEM.match(after):
            lines[i] = here.rstrip() + "  "
    return "\n".join(lines)


def plain(text: str, terms: Sequence[str] = ()) -> Text:
    """Corpus text as a plain Rich Text (never parsed as markup, lines and list markers as
    written), with the terms highlighted as whole words."""
    result = Text(safe(text))
    pattern = term_pattern(terms)
    if pattern is not None:
        result.highlight_regex(pattern, HIGHLIGHT_STYLE)
    return result


ELLIPSIS = "…"


def middle_ellipsis(text: str, width: int) -> str:
    """`text` cut in its middle to fit `width` cells, so that both its start and its end (a
    file's name and suffix) stay: "deep-learning-i…w-questions.txt" in 31 cells."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    tail_room = width // 2  # (the end gets an odd cell: it holds the suffix)
    head_room = width - 1 - tail_room
    head = tail = ""
    for char in text:
        if cell_len(head + char) > head_room:
            break
        head += char
    for char in reversed(text):
        if cell_len(char + tail) > tail_room:
            break
        tail = char + tail
    return head + ELLIPSIS + tail


class OneLine:
    """A name drawn on one line, cut in its middle to the width it gets (a long document
    name in the narrow side panel would otherwise break mid-word onto a second line)."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __str__(self) -> str:
        return self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown = middle_ellipsis(self.text, options.max_width)
        yield Text(shown, self.style, no_wrap=True, overflow="crop")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, min(cell_len(self.text), options.max_width))


class SourceLine(Visual):
    """The line under an answer, `file:52-60  ·  confidence 0.99 · high  ·  ...`, broken only
    between its parts; the source is one part that never breaks, its path cut in its middle
    to fit the width (the line range stays whole: "file:5" would cite another line)."""

    def __init__(self, path: str, lines: str, parts: Sequence[tuple[str, str]] = ()) -> None:
        self.path = path
        self.lines = lines
        self.parts = list(parts)  # (the separator before it, a part)

    @property
    def plain(self) -> str:
        """The whole line, as it reads unbroken."""
        return f"{self.path}:{self.lines}" + "".join(sep + part for sep, part in self.parts)

    def laid_out(self, width: int) -> Content:
        """The line broken to fit `width` cells: between its parts, the path cut to fit."""
        where = f":{self.lines}"
        rows = [middle_ellipsis(self.path, max(1, width - cell_len(where))) + where]
        for sep, part in self.parts:
            if cell_len(rows[-1] + sep + part) <= width:
                rows[-1] += sep + part
            else:  # (the separator is the break)
                rows.append(part)
        return Content("\n".join(rows))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.laid_out(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return cell_len(self.plain)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.laid_out(width).get_height(rules, width)


# The CLI's notes on a question its document leaves unanswered: in suggestions, in `qabot list`
UNANSWERED_NOTE = "(unanswered in its document)"
UNANSWERED_LISTED = "(unanswered)"
NO_ANSWER = "(no answer in the document)"  # shown for a picked unanswered question

# (entry id, question, its document's name or None, answered): one row of a QuestionList
QuestionRow = tuple[str, str, str | None, bool]


def question_rows(hits: Iterable[Hit], documents: Mapping[str, str]) -> list[QuestionRow]:
    """The rows of a list of hits, each naming its document when the corpus has several."""
    return [
        (h.question_id, h.question, documents.get(h.source.path), bool(h.answer.strip()))
        for h in hits
    ]


class EntrySelected(Message):
    """The user picked a question (related, suggestion or the side panel)."""

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id


class QuestionList(OptionList):
    """Selectable questions, labelled like "Q4  Why should we use ...?" (followed by a dim
    "(drinks.csv)" when a document is named, and a dim note when it is unanswered); posts
    EntrySelected."""

    def __init__(
        self,
        questions: Iterable[QuestionRow] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(*self.make_options(questions), id=id, classes=classes)

    @staticmethod
    def make_options(
        questions: Iterable[QuestionRow], unanswered: str = UNANSWERED_NOTE
    ) -> list[Option]:
        """One option per row, the question (and document) as plain text, an unanswered
        question followed by the note `unanswered`."""
        return [
            Option(
                Text.assemble(
                    (f"{label(i)}  ", "bold"),
                    safe(q),
                    (f"  ({safe(document)})", "dim") if document else "",
                    ("" if answered else (f"  {unanswered}", "dim")),
                ),
                id=i,
            )
            for i, q, document, answered in questions
        ]

    async def _on_key(self, event: events.Key) -> None:
        """A letter typed in the list is typed where letters go (`typing_target`), unless a
        key binding takes it ("f": the full answer)."""
        if not (event.is_printable and event.character) or event.key in self.app.active_bindings:
            return
        target = self.typing_target()
        if target is not None:
            event.stop()
            event.prevent_default()
            target.focus()  # (typed after its focus selects all: at the end, not over it)
            target.call_after_refresh(_type_at_end, target, event.character)

    def typing_target(self) -> Input | None:
        """Where letters typed in this list go: the side panel's filter, or the query input."""
        for ancestor in self.ancestors:
            if isinstance(ancestor, QuestionPanel):
                return ancestor.query_one("#filter", Input)
        found = self.screen.query(HistoryInput)
        return found.first() if found else None

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntrySelected(event.option.id))


def _type_at_end(field: Input, text: str) -> None:
    field.cursor_position = len(field.value)
    field.insert_text_at_cursor(text)


class RelatedList(QuestionList):
    """The few related (or closest) questions under an answer: pageup / pagedown scroll the
    conversation, as anywhere else, rather than this short list; tab and shift+tab go back
    to the input.  Only the latest answer's list takes the focus: an older one is scrolled
    out of sight (a click still picks from it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "app.scroll_conversation(-1)", "Scroll up", show=False),
        Binding("pagedown", "app.scroll_conversation(1)", "Scroll down", show=False),
        Binding("tab,shift+tab", "app.focus_input", "Back to input", show=False),
    ]

    def allow_focus(self) -> bool:
        """Whether this list is the latest reply's (only that one is in the focus chain)."""
        message = self.parent
        if not super().allow_focus() or message is None or message.parent is None:
            return False
        replies = [m for m in message.parent.children if isinstance(m, Reply)]
        return bool(replies) and replies[-1] is message


class UserMessage(Static):
    """The user's query, shown as a chat bubble."""

    def __init__(self, query: str) -> None:
        super().__init__(Content(safe(query)))


class NoticeMessage(Static):
    """A one-line note in the conversation: an error or a status."""

    def __init__(self, text: str, *, error: bool = False) -> None:
        super().__init__(Content(text), classes="error" if error else "")


# The kinds of small talk (qabot.query.is_small_talk) that get their own reply
_THANKS = frozenset(
    "thanks thank thx ty cheers appreciate appreciated helps helped helpful".split()
)
_FAREWELLS = frozenset("bye goodbye cya night".split())
_GREETINGS = frozenset("hi hello hey morning afternoon evening day".split())
LIST_HINT = "press ctrl+b for the list of questions"


def small_talk_reply(text: str) -> str:
    """A one-line reply to a turn that only thanks, greets or acknowledges."""
    words = set(re.findall(r"[a-z']+", text.lower()))
    if words & _THANKS:
        return f"You're welcome — ask another question, or {LIST_HINT}."
    if words & _FAREWELLS:
        return "Goodbye — press ctrl+q to quit, or ask another question."
    if words & _GREETINGS:
        return f"Hello! Ask a question about this corpus, or {LIST_HINT}."
    return f"Ask another question whenever you like, or {LIST_HINT}."


class SmallTalkMessage(Static):
    """qabot's reply to thanks or a greeting: a friendly line, not a failed search."""

    def __init__(self, text: str) -> None:
        super().__init__(Content(small_talk_reply(text)), classes="answer small-talk")


class AnswerMessage(Vertical):
    """One answer: source question, passage (Markdown from a Markdown file, else plain text),
    confidence and related questions."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f", "toggle_full", "Full answer")]

    def __init__(
        self,
        hit: Hit | Entry,
        *,
        badge: str,
        band: str = "picked",
        related: Sequence[Hit] = (),
        resolved_query: str | None = None,
        documents: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(classes="answer")
        if isinstance(hit, Hit):
            self.entry_id, self.question = hit.question_id, hit.question
            self.passage, self.answer = hit.passage, hit.answer
            self.terms = list(hit.matched_terms)
        else:
            self.entry_id, self.question = hit.id, hit.question
            self.passage = self.answer = hit.answer
            self.terms = []
        self.answered = bool(self.answer.strip())  # (False: its document leaves it unanswered)
        if not self.answered:
            self.passage = self.answer = NO_ANSWER
        self.source = shown_source(hit.source)
        self.where = shown_path(hit.source.path), hit.source.lines  # (the source, in parts)
        self.is_markdown = is_markdown(hit.source.path)
        self.badge, self.band = badge, band
        self.related = list(related)
        self.resolved_query = resolved_query
        self.documents = documents or {}  # see Retriever.document_names
        self.document = self.documents.get(hit.source.path)  # None in a one-document corpus
        # a passage that is the whole answer (its lines joined, maybe) has nothing more to show
        self.whole = self.passage.split() == self.answer.split()
        self.full = self.whole

    def compose(self) -> ComposeResult:
        heading = Text.assemble((f"{label(self.entry_id)}  ", "bold"), plain(self.question))
        if self.document:  # as the related questions name theirs
            heading.append(f"  ({safe(self.document)})", "dim")
        yield Static(heading, classes="question")
        if self.resolved_query:
            yield Static(Content(f"read as: {safe(self.resolved_query)}"), classes="resolved")
        if self.is_markdown:
            yield Markdown(self._markdown(), classes="passage")
        else:  # shown as written: Markdown would make "- a" a bullet and "1." a list
            yield Static(self._plain(), classes="passage")
        yield Static(self._meta(), classes=f"badge band-{self.band}")
        if self.related:
            yield Static(Content("Related questions"), classes="related-title")
            yield RelatedList(question_rows(self.related, self.documents), classes="related")

    def _shown(self) -> str:
        return self.answer if self.full else self.passage

    def _markdown(self) -> str:
        """The shown text as Markdown: hand-wrapped lines joined, the other breaks kept."""
        return emphasize(keep_line_breaks(reflow_markdown(safe(self._shown()))), self.terms)

    def _plain(self) -> Text:
        return plain(self._shown(), self.terms)

    async def action_toggle_full(self) -> None:
        """Switch between the best passage and the whole answer (none when they are one)."""
        if self.whole:
            self.notify("This is the whole answer.")
            return
        self.full = not self.full
        if self.is_markdown:  # (its blocks are mounted once this is awaited)
            await self.query_one(".passage", Markdown).update(self._markdown())
        else:
            self.query_one(".passage", Static).update(self._plain())
        self.query_one(".badge", Static).update(self._meta())
        if self.full:
            self.call_after_refresh(self._show_from_top)

    def _show_from_top(self) -> None:
        """Bring the whole answer in sight, read from its top rather than where it ends.

        A conversation that fits on the screen stays anchored: the anchor keeps it at the
        bottom through a negative scroll offset, and releasing it there would leave that
        offset in place, the grown answer hanging below the screen's edge."""
        conversation = self.parent
        if not isinstance(conversation, Widget):
            return
        if conversation.max_scroll_y == 0:  # anchored again (pageup released it)...
            conversation.scroll_end(animate=False)
            conversation.refresh(layout=True)  # ...which places it at the next layout
            return
        conversation.release_anchor()  # (the conversation stays at its end otherwise)
        self.scroll_visible(top=True, animate=False)

    def _meta(self) -> SourceLine:
        """The line under the answer: where it comes from, the badge, the full-answer key."""
        path, lines = self.where
        parts = [("  ·  " if i == 0 else " · ", p) for i, p in enumerate(self.badge.split(" · "))]
        if not self.full:
            parts.append(("  ·  ", "f / ctrl+o: full answer"))
        return SourceLine(safe(path), lines, parts)


class AbstainMessage(Vertical):
    """qabot has no answer: says so and offers the closest questions."""

    def __init__(
        self,
        answer: Answer,
        documents: Mapping[str, str] | None = None,
        threshold: float | None = None,
    ) -> None:
        super().__init__(classes="answer abstain")
        self.answer = answer
        self.documents = documents or {}  # see Retriever.document_names
        self.threshold = threshold  # the abstention threshold, named when the answer fell below

    def compose(self) -> ComposeResult:
        a = self.answer  # (no band: "high" beside "no answer" reads as a contradiction)
        shared = shared_number(a)
        if shared is not None:  # "Q1" in a folder: each document's Q1, to pick from
            text = f"Several documents have a Q{shared}: pick one."
            yield Static(Content(text), classes="question")
            yield RelatedList(question_rows(a.results, self.documents), classes="related")
            return
        why = abstention_reason(a, self.threshold)
        text = f'No answer in this corpus for "{safe(a.query)}" ({why}).'
        yield Static(Content(text), classes="question")
        if a.resolved_query:
            yield Static(Content(f"read as: {safe(a.resolved_query)}"), classes="resolved")
        closest = a.results[:3]
        if not closest:
            hint = "No question shares its words: try other words, or ctrl+b for the list."
            yield Static(Content(hint), classes="hint")
            return
        yield Static(Content("Closest questions"), classes="related-title")
        yield RelatedList(question_rows(closest, self.documents), classes="related")


Reply = AnswerMessage | AbstainMessage  # a message answering a turn, maybe with a list

NO_MATCH = "No question matches"  # the side panel's filter left no question


class QuestionPanel(Vertical):
    """The side panel: every corpus question, filtered as you type, under a heading naming
    its document when the corpus has several."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_list", "To the list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="sidebar")
        self.entries: list[Entry] = []
        self.documents: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter questions", id="filter")
        yield Static(Content(NO_MATCH), id="no-match", classes="hint")
        yield QuestionList(id="questions")

    def set_entries(self, entries: Sequence[Entry], documents: Mapping[str, str]) -> None:
        """Fill the list with the corpus questions (`documents`: Retriever.document_names)."""
        self.entries = list(entries)
        self.documents = dict(documents)
        self._refresh(self.query_one("#filter", Input).value)

    def _refresh(self, text: str) -> None:
        """Show the questions holding every typed word (in their label, text or document)."""
        words = fold_accents(text.casefold()).split()  # ("zur" finds "Zürich")
        options: list[Option] = []
        document = None
        for e in self.entries:
            name = self.documents.get(e.source.path, "")
            shown = fold_accents(f"{label(e.id)} {e.question} {name}".casefold())
            if not all(w in shown for w in words):
                continue
            if name and e.source.path != document:  # a heading, which cannot be picked
                document = e.source.path
                options.append(Option(OneLine(safe(name), "bold"), disabled=True))
            row = (e.id, e.question, None, e.answered)
            options.extend(QuestionList.make_options([row], unanswered=UNANSWERED_LISTED))
        questions = self.query_one("#questions", OptionList)
        questions.clear_options()
        questions.add_options(options)
        questions.action_first()  # the first question, not a heading
        # (an empty list says why; not while the corpus is still loading)
        self.query_one("#no-match").display = bool(self.entries) and not options

    def action_focus_list(self) -> None:
        """Down in the filter moves to the list (the list handles its own Down)."""
        self.query_one("#questions", OptionList).focus()

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh(event.value)

    @on(Input.Submitted, "#filter")
    def _submit_filter(self, event: Input.Submitted) -> None:
        """Enter in the filter picks the first (highlighted) question."""
        event.stop()
        questions = self.query_one("#questions", OptionList)
        if questions.highlighted is not None:
            option = questions.get_option_at_index(questions.highlighted)
            if option.id:
                self.post_message(EntrySelected(option.id))


class HistoryInput(Input):
    """The query input, with Up/Down recalling earlier queries."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous query", show=False),
        Binding("down", "history(1)", "Next query", show=False),
        Binding("tab,shift+tab", "app.focus_related", "Related questions", show=False),
    ]

    def __init__(self, placeholder: str = "", *, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.history: list[str] = []
        self._position = 0
        self._draft = ""  # what was typed before walking into the history

    async def _on_key(self, event: events.Key) -> None:
        # Runs before Input's own key handler; preventing the default skips it.
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")
        elif event.key == "enter":
            # Submitted here, in turn with the keys: Input's enter binding runs once the key
            # has bubbled up to the app, when keys sent right behind it (fast, or pasted
            # without bracketed paste) have already landed in the input.
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        """Submit the text typed so far and clear the input at once: the keys that follow
        start the next query (see `give_back` for a query that cannot be asked)."""
        value = self.value
        self.clear()
        validation = self.validate(value) if "submitted" in self.validate_on else None
        self.post_message(self.Submitted(self, value, validation))

    def give_back(self, query: str) -> None:
        """Put a submitted query back to fix, unless the next one is being typed already."""
        if not self.value:
            self.value = query
            self.cursor_position = len(query)

    def _on_paste(self, event: events.Paste) -> None:
        """Pasted lines join into one query (Input keeps only the first line), and tabs
        and runs of spaces read as one space, as they do when the query is asked."""
        event.prevent_default()  # (Input's own paste handler would run too)
        super()._on_paste(events.Paste(" ".join(event.text.split())))
        event.stop()

    def remember(self, query: str) -> None:
        """Add a submitted query to the history (consecutive repeats kept once)."""
        if not self.history or self.history[-1] != query:
            self.history.append(query)
        self._position = len(self.history)

    def action_history(self, step: int) -> None:
        """Move through the history; past the newest entry the half-typed draft is back."""
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        self._position = max(0, min(len(self.history), self._position + step))
        at_draft = self._position == len(self.history)
        self.value = self._draft if at_draft else self.history[self._position]
        self.cursor_position = len(self.value)


# How to ask: the bundled corpus's own examples, else examples from the corpus (asking_hint)
ASKING_HINT = (
    'Ask in your own words ("why batch norm"), follow up ("how do I fix it?"),\n'
    'or name a question by its number ("Q4").'
)
NEUTRAL_HINT = (
    'Ask in your own words, follow up on an answer ("how does that work?"),\n'
    "or name a question by its number as the question list shows it (ctrl+b)."
)
EXAMPLE_CHARS = 60  # of a corpus question quoted as an example


def asking_hint(example: Entry, several: bool = False) -> str:
    """How to ask, with a question of the corpus as the example; in a corpus of `several`
    documents a question is named by its id ("Q1" would be several documents' first)."""
    question = safe(example.question)
    if len(question) > EXAMPLE_CHARS:
        question = question[:EXAMPLE_CHARS].rstrip() + ELLIPSIS
    named = f'its id ("{safe(example.id)}")' if several else f'its number ("{label(example.id)}")'
    return (
        f'Ask in your own words (like "{question}"),\n'
        'follow up on an answer ("how does that work?"),\n'
        f"or name a question by {named}."
    )


class HelpScreen(ModalScreen[None]):
    """Every key binding of the chat, in one table."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "Close help")]

    def __init__(self, rows: Sequence[tuple[str, str]], asking: str = ASKING_HINT) -> None:
        super().__init__()
        self.rows = rows
        self.asking = asking  # how to ask, with examples that suit the corpus

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))  # descriptions wrap under themselves when narrow
        keys.add_column(no_wrap=True)
        keys.add_column()
        for key, what in self.rows:
            keys.add_row(Text(key), Text(what))
        with VerticalScroll(id="help"):  # (focused: up, down, pageup... scroll a long help)
            yield Static(Content("qabot chat: keys"), classes="help-title")
            yield Static(keys, id="help-keys")
            yield Static(Content(self.asking), id="help-asking", classes="hint")
            yield Static(Content("escape closes this help"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help").focus()
