"""Question + chat history -> the query used for retrieval, and what to avoid repeating.

Offline there is no model to rewrite a follow-up, so a question that reads like one
("What other forum will it host?") is joined to the previous user question for
retrieval. The answerer does not give the previous answer's sentences again, unless
the follow-up asks a detail of them ("Which country is he president of?"); a question
asking for something *other* than before never gets them.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.chunk import split_sentences
from bot.errors import InputError
from bot.text import (
    COUNT_WORDS,
    ITEM_IN_TEXT,
    ORDINALS,
    SPEECH_VERBS,
    countries_named,
    is_word,
    ordinal_noun,
    terms,
    words,
)

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|he|him|his|she|her|this|that|these|those|there|then|"
    r"other|others|else|another|also|too|same|more|besides|which one|what about|how about|and|again|"
    # "how does the second one end?", "the latter"
    r"(?:first|second|third|fourth|fifth|last|latter|former|the)\s+ones?|latter|former)\b",
    re.IGNORECASE,
)
_OTHER = re.compile(r"\b(other|others|else|another|besides|apart from|except|more|second|next one|rest|remaining)\b",
                    re.IGNORECASE)
#: "Did he score again?", "Will it happen again?": another time than the one told; "What
#: was his name again?" asks to be reminded of the same.
_AGAIN = re.compile(r"\b(?:did|does|do|will|would|has|have|had|can|could)\b[^?]*\bagain\b", re.IGNORECASE)
_CITATION_MARK = re.compile(r"\s*\[\d+\]")
_WHO = re.compile(r"\W*who(m|se)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Resolved:
    """What retrieval and the answerer should use for one turn."""

    question: str
    query: str
    is_follow_up: bool = False
    #: Content terms of the previous answer: a sentence made mostly of them is not given
    #: again, unless it answers a detail of it ("Which country is he president of?" may
    #: be answered by the sentence that named him) ...
    given: frozenset[str] = frozenset()
    #: ... and never when the user asks for something else ("What other forum ...?").
    asks_other: bool = False
    #: Names "he", "she" or "they" most likely stand for: the previous answer's after a
    #: "Who ...?" question, else the previous question's ("What did he propose?" after
    #: "Did India's prime minister attend?" -> "India").
    referent: str = ""
    #: Items of an enumeration still owed: after "First, ... Second, ..." in the previous
    #: answer, "And the other two?" wants ("third", "fourth").
    next_items: tuple[str, ...] = ()
    #: "What do I do after that?": the previous answer's last quote, whose next sentence
    #: in its document (the next step) is the answer.
    after: str = ""
    #: Sentences this turn may not answer with: in a message asking several questions,
    #: the one another question's answer is about ("how much did the repair cost?").
    taken: frozenset[str] = frozenset()
    #: Terms of what the question sets aside ("Besides the digital economy forum, what
    #: other forum ...?"): a sentence holding all of them is about that, not the other.
    besides: frozenset[str] = frozenset()
    #: The version "that one" stands for: the one the previous answer names ("Version
    #: 2.7.2 fixed ..." + "When was that one released?"); its answer's passage names it.
    figures: frozenset[str] = frozenset()


def validate_history(history: Sequence[Any] | None) -> list[dict[str, str]]:
    """Check OpenAI-style messages: a list of {"role": ..., "content": str}."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise InputError("history must be a list of {'role': ..., 'content': ...} messages")
    clean = []
    for n, message in enumerate(history, 1):
        if not isinstance(message, dict) or not isinstance(message.get("content", None), str):
            raise InputError(f"history message {n} must be a dict with a string 'content'")
        role = message.get("role")
        if role not in ("user", "assistant", "system"):
            raise InputError(f"history message {n} has role {role!r}; use 'user' or 'assistant'")
        clean.append({"role": str(role), "content": message["content"]})
    return clean


_NAME = r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}"
_ATTRIBUTION = re.compile(
    rf",?\s*\baccording to (?:the )?{_NAME}(?:'s?)?(?:\s+(?:speech|report|remarks|words))?"
    rf"|\bin {_NAME}'s? (?:view|opinion|words|eyes|speech|remarks)\b"
    rf"|(?<=\bdid ){_NAME}(?=\s+(?:{'|'.join(SPEECH_VERBS)})\b)"
)


def without_attribution(question: str, authors: Container[str] | None = None) -> str:
    """Drop who-said-it phrases ("according to Xi", "did Xi say"): in a speech or report
    every sentence is the speaker's, so the name only pulls retrieval to headings.
    With ``authors`` (folded words of the documents' titles), only names found there
    are dropped: "did Modi say" keeps Modi when no document is by or about Modi."""

    def drop(match: re.Match[str]) -> str:
        if authors is None or any(w in authors for w in words(match.group(0)) if w not in _NOT_NAMES):
            return " "
        return match.group(0)

    stripped = " ".join(_ATTRIBUTION.sub(drop, question).split())
    return stripped if len(terms(stripped)) >= 2 else question


