"""HTML pages: blocks numbered as a reader counts them, tables and lists readable and citable."""

from __future__ import annotations

from pathlib import Path

from bot.chunk import citable_paragraphs
from bot.html_text import html_to_text
from tests.conftest import bot_over

PAGE = """<!doctype html><html><head><title>Harbour Museum - Visit</title>
<style>h1 { color: navy }</style><script>track()</script></head>
<body>
<nav><a href="/">Home</a></nav>
<h1>Visit the Harbour Museum</h1>
<p>The museum is open <b>Tuesday to Sunday</b> from 10:00 to 17:00.<br>It is closed on Mondays.</p>
<h2>Tickets</h2>
<table>
<tr><th>Ticket</th><th>Price</th><th>Notes</th></tr>
<tr><td>Adult</td><td>£9.50</td><td>Ages 17 to 64</td></tr>
<tr><td>Child</td><td>£4.00</td><td>Ages 5 to 16; under-5s go free</td></tr>
</table>
<p>We offer:</p>
<ul>
<li>two wheelchairs to borrow from the desk</li>
<li>a quiet hour every Sunday morning
  <ul><li>lights dimmed</li><li>films muted</li></ul>
</li>
<li>a large-print guide
</ul>
<ol><li>Buy a ticket.</li><li>Collect a map.</li></ol>
<pre>opening  = "10:00"
closing  = "17:00"</pre>
<p>The café is on the ground floor.</p>
</body></html>"""


def test_blocks_become_paragraphs_a_reader_counts() -> None:
    text = html_to_text(PAGE)
    numbered = [p.text for p in citable_paragraphs(text)]
    assert numbered == [
        "Home",
        "# Visit the Harbour Museum",  # the <title> is not a paragraph when the page has an <h1>
        "The museum is open Tuesday to Sunday from 10:00 to 17:00. It is closed on Mondays.",
        "## Tickets",
        "Ticket | Price | Notes:\n- Adult | £9.50 | Ages 17 to 64\n- Child | £4.00 | Ages 5 to 16; under-5s go free",
        "We offer:",
        "- two wheelchairs to borrow from the desk\n- a quiet hour every Sunday morning\n"
        "  - lights dimmed\n  - films muted\n- a large-print guide",
        "1. Buy a ticket.\n2. Collect a map.",
        '```\nopening  = "10:00"\nclosing  = "17:00"\n```',
        "The café is on the ground floor.",
    ]
    assert "track()" not in text and "color" not in text


def test_a_page_without_h1_keeps_its_title() -> None:
    text = html_to_text("<html><head><title>Ferry fares</title></head><body><p>Adults pay £3.</p></body></html>")
    assert text == "Ferry fares\n\nAdults pay £3.\n"
    # an icon's <title> is neither the page's title nor visible text
    icon = "<svg><title>anchor icon</title><path d='M0'/></svg>"
    text = html_to_text(f"<html><head><title>Ferry fares</title></head><body>{icon}<p>Adults pay £3.</p></body></html>")
    assert text == "Ferry fares\n\nAdults pay £3.\n"


def test_a_table_row_is_the_answer_and_the_table_its_cited_paragraph(tmp_path: Path) -> None:
    with bot_over(tmp_path, "museum.html", PAGE) as bot:
        a = bot.ask("How much is a child ticket?")
        assert a.answered and "£4.00" in a.answer and "£9.50" not in a.answer
        cited = a.citations[0]
        assert cited.source == "museum.html" and cited.paragraph == 5
        assert cited.quote in cited.text and cited.text.startswith("Ticket | Price | Notes:")
        assert bot.sources()[0].paragraphs == 10
