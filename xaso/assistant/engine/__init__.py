"""The assistant's core, free of Django: plain Python over a list of procedure records.

``Engine.build(records)`` indexes the catalog once; ``Engine.ask(text)`` reads a question
(``query.analyse``), ranks procedures (``retrieve``), and decides whether to answer, ask one
clarifying question, or say plainly that it does not know (``engine``). Composing the
answer's sentences from catalog fields happens in ``xaso.assistant.compose``.
"""

from xaso.assistant.engine.engine import Candidate, Decision, Engine, Outcome
from xaso.assistant.engine.records import ChannelFact, DocumentFact, LegalFact, ProcRecord

__all__ = [
    "Candidate",
    "ChannelFact",
    "Decision",
    "DocumentFact",
    "Engine",
    "LegalFact",
    "Outcome",
    "ProcRecord",
]
