"""Question -> ranked paragraphs: dense (Chroma) and lexical (BM25) fused by RRF.

Three rankers vote, each over paragraphs:

* dense chunks     Chroma nearest neighbours of the question among chunk vectors;
* dense sentences  nearest sentences, each voting for its paragraph (finds a paragraph
                   whose one relevant sentence is drowned in a long chunk);
* BM25             over chunk texts, with one-edit typo repair of unknown words, so
                   exact names and numbers are found.

Reciprocal rank fusion (score = sum of 1 / (RRF_K + rank)) needs no score calibration
between rankers. The in-memory lexical index is rebuilt when the store's generation
changes, so processes sharing a Chroma server see each other's ingests.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from bot.chunk import key_value, lead_ins, list_item_body, paragraph_contexts, question_asked, replies, split_sentences
from bot.store import Store
from bot.text import (
    CLIPPINGS,
    ITEM_IN_TEXT,
    SPEECH_VERBS,
    Speller,
    content_words,
    country_terms,
    is_fragment_paragraph,
    is_word,
    signs_off,
    spellings,
    stem,
    terms,
    words,
)
from bot.types import Hit

log = logging.getLogger(__name__)

#: Stems of the verbs that frame a question (see ``Corpus.unmatched``).
_FRAMING = frozenset(stem(v) for v in SPEECH_VERBS)
RRF_K = 60
BM25_K1 = 1.2
BM25_B = 0.75
#: How often (seconds) to ask the store whether another process changed it.
REFRESH_SECONDS = 2.0
#: Share of its fused score a heading-like paragraph keeps (see ``text.is_fragment_paragraph``).
HEADING_WEIGHT = 0.5
#: The lexical ranker's vote weight, from LEXICAL_FLOOR (its best chunk holds none of
#: the question's IDF-weighted terms) to LEXICAL_CEILING (it holds them all); a dense
#: ranker's weight is 1.
LEXICAL_FLOOR = 0.5
LEXICAL_CEILING = 2.0
#: The paragraphs of this many best-matching sentences are always among the hits.
SENTENCE_KEEP = 1
#: The answerer also gets the paragraphs of this many best BM25 chunks (``Retriever.search``).
LEXICAL_KEEP = 2
#: ... and the paragraphs holding a code the question gives ("E3"), when at most this many do.
CODE_PARAGRAPHS = 2
#: A code: letters and digits in one word ("e3", "p60", "a4"), as indexed.
_CODE = re.compile(r"(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{2,8}")
#: ... and, in a document whose title names what the question names, of this many
#: sentences most like the question without those names (``Corpus.unnamed_queries``).
UNNAMED_KEEP = 1


@dataclass
class ChunkRecord:
    id: str
    source: str
    paragraph: int
    part: int
    text: str


@dataclass
class Corpus:
    """In-memory view of the complete documents: chunk texts, paragraphs and BM25."""

    chunks: list[ChunkRecord]
    paragraph_text: dict[tuple[str, int], str]
    paragraph_chunks: dict[tuple[str, int], list[int]]
    by_id: dict[str, int]
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    idf: dict[str, float]
    speller: Speller
    heading: dict[tuple[str, int], bool] = field(default_factory=dict)
    #: Acronym (folded) -> the capitalised phrase the documents spell it out as.
    acronyms: dict[str, str] = field(default_factory=dict)
    #: Ordinal ("second") -> paragraphs with a sentence opening an enumerated item with it.
    enumerations: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: List item paragraph -> the number of its list's lead-in or heading (``chunk.lead_ins``).
    lead_of: dict[tuple[str, int], int] = field(default_factory=dict)
    #: Paragraph -> the number its citations give it, where that differs from its own
    #: (a list's items share one, and later paragraphs shift; ``chunk.cited_paragraphs``).
    cited_number: dict[tuple[str, int], int] = field(default_factory=dict)
    #: List item (or the lead-in opening its block) -> the whole list, as cited.
    cited_text: dict[tuple[str, int], str] = field(default_factory=dict)
    #: Paragraph -> the context it is read in (``corpus_contexts``): a list item its lead-in
    #: ("The Main Branch is open"), a table row its header, an answer its question.
    contexts: dict[tuple[str, int], str] = field(default_factory=dict)
    #: Answers about whole documents that stay true while the corpus does (``any_paragraph``).
    memo: dict[tuple[str, ...], bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, store: Store) -> Corpus:
        complete = {s for s, m in store.documents().items() if m.get("status") == "complete"}
        ids, texts, metas = store.all_chunks()
        records = [
            ChunkRecord(i, str(m["source"]), int(m["paragraph"]), int(m.get("part", 0)), t)
            for i, t, m in zip(ids, texts, metas) if m.get("source") in complete
        ]
        records.sort(key=lambda r: (r.source, r.paragraph, r.part))
        meta_by_id = dict(zip(ids, metas))
        firsts = [(r, meta_by_id[r.id]) for r in records if r.part == 0]
        paragraph_text = {(r.source, r.paragraph): str(m.get("paragraph_text") or r.text) for r, m in firsts}
        corpus = cls._index(records, paragraph_text)
        corpus.cited_number, corpus.cited_text = cited_lookup(
            [(r.source, r.paragraph, int(m.get("cited", r.paragraph)), m.get("cited_text")) for r, m in firsts])
        return corpus

    @classmethod
    def _index(cls, records: list[ChunkRecord], paragraph_text: dict[tuple[str, int], str]) -> Corpus:
        leads = list_leads(paragraph_text)
        contexts = corpus_contexts(paragraph_text, leads)
        # A list item is indexed with its lead-in's words: "- Friday: 9 am to 6 pm" under
        # "The Main Branch is open:" answers "When does the main branch close on Fridays?".
        docs_terms = [Counter(terms(f"{contexts.get((r.source, r.paragraph), '')} {r.text}")) for r in records]
        lengths = np.array([sum(c.values()) for c in docs_terms], dtype=np.float32)
        avg = float(lengths.mean()) if len(lengths) else 1.0
        raw: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for n, counts in enumerate(docs_terms):
            norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[n] / max(avg, 1e-9))
            for term, tf in counts.items():
                docs, weights = raw[term]
                docs.append(n)
                weights.append(tf * (BM25_K1 + 1) / (tf + norm))
        total = len(records)
        postings = {t: (np.array(d, dtype=np.int32), np.array(w, dtype=np.float32)) for t, (d, w) in raw.items()}
        idf = {t: math.log(1 + (total - len(d) + 0.5) / (len(d) + 0.5)) for t, (d, _) in postings.items()}
        fragments = {key for key, text in paragraph_text.items() if is_fragment_paragraph(text)}
        # where each document's text begins: its first paragraph holding a sentence
        begins: dict[str, int] = {}
        for source, number in paragraph_text:
            if (source, number) not in fragments and number < begins.get(source, math.inf):
                begins[source] = number
        headings = {key for key in fragments if not (key[1] > begins.get(key[0], math.inf)
                                                     and signs_off(paragraph_text[key]))}
        headings |= {key for key, text in paragraph_text.items() if _is_headline(key, text, paragraph_text)}
        return cls.assemble(records, paragraph_text, postings, idf, headings,
                            acronyms(r.text for r in records), enumerations(paragraph_text),
                            lead_of=leads, contexts=contexts)

    def cited(self, key: tuple[str, int]) -> tuple[int, str]:
        """The number and text a citation of paragraph ``key`` shows (its list's, for an item)."""
        return self.cited_number.get(key, key[1]), self.cited_text.get(key) or self.paragraph_text[key]

    def hit(self, key: tuple[str, int], score: float, chunk_text: str, **ranks: Any) -> Hit:
        number, text = self.cited(key)
        return Hit(source=key[0], paragraph=key[1], text=self.paragraph_text[key], score=score,
                   chunk_text=chunk_text, cited=number, cited_text=text, **ranks)

    @classmethod
    def assemble(cls, records: list[ChunkRecord], paragraph_text: dict[tuple[str, int], str],
                 postings: dict[str, tuple[np.ndarray, np.ndarray]], idf: dict[str, float],
                 headings: set[tuple[str, int]], acronyms: dict[str, str],
                 enumerations: dict[str, list[tuple[str, int]]],
                 cited_number: dict[tuple[str, int], int] | None = None,
                 cited_text: dict[tuple[str, int], str] | None = None,
                 lead_of: dict[tuple[str, int], int] | None = None,
                 contexts: dict[tuple[str, int], str] | None = None) -> Corpus:
        """A corpus from its parts (built here, or read back by ``bot.snapshot``); the list
        lead-ins and reading contexts are derived from the paragraphs unless given."""
        lead_of = list_leads(paragraph_text) if lead_of is None else lead_of
        contexts = corpus_contexts(paragraph_text, lead_of) if contexts is None else contexts
        paragraph_chunks: dict[tuple[str, int], list[int]] = defaultdict(list)
        for n, r in enumerate(records):
            paragraph_chunks[(r.source, r.paragraph)].append(n)
        return cls(records, paragraph_text, dict(paragraph_chunks), {r.id: n for n, r in enumerate(records)},
                   postings, idf, Speller(postings), {key: key in headings for key in paragraph_text},
                   acronyms, enumerations, lead_of, cited_number or {}, cited_text or {}, contexts)

    def query_terms(self, text: str) -> dict[str, float]:
        """Content terms of a question with weights; unknown words map to near spellings,
        acronyms the documents only spell out ("SCO") to their words, words the documents
        use only in a longer form to that family ("chaired" -> "chairman")."""
        return self._matched(text)[0]

    def unmatched(self, text: str) -> list[str]:
        """Real words of a question that no indexed term stands for (not the word, nor its
        family): what no passage can cover. Misspellings and names are not counted (they
        are matched to near spellings or are not words at all), nor the verbs that frame
        a question about what someone said ("did Xi want ...")."""
        return self._matched(text)[1]

    def _matched(self, text: str) -> tuple[dict[str, float], list[str]]:
        weighted: dict[str, float] = {}
        missing: list[str] = []
        for word in acronyms_in(text):
            for term in terms(self.acronyms.get(word.lower(), "")):
                weighted[term] = max(weighted.get(term, 0.0), 0.8)
        names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+\b", text)}
        for word in content_words(text):
            term = stem(word)
            # the word as the documents spell it: "neighbour" meets "neighbor"
            same = [term] if term in self.postings else [t for t in spellings(term) if t in self.postings]
            known = bool(same)
            for spelled in same:
                weighted[spelled] = max(weighted.get(spelled, 0.0), 1.0)
            # a clipped word the documents never use: "tech" asks about "technological"
            full = [] if known else self.unclipped(word)
            for near in full:
                weighted[near] = max(weighted.get(near, 0.0), RELATIVE_WEIGHT)
            if full:
                continue
            # the word family counts too, whether or not the word itself is indexed:
            # "cooperate" asks about "cooperation"; and a form the documents lack meets a
            # shorter one they use: "membership" asks about "member"
            # ... and a country the documents name otherwise: "Iranian" asks about "Iran"
            relatives = [near for spelled in same or [term] for near in self.relatives(spelled)]
            if not relatives and not known:
                relatives = self.shorter_forms(term) or [t for t in country_terms(word) if t in self.postings]
            for near in relatives:
                weighted[near] = max(weighted.get(near, 0.0), RELATIVE_WEIGHT)
            if known or relatives:
                continue
            if is_word(word) and word not in names:
                # a real word the documents do not use is not a typo of one they do; names
                # are still matched to near spellings ("Uzbekistan" / "Uzbekstan")
                if term not in _FRAMING:
                    missing.append(word)
                continue
            for near in self.speller.suggest(term):
                weighted[near] = max(weighted.get(near, 0.0), 0.8)
        return weighted, missing

    @cached_property
    def vocabulary(self) -> list[str]:
        """Every indexed term, sorted (for prefix look-ups)."""
        return sorted(self.postings)

    def relatives(self, term: str) -> list[str]:
        """Indexed terms of the same word family as a term the documents lack: the term
        plus one or two derivational suffixes ("chair" -> "chairman", "chairmanship"),
        shortest first. "person" does not lead to "personnel" (not a suffix), and short
        stems ("stat") begin too many unrelated words to count."""
        if len(term) < RELATIVE_MIN_STEM or term.isdigit():
            return []
        vocabulary = self.vocabulary
        found: list[str] = []
        # the words the term begins sit together in sorted order, from where it would go
        at = bisect.bisect_left(vocabulary, term)
        while at < len(vocabulary) and vocabulary[at].startswith(term):
            if _DERIVED.fullmatch(vocabulary[at][len(term):]):
                found.append(vocabulary[at])
            at += 1
        return sorted(found, key=len)[:RELATIVES]

    def shorter_forms(self, term: str) -> list[str]:
        """Indexed terms a term the documents lack is derived from, by one or two
        derivational suffixes: "membership" -> "member", "traditional" -> "tradition".
        The stem must be long enough to be a word of its own ("general" is not "gener")."""
        stems = [term]
        for _ in range(2):
            stems = [s[: -len(suffix)] for s in stems for suffix in _SUFFIXES
                     if s.endswith(suffix) and len(s) - len(suffix) >= SHORTER_MIN_STEM]
            found = [s for s in stems if s in self.postings]
            if found:
                return sorted(found, key=len, reverse=True)[:RELATIVES]
        return []

    def unclipped(self, word: str) -> list[str]:
        """Indexed terms of the full word a clipped one stands for (``text.CLIPPINGS``:
        "tech" -> "technolog", "technological"), or [] when it is no clipping or the
        documents use neither."""
        found = []
        for full in CLIPPINGS.get(word, ()):
            for term in terms(full):
                found += [term] if term in self.postings else self.relatives(term)
        return list(dict.fromkeys(found))

    def spelled_out(self, text: str) -> str:
        """``text`` with each acronym the documents only spell out followed by its phrase
        ("the WHO" -> "the WHO (World Health Organization)"), for the embedder, which
        rarely knows what an acronym stands for. An acronym the documents use themselves
        ("SCO") is left alone: the passages that use it match it as it is, and a phrase
        every passage shares would make all of them look relevant."""
        for word in dict.fromkeys(acronyms_in(text)):
            phrase = self.acronyms.get(word.lower())
            at = re.search(rf"\b{word}\b", text)
            if phrase and at and word.lower() not in self.postings:
                text = f"{text[:at.end()]} ({phrase}){text[at.end():]}"
        # ... and each clipped word whose full form they use ("tech (technology)")
        for word in dict.fromkeys(w for w in words(text) if w in CLIPPINGS and stem(w) not in self.postings):
            full = [f for f in CLIPPINGS[word] if all(t in self.postings for t in terms(f))]
            at = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
            if full and at:
                text = f"{text[:at.end()]} ({full[0]}){text[at.end():]}"
        return text

    def any_paragraph(self, source: str, test: Callable[[str], bool], key: tuple[str, ...]) -> bool:
        """Whether any paragraph of a document passes ``test``, remembered under ``key``
        (what the test asks) for as long as this corpus serves."""
        memo_key = (source, *key)
        if memo_key not in self.memo:
            self.memo[memo_key] = any(test(text) for _, text in self.by_source.get(source, ()))
        return self.memo[memo_key]

    @cached_property
    def by_source(self) -> dict[str, list[tuple[int, str]]]:
        """Each document's (number, text) paragraphs, in order."""
        return _by_source(self.paragraph_text)

    def mentions(self, source: str, term: str) -> bool:
        """Whether any passage of a document holds ``term`` (an indexed term)."""
        chunk_numbers = self.postings[term][0] if term in self.postings else ()
        return any(self.chunks[n].source == source for n in chunk_numbers)

    def paragraph_hit(self, key: tuple[str, int]) -> Hit:
        """A paragraph that retrieval did not return, as a hit (score 0) for the answerer:
        a dateline, an enumerated item, a list's other items, the next step."""
        return self.hit(key, 0.0, self.paragraph_text[key])

    @cached_property
    def lists(self) -> dict[tuple[str, int], list[int]]:
        """Lead-in paragraph -> the numbers of its list's items, in order."""
        found: dict[tuple[str, int], list[int]] = defaultdict(list)
        for (source, item), lead in sorted(self.lead_of.items()):
            found[(source, lead)].append(item)
        return dict(found)

    @cached_property
    def subjects(self) -> dict[tuple[str, int], str]:
        """List item -> whom its list is about, where the list opens with a "Name" row (a
        fact box: "- Name | Maren Oakshott", "- Age | 44", "- Her coffee | A double
        ristretto"): every row speaks of that person or thing."""
        found: dict[tuple[str, int], str] = {}
        for (source, _), items in self.lists.items():
            first = self.paragraph_text.get((source, items[0]), "")
            row = key_value(first) if list_item_body(first) is not None else None
            if row and row[0].lower() in ("name", "full name") and row[1]:
                found.update({(source, n): row[1] for n in items[1:]})
        return found

    def title(self, source: str) -> str:
        """A document's first paragraph: its title or headline, which names whom it is by
        or about."""
        return self.paragraph_text.get((source, 1), "")

    @cached_property
    def title_terms(self) -> dict[str, frozenset[str]]:
        """Each document's title terms."""
        return {source: frozenset(terms(self.title(source))) for source in self.by_source}

    def rare_codes(self, question: str) -> dict[str, list[tuple[str, int]]]:
        """The codes a question gives ("error E3", "form P60": letters and digits in one
        word) that at most ``CODE_PARAGRAPHS`` paragraphs hold, with those paragraphs: the
        answer is in one of them. A code every page has ("Stillwater S3") is no such code."""
        found: dict[str, list[tuple[str, int]]] = {}
        for word in words(question):
            if _CODE.fullmatch(word) and word in self.postings:
                keys = list(dict.fromkeys((self.chunks[n].source, self.chunks[n].paragraph)
                                          for n in self.postings[word][0]))
                if len(keys) <= CODE_PARAGRAPHS:
                    found[word] = keys
        return found

    def named_topics(self, question: str) -> frozenset[str]:
        """Terms of the capitalised words of a question that name a document's topic (are
        in its title): "Ferrowick Amateur Rowing Club" asked of the club's constitution."""
        return frozenset(t for t in _named(question) if any(t in topic for topic in self.title_terms.values()))

    def unnamed_queries(self, question: str) -> dict[str, frozenset[str]]:
        """The question without the names a document's title holds (``without_topic_names``),
        each with the documents it is for: in a document about Xi or about HIST 214 every
        passage is about them, so the embedder matches the name everywhere and the
        sentence about the rest of the question loses. Empty when the question names no
        document's topic, or nothing is left."""
        named = _named(question)
        found: dict[str, set[str]] = defaultdict(set)
        if named:
            for source, topic in self.title_terms.items():
                if named & topic and content_words(kept := without_topic_names(question, topic)):
                    found[kept].add(source)
        return {kept: frozenset(sources) for kept, sources in found.items()}

    @cached_property
    def authors(self) -> frozenset[str]:
        """Folded capitalised words of the documents' titles: the people (and bodies)
        the documents are by or about."""
        return frozenset(w.lower() for (_, n), text in self.paragraph_text.items() if n == 1
                         for w in re.findall(r"\b[A-Z][a-z]+\b", text))

    def bm25(self, weighted: dict[str, float], n: int) -> list[tuple[int, float]]:
        """The ``n`` best chunks for a question's weighted terms (``query_terms``)."""
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        for term, weight in weighted.items():
            docs, weights = self.postings[term]
            scores[docs] += weight * self.idf[term] * weights
        if not len(scores):
            return []
        if n < len(scores):
            # the n best without sorting every chunk's score (100k chunks: a full sort per query)
            part = np.argpartition(-scores, n)[:n]
            top = part[np.argsort(-scores[part], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def match_share(self, weighted: dict[str, float], n: int) -> float:
        """Share of a question's IDF-weighted terms (``query_terms``) that chunk ``n`` holds."""
        chunk = self.chunks[n]
        present = set(terms(f"{self.contexts.get((chunk.source, chunk.paragraph), '')} {chunk.text}"))
        total = sum(self.idf[t] * w for t, w in weighted.items())
        return sum(self.idf[t] * w for t, w in weighted.items() if t in present) / total if total else 0.0

    def sentences_of(self, key: tuple[str, int]) -> list[tuple[str, str]]:
        """(sentence id, sentence text) of every sentence of a paragraph, in order."""
        out: list[tuple[str, str]] = []
        for n in self.paragraph_chunks.get(key, []):
            chunk = self.chunks[n]
            for i, (lo, hi) in enumerate(split_sentences(chunk.text) or [(0, len(chunk.text))]):
                out.append((f"{chunk.id}:{i}", chunk.text[lo:hi]))
        return out


#: A first paragraph this short, of one sentence, is a headline or title.
HEADLINE_CHARS = 200


def _is_headline(key: tuple[str, int], text: str, paragraphs: dict[tuple[str, int], str]) -> bool:
    """A document's first paragraph when it is one short sentence and more follow: a
    headline names the document's topic, so it matches every question about it."""
    return key[1] == 1 and len(text) <= HEADLINE_CHARS and (key[0], 2) in paragraphs \
        and len(split_sentences(text)) <= 1


#: Word-family matching (``Corpus.relatives``): the shortest stem it applies to, the
#: derivational suffixes (as ``text.stem`` leaves them: "accordance" -> "accordanc"),
#: how many relatives count, and their weight.
RELATIVE_MIN_STEM = 5
_SUFFIX = ("man|men|ship|ment|ation|ition|ion|er|or|al|ity|iti|ness|ist|ism|iv|ance|anc|ence|enc|"
           "iz|is|ic|ical|ant|ent|y|ful|less|hood|dom|ee|ian")
_DERIVED = re.compile(rf"(?:{_SUFFIX}){{1,2}}")
_SUFFIXES = tuple(sorted(_SUFFIX.split("|"), key=len, reverse=True))
SHORTER_MIN_STEM = 6
RELATIVES = 3
RELATIVE_WEIGHT = 0.8

_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")
_CAPITALISED_RUN = re.compile(r"\b([A-Z][a-z]+(?:[ -](?:of |and |for |the )?[A-Z][a-z]+){1,5})\b")


def acronyms_in(text: str) -> list[str]:
    """The acronyms a question uses ("WHO", "UN"); none in a question typed in capitals."""
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return []
    return _ACRONYM.findall(text)


def acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> the capitalised phrase it abbreviates, for phrases the documents spell
    out ("sco" -> "Shanghai Cooperation Organization")."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _CAPITALISED_RUN.finditer(text):
            words = [w for w in re.split(r"[ -]", match.group(1)) if w and w[0].isupper()]
            for lo in range(len(words)):
                for hi in range(lo + 2, len(words) + 1):
                    key = "".join(w[0] for w in words[lo:hi]).lower()
                    found.setdefault(key, " ".join(words[lo:hi]))
    return found


def cited_lookup(rows: list[tuple[str, int, int, Any]]
                     ) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], str]]:
    """From (source, paragraph, cited number, cited text or None) per paragraph, the
    numbers that differ from the paragraph's own and, for each paragraph of a list
    cited whole, the list's text (stored with the list's first paragraph)."""
    numbers = {(s, n): cited for s, n, cited, _ in rows if cited != n}
    groups: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    opening: dict[tuple[str, int], str] = {}
    for s, n, cited, text in sorted(rows, key=lambda row: (row[0], row[1])):
        groups[(s, cited)].append((s, n))
        if text and len(groups[(s, cited)]) == 1:
            opening[(s, cited)] = str(text)
    texts = {key: opening[group] for group, keys in groups.items() if len(keys) > 1 and group in opening
             for key in keys}
    return numbers, texts


