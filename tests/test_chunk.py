from __future__ import annotations

import itertools
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.chunk import (
    chunk_document,
    chunk_paragraph,
    citable_paragraphs,
    cited_paragraphs,
    question_asked,
    replies,
    split_paragraphs,
    split_sentences,
)
from bot.text import never_answers
from tests.conftest import NEWS, SEEDS, SPEECH


def test_each_line_of_the_news_report_is_a_paragraph() -> None:
    text = (SEEDS / NEWS).read_text(encoding="utf-8")
    paragraphs = split_paragraphs(text)
    assert [p.number for p in paragraphs] == [1, 2, 3, 4, 5, 6]
    assert paragraphs[2].text.startswith("The meeting was presided over by Russian President Vladimir Putin")


def test_speech_paragraph_numbers_follow_non_empty_lines() -> None:
    text = (SEEDS / SPEECH).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    paragraphs = split_paragraphs(text)
    assert [p.text for p in paragraphs] == lines
    assert paragraphs[19].text.startswith("We must continue to promote the in-depth integration")


def test_hard_wrapped_block_is_one_paragraph_and_markdown_items_are_separate() -> None:
    text = (
        "# Title\n"
        "Short wrapped line one of a paragraph\nand its second line.\n\n"
        "- first item\n- second item\n"
    )
    got = [p.text for p in split_paragraphs(text)]
    assert got == ["# Title", "Short wrapped line one of a paragraph\nand its second line.",
                   "- first item", "- second item"]


FARES = """\
# Ferry

## Fares

- Adult single: £3.20
- Adult return: £5.50

Cash is accepted at the kiosk.

Rules on board:
- No smoking.
- No fishing.

- Dogs on a lead.

- Bicycles at the back.
"""


def test_a_list_in_one_block_is_one_cited_paragraph_as_a_reader_counts_blocks() -> None:
    units = split_paragraphs(FARES)
    cited = cited_paragraphs(FARES, units)
    by_unit = {p.text: c for p, c in zip(units, cited)}
    # the items are retrieved and quoted one by one, but cited as the list they make
    assert by_unit["- Adult single: £3.20"].number == by_unit["- Adult return: £5.50"].number == 3
    assert by_unit["- Adult return: £5.50"].text == "- Adult single: £3.20\n- Adult return: £5.50"
    # later paragraphs are numbered as a reader counts them
    assert by_unit["Cash is accepted at the kiosk."].number == 4
    # a lead-in on the block's first line is part of the list it opens
    assert by_unit["Rules on board:"].number == by_unit["- No fishing."].number == 5
    assert by_unit["- No fishing."].text == "Rules on board:\n- No smoking.\n- No fishing."
    # items in blocks of their own stay paragraphs of their own
    assert by_unit["- Dogs on a lead."].number == 6 and by_unit["- Bicycles at the back."].number == 7
    assert [p.number for p in citable_paragraphs(FARES)] == [1, 2, 3, 4, 5, 6, 7]
    for p, c in zip(units, cited):
        assert FARES[c.start:c.end] == c.text and c.start <= p.start < p.end <= c.end


def test_the_seeds_are_cited_by_their_lines() -> None:
    for name in (NEWS, SPEECH):
        text = (SEEDS / name).read_text(encoding="utf-8")
        assert citable_paragraphs(text) == split_paragraphs(text)


def test_a_fenced_code_block_is_one_paragraph_even_with_blank_lines() -> None:
    text = (
        "Install it:\n\n"
        "```js\nvar proxy = create();\n\n// start it\nproxy.listen(8000);\n```\n\n"
        "Then call it.\n"
    )
    paragraphs = split_paragraphs(text)
    assert [p.text for p in paragraphs] == [
        "Install it:", "```js\nvar proxy = create();\n\n// start it\nproxy.listen(8000);\n```", "Then call it."]
    for p in paragraphs:
        assert text[p.start:p.end] == p.text


def test_an_unclosed_fence_runs_to_the_end() -> None:
    text = "Intro.\n\n~~~\ncode line\n\nmore code\n"
    assert [p.text for p in split_paragraphs(text)] == ["Intro.", "~~~\ncode line\n\nmore code"]


def test_quoted_lines_are_one_paragraph_and_a_bare_quote_line_separates_them() -> None:
    text = (
        "### License\n\n"
        ">The MIT License (MIT)\n>\n"
        ">Permission is hereby granted, free of charge,\n>to any person obtaining a copy.\n>\n"
        ">THE SOFTWARE IS PROVIDED AS IS.\n"
    )
    got = [p.text for p in split_paragraphs(text)]
    assert got == ["### License", ">The MIT License (MIT)",
                   ">Permission is hereby granted, free of charge,\n>to any person obtaining a copy.",
                   ">THE SOFTWARE IS PROVIDED AS IS."]


def test_a_code_block_is_one_sentence() -> None:
    code = "```py\nx = 1. # not a sentence end\nprint(x)\n```"
    assert split_sentences(code) == [(0, len(code))]


