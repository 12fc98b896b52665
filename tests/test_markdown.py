"""A Markdown README (table of contents, headings, a code block, a quoted licence) through
the real bot: answers come from content, never from headings or page links, and every
quote is verbatim in its paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Bot
from bot.chunk import chunk_document, embedding_text, is_table, split_sentences
from tests.conftest import bot_over

README = """\
# tinyproxy-js

A small programmable HTTP proxy for Node.js.

### Table of Contents
* [Installation](#installation)
* [Timeouts](#timeouts)
* [License](#license)

### Installation

Install it from the npm registry with `npm install tinyproxy-js`.

```js
// start a proxy on port 8000
var proxy = require('tinyproxy-js').create({ target: 'http://localhost:9000' });

proxy.listen(8000);
```

**[Back to top](#table-of-contents)**

### Timeouts

Incoming requests are cut off after 120 seconds unless the timeout option says otherwise.

### License

>The MIT License (MIT)
>
>Permission is hereby granted, free of charge, to any person obtaining a copy
>of this software, to deal in the Software without restriction.
"""


@pytest.fixture(scope="module")
def readme_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    return bot_over(tmp_path_factory.mktemp("readme"), "tinyproxy.md", README)


@pytest.mark.parametrize(("question", "expected"), [
    ("How do I install tinyproxy-js?", "npm install tinyproxy-js"),
    ("How long before incoming requests are cut off?", "120 seconds"),
])
def test_answers_come_from_content_not_headings(readme_bot: Bot, question: str, expected: str) -> None:
    answer = readme_bot.ask(question)
    assert answer.answered
    assert expected in answer.answer
    for citation in answer.citations:
        assert not citation.quote.lstrip().startswith(("#", "* [", "**["))
        assert citation.quote in citation.text


def test_a_quoted_paragraph_is_cited_whole_and_shown_without_quote_marks(readme_bot: Bot) -> None:
    answer = readme_bot.ask("Is permission granted free of charge to obtain a copy of the software?")
    assert answer.answered
    first = answer.citations[0]
    assert first.text.startswith(">Permission is hereby granted") and "\n>of this software" in first.text
    assert first.quote in first.text
    assert ">" not in answer.answer.split("[1]")[0]


def test_the_code_block_is_one_paragraph(readme_bot: Bot) -> None:
    sources = {s.source: s for s in readme_bot.sources()}
    # title, intro, TOC heading with its 3 entries (one block: one cited paragraph),
    # heading, install line, code, back-to-top, heading, timeout line, heading, 2 quoted
    # paragraphs
    assert sources["tinyproxy.md"].paragraphs == 12


POOL = """\
# Riverside Community Pool

## Opening hours

The pool at 3 Mill Lane is open:

- Monday to Friday: 6:30 am to 9:00 pm
- Saturday: 8:00 am to 6:00 pm
- Sunday: 10:00 am to 4:00 pm

Swimming lessons run in the mornings during school holidays. On public holidays the pool closes at 1:00 pm.

## What to bring

- A towel
- A padlock for the lockers
- A swimming cap if your hair is long

## Prices

Entry prices are set each April by the council. The current prices are:

- Adults: $6.50 per swim
- Children under 16: $3.00 per swim
- Seniors: $4.00 per swim

## Rules

Diving is allowed only at the deep end. Children under 8 must be accompanied by an adult in the water.
"""


@pytest.fixture(scope="module")
def pool_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    return bot_over(tmp_path_factory.mktemp("pool"), "pool.md", POOL)


def _paragraph(starts: str) -> int:
    """The number citations give the paragraph of POOL that starts so."""
    from bot.chunk import cited_paragraphs, split_paragraphs

    units = split_paragraphs(POOL)
    return next(c.number for p, c in zip(units, cited_paragraphs(POOL, units)) if p.text.startswith(starts))


def test_list_items_know_their_lead_in() -> None:
    from bot.chunk import chunk_document, lead_ins, list_item_body, split_paragraphs

    numbered = [(p.number, p.text) for p in split_paragraphs(POOL)]
    text = dict(numbered)
    leads = {text[item]: text[lead] for item, lead in lead_ins(numbered).items()}
    assert leads["- Saturday: 8:00 am to 6:00 pm"] == "The pool at 3 Mill Lane is open:"
    assert leads["- A towel"] == "## What to bring"  # a heading leads in too
    assert leads["- Seniors: $4.00 per swim"].endswith("The current prices are:")
    assert "Swimming lessons run in the mornings during school holidays." not in leads  # not an item
    assert list_item_body("- Sunday: closed") == "Sunday: closed" and list_item_body("Sunday: closed") is None
    # the chunk carries its context, and the context is part of its id
    _, chunks = chunk_document("pool.md", POOL)
    saturday = next(c for c in chunks if c.text.startswith("- Saturday"))
    assert saturday.context == "The pool at 3 Mill Lane is open"
    _, moved = chunk_document("pool.md", POOL.replace("The pool at 3 Mill Lane is open:", "The pool is open:"))
    assert next(c for c in moved if c.text.startswith("- Saturday")).id != saturday.id


def test_a_terse_list_item_is_content_but_a_table_of_contents_entry_is_not() -> None:
    from bot.text import is_fragment, is_fragment_paragraph

    assert not is_fragment("- Saturday: 8:00 am to 6:00 pm")
    assert not is_fragment("- A towel")
    assert not is_fragment_paragraph("3. Sunday: closed")
    assert not is_fragment("The pool at 3 Mill Lane is open:")  # a lead-in is a sentence
    assert is_fragment("* [Installation](#installation)")
    assert is_fragment("Opening hours") and is_fragment("Note:")


def test_a_heading_asking_a_question_is_still_a_heading() -> None:
    from bot.text import is_fragment, is_fragment_paragraph

    # an FAQ's "### Who runs the co-op?" heads its answer; it answers nothing itself
    assert is_fragment("### Who runs the co-op?") and is_fragment_paragraph("## Can I bring my dog to the mill?")
    assert not is_fragment("Who runs the co-op? A volunteer board of nine directors.")
    assert not is_fragment("Can I bring my dog to the mill?")


def test_a_list_item_is_embedded_with_its_lead_in(pool_bot: Bot) -> None:
    from bot.chunk import chunk_document

    _, chunks = chunk_document("pool.md", POOL)
    saturday = next(c for c in chunks if c.text.startswith("- Saturday"))
    stored = pool_bot.store.sentence_vectors([f"{saturday.id}:0"])[f"{saturday.id}:0"]
    embedder = pool_bot.store.embedder
    with_context = embedder.embed_batch(["The pool at 3 Mill Lane is open: Saturday: 8:00 am to 6:00 pm"])[0]
    alone = embedder.embed_batch(["- Saturday: 8:00 am to 6:00 pm"])[0]
    assert float(with_context @ stored) > 0.999 > float(alone @ stored)


def test_an_item_answers_with_its_lead_ins_words(pool_bot: Bot) -> None:
    # "pool" is only in the lead-in, "Saturday" only in the item; the holiday sentence
    # holds "pool" and "close" itself
    a = pool_bot.ask("What time does the pool close on Saturdays?")
    assert a.answered and "6:00 pm" in a.answer, a.answer
    assert a.citations[0].paragraph == _paragraph("- Saturday")
    assert not a.answer.startswith("-")  # shown without its list marker
    assert a.citations[0].quote in a.citations[0].text


def test_an_item_is_cited_as_its_whole_list_and_two_items_share_one_citation(pool_bot: Bot) -> None:
    a = pool_bot.ask("When is the pool open on Saturday and on Sunday?")
    assert a.answered and "8:00 am" in a.answer and "10:00 am" in a.answer, a.answer
    first = a.citations[0]
    assert first.text.startswith("- Monday to Friday") and first.text.endswith("- Sunday: 10:00 am to 4:00 pm")
    # one citation for the list, its quote the verbatim span that holds both items
    assert [c.paragraph for c in a.citations].count(first.paragraph) == 1
    assert "- Saturday" in first.quote and "- Sunday" in first.quote and first.quote in first.text
    # the paragraph after the list is numbered as a reader counts: the list is one
    b = pool_bot.ask("When do swimming lessons run?")
    assert b.citations[0].paragraph == _paragraph("Swimming lessons") == _paragraph("- Saturday") + 1


@pytest.mark.parametrize(("question", "lead_in", "items"), [
    # a heading leads in: the items hold none of the question's words
    ("What should I bring to the pool?", None, ["A towel", "A padlock", "A swimming cap"]),
    # a lead-in sentence answers with its list
    ("What are the current entry prices?", "The current prices are:", ["Adults", "Children under 16", "Seniors"]),
    # a list request: the other items of the best one's list, though their shared lead-in
    # makes their vectors near-duplicates
    ("What are all of the prices per swim?", None, ["Adults", "Children under 16", "Seniors"]),
])
def test_a_question_about_the_whole_list_gets_every_item(pool_bot: Bot, question: str, lead_in: str | None,
                                                         items: list[str]) -> None:
    a = pool_bot.ask(question)
    assert a.answered, a.answer
    quotes = [c.quote for c in a.citations]
    for item in items:
        assert any(item in q for q in quotes), (item, a.answer)
    positions = [a.answer.find(item) for item in items]
    assert positions == sorted(positions) and -1 not in positions  # in document order
    if lead_in:
        assert -1 < a.answer.find(lead_in) < positions[0], a.answer


def test_a_list_items_lead_in_counts_toward_its_coverage(tmp_path: Path) -> None:
    # The held-out library FAQ: "main branch" is only in "The Main Branch at 14 Quayside
    # Road is open:", "Friday" only in its item; a holiday sentence holds "Main Branch
    # closes" itself. Without the lead-in's words the item falls behind it and out of the answer.
    faq = Path(__file__).parent.parent / "evals" / "corpora" / "heldout" / "harbor_library_faq.md"
    with bot_over(tmp_path, faq.name, faq.read_text(encoding="utf-8")) as bot:
        a = bot.ask("What time does the main branch close on Fridays?")
        assert a.answered and "Friday: 9:00 am to 6:00 pm" in a.answer, a.answer


PRICES = """\
# Pellworth Museum visitor information

The museum is open Tuesday to Sunday from 10:00 to 17:00. Last admission is at 16:15.

## Prices

Tickets are sold at the front desk and online. The prices below apply until the end of March.
| Ticket | Price | Notes |
|:-------|------:|-------|
| Adult | £9.50 | Ages 17 to 64, including visitors from overseas who are not members of any partner museum scheme |
| Child | £4.50 | Ages 5 to 16 |
| Concession | £7.00 | Over 65s, students and jobseekers |
| Family | £24.00 | Two adults and up to three children |

Children under 5 go free. Booking is not needed.
"""


def test_a_pipe_table_is_one_paragraph_of_rows() -> None:
    paragraphs, chunks = chunk_document("prices.md", PRICES)
    texts = [p.text for p in paragraphs]
    # the lead-in line above the table is its own paragraph; the table is one, though
    # one row is over the hard-wrap width; the next block is the next paragraph
    assert texts[3] == "Tickets are sold at the front desk and online. The prices below apply until the end of March."
    table = paragraphs[4]
    assert table.text.startswith("| Ticket |") and table.text.endswith("three children |")
    assert table.number == 5 and is_table(table.text) and not is_table(texts[3])
    assert texts[5] == "Children under 5 go free. Booking is not needed."
    rows = [table.text[a:b] for a, b in split_sentences(table.text)]
    assert rows == [line for line in table.text.split("\n")[2:]]  # header and rule are no sentences
    chunk = next(c for c in chunks if c.paragraph == 5)
    assert chunk.context == "Ticket | Price | Notes"
    assert embedding_text(rows[1], chunk.context) == "Ticket: Child; Price: £4.50; Notes: Ages 5 to 16"
    # an HTML table row (a list item under its header, see bot/html_text.py) reads the same
    assert embedding_text("- Child | £4.50 | Ages 5 to 16", "Ticket | Price | Notes") == \
        "Ticket: Child; Price: £4.50; Notes: Ages 5 to 16"
    assert embedding_text("- Friday: 9 am", "The Main Branch is open") == "The Main Branch is open: Friday: 9 am"


@pytest.mark.parametrize(("question", "price"), [
    ("How much is a child ticket?", "£4.50"),
    ("What does a family ticket cost?", "£24.00"),
    ("What is the concession price?", "£7.00"),
])
def test_a_table_row_answers_and_is_cited_as_its_table(tmp_path: Path, question: str, price: str) -> None:
    with bot_over(tmp_path, "prices.md", PRICES) as bot:
        a = bot.ask(question)
    assert a.answered and price in a.answer, a.answer
    top = a.citations[0]
    assert top.paragraph == 5 and top.quote.startswith("|") and price in top.quote and top.quote in top.text
    # the answer reads the row by its column names; the citation keeps the row verbatim
    assert "Price: " + price in a.answer


def test_a_sentence_inside_emphasis_is_still_a_sentence() -> None:
    from bot.text import is_fragment

    # a rulebook's italic subtitle: "*A game for 2 to 5 players. Playing time: about 45 minutes.*"
    assert not is_fragment("Playing time: about 45 to 60 minutes.*")
    assert not is_fragment("The museum is closed on public holidays.__")
    assert is_fragment("*Opening hours*")


def test_a_long_tables_later_chunk_is_still_split_into_rows() -> None:
    from bot.chunk import chunk_document, split_sentences

    rows = "\n".join(f"| E{n} | Fault number {n} of the pump | Switch off, wait {n} minutes. Then restart. |"
                     for n in range(1, 15))
    _, chunks = chunk_document("manual.md", f"| Code | Meaning | What to do |\n|---|---|---|\n{rows}\n")
    assert len(chunks) > 1  # the table is longer than a chunk
    later = chunks[-1].text
    # each row is one sentence, whole, as in the table's first chunk
    assert [later[a:b] for a, b in split_sentences(later)] == later.split("\n")
