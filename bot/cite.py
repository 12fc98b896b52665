"""Citations that can be checked: the quote must occur verbatim in the paragraph.

``focus_window`` cuts a long sentence to the clauses that answer, and ``shown`` is how a
quote reads in an answer's text (the citation keeps it verbatim).

``make_citation`` builds a citation from a quote known to be verbatim (the extractive
answerer's sentences). ``check_quote`` vets a quote somebody else wrote (an LLM): verbatim
after whitespace normalisation, else repaired to the paragraph's closest sentence when it
is a near miss, else rejected.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from bot.chunk import is_code_block, list_item_body, split_sentences, without_quote_marks
from bot.text import fits_type, terms
from bot.types import Citation, Hit

#: A quote is a near miss of a sentence when at least this share of its characters
#: match the sentence in order (difflib blocks): a changed word or two, not a new claim.
NEAR_MISS = 0.8
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def make_citation(hit: Hit, quote: str) -> Citation:
    """Cite ``hit`` with ``quote``, which must be a verbatim substring of the paragraph.
    The citation names the paragraph as a reader counts it (``Hit.cited``): for a list
    item, the whole list."""
    quote = quote.strip()
    if quote not in hit.text:
        raise ValueError(f"quote is not verbatim in {hit.source} ¶{hit.paragraph}: {quote[:60]!r}")
    return Citation(source=hit.source, paragraph=hit.cited or hit.paragraph, text=hit.cited_text or hit.text,
                    quote=quote, score=hit.score)


def widen(citation: Citation, quote: str) -> Citation:
    """``citation`` quoting ``quote`` as well, another verbatim part of its paragraph (a
    second item of the same list): its quote becomes the span that holds both."""
    spans = [(at, at + len(q)) for q in (citation.quote, quote.strip()) if (at := citation.text.find(q)) >= 0]
    if len(spans) < 2:
        return citation
    start, end = min(lo for lo, _ in spans), max(hi for _, hi in spans)
    return replace(citation, quote=citation.text[start:end])


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


#: Sentences longer than this (characters) are quoted by their best run of clauses.
LONG_SENTENCE = 450
#: Longest run of clauses quoted from a long sentence.
WINDOW_CHARS = 300
_CLAUSE_END = re.compile(r"[,;:]\s+")


def focus_window(sentence: str, weights: dict[str, float], kind: str | None = None) -> str:
    """A long sentence (a list of twenty names, say) cut to the run of clauses that holds
    the question's terms, so the answer can be read in one breath. The run starts at the
    clause holding the question's rarest term and takes the clause before it, then grows
    forward, then back, while it fits in ``WINDOW_CHARS``. The result is a verbatim substring of ``sentence``."""
    sentence = sentence.strip()
    if len(sentence) <= LONG_SENTENCE:
        return sentence
    bounds, start = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        bounds.append((start, m.start() + 1))
        start = m.end()
    bounds.append((start, len(sentence)))
    if len(bounds) < 2:
        return sentence
    # Anchor on the clause holding the question's rarest term ("Kazakhstan", not the
    # "Shanghai Cooperation Organization" every clause of the document names); for a
    # question asking for a kind of answer, on a clause that holds one.
    found = [{t: weights[t] for t in set(terms(sentence[lo:hi])) if t in weights} for lo, hi in bounds]
    gains = [(max(f.values(), default=0.0), sum(f.values())) for f in found]
    typed = [i for i, (lo, hi) in enumerate(bounds) if kind and fits_type(sentence[lo:hi], kind)]
    pool = typed or list(range(len(bounds)))
    first = max(pool, key=lambda i: (gains[i], -i))
    lo_i = hi_i = first
    # One clause back first: a name often comes just before its title ("Jiyosov,
    # director of the Executive Committee"); then forward, where a list goes on.
    if first > 0 and bounds[first][1] - bounds[first - 1][0] <= WINDOW_CHARS:
        lo_i = first - 1
    while hi_i + 1 < len(bounds) and bounds[hi_i + 1][1] - bounds[lo_i][0] <= WINDOW_CHARS:
        hi_i += 1
    while lo_i > 0 and bounds[hi_i][1] - bounds[lo_i - 1][0] <= WINDOW_CHARS:
        lo_i -= 1
    return sentence[bounds[lo_i][0]:bounds[hi_i][1]].strip(" ,;:")


def shown(sentence: str, quote: str) -> str:
    """A quote as an answer shows it: "…" where its sentence goes on, hard-wrapped and
    quoted ("> ...") lines read as one, a list item without its marker, code with its lines. The citation keeps the
    verbatim quote."""
    sentence, quote = sentence.strip(), quote.strip()
    at = sentence.find(quote)
    body = list_item_body(quote) if at == 0 else None  # "- Friday: 9 am to 6 pm" reads "Friday: ..."
    text = ("… " if at > 0 else "") + (quote if body is None else body) \
        + (" …" if at + len(quote) < len(sentence) else "")
    return quote if is_code_block(quote) else " ".join(without_quote_marks(text).split())
