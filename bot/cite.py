"""Citations that can be checked: the quote must occur verbatim in the paragraph."""

from __future__ import annotations

from bot.types import Citation, Hit


def make_citation(hit: Hit, quote: str) -> Citation:
    """Cite ``hit`` with ``quote``, which must be a verbatim substring of the paragraph."""
    quote = quote.strip()
    if quote not in hit.text:
        raise ValueError(f"quote is not verbatim in {hit.source} ¶{hit.paragraph}: {quote[:60]!r}")
    return Citation(source=hit.source, paragraph=hit.paragraph, text=hit.text, quote=quote, score=hit.score)
