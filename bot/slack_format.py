"""Answers as chat messages (Slack blocks, mrkdwn for webhooks) and chat text as questions.

Plain functions of ``Answer`` and of the text Slack sends; no I/O. ``bot.slack`` uses them.

    text, blocks = answer_blocks(answer)    # chat.postMessage / response_url payload parts
    answer_mrkdwn(answer)                   # one string, for Mattermost / Rocket.Chat
    question_from_slack("<@U0BOT> Who presided?", bot_user_ids={"U0BOT"})  # -> "Who presided?"
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from bot.types import Answer, Citation

#: Said when the documents do not hold the answer (the extractive answerer's own words).
NOT_FOUND = "I could not find this in the documents."
#: Slack's limits: a section's text, and the elements of one context block.
MAX_SECTION_CHARS = 3000
MAX_CONTEXT_ELEMENTS = 10
#: Quotes shown under an answer are cut to about this many characters.
QUOTE_CHARS = 140
SHARE_FLAG = "--share"

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def escape(text: str) -> str:
    """Text safe inside Slack mrkdwn: only ``&``, ``<`` and ``>`` have to be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def question_from_slack(text: str, bot_user_ids: Collection[str] = ()) -> str:
    """A message as Slack sends it -> the plain question: the bot's mentions (and a leading
    mention of anyone, when the bot's id is not known) dropped, other mentions, channels
    and links as their labels, entities unescaped, whitespace collapsed."""
    text = text.strip()
    leading = _MENTION.match(text)
    if leading and not bot_user_ids:
        text = text[leading.end():]

    def mention(m: re.Match[str]) -> str:
        if m.group(1) in bot_user_ids:
            return " "
        return "@" + (m.group(2) or m.group(1))

    text = _MENTION.sub(mention, text)
    text = _CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(unescape(text).split())


def split_share(text: str) -> tuple[str, bool]:
    """``/ask --share question`` -> (question, True): the flag at either end asks for the
    answer in the channel rather than only to the asker."""
    words = text.split()
    share = False
    while words and words[0].lower() == SHARE_FLAG:
        words, share = words[1:], True
    while words and words[-1].lower() == SHARE_FLAG:
        words, share = words[:-1], True
    return " ".join(words), share


def short_quote(citation: Citation, limit: int = QUOTE_CHARS) -> str:
    """The citation's quote (or the start of its paragraph), cut at a word near ``limit``."""
    quote = " ".join((citation.quote or citation.text).split())
    if len(quote) <= limit:
        return quote
    cut = quote[:limit].rsplit(" ", 1)[0] or quote[:limit]
    return cut.rstrip(",;:") + "…"


def source_line(n: int, citation: Citation) -> str:
    """``[1] *speech.txt* ¶20: “The Chinese side will hold …”`` (mrkdwn, escaped)."""
    return f"[{n}] *{escape(citation.source)}* ¶{citation.paragraph}: “{escape(short_quote(citation))}”"


def answer_text(answer: Answer) -> str:
    """The answer's words; an abstention says so plainly."""
    text = " ".join(answer.answer.split())
    if not answer.answered and not text:
        return NOT_FOUND
    return text


def _sources_title(answer: Answer) -> str:
    return "Sources" if answer.answered else "Closest passages"


def answer_blocks(answer: Answer) -> tuple[str, list[dict[str, Any]]]:
    """The ``text`` fallback and the ``blocks`` of a Slack message: the answer as a section,
    its sources (document, paragraph, short quote) as a context block."""
    body = escape(answer_text(answer))
    if len(body) > MAX_SECTION_CHARS:
        body = body[: MAX_SECTION_CHARS - 1].rsplit(" ", 1)[0] + "…"
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]
    fallback = answer_text(answer)
    cited = answer.citations[: MAX_CONTEXT_ELEMENTS - 1]
    if cited:
        elements = [{"type": "mrkdwn", "text": f"*{_sources_title(answer)}:*"}]
        elements += [{"type": "mrkdwn", "text": source_line(n, c)} for n, c in enumerate(cited, 1)]
        blocks.append({"type": "context", "elements": elements})
        fallback += f"\n{_sources_title(answer)}: " + "; ".join(
            f"[{n}] {c.source} ¶{c.paragraph}" for n, c in enumerate(cited, 1))
    return fallback, blocks


def answer_mrkdwn(answer: Answer) -> str:
    """One message for Slack-compatible webhooks (Mattermost, Rocket.Chat): the answer,
    then its sources as quoted lines."""
    lines = [escape(answer_text(answer))]
    if answer.citations:
        lines += ["", f"*{_sources_title(answer)}:*"]
        lines += [f"> {source_line(n, c)}" for n, c in enumerate(answer.citations, 1)]
    return "\n".join(lines)


def error_blocks(message: str) -> tuple[str, list[dict[str, Any]]]:
    """A one-line problem (a ``BotError`` message) as a message."""
    text = f"⚠️ {message}"
    return text, [{"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}]
