"""qabot: LLM-free question answering over Q&A documents.

Public API (imported lazily so that `qabot --help` stays fast)::

    from qabot import Retriever
    answer = Retriever.from_path("corpus").ask("why batch norm", k=5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "CorpusError",
    "EmptyCorpusError",
    "Entry",
    "Hit",
    "QabotError",
    "QueryError",
    "RankConfig",
    "Retriever",
    "Source",
    "load_corpus",
]

_LOCATIONS = {
    "Answer": "qabot.models",
    "Entry": "qabot.models",
    "Hit": "qabot.models",
    "Source": "qabot.models",
    "CorpusError": "qabot.errors",
    "EmptyCorpusError": "qabot.errors",
    "QabotError": "qabot.errors",
    "QueryError": "qabot.errors",
    "RankConfig": "qabot.rank",
    "Retriever": "qabot.retriever",
    "load_corpus": "qabot.parse",
}

if TYPE_CHECKING:
    from qabot.errors import CorpusError, EmptyCorpusError, QabotError, QueryError
    from qabot.models import Answer, Entry, Hit, Source
    from qabot.parse import load_corpus
    from qabot.rank import RankConfig
    from qabot.retriever import Retriever


def __getattr__(name: str) -> object:
    if name in _LOCATIONS:
        import importlib

        return getattr(importlib.import_module(_LOCATIONS[name]), name)
    raise AttributeError(f"module 'qabot' has no attribute {name!r}")
