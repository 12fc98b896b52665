"""PDF page -> paragraphs, from where each line sits on the page.

A PDF keeps lines, not paragraphs. pypdf reports each piece of text with its position,
font and size, so paragraphs are rebuilt the way a reader sees them:

- a vertical gap clearly wider than the usual line spacing ends a paragraph (a list
  item's spacing too), and so does a change of size or weight (a heading);
- a line of three or more cells far apart is a table row; consecutive rows become one
  Markdown table, so each row is read with its column names;
- a line repeated at the same height on most pages (a running header, "Page 2 of 3") is
  dropped, and a sentence cut by a page break is joined again;
- a short block indented as a whole is a list item (its bullet is often drawn, not
  written), and is marked as one ("- ");
- ligatures ("ﬁ") are spelled out, and a word hyphenated across lines is joined.

And as where lines are evenly spaced throughout, a line clearly shorter than the page's
usual line that ends a sentence ends its paragraph.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

#: A gap this many times the usual line spacing (or more) starts a new paragraph.
GAP_RATIO = 1.15
#: Pieces of a line further apart than this many times the font size are separate cells.
CELL_GAP = 1.5
#: Rows of one table are at most this many times the font size apart.
ROW_SPACING = 3.5
#: A table row has at least this many cells.
TABLE_CELLS = 3
#: A line repeated at the same height on at least this share of the pages is furniture.
REPEATED_SHARE = 0.5
#: A line this much shorter than the page's usual line, ending a sentence, ends a paragraph.
SHORT_LINE = 0.8
#: A block indented as a whole and at most this many lines long is a list item.
LIST_ITEM_LINES = 4
#: A piece of text may join any of this many lines before it, at its height.
RECENT_LINES = 4
#: Rough width of one character, as a share of the font size (to place a piece's end).
CHAR_WIDTH = 0.5

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SENTENCE_END = (".", "!", "?", ":", "\"", "”", "’", ")")
_BULLET = re.compile(r"^[•◦▪▫●○■□‣⁃–]\s+")
_PAGE_NUMBER = re.compile(r"(?i)^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$")


@dataclass
class Line:
    """One line of a page: where it starts, its size and weight, its cells left to right."""

    y: float
    size: float
    bold: bool
    cells: list[tuple[float, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(text.split()) for _, text in self.cells if text.strip())

    @property
    def is_row(self) -> bool:
        return len([c for c in self.cells if c[1].strip()]) >= TABLE_CELLS


def spelled(text: str) -> str:
    return text.translate(_LIGATURES)


def page_lines(page: Any) -> list[Line]:
    """The lines of a pypdf page in reading order, each with its position (y grows down
    the page), font size and weight."""
    pieces: list[tuple[float, float, float, bool, str]] = []

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]) * abs(tm[0] * tm[3] - tm[1] * tm[2]))
        name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
        for part in text.split("\n"):
            if part.strip():
                pieces.append((x, -y, (size or 1.0) * (scale or 1.0), "bold" in name.lower(), spelled(part)))

    page.extract_text(visitor_text=visit)
    lines: list[Line] = []
    for x, y, size, bold, text in pieces:
        # a table's header cells alternate between heights: a piece joins any of the
        # last few lines at its height
        line = next((line for line in reversed(lines[-RECENT_LINES:])
                     if abs(y - line.y) < 0.5 * max(size, line.size)), None)
        if line is None:
            lines.append(Line(y, size, bold, [(x, text)]))
            continue
        end_x, end_text = line.cells[-1]
        end = end_x + CHAR_WIDTH * line.size * len(end_text)
        if x - end > CELL_GAP * size or x < end_x:
            line.cells.append((x, text))
            line.cells.sort(key=lambda cell: cell[0])
        else:
            line.cells[-1] = (end_x, end_text + text)
        line.size, line.bold = max(line.size, size), line.bold and bold
    # ... and such lines are put back in order of height, unless far apart (a new column)
    for i in range(1, len(lines)):
        j = i
        while j > 0 and 0 < lines[j - 1].y - lines[j].y < 1.5 * lines[j].size:
            lines[j - 1], lines[j] = lines[j], lines[j - 1]
            j -= 1
    return [line for line in lines if line.text]


def furniture(pages: list[list[Line]]) -> set[tuple[int, str]]:
    """Running headers and footers: (rounded height, text with its digits masked) of lines
    found on most pages. (A bare page number at a page's top or bottom is dropped in
    ``paragraphs``.)"""
    if len(pages) < 2:
        return set()
    seen = Counter(key for lines in pages for key in {_key(line) for line in lines})
    return {key for key, n in seen.items() if n >= max(2, REPEATED_SHARE * len(pages))}


def _key(line: Line) -> tuple[int, str]:
    return round(line.y), re.sub(r"\d+", "#", line.text)


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """The paragraphs of a document's pages (see the module's docstring)."""
    repeated = furniture(pages)
    out: list[str] = []
    for lines in pages:
        body = [line for line in lines if _key(line) not in repeated]
        if body and _PAGE_NUMBER.match(body[0].text):
            body = body[1:]
        if body and _PAGE_NUMBER.match(body[-1].text):
            body = body[:-1]
        found = _page_paragraphs(body)
        if found and out and _cut(out[-1]) and not _is_table(found[0]) and not _is_table(out[-1]):
            out[-1] = _join(out[-1], found.pop(0))  # a sentence cut by the page break
        out += found
    return out


def _cut(paragraph: str) -> bool:
    return not paragraph.rstrip().endswith(_SENTENCE_END) and len(paragraph.split()) > 8


def _is_table(paragraph: str) -> bool:
    return paragraph.startswith("| ")


def _page_paragraphs(lines: list[Line]) -> list[str]:
    if not lines:
        return []
    spacing = _usual_spacing(lines)
    widths = sorted(len(line.text) for line in lines)
    usual_width = widths[len(widths) // 2]
    rows = _table_rows(lines)
    blocks: list[list[int]] = [[0]]
    for i in range(1, len(lines)):
        before, line = lines[i - 1], lines[i]
        gap = line.y - before.y
        wide = spacing is not None and gap > GAP_RATIO * spacing.get(round(line.size, 1), max(spacing.values()))
        restyled = abs(line.size - before.size) > 0.1 * before.size or line.bold != before.bold
        # with even spacing throughout, a short line that ends a sentence ends a paragraph
        ended = before.text.endswith(_SENTENCE_END) and len(before.text) < SHORT_LINE * usual_width
        if rows[i - 1] and rows[i]:
            blocks[-1].append(i)  # rows of one table keep together
        elif wide or restyled or ended or rows[i - 1] != rows[i]:
            blocks.append([i])
        else:
            blocks[-1].append(i)
    starts = Counter(round(line.cells[0][0]) for line in lines)
    margin = min(x for x, n in starts.items() if n == max(starts.values()))
    out: list[str] = []
    for numbers in blocks:
        block = [lines[i] for i in numbers]
        if rows[numbers[0]]:
            out.append(_table(block))
            continue
        text = ""
        for line in block:
            text = _join(text, line.text)
        bullet = _BULLET.match(text)
        if bullet:
            text = "- " + text[bullet.end():]
        elif all(line.cells[0][0] > margin + line.size for line in block) and len(block) <= LIST_ITEM_LINES:
            text = "- " + text  # a list item whose bullet is drawn, not written
        out.append(text)
    return out


def _table_rows(lines: list[Line]) -> list[bool]:
    """Which lines belong to a table: rows of several cells close below one another, and
    a lone cell between two of them (a header cell set lower than its neighbours)."""
    near = [i > 0 and abs(lines[i].y - lines[i - 1].y) < ROW_SPACING * lines[i].size for i in range(len(lines))]
    rows = [line.is_row for line in lines]
    for i in range(1, len(lines) - 1):
        if not rows[i] and rows[i - 1] and rows[i + 1] and near[i] and near[i + 1]:
            rows[i] = True
    return rows


def _usual_spacing(lines: list[Line]) -> dict[float, float] | None:
    """The usual gap between consecutive lines of each font size (the most common one),
    or None when the page gives no positions to go by."""
    gaps: dict[float, Counter[float]] = {}
    for before, line in pairwise(lines):
        gap = line.y - before.y
        if gap > 0.5 * line.size and abs(line.size - before.size) < 0.01 * line.size:
            gaps.setdefault(round(line.size, 1), Counter())[round(gap, 1)] += 1
    usual = {size: min(g for g, n in counts.items() if n == max(counts.values())) for size, counts in gaps.items()}
    return usual or None


def _join(text: str, line: str) -> str:
    """Add a line to a paragraph; a word hyphenated across lines is joined again ("Septem-
    ber" -> "September", "mid-" + "August" -> "mid-August")."""
    if not text:
        return line
    if text.endswith("-") and text[-2:-1].isalpha() and line[:1].isalnum():
        return text[:-1] + line if line[:1].islower() else text + line
    return f"{text} {line}"


def _table(rows: list[Line]) -> str:
    """Table rows as a Markdown table: cells by column (the column whose start is nearest),
    a header cell written over two lines joined in one."""
    widest = max(rows, key=lambda row: len(row.cells))
    starts = [x for x, _ in widest.cells]
    table: list[list[str]] = []
    for row in rows:
        cells = [""] * len(starts)
        for x, text in row.cells:
            at = min(range(len(starts)), key=lambda i: abs(starts[i] - x))
            cells[at] = f"{cells[at]} {' '.join(text.split())}".strip()
        table.append(cells)
    # header lines (before the first row that fills every column) make one header row
    first_full = next((i for i, cells in enumerate(table) if all(cells)), 0)
    if first_full > 0:
        header = [" ".join(filter(None, column)) for column in zip(*table[:first_full])]
        table = [header, *table[first_full:]]
    lines = [f"| {' | '.join(table[0])} |", "|" + " --- |" * len(starts)]
    lines += [f"| {' | '.join(cells)} |" for cells in table[1:]]
    return "\n".join(lines)
