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
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def strip_injection(question: str) -> tuple[str, bool]:
    """The question without sentences that try to instruct the bot, and whether any did."""
    sentences = [s.strip() for s in _SENTENCE.findall(question) if s.strip()]
    kept = [s for s in sentences if not _INJECTION.search(s)]
    return " ".join(kept).strip(), len(kept) != len(sentences)
