"""HTML -> text that the chunker numbers as a reader counts the page's blocks.

Each block element becomes one blank-line separated block: a paragraph, a heading
(written as a Markdown heading, ``## Tickets``), a whole list (one ``- item`` or ``1. item``
line per item) or a whole table. A table is written as its header row, ending with a colon,
and one ``- `` line per row with the cells joined by ``|``, so a row is retrieved and
quoted on its own, in the context of its header, and the table is cited as one paragraph,
as a list is (see ``bot.chunk``). ``<title>`` is used only when the page has no ``<h1>``.
Script, style and other invisible elements are dropped.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that start and end a block of text.
BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article",
                    "header", "footer", "main", "aside", "nav", "address", "dd", "dt", "figcaption", "summary",
                    "details", "dl", "form", "fieldset", "hr"})
INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "svg", "button", "select"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _squeeze(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.hidden = 0
        self.title: list[str] | None = None
        self.title_text = ""
        self.svg = 0
        self.has_h1 = False
        self.heading = 0
        self.pre = 0
        # open lists, innermost last: (ordered, items so far); their lines so far
        self.lists: list[list[int]] = []
        self.list_lines: list[str] = []
        self.in_item = 0
        # the table being read: rows of cells, the current row, whether a row is a header
        self.rows: list[tuple[bool, list[str]]] | None = None
        self.cells: list[str] = []
        self.header_row = True
        self.caption: list[str] | None = None

    # -- emitting -----------------------------------------------------------------------
    def _text(self) -> str:
        text = "".join(self.inline) if self.pre else _squeeze(self.inline)
        self.inline = []
        return text.strip("\n") if self.pre else text

    def _flush(self) -> None:
        """End the current paragraph (not inside a list item or a table cell)."""
        if self.in_item or self.rows is not None:
            self.inline.append(" ")
            return
        text = self._text()
        if not text.strip():
            return
        if self.heading:
            text = "#" * self.heading + " " + text
        elif self.pre:
            text = f"```\n{text}\n```"
        self.blocks.append(text)

    def _end_item(self) -> None:
        text = _squeeze(self.inline)
        self.inline = []
        if text and self.lists:
            depth = len(self.lists) - 1
            ordered, count = self.lists[-1]
            marker = f"{count}." if ordered else "-"
            self.list_lines.append("  " * depth + f"{marker} {text}")

    # -- parser callbacks ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.svg:  # an icon's <title> is not the page's
            self.title = []
        elif tag in INVISIBLE:
            self.hidden += 1
            self.svg += tag == "svg"
        elif self.hidden:
            return
        elif tag in ("ul", "ol"):
            if self.in_item:  # a list inside an item: the item's own text goes first
                self._end_item()
            else:
                self._flush()
            self.lists.append([int(tag == "ol"), 0])
        elif tag == "li" and self.lists:
            if self.in_item == len(self.lists):  # the previous item was never closed
                self._end_item()
            else:
                self.in_item += 1
            self.lists[-1][1] += 1
        elif tag == "table" and self.rows is None and not self.in_item:
            self._flush()
            self.rows, self.caption = [], None
        elif tag == "caption" and self.rows is not None:
            self.caption = []
        elif tag == "tr" and self.rows is not None:
            self.cells, self.header_row = [], True
        elif tag in ("td", "th") and self.rows is not None:
            self.header_row = self.header_row and tag == "th"
            self.inline = []
        elif tag == "br":
            self.inline.append("\n" if self.pre else " ")
        elif tag in BLOCKS or tag == "li":  # an item outside any list is a paragraph
            self._flush()
            if tag in HEADINGS:
                self.heading = HEADINGS[tag]
                self.has_h1 = self.has_h1 or tag == "h1"
            elif tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.title_text = _squeeze(self.title)
            self.title = None
        elif tag in INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
            self.svg = max(0, self.svg - (tag == "svg"))
        elif self.hidden:
            return
        elif tag == "li" and self.in_item:
            self._end_item()
            self.in_item -= 1
        elif tag in ("ul", "ol") and self.lists:
            if self.in_item == len(self.lists):  # its last item was never closed
                self._end_item()
                self.in_item -= 1
            self.lists.pop()
            if not self.lists and self.list_lines:
                self.blocks.append("\n".join(self.list_lines))
                self.list_lines = []
        elif tag == "caption" and self.caption is not None:
            self.caption.append(_squeeze(self.inline))
            self.inline = []
        elif tag in ("td", "th") and self.rows is not None:
            self.cells.append(_squeeze(self.inline))
            self.inline = []
        elif tag == "tr" and self.rows is not None:
            if any(self.cells):
                self.rows.append((self.header_row, self.cells))
            self.cells = []
        elif tag == "table" and self.rows is not None:
            self._end_table()
        elif tag in BLOCKS or tag == "li":
            self._flush()
            if tag in HEADINGS:
                self.heading = 0
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
        elif not self.hidden:
            self.inline.append(data)

    def _end_table(self) -> None:
        rows, caption = self.rows or [], " ".join(self.caption or [])
        self.rows, self.caption = None, None
        lines: list[str] = []
        has_head = bool(rows) and rows[0][0]
        lead = " | ".join(rows[0][1]) if has_head else ""
        if caption or lead:
            lines.append(f"{caption}: {lead}:" if caption and lead else f"{caption or lead}:")
        lines += ["- " + " | ".join(cells) for _, cells in rows[int(has_head):]]
        if lines:
            self.blocks.append("\n".join(lines))

    def close(self) -> None:
        super().close()
        self._flush()
        if self.list_lines:
            self.blocks.append("\n".join(self.list_lines))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one blank-line separated block per block element."""
    renderer = _Renderer()
    renderer.feed(html)
    renderer.close()
    blocks = renderer.blocks
    if renderer.title_text and not renderer.has_h1:
        blocks = [renderer.title_text, *blocks]
    return "\n\n".join(blocks) + "\n"