#: Words of an attribution phrase that are not the name.
_NOT_NAMES = frozenset("according to the speech report remarks words in view opinion eyes s".split())


_BESIDES = re.compile(r"\b(?:besides|apart from|aside from|other than|except(?: for)?|in addition to)\s+"
                      r"(?P<thing>[^,;?]+?)(?=\s*[,;?]|\s+(?:what|which|who|whom|where|when|how|is|are|does|do|did|"
                      r"can|will|would|has|have)\b|\s*$)", re.IGNORECASE)


def set_aside(question: str) -> frozenset[str]:
    """Terms of what a question sets aside: "Besides the digital economy forum, what
    other forum ...?" -> {"digital", "economy", "forum"}; empty when it sets nothing aside,
    or only one word: "Who attended except Modi?" is answered by the list that names him."""
    match = _BESIDES.search(question)
    found = frozenset(terms(match.group("thing"))) if match else frozenset()
    return found if len(found) >= 2 else frozenset()


def resolve(question: str, history: list[dict[str, str]], authors: Container[str] | None = None) -> Resolved:
    """Turn a follow-up into a standalone retrieval query using the conversation."""
    resolved = _resolve(question, history, authors)
    aside = set_aside(question)
    return replace(resolved, besides=aside) if aside else resolved


def _resolve(question: str, history: list[dict[str, str]], authors: Container[str] | None = None) -> Resolved:
    question = without_attribution(question, authors)
    users = [m["content"] for m in history if m["role"] == "user" and m["content"].strip()]
    answers = [m["content"] for m in history if m["role"] == "assistant" and m["content"].strip()]
    if not users:
        return Resolved(question, question)
    follow_up = bool(_ANAPHORA.search(question)) or len(terms(question)) <= 2
    if not follow_up:
        return Resolved(question, question)
    previous = without_attribution(users[-1], authors)
    substituted = _substitute(previous, question)
    if substituted:
        # "Who represented Iran?" + "And from Mongolia?" -> "Who represented Mongolia?"
        return Resolved(substituted, substituted, True)
    answer = _CITATION_MARK.sub("", answers[-1]) if answers else ""
    # "when's the first boat and when's the last one?": the last boat, not an item
    item = listed_item(answer, question) if ordinal_noun(previous) is None else ""
    if item:
        # "Where will the second one take place?" after a list of three events
        standalone = " ".join(_ONE_OF_LIST.sub(item, question, count=1).split())
        return Resolved(standalone, standalone, True, frozenset(terms(answer)))
    # The previous answer's names are what "he", "them" or "there" most likely point at.
    query = " ".join([previous, *dict.fromkeys(names_in(answer)), question])
    # "Who did Xi thank?" + "He thanked President Putin ..." + "What did he say ...?": the
    # answer's own "he" is Xi, and the user's "he" carries that on, not the one thanked
    answers_who = _WHO.match(users[-1]) and not _same_pronoun(answer, question)
    referent = " ".join(dict.fromkeys(names_in(answer) if answers_who else _NAMES_IN.findall(users[-1])))
    asks_other = bool(_OTHER.search(question) or _AGAIN.search(question))
    after = last_quote(answers[-1]) if answers and _NEXT_STEP.search(question) else ""
    versions = list(dict.fromkeys(_VERSION_IN.findall(answer))) if _THAT_VERSION.search(question) else []
    if len(versions) == 1:
        query = f"{query} {versions[0]}"
    return Resolved(question, query, True, frozenset(terms(answer)), asks_other, referent,
                    items_left(answer, question) if asks_other else (), after,
                    figures=frozenset(versions) if len(versions) == 1 else frozenset())


#: "he" / "him" / "his" (group 1) or "she" / "her" / "hers" (group 2): a person.
PERSON_PRONOUN = re.compile(r"\b(?:(he|him|his)|(she|her|hers))\b", re.IGNORECASE)


def _same_pronoun(answer: str, question: str) -> bool:
    """Whether the answer opens with "He"/"She" and the question uses the same one:
    then both stand for the same person, the subject the answer is about."""
    opening = PERSON_PRONOUN.match(answer.lstrip())
    used = PERSON_PRONOUN.search(question)
    return bool(opening and used and (opening.group(1) is None) == (used.group(1) is None))


#: "that one", "this release": a follow-up about the one thing the previous answer named.
_THAT_VERSION = re.compile(r"\b(?:that|this|the same)\s+(?:one|version|release|update|patch)\b", re.IGNORECASE)
#: A dotted version number: "2.7.2", "3.1.0".
_VERSION_IN = re.compile(r"(?<![\w.])\d+\.\d+\.\d+(?![\w.])")


#: A follow-up asking what comes after the previous answer: the next step of a procedure.
_NEXT_STEP = re.compile(
    r"\b(?:after (?:that|this)|afterwards|then what|what now|what(?:'s| is)? next(?!\s+[a-z])|next step|"
    r"and then\W*$)|\b(?:do|comes?|happens?|follows?) next\b(?!\s+[a-z])", re.IGNORECASE)


