"""Document text -> numbered paragraphs -> chunks with stable ids and exact offsets.

Paragraph rules (the numbering users see in citations):

* Blocks are separated by blank lines.
* A fenced code block (```` ``` ```` or ``~~~``) is one paragraph, blank lines and all.
* Inside a block, each line is its own paragraph, unless the block is hard-wrapped
  prose (every line but the last at most ``WRAP_WIDTH`` characters), in which case the
  block is one paragraph. Markdown headings and list items always start a paragraph; a
  quote (``>`` lines) starts one, and a bare ``>`` line ends it, as a blank line would.
* A Markdown pipe table (a row of cells, a ``|---|---|`` rule under it, then its rows)
  is one paragraph whatever its line lengths; each row is one of its sentences, read in
  the context of the header row (``table_header``).
* Paragraphs are numbered from 1 in document order.

Those paragraphs are the units the bot retrieves and quotes. A citation names the
paragraph a reader counts, which differs for lists only: the items of a list in one
block, with the line that opens the block (a lead-in or heading written right above
them), are one *cited* paragraph, as a reader counting blank-line blocks sees them
(``cited_paragraphs``). Every later paragraph's cited number shifts to match.

A paragraph longer than ``max_chars`` is split at sentence boundaries into several
chunks that keep its number. For every chunk, ``text == document_text[start:end]``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TypeVar

from bot.types import Chunk, Paragraph

K = TypeVar("K")

#: Lines up to this long inside a block are taken as hard-wrapped prose.
WRAP_WIDTH = 100

_LINE = re.compile(r"[^\n]*\n?")
_STARTS_PARAGRAPH = re.compile(r"^\s{0,3}(#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>\s?)")
_QUOTE = re.compile(r"^\s{0,3}>")
_QUOTE_MARKS = re.compile(r"(?m)^\s{0,3}>\s?")
#: A quote line with nothing in it: the blank line between two quoted paragraphs.
_BARE_QUOTE = re.compile(r"^\s{0,3}>\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no",
    "fig", "inc", "ltd", "co", "corp", "gen", "gov", "sen", "rep", "u.s", "u.k", "u.n", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
}
# A sentence ends at . ! ? (or …), optionally followed by closing quotes or brackets,
# then whitespace.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Number the paragraphs of ``text`` (see the module docstring for the rules)."""
    lines: list[tuple[int, str]] = []  # (offset, line without newline)
    for match in _LINE.finditer(text):
        if match.start() == len(text):
            break
        lines.append((match.start(), match.group().rstrip("\n")))

    blocks: list[list[tuple[int, str]]] = []
    code: set[int] = set()  # indexes of blocks that are fenced code
    current: list[tuple[int, str]] = []
    fence: str | None = None
    for offset, line in lines:
        marker = _FENCE.match(line)
        if fence is None and marker:
            if current:
                blocks.append(current)
            current, fence = [(offset, line)], marker.group(1)[0] * 3
            continue
        if fence is not None:
            current.append((offset, line))
            if line.strip().startswith(fence) and len(current) > 1:
                code.add(len(blocks))
                blocks.append(current)
                current, fence = [], None
            continue
        if line.strip() and not _BARE_QUOTE.match(line):
            current.append((offset, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        if fence is not None:  # a fence never closed runs to the end of the document
            code.add(len(blocks))
        blocks.append(current)

    paragraphs: list[Paragraph] = []
    for n, block in enumerate(blocks):
        # blank lines inside a code block are kept in it, but not at its edges
        block = [(o, ln) for o, ln in block if ln.strip()]
        table = set() if n in code else _table_lines([line for _, line in block])
        prose = [line for i, (_, line) in enumerate(block) if i not in table]
        wrapped = all(len(line.strip()) <= WRAP_WIDTH for line in prose[:-1])
        groups: list[list[tuple[int, str]]] = []
        for i, (offset, line) in enumerate(block):
            if i in table or (i and i - 1 in table):
                # a table is one paragraph, and the line after it starts another
                new = not groups or i not in table or i - 1 not in table
            else:
                new = not groups or (n not in code and (
                    not wrapped
                    or (bool(_STARTS_PARAGRAPH.match(line)) and not _continues_quote(line, block[i - 1][1]))
                    or is_heading(block[i - 1][1])
                ))
            if new:
                groups.append([(offset, line)])
            else:
                groups[-1].append((offset, line))
        for group in groups:
            first_offset, first_line = group[0]
            last_offset, last_line = group[-1]
            start = first_offset + (len(first_line) - len(first_line.lstrip()))
            end = last_offset + len(last_line.rstrip())
            paragraphs.append(Paragraph(len(paragraphs) + 1, start, end, text[start:end]))
    return paragraphs


_TABLE_RULE = re.compile(r"^\s{0,3}\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _table_lines(lines: Sequence[str]) -> set[int]:
    """Indexes of the lines of a block that belong to a pipe table: a line with a "|",
    the rule under it ("|---|:--|"), and every following line with a "|"."""
    out: set[int] = set()
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and "|" in lines[i + 1] and _TABLE_RULE.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and "|" in lines[j]:
                j += 1
            out.update(range(i, j))
            i = j
        else:
            i += 1
    return out


def is_table(text: str) -> bool:
    """Whether a paragraph is a Markdown pipe table (header row, rule, rows)."""
    if "|" not in text:  # called for every paragraph split into sentences: the common case is quick
        return False
    lines = text.split("\n")
    return len(lines) >= 2 and _table_lines(lines) == set(range(len(lines)))


def table_cells(row: str) -> list[str]:
    """The cells of a table row: "| Child | £4.50 |" -> ["Child", "£4.50"]."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") else row
    return [cell.strip() for cell in row.split("|")]


def table_header(text: str) -> str:
    """A pipe table's header cells as context for its rows ("Ticket | Price | Notes"); else ""."""
    return " | ".join(c for c in table_cells(text.split("\n", 1)[0]) if c) if is_table(text) else ""


def table_row_text(header: str, row: str) -> str:
    """A table row as the embedder reads it, each cell after its column's name:
    "Ticket: Child; Price: £4.50; Notes: Ages 5 to 16"."""
    names = header.split(" | ")
    cells = table_cells(row)
    if len(names) != len(cells):
        return f"{header}: {' | '.join(cells)}"
    return "; ".join(f"{name}: {cell}" if name else cell for name, cell in zip(names, cells) if cell)


def table_row(sentence: str, context: str) -> str | None:
    """A row of the table whose header is ``context`` (a Markdown row, or an HTML row
    rendered as a list item under its header), read cell by cell after the column names;
    None when ``sentence`` is no table row."""
    row = list_item_body(sentence) or sentence
    return table_row_text(context, row) if " | " in context and "|" in row else None


def embedding_text(sentence: str, context: str) -> str:
    """What the embedder reads for a sentence: a list item in its lead-in's context ("The
    Main Branch is open: Friday: 9 am to 6 pm"), a table row as ``table_row`` reads it."""
    if not context:
        return sentence
    return table_row(sentence, context) or f"{context}: {list_item_body(sentence) or sentence}"


def cited_paragraphs(text: str, paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """For each paragraph of ``text`` (``split_paragraphs``), the paragraph a citation
    names: itself, or for a list item the whole list in its block (see the module
    docstring), numbered as a reader counts. The result is aligned with ``paragraphs``;
    items of one list share one ``Paragraph`` (same number, offsets and text)."""
    groups: list[list[Paragraph]] = []
    for p in paragraphs:
        previous = groups[-1][-1] if groups else None
        joins = (previous is not None and text.count("\n", previous.end, p.start) < 2  # same block
                 and list_item_body(p.text) is not None and not is_code_block(previous.text)
                 and (list_item_body(previous.text) is not None
                      or (len(groups[-1]) == 1 and _opens_block(text, previous))))
        if joins:
            groups[-1].append(p)
        else:
            groups.append([p])
    out: list[Paragraph] = []
    for number, group in enumerate(groups, 1):
        start, end = group[0].start, group[-1].end
        cited = Paragraph(number, start, end, text[start:end])
        out.extend(cited for _ in group)
    return out


def citable_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of ``text`` as citations number them, each once."""
    return list(dict.fromkeys(cited_paragraphs(text, split_paragraphs(text))))


def _opens_block(text: str, p: Paragraph) -> bool:
    """Whether ``p`` starts on the first line of its block (after a blank line or at the
    start of the text)."""
    line_start = text.rfind("\n", 0, p.start)
    if line_start < 0:
        return True
    previous_line = text[text.rfind("\n", 0, line_start) + 1:line_start]
    return not previous_line.strip()


def is_code_block(text: str) -> bool:
    """Whether a paragraph is a fenced code block (one paragraph and one quoted unit)."""
    return bool(_FENCE.match(text))


def is_heading(text: str) -> bool:
    """Whether a line or paragraph is a Markdown heading ("### Options")."""
    return bool(_HEADING.match(text))


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(?=\S)")


def list_item_body(text: str) -> str | None:
    """A Markdown list item's text without its marker ("- Friday: 9 am" -> "Friday: 9 am");
    None when ``text`` is no list item."""
    marker = _LIST_ITEM.match(text)
    return text[marker.end():].strip() if marker else None


def key_value(text: str) -> tuple[str, str] | None:
    """A list item's or table row's key and value: "- Adult return: £5.50" -> ("Adult
    return", "£5.50"), "- Family (2 adults) | £22.00" -> ("Family (2 adults)", "£22.00");
    None when it has neither a cell bar nor a colon."""
    body = list_item_body(text) or text
    if "|" in body:
        key, bar, value = body.strip().strip("|").partition("|")
    else:
        key, bar, value = body.partition(":")
    return (key.strip(), value.strip()) if bar else None


def is_lead_in(text: str) -> bool:
    """Whether a sentence or paragraph ends with a colon, leading in to what follows."""
    return text.rstrip().endswith(":")


def lead_ins(paragraphs: Sequence[tuple[int, str]]) -> dict[int, int]:
    """Paragraph number of each list item -> number of the paragraph that introduces its
    list: a lead-in ending with a colon ("The Main Branch is open:") or a heading ("##
    Specifications") right before the items. "- Friday: 9 am to 6 pm" means nothing
    without "The Main Branch is open:", so the item is embedded, indexed and scored with it."""
    out: dict[int, int] = {}
    lead: int | None = None
    for number, text in paragraphs:
        if list_item_body(text) is not None:
            if lead is not None:
                out[number] = lead
            continue
        lead = number if is_lead_in(text) or is_heading(text) else None
    return out


#: A speaker's name opening a transcript turn ("DANIEL: ", "Q: ", "Dr Rees: ", "Reporter
#: from Calvessan Public Radio: ").
_SPEAKER_LABEL = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]*\s+(?:(?:from|of|for|at|the|and)\s+){0,2}){0,4}[A-Z][\w'’.-]*:\s+")


def without_speaker(text: str) -> str:
    """A transcript's sentence without the speaker label that opens its turn: the label
    is who speaks, not what is said ("Reporter from Kessel Radio: Last week ..." names no
    place; "Lin Varro: We regret ..." names no one)."""
    return _SPEAKER_LABEL.sub("", text, count=1)


def question_asked(text: str) -> str | None:
    """A paragraph that asks a question (an FAQ's "### Can I bring my dog?", an
    interviewer's "DANIEL: Where does the wood come from?"), as plain words: without
    heading marks, bold and speaker label. None when the paragraph asks nothing."""
    plain_text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text.strip()).replace("**", "").replace("__", "").strip()
    if not plain_text.endswith("?") or list_item_body(plain_text) is not None or is_table(text):
        return None
    return _SPEAKER_LABEL.sub("", plain_text, count=1).strip() or None


def replies(paragraphs: Sequence[tuple[int, str]]) -> dict[int, int]:
    """Paragraph number of each answer -> number of the question paragraph right before
    it (``question_asked``). "NIAMH: She retired in 2016" answers "DANIEL: Is she still
    working?" and says so only in its context. A question, a heading, a list item or a
    table after a question is no answer of this kind."""
    out: dict[int, int] = {}
    for (number, text), (after, reply) in pairwise(paragraphs):
        if (question_asked(text) and not question_asked(reply) and not is_heading(reply)
                and list_item_body(reply) is None and not is_table(reply)):
            out[after] = number
    return out


def paragraph_contexts(texts: Mapping[K, str], leads: Mapping[K, K]) -> dict[K, str]:
    """Paragraph -> the context it is read in: a list item its lead-in's (``context_of``;
    ``leads`` maps each item to its lead-in), a pipe table its header row."""
    tables = {key: table_header(text) for key, text in texts.items() if is_table(text)}
    return tables | {key: context_of(texts[lead]) for key, lead in leads.items()}


def context_of(lead: str) -> str:
    """A lead-in as context for its items: its last sentence (the one that leads in),
    without Markdown heading marks or the final colon."""
    spans = split_sentences(lead)
    last = lead[spans[-1][0]:spans[-1][1]] if spans else lead
    return re.sub(r"^\s{0,3}#{1,6}\s+", "", last).strip().rstrip(":").strip()


def without_quote_marks(text: str) -> str:
    """A quoted paragraph's text without the ``>`` that starts each of its lines."""
    return _QUOTE_MARKS.sub("", text)


def _continues_quote(line: str, previous: str) -> bool:
    """A quote line right after another quote line goes on the same quoted paragraph."""
    return bool(_QUOTE.match(line) and _QUOTE.match(previous))


#: Lines that are all pipe-table rows ("| E3 | Brew unit missing | Remove ... |").
_ROWS_ONLY = re.compile(r"\|[^\n]*\|(?:\s*\n\s*\|[^\n]*\|)*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, whitespace between them excluded.
    A fenced code block is one "sentence": code has no sentences, and is quoted whole."""
    if is_code_block(text):
        return [(0, len(text.rstrip()))] if text.strip() else []
    if is_table(text):  # each row a sentence; the header row and the rule only give context
        rows: list[tuple[int, int]] = []
        offset = 0
        for i, line in enumerate(text.split("\n")):
            if i >= 2 and line.strip():
                lead = len(line) - len(line.lstrip())
                rows.append((offset + lead, offset + len(line.rstrip())))
            offset += len(line) + 1
        return rows or [(0, len(text.split("\n", 1)[0].rstrip()))]
    if _ROWS_ONLY.fullmatch(text.strip()):
        # the later chunk of a long table: its rows, with no header or rule of their own
        return [(m.start(), m.end()) for m in re.finditer(r"\|[^\n]*\|", text)]
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n and text[start].isspace():
        start += 1
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end <= start:
            continue
        if not _is_boundary(text, start, match):
            continue
        spans.append((start, end))
        start = end
        while start < n and text[start].isspace():
            start += 1
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def _is_boundary(text: str, sentence_start: int, match: re.Match[str]) -> bool:
    punct_at = match.start()
    if text[punct_at] == ".":
        word = re.search(r"([\w.]+)$", text[sentence_start:punct_at])
        token = word.group(1).lower() if word else ""
        if token in _ABBREVIATIONS:
            return False
        if len(token) == 1 and token.isalpha():  # an initial: "J. Smith"
            return False
        if re.fullmatch(r"\d+", token) and re.match(r"\s+\d", text[match.end():]):
            return False
    if text[punct_at] in "?!" and _inside_quote(text[sentence_start:punct_at]):
        return False  # '"What is wrong? What shall we do?" became the question'
    following = text[match.end():].lstrip()
    # "... said. and then" is rarely a sentence break; a capital, digit or quote is.
    return not following or not following[0].islower()


def _inside_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def chunk_id(source: str, paragraph: int, part: int, text: str, context: str = "") -> str:
    """Stable id: the same text at the same place (in the same context) always gets the same id."""
    key = f"{source}\x1f{paragraph}\x1f{part}\x1f{text}" + (f"\x1f{context}" if context else "")
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def chunk_paragraph(source: str, paragraph: Paragraph, max_chars: int, context: str = "",
                    cited: int = 0) -> list[Chunk]:
    """One chunk for a short paragraph; sentence-aligned parts for a long one."""
    pieces: list[tuple[int, int]] = []
    if len(paragraph.text) <= max_chars:
        pieces.append((0, len(paragraph.text)))
    else:
        for s_start, s_end in split_sentences(paragraph.text):
            if pieces and s_end - pieces[-1][0] <= max_chars:
                pieces[-1] = (pieces[-1][0], s_end)
            else:
                pieces.append((s_start, s_end))
    chunks = []
    for part, (lo, hi) in enumerate(pieces):
        text = paragraph.text[lo:hi]
        chunks.append(Chunk(
            id=chunk_id(source, paragraph.number, part, text, context),
            source=source,
            paragraph=paragraph.number,
            part=part,
            start=paragraph.start + lo,
            end=paragraph.start + hi,
            text=text,
            context=context,
            cited=cited or paragraph.number,
        ))
    return chunks


def chunk_document(source: str, text: str, max_chars: int = 800) -> tuple[list[Paragraph], list[Chunk]]:
    """All paragraphs of a document and the chunks they are stored as."""
    paragraphs = split_paragraphs(text)
    contexts = paragraph_contexts({p.number: p.text for p in paragraphs},
                                  lead_ins([(p.number, p.text) for p in paragraphs]))
    cited = cited_paragraphs(text, paragraphs)
    chunks = [c for p, shown in zip(paragraphs, cited)
              for c in chunk_paragraph(source, p, max_chars, contexts.get(p.number, ""), shown.number)]
    return paragraphs, chunks
