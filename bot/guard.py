"""Instructions hidden in a question are not questions: strip them before answering.

The offline answerer only ever quotes the documents, so an injected instruction cannot
make it say anything else; stripping it keeps it from steering retrieval too (and from
tripping the unknown-name check with "say the forum is in Paris").
"""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"^\s*(please\s+)?(ignore|disregard|forget|override|bypass)\b"
    r"|\b(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+)+"
    r"(instructions?|rules|prompts?|guidelines|context|documents?)"
    r"|\byou\s+are\s+now\b|\bact\s+as\b|\bpretend\b|\bsystem\s+prompt\b|\bjailbreak\b"
    r"|\b(from\s+now\s+on|new\s+instructions?)\b"
    r"|^\s*(just\s+)?(say|answer|reply|respond|print|output|write)\s+(that|with|only|the\s+word|\")",
    re.IGNORECASE,
)
#: Sentence ends: end punctuation followed by a space ("Node.js" and "3.5" stay whole), or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def strip_injection(question: str) -> tuple[str, bool]:
    """The question without sentences that try to instruct the bot, and whether any did.
    A question with no such sentence comes back unchanged."""
    sentences = [s.strip() for s in _SENTENCE_END.split(question) if s.strip()]
    kept = [s for s in sentences if not _INJECTION.search(s)]
    if len(kept) == len(sentences):
        return question.strip(), False
    return " ".join(kept).strip(), True
