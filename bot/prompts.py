"""Prompt files (``prompts/*.md``) -> chat messages. No prompt text lives in Python.

A file holds a note for people, then ``<!-- role: system -->`` and ``<!-- role: user -->``
sections; each section is one chat message template (``{name}`` variables).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from bot.errors import ConfigError

#: The repository's prompts/ folder (bot is installed editable, as `make install` does).
PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

_ROLE = re.compile(r"^<!--\s*role:\s*(system|user|assistant)\s*-->\s*$", re.MULTILINE)


@lru_cache(maxsize=16)
def load(name: str, folder: Path = PROMPTS_DIR) -> tuple[tuple[str, str], ...]:
    """``(role, template)`` pairs of ``prompts/<name>.md``, in order."""
    path = folder / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"prompt file {path} cannot be read ({exc.strerror}); reinstall bot from its "
            "repository (`make install`), which keeps the prompts/ folder beside the package"
        ) from None
    marks = list(_ROLE.finditer(text))
    if not marks:
        raise ConfigError(f"prompt file {path} has no '<!-- role: system -->' or '<!-- role: user -->' section")
    sections = []
    for mark, following in zip(marks, [*marks[1:], None]):
        body = text[mark.end(): following.start() if following else len(text)].strip()
        sections.append((mark.group(1), body))
    return tuple(sections)