def list_leads(paragraphs: dict[tuple[str, int], str]) -> dict[tuple[str, int], int]:
    """List item paragraph -> the number of its lead-in paragraph (``chunk.lead_ins``)."""
    return {(source, item): lead for source, numbered in _by_source(paragraphs).items()
            for item, lead in lead_ins(numbered).items()}


def _by_source(paragraphs: dict[tuple[str, int], str]) -> dict[str, list[tuple[int, str]]]:
    """Each document's (number, text) paragraphs, in order."""
    by_source: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (source, number), text in sorted(paragraphs.items()):
        by_source[source].append((number, text))
    return by_source


def corpus_contexts(paragraphs: dict[tuple[str, int], str],
                  leads: dict[tuple[str, int], int]) -> dict[tuple[str, int], str]:
    """Paragraph -> the context it is read in (``chunk.paragraph_contexts``): a list
    item its lead-in's, a pipe table its header row."""
    contexts = paragraph_contexts(paragraphs, {key: (key[0], lead) for key, lead in leads.items()})
    # an answer is read in its question's context ("DANIEL: Is she still working?")
    for source, numbered in _by_source(paragraphs).items():
        for answer, question in replies(numbered).items():
            asked = question_asked(paragraphs[(source, question)])
            if asked and (source, answer) not in contexts:
                contexts[(source, answer)] = asked
    return contexts


