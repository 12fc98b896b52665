"""Thumbs up/down on answers, kept as JSON lines: the raw material for new gold items.

Each line of ``<data dir>/feedback.jsonl`` is one rating::

    {"time": "2026-11-23T18:30:00+00:00", "rating": "up", "question": "...",
     "history": [...], "answer": "...", "answered": true, "citations": [...], "mode": "extractive"}
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

Rating = Literal["up", "down"]


class FeedbackLog:
    """Appends ratings to one JSON-lines file; safe to call from many threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def add(self, rating: Rating, question: str, answer: dict[str, Any],
            history: Sequence[dict[str, str]] = ()) -> dict[str, Any]:
        """Record one rating of ``answer`` (``Answer.to_dict()`` form) and return the record."""
        record = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "rating": rating,
            "question": question,
            "history": list(history),
            "answer": answer.get("answer", ""),
            "answered": answer.get("answered"),
            "citations": list(answer.get("citations", [])),
            "mode": answer.get("mode"),
        }
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return record

    def read(self) -> list[dict[str, Any]]:
        """Every rating so far, oldest first."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