def last_quote(answer: str) -> str:
    """The last sentence an answer quoted (the text before its last citation marks,
    without the "…" that marks a cut), or the whole answer when it cites nothing."""
    parts = [p.strip(" …") for p in _CITATION_MARK.split(answer) if p.strip(" …")]
    return parts[-1] if parts else ""


#: Items owed when the user does not say how many ("And the rest?").
ITEMS_LEFT = 3


def items_left(answer: str, question: str) -> tuple[str, ...]:
    """The ordinals after the last enumerated item the previous answer gave ("First, ...
    Second, ..."), as many as the follow-up asks for ("the other two") or ``ITEMS_LEFT``;
    () when that answer gave no enumerated item."""
    given = [ORDINALS.index(m.group(1).lower()) for m in ITEM_IN_TEXT.finditer(_CITATION_MARK.sub("", answer))]
    if not given:
        return ()
    counts = {**COUNT_WORDS, "both": 2}
    wanted = next((counts[w] for w in words(question) if w in counts), ITEMS_LEFT)
    return ORDINALS[max(given) + 1:max(given) + 1 + wanted]


#: "the second one", "the last of them", "the latter": one item of the previous answer.
_ONE_OF_LIST = re.compile(
    rf"\bthe\s+(?:(?P<ordinal>{'|'.join(ORDINALS)}|last)\s+(?:one|of (?:them|those|these))|(?P<pair>latter|former))\b",
    re.IGNORECASE)
#: Without a lead-in ("Three events: ..."), an answer is a list when its items are short.
LIST_ITEM_WORDS = 6
_LIST_INTRO = re.compile(r"^[^:]{0,80}:\s+")
_LIST_SPLIT = re.compile(r"\s*;\s*|,\s*(?:and\s+)?|\s+and\s+")


def listed_item(answer: str, question: str) -> str:
    """The item of the previous answer's list that "the second one" (or "the last of
    them", "the latter") points at, or "" when the question points at none or the answer
    lists nothing. An answer lists items after a colon ("Three events: the forum in June,
    the exercise in August and the conference in November"), separated by commas, "and"
    or semicolons; else each of its sentences is an item."""
    match = _ONE_OF_LIST.search(question)
    if match is None or not answer.strip():
        return ""
    body = _LIST_INTRO.sub("", answer.strip())
    items = [i.strip(" .") for i in _LIST_SPLIT.split(body.rstrip(" .")) if i.strip(" .")]
    if body == answer.strip() and any(len(i.split()) > LIST_ITEM_WORDS for i in items):
        items = []  # commas inside a sentence, not a list
    if len(items) < 2:
        items = [answer[start:end] for start, end in split_sentences(answer)]
    if len(items) < 2:
        return ""
    if match.group("pair"):
        return items[0 if match.group("pair").lower() == "former" else -1] if len(items) == 2 else ""
    word = match.group("ordinal").lower()
    at = len(items) - 1 if word == "last" else ORDINALS.index(word)
    return items[at] if at < len(items) else ""


_ORDINAL = re.compile(rf"\b({'|'.join((*ORDINALS, 'last'))})\b", re.IGNORECASE)
#: A capitalised word that is not the first of its sentence: a name.
_NAMES_IN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")
#: Elliptical follow-ups that only swap one thing: "And the second?", "What about Pakistan?"
_ELLIPSIS = re.compile(r"^\W*(and|what about|how about|and what about|same for|and for|and from|and in|and the)\b",
                       re.IGNORECASE)


_OPENING_NAME = re.compile(r"^\W*([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")


def names_in(answer: str) -> list[str]:
    """The names an answer gives (``_NAMES_IN``), and the one it opens with when that is a
    country or no English word ("Afghanistan. He said ..."; not "The" or "Yes")."""
    found = _NAMES_IN.findall(answer)
    opening = _OPENING_NAME.match(answer)
    if opening and (countries_named(opening.group(1)) or not all(is_word(w.lower()) for w in opening.group(1).split())):
        found.insert(0, opening.group(1))
    return found


def _substitute(previous: str, question: str) -> str | None:
    """For an elliptical follow-up, the previous question with the one thing swapped:
    an ordinal for an ordinal, or a name for the previous question's last name."""
    if not _ELLIPSIS.search(question) or len(terms(question)) > 3:
        return None
    new_ordinal, old_ordinal = _ORDINAL.search(question), _ORDINAL.search(previous)
    if new_ordinal and old_ordinal:
        return previous[:old_ordinal.start()] + new_ordinal.group(1) + previous[old_ordinal.end():]
    new_names = [n for n in _NAMES_IN.findall(question.strip()) if n not in previous]
    old_names = _NAMES_IN.findall(previous.strip())
    if len(new_names) == 1 and old_names:
        at = previous.rfind(old_names[-1])
        return previous[:at] + new_names[0] + previous[at + len(old_names[-1]):]
    return None