def test_headings_and_page_links_never_answer() -> None:
    assert never_answers("### Listening for proxy events")
    assert never_answers("* [Options](#options)")
    assert never_answers("**[Back to top](#table-of-contents)**")
    # a sentence holding a page link says something of its own ...
    assert not never_answers("The [Options](#options) table lists every flag with its default.")
    assert not never_answers("Version 3, 29 June 2007")
    # ... unless it only sends the reader there: then it answers "where" questions alone
    assert never_answers("See [Options](#options) for the list.")
    assert not never_answers("See [Options](#options) for the list.", kind="place")
    # a question points at its answer, whoever asks it
    assert never_answers("DANIEL: Is she still working?")
    assert never_answers("**Why is my loaf small and heavy?**")
    assert not never_answers("NIAMH: She retired in 2016.")


def test_an_answer_is_read_after_the_question_before_it() -> None:
    paragraphs = list(enumerate([
        "DANIEL: Let's talk about wood. Where does it come from?",
        "NIAMH: The tops are spruce, from the Val di Fiemme.",
        "DANIEL: Is she still working?",
        "NIAMH: She retired in 2016. Why do you ask?",   # ends with a question: asks one, answers none
        "DANIEL: Fair enough.",
        "### Can children have their own card?",
        "Yes, from the age of 5.",
        "**Why is my loaf heavy?**",
        "- old yeast",                                   # a list answers in its own way
        "Q: What if I lose my card?",
        "## Fees",                                       # a heading is no answer
    ], start=1))
    assert question_asked(paragraphs[0][1]) == "Let's talk about wood. Where does it come from?"
    assert question_asked("**Why is my loaf heavy?**") == "Why is my loaf heavy?"
    assert question_asked("Q: What if I lose my card?") == "What if I lose my card?"
    assert question_asked("NIAMH: The tops are spruce.") is None
    assert replies(paragraphs) == {2: 1, 5: 4, 7: 6}


def test_long_paragraph_splits_at_sentences_and_keeps_its_number() -> None:
    text = (SEEDS / SPEECH).read_text(encoding="utf-8")
    _, chunks = chunk_document(SPEECH, text, max_chars=400)
    long = [c for c in chunks if c.paragraph == 20]
    assert len(long) > 2
    assert {c.paragraph for c in long} == {20}
    assert [c.part for c in long] == list(range(len(long)))
    for c in long:
        assert text[c.start:c.end] == c.text
        assert c.text.rstrip()[-1] in ".!?”\""


def test_chunk_ids_are_stable_and_position_sensitive() -> None:
    text = "Alpha beta.\n\nGamma delta.\n"
    _, first = chunk_document("a.txt", text)
    _, again = chunk_document("a.txt", text)
    assert [c.id for c in first] == [c.id for c in again]
    _, other = chunk_document("b.txt", text)
    assert {c.id for c in first}.isdisjoint(c.id for c in other)


def test_sentence_splitter_keeps_abbreviations_and_initials() -> None:
    text = "Mr. Smith met J. Doe in the U.S. on Monday. They talked. Then 3.5 percent rose!"
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == ["Mr. Smith met J. Doe in the U.S. on Monday.", "They talked.", "Then 3.5 percent rose!"]


_text = st.text(alphabet=st.sampled_from(list("ab .!?\n\n  \u00a0”Zx")), max_size=400)


@settings(max_examples=300, deadline=None)
@given(_text, st.integers(min_value=5, max_value=200))
def test_offsets_reproduce_the_source_exactly(text: str, max_chars: int) -> None:
    paragraphs, chunks = chunk_document("doc.txt", text, max_chars)
    for p in paragraphs:
        assert text[p.start:p.end] == p.text
        assert p.text.strip() == p.text and p.text
    for c in chunks:
        assert text[c.start:c.end] == c.text
    # chunks of a paragraph are in order and inside it
    for p in paragraphs:
        parts = [c for c in chunks if c.paragraph == p.number]
        assert parts and all(p.start <= c.start < c.end <= p.end for c in parts)
        assert all(a.end <= b.start for a, b in itertools.pairwise(parts))
    # cited paragraphs are numbered 1, 2, ... and hold their paragraphs, verbatim
    cited = cited_paragraphs(text, paragraphs)
    assert [p.number for p in citable_paragraphs(text)] == list(range(1, len(set(cited)) + 1))
    for p, c in zip(paragraphs, cited):
        assert text[c.start:c.end] == c.text and c.start <= p.start < p.end <= c.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
@example(">")  # found by hypothesis: a bare ">" line separates quoted paragraphs, like a blank line
@example("> a\n>\n> b")
def test_any_unicode_text_chunks_without_losing_content(text: str) -> None:
    paragraphs, chunks = chunk_document("doc.txt", text, 50)
    kept = "".join(c.text for c in chunks)
    # Everything but whitespace is kept, except the bare ">" lines between quoted
    # paragraphs, which are separators (Markdown's blank line inside a quote).
    content = "".join(line for line in text.split("\n") if not re.fullmatch(r"\s{0,3}>\s*", line))
    assert "".join(kept.split()) == "".join(content.split())
    for p in paragraphs:
        assert chunk_paragraph("doc.txt", p, 50)
