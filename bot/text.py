"""Words for lexical matching: tokenising, stop words, a light stemmer, typo repair."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves tell please say said says give gave know let us thing
things ok okay hey hi hello yes yeah does did s t don doesn didn isn wasn aren weren also whats
""".split())
#: Question words that carry no content but hint at the expected answer type.
QUESTION_WORDS = frozenset(["what", "which", "who", "whom", "whose", "when", "where", "why", "how"])


def fold(text: str) -> str:
    """Lower-case, straighten quotes and strip accents, keeping the length unchanged."""
    text = text.translate(_FOLD).lower()
    if text.isascii():
        return text
    return "".join(unicodedata.normalize("NFKD", ch)[0] if ch.isalpha() else ch for ch in text)


def stem(word: str) -> str:
    """A deliberately light suffix stripper: plurals and common verb endings, so that
    "takes", "taking" and "take" (or "planned" and "plan") meet."""
    if len(word) <= 3 or word.isdigit():
        return word
    base = word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ness", ""), ("ing", ""), ("ed", ""),
                         ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "zes", "sses")):
                base = word[:-1]
                break
            base = word[: len(word) - len(suffix)] + keep
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # planned -> plan
            break
    if len(base) > 3 and base.endswith("e"):
        base = base[:-1]  # take / taking / takes -> tak
    return base


def words(text: str) -> list[str]:
    """Folded words, numbers kept whole (``1,200``, ``3.5``)."""
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """Content terms: stemmed words minus stop words."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and w not in QUESTION_WORDS]


def _deletes(word: str) -> Iterable[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Speller:
    """Maps an unknown word to known words one edit away (delete-neighbourhood index)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = set(vocabulary)
        self._index: dict[str, set[str]] | None = None

    def _build(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for word in self.vocabulary:
            if len(word) < 4 or word.isdigit():
                continue
            index.setdefault(word, set()).add(word)
            for d in _deletes(word):
                index.setdefault(d, set()).add(word)
        return index

    def suggest(self, word: str) -> list[str]:
        """Known words within one insertion, deletion, substitution or transposition."""
        if word in self.vocabulary or len(word) < 4 or word.isdigit():
            return []
        if self._index is None:
            self._index = self._build()
        found: set[str] = set(self._index.get(word, ()))
        for d in _deletes(word):
            found |= self._index.get(d, set())
            if d in self.vocabulary:
                found.add(d)
        return sorted(found)


_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def is_fragment(text: str) -> bool:
    """A heading, byline or salutation rather than a sentence: no end punctuation or
    under four words. Such text rarely answers a question, whatever it mentions."""
    return not _TERMINAL.search(text) or len(text.split()) < 4


_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                 r"hundred|thousand|million|billion|dozen|first|second|third|fourth|fifth|twentieth")
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_HAS_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.IGNORECASE)
_HAS_TIME = re.compile(
    rf"\d|\b({_MONTHS}|year|years|month|months|week|weeks|day|days|today|tomorrow|yesterday|ago|"
    r"morning|afternoon|evening|night|century|decade|annual|anniversary|since|until|next|last|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_ASKS_NUMBER = re.compile(r"\bhow (many|much|long|old|often|far)\b|\bwhat (number|percentage|share|amount)\b",
                          re.IGNORECASE)
_ASKS_TIME = re.compile(r"\bwhen\b|\bwhat (year|date|day|month|time)\b|\bwhich (year|date|day|month)\b",
                        re.IGNORECASE)


def answer_type(question: str) -> str | None:
    """"number" or "time" when the question asks for one, else None."""
    if _ASKS_NUMBER.search(question):
        return "number"
    if _ASKS_TIME.search(question):
        return "time"
    return None


def fits_type(text: str, kind: str | None) -> bool:
    """Whether a sentence can answer a question of that answer type at all."""
    if kind == "number":
        return bool(_HAS_NUMBER.search(text))
    if kind == "time":
        return bool(_HAS_TIME.search(text))
    return True