def enumerations(paragraphs: dict[tuple[str, int], str]) -> dict[str, list[tuple[str, int]]]:
    """Where each enumerated item is ("Second, maintain security ..."): an ordinal
    question ("What was the second proposal?") is answered there, though the item
    rarely shares a word with the question."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, text in sorted(paragraphs.items()):
        for ordinal in dict.fromkeys(m.group(1).lower() for m in ITEM_IN_TEXT.finditer(text)):
            found[ordinal].append(key)
    return dict(found)




_NAME_WORD = re.compile(r"\b([A-Z][\w-]*)(?:['’]s)?\b")


def _named(question: str) -> set[str]:
    """Terms of a question's capitalised words (a possessive "'s" dropped)."""
    return {stem(m.group(1).lower()) for m in _NAME_WORD.finditer(question)}


def without_topic_names(question: str, topic: set[str] | frozenset[str]) -> str:
    """The question without the capitalised words its document's title holds: in "What is
    Xi's stance on outside powers meddling?", asked of a speech by Xi, the embedder
    matches "Xi" to every "Xi Jinping stressed that ..." and the sentence about meddling
    loses; without it, the meaning decides. Lowercase words stay ("the speech")."""
    kept = _NAME_WORD.sub(lambda m: "" if stem(m.group(1).lower()) in topic else m.group(0), question)
    return re.sub(r"\s+", " ", kept).strip()


