"""A Markdown README (table of contents, headings, a code block, a quoted licence) through
the real bot: answers come from content, never from headings or page links, and every
quote is verbatim in its paragraph."""

from __future__ import annotations

import pytest

from bot import Bot
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
    # title, intro, TOC heading + 3 entries, heading, install line, code, back-to-top,
    # heading, timeout line, heading, 2 quoted paragraphs
    assert sources["tinyproxy.md"].paragraphs == 15
