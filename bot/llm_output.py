"""What an LLM replied -> a ``Reply`` (found, quoted evidence, answer text), and the
answer's ``[n]`` markers rewritten to the checked citations, also while streaming.

Two formats, both evidence first so that citations can be checked before the answer
text streams out:

* JSON (``prompts/answer.md``, sent as a JSON-schema ``response_format``)::

    {"found": true, "citations": [{"passage": 2, "quote": "..."}], "answer": "... [2]."}

* plain text (``prompts/answer_text.md``) for servers without structured output::

    QUOTES:
    [2] "..."
    ANSWER:
    ... [2].

  or the line ``NOT IN THE DOCUMENTS``.

A reply in neither format parses as ``None``: the caller falls back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from langchain_core.utils.json import parse_partial_json

#: The JSON schema sent as ``response_format`` (the keys in the order they must come).
SCHEMA: dict[str, object] = {
    "name": "cited_answer",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {
            "found": {"type": "boolean"},
            "citations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"passage": {"type": "integer"}, "quote": {"type": "string"}},
                    "required": ["passage", "quote"],
                    "additionalProperties": False,
                },
            },
            "answer": {"type": "string"},
        },
        "required": ["found", "citations", "answer"],
        "additionalProperties": False,
    },
}

_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")
_QUOTE_LINE = re.compile(r"^\s*[-*]?\s*\[(\d+)\]\s*[:\-–]?\s*[\"“](.*)[\"”]\s*$")
_ANSWER_LABEL = re.compile(r"^\s*\**ANSWER\**\s*:\s*", re.IGNORECASE | re.MULTILINE)
_NOT_FOUND = re.compile(r"^\W*NOT IN THE DOCUMENTS\W*$", re.IGNORECASE)


@dataclass
class Reply:
    """A parsed reply. ``evidence_complete`` is False while a streamed reply has not
    finished listing its citations; ``answer`` may still grow while streaming."""

    found: bool
    citations: list[tuple[int, str]] = field(default_factory=list)
    answer: str = ""
    evidence_complete: bool = True


def parse(text: str) -> Reply | None:
    """A complete reply in either format, or None when it is in neither."""
    return _parse_json(text, partial=False) or _parse_text(text, partial=False)


def parse_partial(text: str) -> Reply | None:
    """What a reply streamed so far says, or None when that cannot be told yet."""
    return _parse_json(text, partial=True) or _parse_text(text, partial=True)


def _parse_json(text: str, partial: bool) -> Reply | None:
    body = _FENCE.sub("", text.strip()) if not partial else re.sub(r"^\s*```(?:json)?\s*", "", text)
    if not body.lstrip().startswith("{"):
        start = body.find("{")
        if start < 0 or partial:
            return None
        body = body[start: body.rfind("}") + 1]
    try:
        data = parse_partial_json(body) if partial else json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    keys = list(data)
    raw_citations = data.get("citations")
    citations: list[tuple[int, str]] = []
    if isinstance(raw_citations, list):
        for item in raw_citations:
            if isinstance(item, dict) and isinstance(item.get("quote"), str):
                try:
                    citations.append((int(item.get("passage")), item["quote"]))  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    continue  # a citation without a usable number is dropped
    answer = data.get("answer")
    found = data.get("found")
    if not partial and (not isinstance(answer, str) or not isinstance(found, bool)):
        return None
    # Evidence is complete once a key after "citations" has begun (the schema orders them).
    complete = not partial or (
        isinstance(found, bool) and "citations" in keys and keys.index("citations") < len(keys) - 1)
    return Reply(found is not False, citations, answer if isinstance(answer, str) else "", complete)


def _parse_text(text: str, partial: bool) -> Reply | None:
    if _NOT_FOUND.match(text.strip()):
        return Reply(False)
    label = _ANSWER_LABEL.search(text)
    if label is None:
        return None
    citations = []
    for line in text[: label.start()].splitlines():
        match = _QUOTE_LINE.match(line)
        if match:
            citations.append((int(match.group(1)), match.group(2)))
    return Reply(True, citations, text[label.end():])


_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
#: A marker still being written at the end of a streamed text ("... forum [1").
_OPEN_MARKER = re.compile(r"\s*\[[\d\s,;]*$")


class MarkerRewriter:
    """Rewrites ``[n]`` (passage numbers) to ``[k]`` (1-based positions in ``citations``,
    in order of first use) and drops markers of passages with no checked citation.

    Fed the growing answer text, it returns the new safe part each time; whitespace and
    a half-written marker at the end are held back until more text shows what they are.
    The text it gives out in pieces is exactly ``output`` at the end.
    """

    def __init__(self, valid: set[int]) -> None:
        self.valid = valid
        self.order: list[int] = []
        self.output = ""
        self._pos = 0

    def feed(self, text: str) -> str:
        text = text.lstrip()
        end = len(text)
        open_marker = _OPEN_MARKER.search(text)
        if open_marker:
            end = open_marker.start()
        end = len(text[:end].rstrip())
        return self._emit(text, end)

    def finish(self, text: str) -> str:
        """The rest of the final text, plus markers for all citations when the text used none."""
        text = text.lstrip()
        delta = self._emit(text, len(text.rstrip()))
        if not self.order and self.valid:
            tail = " " + " ".join(f"[{self._number(n)}]" for n in sorted(self.valid))
            self.output += tail
            delta += tail
        return delta

    def _emit(self, text: str, end: int) -> str:
        if end <= self._pos:
            return ""
        delta = _MARKER.sub(self._replace, text[self._pos: end])
        self._pos = end
        self.output += delta
        return delta

    def _replace(self, match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1))]
        kept = [self._number(n) for n in numbers if n in self.valid]
        return " " + " ".join(f"[{k}]" for k in dict.fromkeys(kept)) if kept else ""

    def _number(self, passage: int) -> int:
        if passage not in self.order:
            self.order.append(passage)
        return self.order.index(passage) + 1