class Retriever:
    """Hybrid retrieval over one store. ``search`` is the whole public surface."""

    def __init__(self, store: Store, mode: str = "hybrid", fetch_k: int = 20) -> None:
        self.store = store
        self.mode = mode
        self.fetch_k = fetch_k
        self._corpus: Corpus | None = None
        self._generation: str | None = None
        self._checked = 0.0
        # Many threads ask at once in the web app: one of them reloads, the others wait
        # for its result instead of each rebuilding the same index.
        self._lock = threading.Lock()

    @property
    def corpus(self) -> Corpus:
        with self._lock:
            now = time.monotonic()
            if self._corpus is None or now - self._checked > REFRESH_SECONDS:
                generation = self.store.generation()
                self._checked = now
                if self._corpus is None or generation != self._generation:
                    self._corpus = self._load(generation)
                    self._generation = generation
            return self._corpus

    def _load(self, generation: str) -> Corpus:
        """The corpus of this generation: from its snapshot when one was saved, else built
        from the store (and saved for the next process). An empty generation means
        nothing was ever ingested: nothing worth saving."""
        from bot import snapshot

        path = self.store.settings.data_dir / "cache" / f"{self.store.settings.collection}-lexical.npz"
        cache_key = snapshot.key(generation)
        if generation:
            saved = snapshot.load(path, cache_key)
            if saved is not None:
                return saved
        corpus = Corpus.load(self.store)
        if generation:
            try:
                snapshot.save(path, cache_key, corpus)
            except OSError as exc:  # a read-only data directory: serve, just slower to start
                log.warning("could not save the lexical index snapshot to %s: %s", path, exc)
        return corpus

    def invalidate(self) -> None:
        with self._lock:
            self._corpus = None

    def search(self, query: str, vector: Any, k: int, lexical_keep: int = 0,
               unnamed: Iterable[tuple[Any, frozenset[str]]] = (), codes: bool = False) -> list[Hit]:
        """The ``k`` best paragraphs for ``query`` (``vector`` is its embedding), then those
        of the ``lexical_keep`` best BM25 chunks the fusion left out, then (with ``codes``)
        those holding a rare code the query gives (``Corpus.rare_codes``), then, for each
        (vector, documents) of ``unnamed``, the paragraphs in those documents of the
        ``UNNAMED_KEEP`` sentences most like the vector (see ``Corpus.unnamed_queries``).
        With the defaults, exactly ``k`` (the LangChain retriever's contract)."""
        corpus = self.corpus
        if not corpus.chunks:
            return []
        votes: dict[tuple[str, int], float] = defaultdict(float)
        dense_rank: dict[tuple[str, int], int] = {}
        lexical_rank: dict[tuple[str, int], int] = {}
        similarity: dict[tuple[str, int], float] = {}
        best_chunk: dict[tuple[str, int], str] = {}

        def vote(ranked_keys: list[tuple[tuple[str, int], str]], ranks: dict[tuple[str, int], int] | None,
                 weight: float = 1.0) -> None:
            seen: set[tuple[str, int]] = set()
            for key, chunk_text in ranked_keys:
                if key in seen:
                    continue
                seen.add(key)
                rank = len(seen)
                votes[key] += weight / (RRF_K + rank)
                best_chunk.setdefault(key, chunk_text)
                if ranks is not None:
                    ranks.setdefault(key, rank)

        def dense(ids: list[str], sims: list[float]) -> list[tuple[tuple[str, int], str]]:
            ranked = []
            for record_id, sim in zip(ids, sims):
                # sentence ids are "<chunk id>:<i>"; chunks of unfinished documents are skipped
                n = corpus.by_id.get(record_id.split(":", 1)[0])
                if n is None:
                    continue
                key = (corpus.chunks[n].source, corpus.chunks[n].paragraph)
                similarity[key] = max(similarity.get(key, -1.0), sim)
                ranked.append((key, corpus.chunks[n].text))
            return ranked

        if self.mode in ("hybrid", "dense"):
            vote(dense(*self.store.query_chunks(vector, self.fetch_k)), dense_rank)
        sentence_best: list[tuple[str, int]] = []
        lexical_best: list[tuple[str, int]] = []
        if self.mode == "hybrid":
            ranked_sentences = dense(*self.store.query_sentences(vector, self.fetch_k * 2))
            vote(ranked_sentences, None)
            sentence_best = list(dict.fromkeys(key for key, _ in ranked_sentences))[:SENTENCE_KEEP]
        if self.mode in ("hybrid", "lexical"):
            weighted = corpus.query_terms(query)
            found = corpus.bm25(weighted, self.fetch_k)
            ranked = [((corpus.chunks[n].source, corpus.chunks[n].paragraph), corpus.chunks[n].text)
                      for n, _ in found]
            # BM25 is as trustworthy as its best chunk holds the question's words, rare
            # ones above all: a unique name matched outweighs two dense rankers full of
            # near-duplicates; "nations" and "help" matched are worth less than a dense vote.
            share = corpus.match_share(weighted, found[0][0]) if found else 0.0
            vote(ranked, lexical_rank, LEXICAL_FLOOR + (LEXICAL_CEILING - LEXICAL_FLOOR) * share)
            # (a heading shares the question's words but answers nothing: "Honours")
            lexical_best = list(dict.fromkeys(key for key, _ in ranked if not corpus.heading.get(key)))[:lexical_keep]

        for key in votes:
            # Headings and bylines share the words of every question about the document
            # ("Xi", "speech") but answer none: they keep only half their votes.
            if corpus.heading.get(key, False):
                votes[key] *= HEADING_WEIGHT
        ordered = sorted(votes.items(), key=lambda kv: -kv[1])
        best = ordered[:k]
        # The paragraph holding the sentence most like the question stays in view however
        # the fusion ranks it: rank fusion ignores how far ahead it is, and a long
        # paragraph's mean vector and its BM25 score dilute one sentence that matches.
        missing = [kv for kv in ordered[k:] if kv[0] in sentence_best]
        if missing and k > len(missing):
            best = best[:k - len(missing)] + missing
        # The best lexical matches join them, which two dense rankers agreeing on other
        # paragraphs can outvote ("council Secretary-General Oduya Fennimore told reporters").
        best += [kv for kv in ordered[k:] if kv[0] in lexical_best and kv not in best]
        # A code the question gives ("error E3", "form P60") held by one or two paragraphs:
        # those paragraphs, however long (a whole troubleshooting table) or outvoted
        taken = {key for key, _ in best}
        for keys in corpus.rare_codes(query).values() if codes else ():
            best += [(key, votes.get(key, 0.0)) for key in keys if key not in taken]
            taken.update(keys)
        for other, sources in unnamed:
            # "What do I have to put at the end of every HIST 214 assignment?": without
            # "HIST", the syllabus's "Every written assignment must end with ..." comes first
            taken = {key for key, _ in best}
            ids, _ = self.store.query_sentences(other, self.fetch_k)
            added = 0
            for record_id in ids:
                n = corpus.by_id.get(record_id.split(":", 1)[0])
                if added == UNNAMED_KEEP:
                    break
                if n is None:
                    continue
                key = (corpus.chunks[n].source, corpus.chunks[n].paragraph)
                if key[0] in sources and key not in taken and not corpus.heading.get(key):
                    best_chunk.setdefault(key, corpus.chunks[n].text)
                    best.append((key, votes.get(key, 0.0)))
                    taken.add(key)
                    added += 1
        return [
            corpus.hit(key, round(score, 6), best_chunk[key], dense_rank=dense_rank.get(key),
                       lexical_rank=lexical_rank.get(key), dense_similarity=similarity.get(key))
            for key, score in best
        ]
