"""Citations that can be checked: the quote must occur verbatim in the paragraph.

``make_citation`` builds a citation from a quote known to be verbatim (the extractive
answerer's sentences). ``check_quote`` vets a quote somebody else wrote (an LLM): verbatim
after whitespace normalisation, else repaired to the paragraph's closest sentence when it
is a near miss, else rejected.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.chunk import split_sentences
from bot.types import Citation, Hit

#: A quote is a near miss of a sentence when at least this share of its characters
#: match the sentence in order (difflib blocks): a changed word or two, not a new claim.
NEAR_MISS = 0.8
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def make_citation(hit: Hit, quote: str) -> Citation:
    """Cite ``hit`` with ``quote``, which must be a verbatim substring of the paragraph."""
    quote = quote.strip()
    if quote not in hit.text:
        raise ValueError(f"quote is not verbatim in {hit.source} ¶{hit.paragraph}: {quote[:60]!r}")
    return Citation(source=hit.source, paragraph=hit.paragraph, text=hit.text, quote=quote, score=hit.score)


def locate(quote: str, text: str) -> str | None:
    """The exact span of ``text`` that equals ``quote`` once runs of whitespace are made
    single spaces, or None."""
    needle = _SPACE.sub(" ", quote.strip())
    if not needle:
        return None
    # Collapse whitespace in text, remembering where each kept character came from.
    kept: list[str] = []
    origin: list[int] = []
    for match in re.finditer(r"\s+|\S", text):
        kept.append(" " if match.group().isspace() else match.group())
        origin.append(match.start())
    flat = "".join(kept)
    at = flat.find(needle)
    if at < 0:
        return None
    last = at + len(needle) - 1
    return text[origin[at]: origin[last] + 1]


def check_quote(hit: Hit, quote: str) -> tuple[Citation | None, str]:
    """Vet a quote for ``hit``: ``(citation, "verbatim" | "repaired" | "dropped")``."""
    exact = locate(quote, hit.text)
    if exact:
        return make_citation(hit, exact), "verbatim"
    sentence = closest_sentence(quote, hit.text)
    if sentence:
        return make_citation(hit, sentence), "repaired"
    return None, "dropped"


def closest_sentence(quote: str, text: str) -> str | None:
    """The sentence of ``text`` that ``quote`` nearly matches (see ``NEAR_MISS``), or None."""
    wanted = _normal(quote)
    if len(wanted) < 8:
        return None
    best, best_share = None, 0.0
    for lo, hi in split_sentences(text):
        sentence = text[lo:hi]
        matcher = SequenceMatcher(None, wanted, _normal(sentence), autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        # Share of the quote found in the sentence, but a short quote cannot claim a long
        # sentence it merely overlaps: the sentence must be mostly covered too.
        share = matched / len(wanted)
        if share > best_share and matched >= 0.5 * len(_normal(sentence)):
            best, best_share = sentence, share
    return best.strip() if best is not None and best_share >= NEAR_MISS else None


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTES).lower()).strip()
