"""Words for lexical matching: tokenising, stop words, a light stemmer, typo repair."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.chunk import is_heading, is_lead_in, list_item_body

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves tell please say said says give gave know let us thing
things ok okay hey hi hello yes yeah does did s t don doesn didn isn wasn aren weren also whats
every according m ve d re ll couldn shouldn wouldn hasn haven hadn mustn needn
""".split())
#: Question words that carry no content but hint at the expected answer type.
QUESTION_WORDS = frozenset(["what", "which", "who", "whom", "whose", "when", "where", "why", "how"])


def fold(text: str) -> str:
    """Lower-case, straighten quotes and strip accents, keeping the length unchanged."""
    return plain(text.lower())


def plain(text: str) -> str:
    """Straighten quotes and strip accents, keeping case and length."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    return "".join(unicodedata.normalize("NFKD", ch)[0] if ch.isalpha() else ch for ch in text)


def _adverb_of(base: str) -> bool:
    """Whether ``base`` + "ly" is an adverb made from a word: "weekly", "happily"."""
    return len(base) >= 4 and (base in dictionary() or (base.endswith("i") and f"{base[:-1]}y" in dictionary()))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A deliberately light suffix stripper: plurals and common verb endings, so that
    "takes", "taking" and "take" (or "planned" and "plan") meet."""
    if len(word) <= 3 or word.isdigit():
        return word
    # a verb's noun of action meets the verb: "expansion" / "expanding", "decision" / "decided"
    if len(word) >= 9 and word.endswith(("nsion", "nsions")):
        return word[: word.rindex("nsion")] + "nd"
    if len(word) >= 8 and word.endswith(("ision", "isions")):
        return word[: word.rindex("ision")] + "id"
    if word.endswith("eed"):
        # "agreed" is "agree" + d and meets "agree"; "speed", "proceed" and "seed" are whole
        # words and meet "speeds", "proceeding" and "seeds"
        return stem(word[:-1]) if len(word) > 4 and word[:-1] in dictionary() else word
    base = word
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ness", ""), ("ing", ""), ("ed", ""),
                         ("es", ""), ("s", ""), ("ly", "")):
        # "tried" and "tries" meet "try"; "died" is not "dy"
        shortest = 2 if keep == "y" else 3
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "zes", "sses")):
                base = word[:-1]
                break
            base = word[: len(word) - len(suffix)] + keep
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lszaeiou":
                base = base[:-1]  # planned -> plan (but agreeing -> agree)
            if suffix == "ly" and not _adverb_of(base):
                base = word  # "family", "apply" and "early" are not adverbs of "fami", "app", "ear"
            elif suffix == "ly" and base.endswith("i"):
                base = base[:-1] + "y"  # happily -> happy
            break
    if len(base) > 3 and base.endswith("e"):
        base = base[:-1]  # take / taking / takes -> tak
    return base


#: British and American spellings of the same word, as ``stem`` leaves them (either way
#: round): "organisation" / "organization", "colour" / "color", "centre" / "center",
#: "defence" / "defense", "dialogue" / "dialog", "programme" / "program", "travelled" /
#: "traveled", "paediatric" / "pediatric".
_SPELLINGS = tuple((re.compile(a), b) for a, b in (
    (r"isation", "ization"), (r"ization", "isation"),
    (r"(?<=..)is(er)?$", r"iz\1"), (r"(?<=..)iz(er)?$", r"is\1"), (r"ys$", "yz"), (r"yz$", "ys"),
    (r"(?<=..)our(?=(?:ite|it|able|abl|ful|hood|er|less|ism|ist|al)?$)", "or"),
    (r"(?<=..)or(?=(?:ite|it|able|abl|ful|hood|er|less|ism|ist|al)?$)", "our"),
    (r"(?<=.)([tb])r$", r"\1er"), (r"(?<=.)([tb])er$", r"\1r"),
    (r"enc$", "ens"), (r"ens$", "enc"), (r"ogu$", "og"), (r"og$", "ogu"), (r"mm$", "m"), (r"(?<=a)m$", "mm"),
    (r"(?<=...[aeiou])ll$", "l"), (r"(?<=...[aeiou])l$", "ll"), (r"[ao]e(?=.)", "e"),
))
#: Words that differ by more than a pattern: British first.
_SPELLED_APART = (("grey", "gray"), ("plough", "plow"), ("cheque", "check"), ("tyre", "tire"),
                  ("kerb", "curb"), ("jewellery", "jewelry"), ("aluminium", "aluminum"),
                  ("sceptic", "skeptic"), ("mould", "mold"), ("draught", "draft"), ("pyjamas", "pajamas"),
                  ("storey", "story"), ("judgement", "judgment"), ("learnt", "learned"),
                  ("spelt", "spelled"), ("burnt", "burned"), ("dreamt", "dreamed"))


@lru_cache(maxsize=1)
def _spelled_apart() -> dict[str, str]:
    pairs = [(stem(a), stem(b)) for a, b in _SPELLED_APART]
    return dict(pairs + [(b, a) for a, b in pairs])


def spellings(term: str) -> set[str]:
    """Other spellings of a term (a ``stem``): the other side of the Atlantic's
    ("neighbour" -> "neighbor"). Some are not words at all; callers keep the ones their
    documents use."""
    found = {pattern.sub(replacement, term, count=1) for pattern, replacement in _SPELLINGS}
    # "pediatric" -> "paediatric", "estrogen" -> "oestrogen": an "a" or "o" before any "e"
    found.update(term[:at] + vowel + term[at:] for at, letter in enumerate(term) if letter == "e" for vowel in "ao")
    if term in _spelled_apart():
        found.add(_spelled_apart()[term])
    found.discard(term)
    return found


def words(text: str) -> list[str]:
    """Folded words, numbers kept whole (``1,200``, ``3.5``)."""
    return _WORD.findall(fold(text))


#: Verbs that frame a question about what someone said or thought ("What did Xi say
#: about ...?", "What does the report want ...?"): the question's content is elsewhere.
SPEECH_VERBS = ("say", "think", "want", "suggest", "propose", "call", "believe", "describe", "mention",
                "stress", "argue", "see", "view", "judge", "respond", "announce", "offer", "promise",
                "urge", "warn")


def content_words(text: str) -> list[str]:
    """Folded words minus stop words and question words, not stemmed."""
    return [w for w in words(text) if w not in STOP_WORDS and w not in QUESTION_WORDS]


def terms(text: str) -> list[str]:
    """Content terms: stemmed words minus stop words."""
    return [stem(w) for w in content_words(text)]


_VOCAB = Path(__file__).parent / "assets" / "minilm" / "vocab.txt"


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """Whole English words known to the embedder's WordPiece vocabulary (about 22k).
    A word in it is spelled right even when the documents never use it ("summit",
    "chaired"), so typo repair leaves it alone."""
    try:
        lines = _VOCAB.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower() and len(w) > 1)


def is_word(word: str) -> bool:
    """Whether ``word`` (folded) is a correctly spelled English word."""
    return word in dictionary()


def _deletes(word: str) -> Iterable[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Speller:
    """Maps an unknown word to known words one edit away (delete-neighbourhood index)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = set(vocabulary)
        self._index: dict[str, set[str]] | None = None

    def _build(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for word in self.vocabulary:
            if len(word) < 4 or word.isdigit():
                continue
            index.setdefault(word, set()).add(word)
            for d in _deletes(word):
                index.setdefault(d, set()).add(word)
        return index

    def suggest(self, word: str) -> list[str]:
        """Known words within one insertion, deletion, substitution or transposition."""
        if word in self.vocabulary or len(word) < 4 or word.isdigit():
            return []
        if self._index is None:
            self._index = self._build()
        found: set[str] = set(self._index.get(word, ()))
        for d in _deletes(word):
            found |= self._index.get(d, set())
            if d in self.vocabulary:
                found.add(d)
        return sorted(found)


_TERMINAL = re.compile(r"[.!?…][\"'”’)\]*_]*\s*$")


#: A list item that is only a link ("- [Options](#options)"): a table of contents.
_LINK_ONLY = re.compile(r"^\[[^\]]*\]\([^)]*\)\W*$")


#: A Markdown heading (an HTML one is read as one: ``html_text``).
_MARKED_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def is_fragment(text: str) -> bool:
    """A heading, byline or salutation rather than a sentence: no end punctuation or
    under four words. Such text rarely answers a question, whatever it mentions. A
    list item is content however terse ("- Friday: 9:00 am to 6:00 pm"), unless it is
    only a link (a table of contents), and so is a list's lead-in ("The Main Branch is
    open:")."""
    body = list_item_body(text)
    if body is not None:
        return bool(_LINK_ONLY.match(body))
    if _MARKED_HEADING.match(text):
        return True  # "### Who runs the co-op?" heads a section, though it ends like a sentence
    if text.lstrip().startswith("|") and text.rstrip().endswith("|"):
        return False  # a table row (or a whole table) is content too
    if len(text.split()) < 4:
        return True
    # "The Main Branch is open:" leads in to a list: a sentence, not a heading
    return not (_TERMINAL.search(text) or is_lead_in(text))


#: A sentence end with more text after it.
_INNER_END = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")


def is_fragment_paragraph(text: str) -> bool:
    """A paragraph that is a heading, byline or salutation: a fragment holding no
    complete sentence. "We stopped charging fines in 2022. For adults the rules are:"
    ends like a heading, but its first sentence says something."""
    return is_fragment(text) and not _INNER_END.search(text)


#: A post a signature line names after the signer ("Chair of the Board", "Director of Operations").
_POSTS = (r"chair\w*|president|vice-president|director|minister|secretary(?:-general)?|chief|head|manager|"
          r"editor|professor|dean|governor|mayor|ambassador|spokes(?:man|woman|person)|founder|ceo|cfo|coo|"
          r"chancellor|rector|principal|commissioner|officer|executive|treasurer|leader|coordinator|"
          r"correspondent|reporter|author|clerk|registrar|superintendent|curator|librarian|designer|engineer|"
          r"analyst|accountant|assistant|administrator|consultant|developer|architect|solicitor|lawyer|"
          r"partner|owner|supervisor|advisor|adviser|representative|controller|producer|instructor|captain")
_SIGNATURE = re.compile(rf"^\W*(?:[A-Z][\w'’.-]*[ \t]+){{1,3}}[A-Z][\w'’-]+[ \t]*(?:,\s*|[–—]\s*|\s-\s+|\n)"
                        rf"(?:(?:the|[A-Z][\w'’-]*|acting|deputy|vice|senior|managing)\s+)*(?i:{_POSTS})\b")


def signs_off(text: str) -> bool:
    """A signature line: a name, then the signer's post ("Maren Quillfeather, Chair of the
    Board"; an e-mail's "Corinne Hadlow" over "Office Manager"). It is a fragment, but
    unlike a heading it says who holds the post."""
    return len(text.split()) <= 14 and bool(_SIGNATURE.match(text))


#: Cardinal number words: one to nineteen and the tens.
_CARDINALS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
              r"(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_NUMBER_WORDS = rf"{_CARDINALS}|hundred|thousand|million|billion|dozen|first|second|third|fourth|fifth|twentieth"
#: "May" and "March" are months only when capitalised: "may" and "march" are common words.
_MONTHS = r"january|february|(?-i:March)|april|(?-i:May)|june|july|august|september|october|november|december"
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"


def months_named(text: str) -> list[str]:
    """The months a text names, stemmed as indexed ("March" but not "march on"; "May"
    but not "may")."""
    return list(dict.fromkeys(stem(fold(m.group(0))) for m in _HAS_MONTH.finditer(text)))
_HAS_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.IGNORECASE)
#: A count ("how many"): digits or a cardinal number word, not an ordinal.
_HAS_COUNT = re.compile(rf"\d|\b({_CARDINALS}|hundreds?|thousands?|millions?|billions?|dozens?|several|both)\b",
                        re.IGNORECASE)
_HAS_TIME = re.compile(
    rf"\d|\b({_MONTHS}|{_WEEKDAYS}|year|years|month|months|week|weeks|day|days|today|tomorrow|yesterday|ago|"
    r"morning|afternoon|evening|night|century|decade|annual|anniversary|since|until|next|last)\b", re.IGNORECASE)
_VERSION = re.compile(r"\b[vV]?\d+\.\d+\.\d+\b|\b(?:version|release|v)\s?\d+(?:\.\d+)*\b", re.IGNORECASE)
#: A year as digits ("1887", "2024"; with "s", "the 1990s").
_YEAR_DIGITS = r"(1[5-9]|20)\d\d"
_YEAR_NUMBER = rf"\b{_YEAR_DIGITS}s?\b"


def is_year(word: str) -> bool:
    """Whether a word is a year as digits ("2024")."""
    return re.fullmatch(_YEAR_DIGITS, word) is not None


#: A point in the past: a year, a month, a day, a clock time or a relative time ("ago",
#: "the following spring"), not a bare number ("48 passengers", "24 hours in advance").
_HAS_PAST_TIME = re.compile(
    rf"{_YEAR_NUMBER}|\b\d{{1,2}}(:\d\d)?\s*(am|pm|a\.m\.|p\.m\.)|\b\d{{1,2}}:\d\d\b|"
    rf"\b\d{{1,2}}(st|nd|rd|th)\b|\b\d{{1,2}}/\d{{1,2}}\b|"
    rf"\b({_MONTHS}|{_WEEKDAYS}|year|years|month|months|week|weeks|day|days|today|yesterday|ago|tonight|"
    r"morning|afternoon|evening|night|noon|midnight|century|centuries|decade|decades|anniversary|since|until|"
    r"spring|summer|autumn|winter|christmas|easter)\b", re.IGNORECASE)
_HAS_TIME_POINT = re.compile(rf"{_HAS_PAST_TIME.pattern}|\b(tomorrow|next|last|annual|\d{{4}}-\d\d-\d\d)\b",
                             re.IGNORECASE)
#: A calendar day: a month name, a weekday, a day number or a relative day.
_HAS_DATE = re.compile(rf"\b({_MONTHS}|{_WEEKDAYS}|today|tomorrow|yesterday|tonight)\b|"
                       r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}\b", re.IGNORECASE)
_HAS_YEAR = re.compile(rf"\b{_YEAR_DIGITS}\b|\b(next|last|this|that) year\b", re.IGNORECASE)
_HAS_DURATION = re.compile(
    rf"(\d|\b({_NUMBER_WORDS}|a|an|several|few|many)\b)[\s-]+((working|business|calendar|school|full|whole|"
    r"consecutive)[\s-]+)?(second|minute|hour|day|week|month|year|decade|centur)", re.IGNORECASE)
#: A length or distance ("how long is the span?" asks for one too).
_HAS_LENGTH = re.compile(
    rf"(\d|\b({_NUMBER_WORDS})\b)[\s-]*(metres?|meters?|m|km|kilomet(?:re|er)s?|cm|centimet(?:re|er)s?|mm|"
    r"millimet(?:re|er)s?|feet|foot|ft|yards?|miles?|inch(?:es)?)\b", re.IGNORECASE)
#: A sum of money, or none at all ("Entry is free", "free of charge"; not "free to choose").
_CURRENCY = (r"dollars?|euros?|yuan|renminbi|rmb|pounds?|rubles?|roubles?|rupees?|yen|usd|eur|pence|cents?|"
             r"francs?|lira|lire|liras|pesos?|reais|rand|kronor|krona|kroner|krone|crowns?|zloty|"
             r"zlotys|forints?|dinars?|dirhams?|riyals?|rials?|shekels?|baht|ringgit|rupiah|hryvnias?|"
             r"levs?|leva|shillings?|guilders?|florins?|ducats?|thalers?|talers?|drachmas?|pesetas?|"
             r"escudos?|naira|cedis?|kwacha|birr|taka|tenge|somoni|manats?|lari|tugriks?|"
             r"afghanis?|kyats?|riels?|pula|nakfa|ouguiyas?|quetzals?|colones|bolivares|"
             r"bolivars?|guaranies|lempiras?|cordobas?|gourdes?|dobras?|ngultrum|rufiyaa|paisa|kopecks?")
#: "worth about 96 million thalers", "5 million marks in emergency aid": the noun after
#: the number is the currency, whatever it is called (an invented one as well).
#: ("5,000 tonnes of food aid" is aid measured, not paid.)
_MEASURES = (r"(?!(?:tonnes|tons|kilograms|kilos|litres|liters|gallons|barrels|metres|meters|doses|units|pieces|"
             r"items|boxes|bags|packets|parcels|cartons|crates|sacks|bales|tents|people|persons|families|"
             r"households|points|votes|shares)\b)")
_MONEY_FRAME = (r"\bworth\s+(?:(?:about|around|some|nearly|almost|roughly|over|more\s+than|up\s+to|at\s+least)\s+)?"
                rf"\d[\d,.]*\s*(?:million|billion|trillion|thousand|m|bn)?\s+{_MEASURES}[a-z]+s\b|"
                rf"\b\d[\d,.]*\s*(?:million|billion|trillion|thousand|m|bn)?\s+{_MEASURES}[a-z]+s\s+(?:in|of)\s+"
                r"(?:\w+\s+){0,2}"
                r"(?:aid|assistance|funding|grants?|loans?|investment|subsid(?:y|ies)|donations?|relief|revenue|"
                r"compensation|damages|fines?|debt|credit|financing)\b")
_HAS_MONEY = re.compile(rf"[$€£¥₹₩₽₺₪]\s?\d|\d[\d,.]*\s*(million|billion|trillion|thousand)?\s*({_CURRENCY})\b|"
                        rf"{_MONEY_FRAME}|"
                        # "fourteen thousand euro", "forty pounds"
                        rf"\b({_CARDINALS})(?:[\s-]+(?:and\s+)?(?:{_CARDINALS}|hundred|thousand|million|billion))*"
                        rf"\s+({_CURRENCY})\b|"
                        r"\b(usd|eur|rmb|cny)\s?\d|\b\d+p\b|\bno charge\b|\bcosts? nothing\b|"
                        r"\bfree\b(?!\s+(?:to|from|and|will|speech|trade|time)\b|\s+of\s+(?!charge))", re.IGNORECASE)
#: A place: a preposition of place before a capitalised name ("in Chongqing", "in the
#: northern city of X", "at 14 Quayside Road"), or a web address ("located at https://...").
_HAS_PLACE = re.compile(
    r"\b(in|at|near|off|beside|opposite|from|to|across|outside|inside|within|through|into|via|around|along|beyond|towards?)\s+(the\s+)?"
    r"(?:(?:[a-z-]+\s+){1,2}of\s+)?(?:[a-z-]+\s+)?(?:\d+\w?\s+)?[A-Z][a-z]"
    # "on Alder Street", "on the Kestrel Point slipway"; "on Monday" is a day
    # ("on Calvessan ceramic tiles" is no place: a people's adjective before a noun)
    rf"|\bon\s+(the\s+)?(?:(?:[a-z-]+\s+){{1,2}}of\s+)?(?!(?i:{_WEEKDAYS}|{_MONTHS})\b)"
    r"(?![A-Z][a-z]+(?:an|ese|ish)\s+[a-z])[A-Z][a-z]"
    # where a complaint or a case went: "filed a formal complaint with the Trade Tribunal"
    r"|\b(?:lodged|filed|submitted|registered|brought|referred|appealed)\b(?:\s+[\w'’-]+){0,4}?"
    r"\s+(?:with|before)\s+the\s+(?:[a-z-]+\s+)?[A-Z]"
    r"|\bhttps?://\w|\bwww\.\w")
_PRICE_NOUNS = (r"(?:costs?|prices?|fees?|fares?|charges?|tickets?|rents?|subscriptions?|admission|membership|"
                r"tolls?|salary|salaries|wages?|deposits?|fines?|tuition)")
_ASKS_MONEY = re.compile(r"\bhow much (money|funding|cash|aid|financing|investment)\b|"
                         r"\bhow much (will|did|does|do|would|has|have)\b.*\b(cost|pay|spend|invest|fund|give|"
                         r"donate|pledge|put|lend|allocate|charge|earn|raise|award|grant|owe)|"
                         # "How much is the scholarship worth?"
                         r"\bhow much\b.*\bworth\b|"
                         # "What does parking cost?", "how much is the termly fee", "what's the fare"
                         r"\bwhat (does|do|did|will|would)\b.*\bcost\b|"
                         rf"\bhow much (is|are|was|were|will)\b.*\b{_PRICE_NOUNS}\b|"
                         # "how much is the catamaran from Kos?", "how much are the tablets": a
                         # thing's price (not "how much is the dose", "... left", "... of it"; "...
                         # per hour" is a rate, counted per unit)
                         r"\bhow much(?:\s+(?:is|are|was|were)|'s)\s+(?:the|a|an|one)\s+(?!(?:[a-z-]+\s+)?"
                         r"(?:doses?|dosage|amount|number|total|rest|remainder|difference|weight|time|distance|"
                         r"share|percentage|proportion|maximum|minimum|limit|temperatures?|temp|speed|height|"
                         r"length|width|depth|size|capacity|volume|population|area|score|rate)\b)[a-z-]+(?:\s+[a-z-]+){0,2}\s*"
                         r"(?:\?|$|\b(?:from|to|for|at|in|now|today|these days)\b)|"
                         rf"\bwhat(?:'s|\s+(?:is|was|are|were))\s+(the\s+)?([a-z-]+\s+)?{_PRICE_NOUNS}\b"
                         r"(?!\s+(?:office|desk|machine|booth|counter|holder|barrier|hall|inspector|number)s?\b)",
                         re.IGNORECASE)
#: "How heavy is it?", "How much does it weigh?": a weight, not any number.
_ASKS_WEIGHT = re.compile(r"\bhow heavy\b|\b(?:how much|what) (does|do|did|will|would)\b.*\bweigh|"
                          r"\bwhat (is|was|'s|are|were) (the )?weight\b", re.IGNORECASE)
_HAS_WEIGHT = re.compile(
    rf"(\d|\b({_NUMBER_WORDS}|a|an|half|quarter)\b)[\s-]*(kg|kilos?|kilograms?|kilogrammes?|g|grams?|grammes?|"
    r"tonnes?|tons?|t|lbs?|pounds?|ounces?|oz|stone|hundredweight|cwt)\b|\bweigh(s|ed|ing)?\b", re.IGNORECASE)
#: "How tall is the sail?": a length, not any number ("how high" and "how big" may ask for
#: a rate or a count, so they do not count here).
_ASKS_LENGTH = re.compile(r"\bhow (tall|wide|deep|thick|broad)\b|"
                          r"\bwhat (is|was|'s) (the )?(height|width|depth|length)\b", re.IGNORECASE)
_ASKS_DURATION = re.compile(r"\bhow long\b|\bfor how many (seconds|minutes|hours|days|weeks|months|years)\b",
                            re.IGNORECASE)
#: "In which minute ...?", "On what lap ...?": a numbered point in a sequence ("in the 74th
#: minute"), counted like "how many minutes". Days, weeks, months and years are dates.
_WHICH_UNIT = re.compile(r"\b(?:which|what)\s+(minute|lap|round|stage|chapter|inning|hole|verse|episode|"
                         # "Which meeting of the Council was this?": the twentieth
                         r"(?:meeting|session|edition|summit|congress)(?=\s+of\b))\b", re.IGNORECASE)
_ASKS_COUNT = re.compile(r"\bhow (many|much)\b", re.IGNORECASE)
_ORDINAL_FIGURE = re.compile(r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                             r"tenth|(?:eleven|twelf|thirteen|fourteen|fifteen|"
                             r"sixteen|seventeen|eighteen|nineteen|twentie|thirtie|fortie|fiftie|sixtie|seventie|"
                             r"eightie|ninetie)th")


#: Words for one of a series of gatherings: "Which edition of the meeting ...?" is answered
#: by "the twentieth meeting".
_GATHERINGS = frozenset(stem(w) for w in "meeting session edition summit congress".split())


def ranks(text: str, unit: str) -> bool:
    """Whether ``text`` numbers the ``unit`` (stemmed) asked of: an ordinal right before it
    ("in the 74th minute", "on the third lap") or a number after it ("Stage 5")."""
    tokens = words(text)
    units = _GATHERINGS if unit in _GATHERINGS else {unit}
    return any(stem(token) in units and (any(_ORDINAL_FIGURE.fullmatch(w) for w in tokens[max(0, i - 2):i])
                                        or bool(tokens[i + 1:i + 2] and tokens[i + 1].isdigit()))
               for i, token in enumerate(tokens))
#: "How old was he when he died?", "At what age ...": an age, not any number (not "died in 2002").
_ASKS_AGE = re.compile(r"\bhow old\b|\b(what|which) age\b", re.IGNORECASE)
_AGE_NUMBER = rf"(?:\d{{1,3}}|(?:{_CARDINALS})(?:[\s-]+(?:{_CARDINALS}))?)"
_HAS_AGE = re.compile(rf"\b{_AGE_NUMBER}[\s-]+(?:years?|yrs|months?)[\s-]+old\b|\baged?\s+(?:of\s+)?{_AGE_NUMBER}\b|"
                      rf"\b(?:over|under)[\s-]+{_AGE_NUMBER}s?\b|\bborn\b.*\b{_YEAR_DIGITS}\b|"
                      rf"\b(?:died|retired|married|started|began|joined)\s+at\s+{_AGE_NUMBER}\b|"
                      r"\b(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
                      re.IGNORECASE)
#: "What's her phone number?": a number someone can ring.
_ASKS_PHONE = re.compile(r"\b(phone|telephone|mobile|fax|contact|helpline|hotline)\s+numbers?\b|"
                         r"\bwhat\s+number\s+(?:should|do|can|must)\s+(?:i|we|you)\s+(?:call|ring|phone|dial)\b|"
                         r"\bnumber\s+to\s+(?:call|ring|phone|dial)\b", re.IGNORECASE)
_HAS_PHONE = re.compile(r"(?<![\w.])(?!\d{4}-\d\d-\d\d)\+?\(?\d[\d ()-]{5,}\d(?![\w.])|"
                        r"\b(?:call|ring|dial|phone|text)\s+(?:[A-Za-z]+\s+){0,2}\d{3,}", re.IGNORECASE)
_ASKS_NUMBER = re.compile(r"\bhow far\b|\bwhat (number|share|amount)\b|"
                          # "What's the bug number for X?" ("how old" and phone numbers: see above)
                          r"\bwhat(?:'s|\s+is|\s+was|\s+are)?\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?"
                          r"(?:[a-z-]+\s+)?numbers?\b|"
                          # "What is the maximum daily dose ...?": a dose is an amount
                          r"\bwhat(?:'s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the|my|his|her|their|a|an)\s+"
                          r"(?:[a-z-]+\s+){0,2}(?:doses?|dosages?)\b", re.IGNORECASE)
#: "What percentage of staff ...?", "what proportion": a share of a whole, not any number
#: ("up to a maximum value of £4,000" does not say what share is saved).
_ASKS_PERCENT = re.compile(r"\b(what|which) (percentage|percent|proportion|fraction)\b|"
                           r"\bhow many (percent|per cent|percentage points)\b", re.IGNORECASE)
_HAS_PERCENT = re.compile(
    r"\d\s?%|\bper\s?cent|\bpercentage\b|\b(half|halves|thirds?|quarters?|fifths|tenths)\b|"
    rf"\b(\d+|{_NUMBER_WORDS}) (in|out of) (every )?(\d+|{_NUMBER_WORDS})\b", re.IGNORECASE)
#: "What colour is the uniform?": a colour word ("navy blue", "bottle-green").
#: "How often does the bus run?": a rate ("every 30 minutes", "twice a year", "monthly"),
#: not any number ("takes around 50 minutes" says how long, not how often).
_ASKS_FREQUENCY = re.compile(r"\bhow (often|frequently)\b", re.IGNORECASE)
_HAS_FREQUENCY = re.compile(
    r"\b(every|daily|weekly|fortnightly|monthly|quarterly|yearly|annually|annual|biannual|hourly|nightly|once|"
    r"twice|thrice)\b|\btimes?\s+(a|an|per|each|every)\b|\b(per|each)\s+(day|week|fortnight|month|quarter|year|"
    r"hour|term|season|semester)\b(?!\s+(ago|later|earlier|before|after))", re.IGNORECASE)
#: "What temp for the beef?", "At what temperature ...?": degrees ("How warm should the
#: milk be?" is not: "too hot to touch" answers it).
_ASKS_TEMPERATURE = re.compile(r"\b(?:what|which)\s+(?:temp|temps|temperatures?)\b", re.IGNORECASE)
_HAS_TEMPERATURE = re.compile(r"\d\s*°|\d\s*(?:degrees?|deg)\b|\bgas mark \d|\b\d+\s*[CF]\b|"
                              r"\b(?:freezing|boiling|room temperature)\b", re.IGNORECASE)
_ASKS_COLOUR = re.compile(r"\b(what|which)\b[^?.]{0,40}?\bcolou?rs?\b", re.IGNORECASE)
_HAS_COLOUR = re.compile(
    r"\b(red|orange|yellow|green|blue|purple|violet|pink|brown|black|white|gr[ae]y|silver|gold|golden|maroon|"
    r"navy|crimson|scarlet|beige|cream|turquoise|teal|indigo|bronze|burgundy|khaki|ivory|magenta|cyan|lilac|"
    r"lavender|amber|emerald|olive|ochre|ocher|tan|colou?rless|transparent)\b|\w-colou?red\b", re.IGNORECASE)
_ASKS_DATE = re.compile(r"\b(what|which)(?:'s|’s|\s+(?:is|was|are|were|will\s+be))?\s+(?:the\s+)?"
                        r"(exact |precise |specific )?(dates?|days?)\b", re.IGNORECASE)
_ASKS_MONTH = re.compile(r"\b(what|which) months?\b", re.IGNORECASE)
_HAS_MONTH = re.compile(rf"\b({_MONTHS})\b", re.IGNORECASE)
#: A news report's dateline: "PORT ALVEN, March 3 (Meridian) --", "LONDON, 4 May (Reuters) -".
_DATELINE = re.compile(rf"^\s*[A-Z][A-Z .'’-]+,\s+(?:(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS}))"
                       r"(?:,?\s+\d{4})?\s*(?:\([^)]*\))?\s*[-—–]+\s*")
#: "What time of year ...?", "During which part of the year ...?": months or a season.
_ASKS_SEASON = re.compile(r"\b(what|which) (time|part|period|season) of (the )?year\b|\b(what|which) seasons?\b",
                          re.IGNORECASE)
_HAS_SEASON = re.compile(rf"\b({_MONTHS}|spring|summer|autumn|winter|(?:rainy|dry|wet) season)\b",
                         re.IGNORECASE)
_ASKS_YEAR = re.compile(r"\b(what|which) year\b", re.IGNORECASE)
_ASKS_TIME = re.compile(r"^\W*when\b|\bwhen (is|are|was|were|will|would|did|does|do|has|have|can|should)\b|"
                        r"\b(what|which) (month|time)\b", re.IGNORECASE)
#: "When was it built?", "When did she die?": a point in the past.
_ASKS_PAST_TIME = re.compile(r"\bwhen (was|were|did|had)\b", re.IGNORECASE)
#: "What are the opening hours in winter?": times of day (or "closed"), not "open all year".
_ASKS_HOURS = re.compile(r"\b(?:opening|closing|office|business|visiting|trading|surgery)[\s-]+(?:hours|times)\b|"
                         r"\bwhat (?:hours|times) (?:is|are|does|do)\b|"
                         # "What time is the last bus?": a clock time, not an address's "HF3 9RD"
                         r"\bwhat time\b(?!\s+of\b)", re.IGNORECASE)
_HAS_HOURS = re.compile(r"\b\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.]\d\d\b|"
                        r"\b(?:noon|midday|midnight|closed|24 hours|morning|afternoon|evening|night|dawn|dusk)\b",
                        re.IGNORECASE)
_ASKS_PLACE = re.compile(
    r"\bwhere(?:'s\b| (is|are|was|were|will|would|did|does|do|has|have|can)\b)|"
    r"\b(in|at|to|from) (which|what) (city|town|village|place|venue|location|region|province|capital|port)\b|"
    r"\b(which|what) (city|town|village|venue|location)\b", re.IGNORECASE)
#: "In which building ...?", "What hall ...?": a building's name, not the city.
_ASKS_BUILDING = re.compile(r"\b(which|what) (building|hall|stadium|arena|theatre|theater|ground|church|"
                            r"hotel|museum|hospital|pub|inn)\b", re.IGNORECASE)
_HAS_BUILDING = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*\s+(?:Hall|Centre|Center|House|Palace|Building|Hotel|Church|"
    r"Cathedral|Museum|Stadium|Arena|Theatre|Theater|Library|Tower|Castle|Chapel|Pavilion|Gallery|Room|Chamber|"
    r"Auditorium|Academy|Institute|Hospital|Station|Court|Villa|Lodge|Mansion|Bowl|Park|Ground|Field|Dome|"
    r"Oval|Arms|Inn|Tavern)\b")

#: "Who published the full text?", "Who wrote this article?", "Who is the author?": the
#: document's byline. "Who wrote the letter?" asks about the text, not its author.
#: What a document calls itself ("this article", "the report", "it").
_DOCUMENT_NOUNS = (r"(?:article|report|story|piece|post|page|text|document|blog|news|memo|paper|study|guide|"
                   r"manual|policy|essay|column|newsletter|book|this|it)")
_ASKS_AUTHOR = re.compile(
    rf"\bwho\b[^?.]*?\b(?:published|posted|penned|(?:wrote|written|authored)\b[^?.]*?\b{_DOCUMENT_NOUNS}\b)"
    r"|\b(?:author|writer|publisher|reporter)s?\s+of\s+(?:the|this)\b"
    r"|\bwho\s+(?:is|was|are|were)\s+(?:the|its)\s+(?:author|writer|publisher|reporter)s?\b", re.IGNORECASE)
#: "When was the article published?", "What is the date of this report?", "When was it
#: written?": the document's own date (its date line), not a date in its text.
_ASKS_PUBLICATION = re.compile(
    r"\b(?:published|posted|written|issued|released|dated|updated)\b"
    r"|\b(?:publication|release)\s+date\b|\bdate\s+of\b", re.IGNORECASE)
_DOCUMENT_NOUN = re.compile(rf"\b{_DOCUMENT_NOUNS}\b", re.IGNORECASE)


def asks_publication(question: str) -> bool:
    """Whether a date question asks when the document itself was published or written."""
    return bool(_ASKS_PUBLICATION.search(question)) and bool(_DOCUMENT_NOUN.search(question))


#: A byline or credit: "by YCPress", "By Ana Ruiz, Health Reporter", "Source: Xinhua",
#: "written by Dr. Helen Marsh".
_HAS_BYLINE = re.compile(
    r"(?:^\W*[Bb]y|\b(?:[Aa]uthors?|[Ss]ource|[Pp]ublisher|[Ww]riter):|\b(?:written|published|posted|authored|"
    r"compiled|edited|released|reported)\s+by)\s+(?:the\s+)?[A-Z]")

#: "Who took over from her?", "Who succeeded Dr. Quince?", "whos chairing after the russians":
#: a question about who came next in a post. A bare "after" counts only with a word for the
#: post and before the name the question ends on ("... chairing ... after the Russians?"),
#: not before a clause ("who fixed the bridge after it fell?") or in "Who spoke after him?".
_TAKES_OVER = r"tak(?:e|es|en|ing)\s+over|took\s+over|succeed(?:s|ed|ing)?|replac(?:e|es|ed|ing)"
_SUCCESSION_VERB = rf"{_TAKES_OVER}|successor|follow(?:s|ed)"
_POST = (r"chair\w*|lead\w*|head\w*|presiden\w*|director\w*|captain\w*|manag\w*|ceo|r[au]n(?:s|ning)?|"
         r"rul(?:e|es|ed|ing|er)|reign\w*|in\s+charge|office|post|role|job|position|throne|helm")
_ASKS_SUCCESSOR = re.compile(
    rf"\bwho(?:'?s|\s+(?:is|was|will|would))?\b[^?]*?(?:\b(?:{_SUCCESSION_VERB})\b"
    rf"|\b(?:{_POST})\b[^?]*?\bafter\s+(?:him|her|them|(?:the\s+)?[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)"
    r"\s*(?:\?|$))",
    re.IGNORECASE)
#: A sentence that tells who came next: "was succeeded by", "His successor, ...",
#: "She was followed by", "on taking over the chairmanship".
_HAS_SUCCESSION = re.compile(
    rf"\b(?:{_TAKES_OVER}|successors?|succession|followed\s+by|hand(?:s|ed|ing)?\s+over)\b", re.IGNORECASE)
#: "... succeeded by / followed by / replaced by NAME", "Her successor, NAME": NAME is the
#: one who came next.
_CAME_NEXT = re.compile(r"\b(?:(?:succeeded|followed|replaced)\s+(?:in\s+\d{4}\s+)?by|successor,?(?:\s+(?:was|is))?)"
                        r"\s+((?:\S+\s+){0,3}\S+)", re.IGNORECASE)
#: The one a succession question starts from: "after the Russians", "from him", "succeeded X".
_PREDECESSOR = re.compile(
    r"\b(?:after|from|succeed(?:s|ed)?|replac(?:e|es|ed))\s+(?P<who>[^?.!]+?)"
    r"(?=\s+(?:as|when|in|at|on|retired|left|stepped|died|was|were)\b|\s*[?.!]|\s*$)", re.IGNORECASE)
_PRONOUNS = frozenset("him her them he she they it".split())


def predecessor_terms(question: str, referent: str = "") -> frozenset[str]:
    """For a question about who came next, the terms of the one it starts from ("after
    the Russians" -> {"russian"}); a pronoun ("from him") stands for ``referent``."""
    match = _PREDECESSOR.search(question)
    if not match:
        return frozenset()
    who = match.group("who")
    if who.strip().lower() in _PRONOUNS:
        who = referent
    return frozenset(terms(who))


def without_predecessor(text: str) -> str:
    """A succession question without the one it starts from, named last ("whos chairing
    the sco after the russians" -> "whos chairing the sco"): the answer need not name them."""
    found = list(_PREDECESSOR.finditer(text))
    if not found:
        return text
    last = found[-1]
    return " ".join((text[:last.start("who")] + text[last.end("who"):]).split())


def tells_successor(text: str, predecessor: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence tells who came next, and not of the predecessor's own arrival
    ("... was succeeded by Dr. Harold Quince" does not answer who followed Dr. Quince)."""
    if not _HAS_SUCCESSION.search(text):
        return False
    return not any(predecessor & set(terms(m.group(1))) for m in _CAME_NEXT.finditer(text))


_ASKS_COUNTRY = re.compile(r"\b(which|what) (countr(y|ies)|nations?|member (states?|countries))\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _countries() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]:
    """Patterns over the country names and adjectives in ``assets/countries.txt``: one for
    documents (capitalised, as names are written), one for questions (any case, as people
    type, except the all-capital forms, so "us" is not the US), and each form's country."""
    country: dict[str, int] = {}
    path = Path(__file__).parent / "assets" / "countries.txt"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            for form in line.split(","):
                country[plain(form.strip())] = n
    forms = sorted(country, key=len, reverse=True)  # longest first: "South Sudan" before "Sudan"

    def alternation(chosen: list[str]) -> str:
        return "|".join(re.escape(f) for f in chosen)

    written = re.compile(rf"(?<![\w-])(?:{alternation(forms)})(?![\w-])")
    capitals = [f for f in forms if f.isupper()]
    others = [f for f in forms if not f.isupper()]
    # a question's "SCO-Afghanistan Liaison Group" names Afghanistan too
    typed = re.compile(rf"(?<![\w])((?i:{alternation(others)})|{alternation(capitals)})(?:'?s)?(?![\w-])")
    return written, typed, {f.lower(): c for f, c in country.items()}


def country_terms(word: str) -> list[str]:
    """The terms of the other one-word names of the country a word names ("iranian" ->
    "iran", "persia"); [] for a word that names no country."""
    _, _, country = _countries()
    n = country.get(word.lower())
    if n is None:
        return []
    return [stem(form) for form, m in country.items() if m == n and " " not in form and form != word.lower()]


def countries_named(question: str) -> frozenset[int]:
    """The countries a question names ("Which country chaired the SCO before Russia?")."""
    _, typed, country = _countries()
    return frozenset(country[m.group(1).lower()] for m in typed.finditer(plain(question)))


def names_a_country(text: str, besides: frozenset[int] = frozenset(), focus: str | None = None) -> bool:
    """Whether ``text`` names a country (or calls something by its adjective: "the Russian
    side") other than those in ``besides``: the question's own countries do not answer it.
    With ``focus`` (the person in "Which country is Norov from?"), a sentence that names
    that person must give the country within NAME_WINDOW words of the name ("President
    Rakhmon of Tajikistan"); "... norov Heads of permanent institutions ... Ghani of
    Afghanistan" does not say where Norov is from."""
    written, _, country = _countries()
    starts = [m.start() for m in written.finditer(plain(text)) if country[m.group(0).lower()] not in besides]
    return stands_near(text, starts, focus)


def stands_near(text: str, starts: list[int], focus: str | None) -> bool:
    """Whether any of the answers found in ``text`` (their character offsets, ``starts``)
    stands within NAME_WINDOW words of ``focus`` (a stemmed word), when the text holds that
    word at all; else whether there is any."""
    near = [i for i, token in enumerate(words(text)) if stem(token) == focus] if focus else []
    if not near:
        return bool(starts)
    return any(abs(len(words(text[:start])) - i) <= NAME_WINDOW for start in starts for i in near)


#: "Which country is Norov from?", "Which nation does Rakhmon lead?": a person's country.
_ASKS_WHOSE_COUNTRY = re.compile(r"\bfrom\W*$|\b(?:lead|leads|led|represents?|represented|heads?|headed|governs?|"
                                 r"president|minister|leader|king|queen)\b", re.IGNORECASE)


def country_focus(question: str) -> str | None:
    """The person a "which country" question asks about, stemmed: the last capitalised
    word that is neither the question's first word, an acronym, nor a country ("Which
    country is SCO Secretary General Norov from?" -> "norov"); None unless the question
    asks whose country it is (see ``_ASKS_WHOSE_COUNTRY``)."""
    if not _ASKS_WHOSE_COUNTRY.search(question):
        return None
    _, typed, _ = _countries()
    found = [m.group(0) for m in _CAPITALISED.finditer(plain(question))
             if m.start() and not m.group(0).isupper() and not typed.fullmatch(m.group(0))]
    # typed in lower case: "which country is norov from"
    found = found or [m.group(1) for m in _FROM_WHOM.finditer(fold(question))
                      if m.group(1) not in STOP_WORDS and not typed.fullmatch(m.group(1))]
    return stem(fold(found[-1]).strip("'")) if found else None


_FROM_WHOM = re.compile(r"\b([a-z][\w'-]+)\s+(?:come\s+|comes\s+)?from\W*$")


#: "Which firm was the contractor?", "What company supplies ...?": an organisation's name.
_ASKS_ORGANISATION = re.compile(
    r"\b(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|the)\b)\w+\s+)?(?:firms?|compan(?:y|ies)|"
    r"business(?:es)?|contractors?|suppliers?|builders?|organi[sz]ations?|charit(?:y|ies)|banks?|agenc(?:y|ies)|"
    r"manufacturers?|retailers?|providers?|insurers?|publishers?|breweries|brewery)\b(?!\s+(?:holidays?|hours|days))",
    re.IGNORECASE)
#: The word that makes a capitalised name an organisation's ("Harlow & Finch Construction").
_ORGANISATION_NAMES = """Ltd Limited plc PLC Inc LLC Co Company Corporation Construction Supplies Sons Brothers
Trust Association Society Council Bank Brewery Group Partners Partnership Services Industries Foundation Authority
Agency Benefits Builders Contractors Instruments Systems Technologies Technology Labs Laboratories Electronics
Engineering Motors Pharmaceuticals Solutions Holdings Enterprises Manufacturing Energy Networks Software Airlines
Airways Logistics Insurance Publishing Publishers""".split()
_ORGANISATION_WORD = rf"(?:{'|'.join(_ORGANISATION_NAMES)})"
_ORGANISATION_WORDS = re.compile(rf"\b{_ORGANISATION_WORD}\b")
_ORGANISATION = re.compile(rf"(?:[A-Z][\w'’-]*\s+(?:(?:&|and|of)\s+)?){{1,5}}{_ORGANISATION_WORD}\b\.?"
                           rf"|[A-Z][\w'’-]*\s+&\s+[A-Z][\w'’-]*")


def names_an_organisation(text: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence names a firm or a body ("Samuel Lusk and Sons", "Rural Recreation
    Supplies", "Harlow & Finch Construction") that shares no term with the question
    (``known``) but by the word that makes it a firm: "the Tamsell Bridge Company" is the
    question's own bridge's company, not the contractor asked for, while "Rural Recreation
    Supplies" may answer "Which firm won the job of supplying the swing?"."""
    return any(not set(terms(_ORGANISATION_WORDS.sub(" ", m.group(0)))) & known
               for m in _ORGANISATION.finditer(plain(text)))


#: "What was the name of the resident?", "What is the boat called?": a proper name.
_ASKS_NAME = re.compile(r"\bwhat(?:'s|\s+(?:is|was|are|were))\s+(?:the\s+)?names?\s+of\b|"
                        r"\bwhat(?:'s|\s+(?:is|was|are|were))\s+(?:his|her|their|its)\s+names?\b|"
                        r"^\W*what\b.*\bcalled\s*\?\s*$", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
#: "Who designed the bridge?", "who was release manager?": someone named. Not "who is
#: eligible", "who can borrow", "who should upgrade": those ask for a kind of person.
_ASKS_PERSON = re.compile(
    # "Which Rovers player was sent off?", "Which councillor proposed it?": someone named
    r"\bwhich\s+(?:[\w'’-]+\s+){0,3}?(?:player|striker|defender|goalkeeper|keeper|winger|midfielder|forward|"
    r"substitute|captain|manager|coach|referee|umpire|councillor|minister|official|officer|teacher|doctor|nurse|"
    r"student|pupil|author|writer|artist|singer|actor|actress|musician|scientist|researcher|employee|colleague|"
    r"person|man|woman|candidate|speaker|driver|rider|athlete|runner|member\s+of\s+staff|staff\s+member)s?\b"
    r"(?!\s+(?:of\s+the\s+(?:match|year|month|season)|award))|"
    r"\bwho(?:(?:'s|’s|s\b|\s+(?:is|was|were|are))\s+(?:in\s+charge\b|(?:(?:the|its|their|his|her)\s+)?"
    r"(?!eligible|allowed|able|entitled|responsible|welcome|invited|affected|exempt|likely|going|expected|"
    r"to|not|in|at|on|a|an|that|this|these|those|also|still)[a-z]+\b)|\s+(?:"
    r"[a-z]+ed\b|led|ran|wrote|built|made|gave|won|took|found|began|drew|chose|paid|sent|brought|bought|"
    r"taught|held|met|did|chairs|runs|leads|owns|manages|heads|directs|organi[sz]es|teaches|coaches|sponsors|funds|"
    r"maintains|supplies)\b"
    # "Who will head the committee?", "who will chair it next?"
    r"|\s+(?:will|shall)\s+(?!be\s+(?:eligible|allowed|able|entitled|affected|exempt|responsible)\b)[a-z]+\b)",
    re.IGNORECASE)
#: The doer of a passive verb ("written by the mayor", "run by volunteers").
_BY_AGENT = re.compile(r"\b[a-z]+(?:ed|en|wn|ne|ght|lt|de|pt|un)\s+by\s+"
                       r"(?:the\s+|a\s+|an\s+|its\s+|their\s+|his\s+|her\s+)?"
                       r"(?!(?:then|now|far|means|hand|chance|law|default|mistake|post|email|phone|car|bus|train|"
                       r"noon|midnight|two|three|four|five|six|seven|eight|nine|ten|twelve)\b)[a-z]{3,}")


_CALENDAR_WORD = re.compile(rf"{_MONTHS}|{_WEEKDAYS}", re.IGNORECASE)


_FUTURE_MARK = re.compile(r"\b(will|shall|next|upcoming|coming)\b", re.IGNORECASE)


def only_future(text: str) -> bool:
    """Whether a sentence's time is to come and no date pins it ("Next year the
    organization will celebrate its 20th anniversary"): no answer to "when did ...?"."""
    return bool(_FUTURE_MARK.search(text)) and not (_HAS_DATE.search(text) or re.search(_YEAR_NUMBER, text))


def gives_a_name(text: str, known: frozenset[str] = frozenset(), focus: str | None = None) -> bool:
    """Whether a sentence holds a proper name other than the question's own (``known``,
    its terms): a capitalised word that does not only open the sentence. With ``focus``
    (the stemmed noun in "the name of the governess"), a sentence that speaks of that noun
    must have the name within NAME_WINDOW words of it: "taught by a governess ... then
    attended Cheltenham Ladies' College" does not name the governess. A sentence that
    does not ("Samuel Osei of Mill Lane complained") may still name her."""
    return stands_near(text, list(_names(text, known)), focus)


#: How many words may stand between "the governess" and her name ("the governess, Miss
#: Agnes Pratt", "Miss Pratt, her first governess").
NAME_WINDOW = 4
_NAME_OF = re.compile(r"\bnames?\s+of\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?([^?,;:]+)",
                      re.IGNORECASE)


def name_focus(question: str) -> str | None:
    """What "what was the name of X" asks to name: X's last content word, stemmed, before
    "who", "that" and the like ("the Mill Lane resident who complained" -> "resident");
    None when the question names no such noun ("What is the boat called?")."""
    match = _NAME_OF.search(plain(question))
    if not match:
        return None
    head: str | None = None
    for word in words(re.sub(r"'s\b", "", match.group(1))):  # "Amelia Thornbury's governess"
        if word in STOP_WORDS or word in QUESTION_WORDS:
            break
        head = word
    return stem(head) if head else None


def _names(text: str, known: frozenset[str]) -> Iterator[int]:
    """Where ``text``'s proper names start (see ``gives_a_name``)."""
    for match in _CAPITALISED.finditer(text):
        word = fold(match.group(0)).strip("'’")
        if word in STOP_WORDS or stem(word) in known:
            continue
        if "-" in word and all(stem(part) in known for part in word.split("-") if part):
            continue  # "Organization-Afghanistan" when the question names both
        if any(ch.isdigit() for ch in word) or (match.start() and text[match.start() - 1] in "/._"):
            continue  # "docs/HISTORY-2.txt", "v2.Beta": a file or a code, not a name
        if _CALENDAR_WORD.fullmatch(match.group(0).strip("'’")):
            continue  # "on the second Tuesday", "in March"
        if match.start() == len(text) - len(text.lstrip()) and not _CAPITALISED.match(
                text[match.end():].lstrip()):
            continue  # "Residents ..." opens the sentence; "Samuel Osei ..." is a name
        yield match.start()


#: The last word of a name that is no one's: a team ("Kelswick Albion"), a competition
#: ("the Tervany Cup"), a body ("Harbour Water Authority") or a building ("Ardmoor Bowl").
#: Words that are also common surnames ("Hall", "Park", "Field", "Bank") are left out.
#: (A firm's words are those of ``names_an_organisation``, but "Bank" and "Co".)
_NOT_A_PERSON = frozenset("""united city town rovers wanderers athletic albion rangers celtic county hotspur
orient argyle fc afc harriers dynamo sporting academicals cup shield trophy league championship championships
tournament olympics derby stakes prix institute university college ministry commission federation union bureau
stadium arena bowl centre center museum theatre theater cathedral church hotel hospital station
airport""".split()) | ({w.lower() for w in _ORGANISATION_NAMES} - {"bank", "co"})
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*")


#: ... and after "the", a place's own words too ("leaving the Town Hall", "the Corn Market").
_NOT_A_PERSON_AFTER_THE = frozenset("""hall house park square street road lane avenue bridge market gardens
field court green quay pier harbour castle tower gate palace library school""".split())
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def _nobody(text: str, start: int) -> bool:
    """Whether the capitalised name at ``start`` ends in a word that makes it a team, a
    competition, a body or a building rather than a person."""
    run = _NAME_RUN.match(text, start)
    if run is None:
        return False
    last = fold(run.group(0).split()[-1]).strip("'’")
    return last in _NOT_A_PERSON or (last in _NOT_A_PERSON_AFTER_THE and bool(_THE_BEFORE.search(text[:start])))


def gives_a_person(text: str, known: frozenset[str] = frozenset(), countries: frozenset[int] = frozenset()) -> bool:
    """Whether a sentence says who did something: a name (``gives_a_name``) that is not a
    place ("in the Anchor Room"), a passive doer ("designed by the county engineer", not
    "governed by a seven-member board") or a country other than the question's own
    ``countries`` ("China proposes ...")."""
    # the first word of each name says what it is: "Anchor Room" after "in the" is a place
    people = [start for start in _names(text, known)
              if not _goes_on_a_name(text[:start], known) and not _PLACE_BEFORE.search(text[:start])
              and not _nobody(text, start)]
    return bool(people) or bool(_BY_AGENT.search(text)) or names_a_country(text, countries)


#: A name right after "in the", "at the" ... is a place ("meets ... in the Anchor Room").
_NAME_GOES_ON = re.compile(r"([A-Z][\w'’-]*)\s+$")


def _goes_on_a_name(before: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether the text before a capitalised word ends in another that is not a stop word
    ("Anchor" before "Room"; not "The" before "Tremayne"), nor the question's own title for
    the one asked of ("Secretary-General" before "Oduya Fennimore")."""
    match = _NAME_GOES_ON.search(before)
    if match is None or fold(match.group(1)) in STOP_WORDS:
        return False
    return not all(stem(part) in known for part in fold(match.group(1)).split("-") if part)


_PLACE_BEFORE = re.compile(r"\b(?:in|at|on|from|to|into|near|inside|outside|through|via|across|past|around|along)\s+"
                           r"(?:the\s+)?$", re.IGNORECASE)


#: "What is the street address of the café?", "What's their postal address?": an address,
#: not a place named in passing ("at the Old Ropeworks café by the canal").
_ASKS_ADDRESS = re.compile(r"\bwhat(?:'s|\s+(?:is|was|are|were))\s+(?:[\w'’-]+\s+){0,4}?address(?:es)?\b",
                           re.IGNORECASE)
_HAS_ADDRESS = re.compile(
    r"\b\d+[A-Za-z]?(?:-\d+)?,?\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Way|Drive|"
    r"Close|Place|Pl|Square|Sq|Crescent|Terrace|Quay|Row|Court|Boulevard|Blvd|Parade|Hill|Gardens|Walk|Green|"
    r"Vale|Mews|Wharf|Embankment)\b|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b[A-Z]{2}\s\d{5}\b|"
    r"\bP\.?\s?O\.?\s+Box\b|[\w.+-]+@[\w-]+\.\w|\bhttps?://\w|\bwww\.\w")


#: Answer kinds, most specific first: what asks for one, and whether a sentence holds one.
_KINDS: tuple[tuple[str, re.Pattern[str], Callable[[str], object]], ...] = (
    ("author", _ASKS_AUTHOR, _HAS_BYLINE.search),
    ("address", _ASKS_ADDRESS, _HAS_ADDRESS.search),
    ("successor", _ASKS_SUCCESSOR, tells_successor),
    ("name", _ASKS_NAME, gives_a_name),
    ("organisation", _ASKS_ORGANISATION, names_an_organisation),
    ("money", _ASKS_MONEY, _HAS_MONEY.search),
    ("person", _ASKS_PERSON, gives_a_person),
    ("position", _WHICH_UNIT, lambda text: bool(_ORDINAL_FIGURE.search(text) or _HAS_NUMBER.search(text))),
    ("age", _ASKS_AGE, _HAS_AGE.search),
    ("phone", _ASKS_PHONE, _HAS_PHONE.search),
    ("weight", _ASKS_WEIGHT, _HAS_WEIGHT.search),
    ("length", _ASKS_LENGTH, _HAS_LENGTH.search),
    ("duration", _ASKS_DURATION, lambda text: _HAS_DURATION.search(text) or _HAS_LENGTH.search(text)),
    ("percent", _ASKS_PERCENT, _HAS_PERCENT.search),
    ("count", _ASKS_COUNT, _HAS_COUNT.search),
    ("frequency", _ASKS_FREQUENCY, _HAS_FREQUENCY.search),
    ("number", _ASKS_NUMBER, _HAS_NUMBER.search),
    ("temperature", _ASKS_TEMPERATURE, _HAS_TEMPERATURE.search),
    ("colour", _ASKS_COLOUR, _HAS_COLOUR.search),
    ("date", _ASKS_DATE, _HAS_DATE.search),
    ("year", _ASKS_YEAR, _HAS_YEAR.search),
    ("month", _ASKS_MONTH, _HAS_MONTH.search),
    # a report's dateline ("PORT ALVEN, March 3 (Meridian) --") dates the report, not the season asked
    ("season", _ASKS_SEASON, lambda text: _HAS_SEASON.search(_DATELINE.sub("", text))),
    ("hours", _ASKS_HOURS, _HAS_HOURS.search),
    ("past", _ASKS_PAST_TIME, lambda text: _HAS_PAST_TIME.search(text) and not only_future(text)),
    # a version number ("Tarnwick 3.0.0", "version 2") is no point in time
    ("time", _ASKS_TIME, lambda text: _HAS_TIME_POINT.search(_VERSION.sub(" ", text))),
    ("country", _ASKS_COUNTRY, names_a_country),
    ("building", _ASKS_BUILDING, lambda text: _HAS_BUILDING.search(text) or refers_elsewhere(text)),
    ("place", _ASKS_PLACE, lambda text: _HAS_PLACE.search(text) or refers_elsewhere(text)),  # "see ... below"
)


def answer_type(question: str) -> str | None:
    """The kind of answer a question asks for ("number", "date", "place", ...), or None
    when any sentence could answer it."""
    for kind, asks, _ in _KINDS:
        if asks.search(question):
            return kind
    return None


def fits_type(text: str, kind: str | None, focus: str | None = None,
              countries: frozenset[int] = frozenset(), predecessor: frozenset[str] = frozenset(),
              known: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence can answer a question of that answer type at all: "how many"
    needs a number in it (next to the thing counted, when ``focus`` names it), "where"
    a place name or words putting the question's thing (``known``) somewhere, "what
    date" a day, "which country" a country other than the question's own ``countries``,
    "who took over from X" a successor other than X (``predecessor``)."""
    if kind == "count" and focus:
        return counts(text, focus)
    if kind == "position" and focus:
        return ranks(text, focus)
    if kind == "country":
        return names_a_country(text, countries, focus)
    if kind == "successor":
        return tells_successor(text, predecessor)
    if kind == "name":
        return gives_a_name(text, known, focus)
    if kind == "organisation":
        return names_an_organisation(text, known)
    if kind == "person":
        return gives_a_person(text, known, countries)
    if kind == "place" and ((focus and placed(text, focus)) or located(text, known)):
        return True
    for name, _, holds in _KINDS:
        if name == kind:
            return bool(holds(text))
    return True


_HOW_MANY = re.compile(r"\bhow many\s+([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})", re.IGNORECASE)
#: How many words may stand between a number and the thing it counts ("600 youth exchange places").
COUNT_WINDOW = 4
#: A figure as one word: "84", "31,000", "2.5".
_FIGURE = re.compile(r"\d[\d,.]*")
#: How far after "the number of <things>" its figure may come.
NUMBER_OF_WINDOW = 10


def count_focus(question: str) -> str | None:
    """The thing counted: the stemmed words after "how many", up to three, up to the first
    that is not a content word ("how many breeding pairs were" -> "breed pair"); None
    when "how many" is followed by none ("how many did they send")."""
    match = _HOW_MANY.search(fold(question))
    unit = _WHICH_UNIT.search(question) if match is None else None
    if unit is not None:
        return stem(unit.group(1).lower())
    found: list[str] = []
    for word in match.group(1).split() if match else []:
        if word in STOP_WORDS or word in QUESTION_WORDS:
            break
        found.append(stem(word))
    return " ".join(found) or None


#: "How many people ...?" counts any of these.
_PEOPLE = frozenset(stem(w) for w in "people persons individuals".split())
_PERSONS = frozenset(stem(w) for w in """crowd spectators fans visitors attendees participants delegates guests
students pupils children adults residents citizens passengers travellers tourists workers employees staff
volunteers members doctors nurses patients farmers officers soldiers teachers players athletes runners refugees
men women youths families households inhabitants""".split())

#: "How many marks / points ...?": a score counted in any of these.
_MARKS = frozenset(stem(w) for w in "marks points percent percentage".split())


def counts(text: str, focus: str) -> bool:
    """Whether ``text`` puts a number in front of ``focus`` ("75 years", "four communities";
    any word of it: "84 pairs" counts "breed pair"), or gives "the number of" it further
    on ("keeps the number of snapshots given by snapshot.keep, which defaults to 7")."""
    tokens = words(text)
    focus_stems = set(focus.split())
    if focus_stems & _PEOPLE:
        # "how many people": a crowd, students, doctors and nurses are people too
        focus_stems |= _PERSONS
    if focus_stems & _MARKS:
        # "how many marks do I lose": "loses 5 percentage points"
        focus_stems |= _MARKS
    # a table row read after its column names: "Year: 2022; Written complaints: 987"
    for cell in text.split(";"):
        name, colon, value = cell.partition(":")
        if colon and _FIGURE.fullmatch(value.strip()) and focus_stems & {stem(w) for w in words(name)}:
            return True
    for i, token in enumerate(tokens):
        if stem(token) not in focus_stems:
            continue
        after = tokens[i + 1:i + 1 + NUMBER_OF_WINDOW] if tokens[max(0, i - 2):i] == ["number", "of"] else []
        # "a crowd of 41,286", "a workforce of 300"
        after += tokens[i + 2:i + 3] if tokens[i + 1:i + 2] == ["of"] else []
        start = max(0, i - COUNT_WINDOW)
        before = [t for j, t in enumerate(tokens[start:i], start) if not _dated_year(tokens, j)]
        if any(_HAS_COUNT.fullmatch(t) or _FIGURE.fullmatch(t) for t in before + after):
            return True
    return False


#: Words before a year that make it a date ("published in 2024, found more bees").
_BEFORE_YEAR = frozenset("in since by until till from during before after".split())


def _dated_year(tokens: list[str], j: int) -> bool:
    """Whether ``tokens[j]`` is a year that dates something, not a count."""
    return is_year(tokens[j]) and j > 0 and tokens[j - 1] in _BEFORE_YEAR


_CHOICE = re.compile(
    r"^\W*(?:is|are|was|were|did|does|do|will|would|can|could|has|have|had|should|shall)\b(?P<left>[^?]*?)"
    r"\bor\b(?P<right>[^?.,;]*)", re.IGNORECASE)
#: What people type after "or" when they offer no real alternative ("... or not?", "or nah").
_NO_ALTERNATIVE = frozenset("not no nah nope what wat something anything else whatever smth sth so".split())


_CONTRAST = re.compile(r"\b(?:vs\.?|versus|compared (?:with|to)|as opposed to|as against)\s", re.IGNORECASE)


def contrasted(question: str) -> frozenset[str]:
    """The two things a question sets side by side, stemmed: the last content word before
    "vs" / "versus" / "compared with" and the first after it ("how long does the trip take
    in autumn vs in spring" -> the stems of "autumn" and "spring"). Empty when it sets none."""
    match = _CONTRAST.search(question)
    if not match:
        return frozenset()
    before, after = terms(question[:match.start()]), terms(question[match.end():])
    return frozenset(before[-1:] + after[:1]) if before and after else frozenset()


def choice(question: str) -> tuple[frozenset[str], ...] | None:
    """For a question offering a choice ("Was it held in person or by video link?"), the
    terms of each alternative: the last content word before "or", the first three after
    it ({"person"}, {"video", "link"}). None for any other question, "... or not?" included."""
    match = _CHOICE.search(question)
    if not match:
        return None
    after = content_words(match.group("right"))
    before = content_words(match.group("left"))
    if not after or not before or any(w in _NO_ALTERNATIVE for w in words(match.group("right"))[:1]):
        return None
    return frozenset([stem(before[-1])]), frozenset(stem(w) for w in after[:3])


def offers(terms_present: set[str], alternatives: tuple[frozenset[str], ...] | None) -> bool:
    """Whether a sentence (its terms) names one of a choice question's alternatives whole."""
    return alternatives is None or any(alternative <= terms_present for alternative in alternatives)


#: "each other" is no unit; "a" / "an" before a unit of time is ("$45 an hour", "twice a day").
_PER_UNIT = re.compile(r"\b(each(?! other)|per|apiece|every|"
                       r"an? (?:second|minute|hour|day|night|week|month|year)"
                       r"(?!\s+(?:ago|later|earlier|before|after)))\b",
                       re.IGNORECASE)


#: "Why ...?" (also typed "y does ..."), "How come ...?": a question asking for a reason.
_ASKS_REASON = re.compile(r"^\W*y\s+(?:do|does|did|is|are|was|were|should|would|can)\b|\bwhy\b|\bhow come\b|"
                          r"\bfor what (?:reason|purpose)\b|\bwhat (?:is|was|'s) the (?:reason|point|purpose)\b",
                          re.IGNORECASE)
#: "What do I do?", "How can I fix ...?": a question asking what to do about something.
_ASKS_ACTION = re.compile(r"\bwh?at (?:do|should|can|must|shall) (?:i|we|you|u) do\b|\bwh?at to do\b|"
                          r"\bhow (?:do|can|should|would) (?:i|we|you|u) (?:fix|stop|solve|cure|repair|prevent|"
                          r"deal with|get rid of|sort out)\b"
                          # "What happens to my repayments if I leave?": the consequence and what follows it
                          r"|\bwhat (?:happens|will happen|would happen)\b", re.IGNORECASE)
#: A sentence that gives its own reason.
_GIVES_REASON = re.compile(r"\b(?:because|since|as a result|due to|owing to|so that|in order to|therefore|thus|"
                           r"which means|reason|why|as (?:it|they|this|these|he|she|we|you) [a-z]+)\b", re.IGNORECASE)


def asks_reason_or_action(question: str) -> bool:
    """Whether a question asks why, or what to do: its answer usually goes on past the
    sentence that matches it ("**Water leaks from the head.** A cartridge is loose." ->
    "Turn off the feed valve, ...")."""
    return bool(_ASKS_REASON.search(question) or _ASKS_ACTION.search(question))


#: "What isn't allowed?", "what can't I bring", "What is banned?": asks what the rules forbid.
_ASKS_FORBIDDEN = re.compile(r"(?:\bnot|n't)\s+(?:allowed|permitted)\b|\b(?:prohibited|banned|forbidden)\b|"
                             r"\b(?:can'?t|cannot|can not|mustn'?t|must not)\s+(?:\w+\s+)?"
                             r"(?:bring|take|do|use|carry)\b", re.IGNORECASE)
#: A sentence that forbids: "No smoking", "... are not permitted", "... is not allowed", "must not".
_FORBIDS = re.compile(r"^\W*no\s+[a-z]|\bnot\s+(?:be\s+)?(?:allowed|permitted)\b|\b(?:prohibited|banned|forbidden)\b|"
                      r"\b(?:must|may)\s+not\b|\bmustn't\b|\bnever\b", re.IGNORECASE)


#: "Which of the boats can take a wheelchair?": a question choosing what has or does something.
_WHICH_CAN = re.compile(r"^\W*which\b(?:\s+\w+){0,4}?\s+(?:can|could|has|have|is|are|does|do|will|offers?|takes?)\b",
                        re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|never|cannot|none|neither|nor)\b|n't\b", re.IGNORECASE)


def chooses_what_does(question: str) -> bool:
    """Whether a question asks which thing has or does something, and says it without a
    negation ("Which of the boats can take a wheelchair?"): a sentence saying one does not
    ("The Marram ... is not suitable for wheelchair users") answers another question."""
    return bool(_WHICH_CAN.search(plain(question))) and not _NEGATED.search(plain(question))


def negated(text: str) -> bool:
    """Whether a sentence says something is not so ("... is not suitable ...")."""
    return bool(_NEGATED.search(plain(text)))


def asks_forbidden(question: str) -> bool:
    """Whether a question asks what is not allowed ("What isn't allowed on board?")."""
    return bool(_ASKS_FORBIDDEN.search(plain(question)))


def forbids(text: str) -> bool:
    """Whether a sentence (or a list item) forbids something ("Fishing from the boat is not
    allowed.", "- No smoking or vaping ...")."""
    return bool(_FORBIDS.search(list_item_body(text) or text))


def gives_reason(text: str) -> bool:
    """Whether a sentence states a reason itself ("..., because ...")."""
    return bool(_GIVES_REASON.search(text))


#: A sentence that adds to the one before it: "It will also include ...", "In addition, ...".
_CONTINUES = re.compile(
    r"^\W*(?:(?:it|they|this|these|he|she|we|the\s+\w+)\b[^.;:!?]{0,40}?\balso\b"
    r"|(?:also|additionally|in addition|furthermore|moreover)\b)", re.IGNORECASE)


_ASKS_DOCUMENT = re.compile(r"\bwhich (?:one )?(?:of (?:the|these|those|your) (?:\w+ )?)?"
                            r"(?:documents?|reports?|texts?|files?|articles?)\b", re.IGNORECASE)


def asks_which_document(question: str) -> bool:
    """Whether a question asks which document says something ("Which of the two
    documents mentions Guterres?"): the answer names it."""
    return bool(_ASKS_DOCUMENT.search(question))


_GOES_ON_FROM = re.compile(r"^\W*(?:the )?(?:other|another)\b", re.IGNORECASE)


def goes_on_from(text: str) -> bool:
    """Whether a sentence adds to the one before it ("Other long-running clubs include
    ..."): that one holds the first of what it lists."""
    return bool(_GOES_ON_FROM.search(text))


def continues(text: str) -> bool:
    """Whether a sentence goes on with what the previous one said ("It will also include
    a children's waiting area"): the rest of the answer when the previous one answers."""
    return bool(_CONTINUES.search(text))


#: A reply that only says yes or no ("Yes, but shares are a long-term investment.", "Not
#: directly, because we are not a supplier."): the sentence after it says how.
_BARE_REPLY = re.compile(r"^\W*(?:yes|no|not (?:directly|always|usually|yet|quite|exactly)|usually|sometimes|"
                         r"it depends)\b\s*[,.;:!—–-]", re.IGNORECASE)


def replies_only(text: str) -> bool:
    """Whether a sentence opens with a bare yes or no, its reasons to follow."""
    return bool(_BARE_REPLY.search(text))


def per_unit(text: str) -> bool:
    """Whether a text speaks of so much per thing ("each member state", "per year").
    A total does not answer "How many places will each member state get?"."""
    return bool(_PER_UNIT.search(text))


@dataclass(frozen=True)
class Wanted:
    """What a sentence must hold to answer a question, read from the question once."""

    kind: str | None = None
    #: "how many X", "the name of the X", "which country is X from": X, stemmed (its
    #: words, for "how many")
    focus: str | None = None
    #: for "which country": the countries the question names itself
    countries: frozenset[int] = frozenset()
    #: "how many ... each ...": a per-unit figure
    each: bool = False
    #: the alternatives of a choice question
    alternatives: tuple[frozenset[str], ...] | None = None
    #: for "who took over from X": X's terms
    predecessor: frozenset[str] = frozenset()
    #: for "what is the name of X": the question's terms, which the name asked for is not;
    #: for "where is X": the terms of what is to be placed ("the rating plate under ...")
    known: frozenset[str] = frozenset()
    #: "her third expedition": ("third", "expedition")
    ordinal: tuple[str, str] | None = None

    def met_by(self, text: str, present: set[str]) -> bool:
        """Whether a sentence (``present``: its terms) can answer at all."""
        return (fits_type(text, self.kind, self.focus, self.countries, self.predecessor, self.known)
                and offers(present, self.alternatives)
                and (not self.each or per_unit(text))
                and not (self.ordinal and names_another(text, *self.ordinal)))


#: The verb a "where" question ends on ("Where did he say all human beings live?",
#: "Where is the key kept?").
_PLACE_VERB = re.compile(r"\bwhere\b[^?]*\s([a-z]{3,})\W*$", re.IGNORECASE)
#: Prepositions that put something somewhere.
_LOCATIVE = frozenset("in at inside on near under behind beside within".split())


def place_verb(question: str) -> str | None:
    """The stemmed verb a "where" question ends on, or None."""
    match = _PLACE_VERB.search(question.strip())
    if match is None or fold(match.group(1)) in STOP_WORDS:
        return None
    return stem(fold(match.group(1)))


#: Where a thing is on or in another ("under the drip tray", "on the back of the lid").
_LOCATED = re.compile(r"^\W*(?:[\w'-]+\W+){0,2}?(?:under|underneath|beneath|behind|beside|inside|above|below|"
                      r"next to|near|in|on|at)\s+(?:the\s+(?:back|front|side|top|bottom|base|underside|left|right)"
                      r"\s+of\s+)?(?:the|a|an|your|its|each)\s+[a-z]", re.IGNORECASE)


def located(text: str, thing: frozenset[str]) -> bool:
    """Whether a sentence says where a thing the question names is, in plain words: "the
    rating plate under the drip tray" for "Where is the rating plate?"."""
    for match in _WORD.finditer(fold(text)):
        if stem(match.group()) in thing and _LOCATED.match(text[match.end():]):
            return True
    return False


def placed(text: str, verb: str) -> bool:
    """Whether a sentence puts what the question's verb does somewhere, in plain words
    ("live in the same global village", "is kept in a locked drawer")."""
    tokens = words(text)
    return any(stem(token) == verb and tokens[i + 1] in _LOCATIVE for i, token in enumerate(tokens[:-2]))


#: "whats", "wheres", "hows": a question word's "'s" typed without its apostrophe.
_BARE_CONTRACTION = re.compile(r"\b(what|who|where|when|how|that|there)s\b", re.IGNORECASE)


def wanted(question: str) -> Wanted:
    """Read what the question's answer must hold (its asking sentences: see asked_part)."""
    question = _BARE_CONTRACTION.sub(r"\1's", question.replace("’", "'"))
    kind = answer_type(question)
    countries = countries_named(question) if kind in ("country", "person") else frozenset()
    focus = {"name": name_focus, "country": country_focus, "place": place_verb}.get(kind or "", count_focus)(question)
    return Wanted(kind, focus, countries,
                  kind == "count" and per_unit(question), choice(question), ordinal=ordinal_noun(question),
                  known=frozenset(terms(question)) if kind in ("name", "person", "organisation", "place")
                  else frozenset())


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_ORDINAL_NOUN = re.compile(rf"\b({'|'.join(ORDINALS)})\s+(?:[a-z-]+\s+)?([a-z-]{{3,}})\b", re.IGNORECASE)


def ordinal_noun(question: str) -> tuple[str, str] | None:
    """The ordinal a question puts before a noun, and the noun, stemmed ("When was her
    second book published?" -> ("second", "book")); None without one."""
    match = _ORDINAL_NOUN.search(fold(question))
    if not match or match.group(2) in STOP_WORDS:
        return None
    return match.group(1), stem(match.group(2))


def names_another(text: str, ordinal: str, noun: str) -> bool:
    """Whether a sentence is about another of the things a question numbers: "Her second
    expedition ..." does not answer "Where did her third expedition go?" (unless it names
    the third too)."""
    folded = fold(text)
    if re.search(rf"\b{ordinal}\b", folded):
        return False
    return any(m.group(1) != ordinal and stem(m.group(2)) == noun for m in _ORDINAL_NOUN.finditer(folded))


_PHRASE = re.compile(r"(?<![\w-])([A-Z][\w’'-]*(?:\s+(?:of\s+|and\s+|for\s+|the\s+)?[A-Z][\w’'-]*)+)")
#: Share of a name's terms a paragraph must hold to be about that name.
NAME_SHARE = 0.6


def named_phrases(question: str) -> list[list[str]]:
    """Multi-word names in a question ("Non-governmental Friendship Forum"), as term lists.
    A first word that only starts the sentence ("Which Pakistani leader") is not a name."""
    out = []
    for match in _PHRASE.finditer(question):
        # Acronyms are left out: documents often spell them out ("SCO").
        found = terms(" ".join(w for w in match.group(1).split() if not (w.isupper() and len(w) <= 6)))
        if match.start() == len(question) - len(question.lstrip()) and found:
            found = found[1:] if match.group(1).split()[0].lower() in QUESTION_WORDS | STOP_WORDS else found
        if len(found) >= 2:
            out.append(found)
    return out


def mentions_a_name(text_terms: set[str], names: list[list[str]], text: str = "") -> bool:
    """Whether a paragraph (its terms; ``text``, the paragraph itself) holds most of at least
    one of the names, or names it by its last word alone (see ``by_last_word``)."""
    return not names or any(sum(t in text_terms for t in name) >= NAME_SHARE * len(name)
                            or (text and name[-1] in text_terms and by_last_word(name, text)) for name in names)


#: Titles that may stand before a surname without making it someone else's ("Dr. Quince").
NAME_TITLES = frozenset("mr mrs ms miss dr prof professor sir dame lord lady president prime minister premier "
                        "chancellor king queen prince captain".split())
_WORD_BEFORE = re.compile(r"([\w'’-]+)\s*$")


def by_last_word(name: list[str], text: str) -> bool:
    """Whether ``text`` calls the name by its last word, capitalised and not as part of
    another name: "Penhallow himself" and "Dr. Quince" name Josiah Penhallow and Harold
    Quince, but "Edith Calloway" is not Margaret Calloway, nor "the Digital Economy Forum"
    the Friendship Forum."""
    last = name[-1]
    for match in _CAPITALISED.finditer(text):
        if terms(match.group(0)) != [last]:
            continue
        before = text[:match.start()].rstrip()
        previous = _WORD_BEFORE.search(before)
        if previous is None or before.endswith((".", "!", "?", ":", ";", ",", '"', "“", "(", "—", "–")):
            return True
        word = previous.group(1)
        if not word[0].isupper() or fold(word) in NAME_TITLES or set(terms(word)) <= set(name):
            return True
    return False


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


#: ", and how much did the repair cost?": a second question joined to the first.
_JOINED_QUESTION = re.compile(
    r",?\s+and\s+(?=(?:how|what|when|where|who|whom|which|why)\b)"
    # "How long is the guarantee, and is there a way to extend it?": after a comma, a yes/no question
    r"|,\s+and\s+(?=(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have)\s+"
    r"(?:there|it|they|he|she|i|we|you|this|that)\b)", re.IGNORECASE)
#: "And how many ...?" as the second question of a message: the "and" joins, nothing more.
_LEADING_AND = re.compile(r"^(?:and|also|plus)\b[\s,]*", re.IGNORECASE)
#: A message is split into at most this many questions.
MAX_PARTS = 3


def question_parts(question: str) -> list[str]:
    """The questions a message asks, when it asks several ("How much did it cost to
    build, and how much did the repair cost?", "When was it built? Who designed it?");
    else [question]. A part needs a content word of its own: "Where and on what date
    ...?" is one question."""
    sentences = _SENTENCE_END.split(question.strip())
    # typed without a question mark: the last sentence asks
    asking = [part for part in sentences if part.rstrip().endswith("?")] or sentences[-1:]
    parts = [_LEADING_AND.sub("", piece.strip()) for part in asking for piece in _JOINED_QUESTION.split(part)]
    parts = [p if p.endswith("?") else f"{p}?" for p in parts if p]
    if len(parts) < 2 or len(parts) > MAX_PARTS or not all(terms(p) for p in parts):
        return [question]
    return parts


#: A sentence belongs to one question of a message when the words only that question uses
#: weigh (IDF) at least this many times what any other question's own words weigh in it.
OWNER_MARGIN = 1.5
_REFERS_BACK = re.compile(r"\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those)\b", re.IGNORECASE)


def part_owning(sentence: str, parts: list[str], idf: dict[str, float]) -> int | None:
    """Which of a message's questions (``question_parts``) a sentence answers, judged by
    the words each question alone uses: "repair" of "how much did the repair cost?"
    outweighs "bridge", which the whole document is about. A question that says "it" or
    "her" also uses the names of the questions before it. None when no question's own
    words clearly dominate (or there is no sentence)."""
    if not sentence:
        return None
    words: list[set[str]] = []
    for i, part in enumerate(parts):
        own = set(terms(part))
        if _REFERS_BACK.search(part):
            own.update(t for earlier in parts[:i] for name in _CAPITALISED.findall(earlier[1:]) for t in terms(name))
        words.append(own)
    said = set(terms(sentence))
    weight = []
    for i, own in enumerate(words):
        others = set().union(*(w for j, w in enumerate(words) if j != i))
        weight.append(sum(idf.get(t, 0.0) for t in said & (own - others)))
    best = max(range(len(weight)), key=weight.__getitem__)
    rest = max((w for i, w in enumerate(weight) if i != best), default=0.0)
    return best if weight[best] > 0 and weight[best] >= OWNER_MARGIN * rest else None


#: A short unpunctuated tail that narrows the question ("... ? like which months lol").
_CLARIFIES = re.compile(r"^\W*(?:(?:like|i mean|as in|so|or)\W+)?(?:what|which|when|where|who|how)\b", re.IGNORECASE)
CLARIFICATION_WORDS = 8


def asked_part(question: str) -> str:
    """The sentences of a message that ask (end in "?"), or all of it. Answer-type and
    name rules read only these: "New fact: X chaired it. Who presided?" asks about
    who presided, and "X" is a claim, not part of the question."""
    parts = _SENTENCE_END.split(question.strip())
    asking = [part for part in parts if part.rstrip().endswith("?")]
    if asking and not parts[-1].rstrip().endswith("?") and _CLARIFIES.search(parts[-1]) \
            and len(parts[-1].split()) <= CLARIFICATION_WORDS:
        asking.append(parts[-1])  # "when can i apply? like which months lol"
    return " ".join(asking) if asking else question


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
#: Nouns that name a sort of thing, not the thing ("which kinds of security").
_SORT_NOUNS = frozenset("kinds types sorts forms areas fields categories examples".split())
_LIST_ASK = re.compile(
    r"\b(?:what|which|name|list)\s+(?:are\s+|were\s+)?(?:the\s+|its\s+|his\s+|her\s+|their\s+)?"
    r"(?:(?P<count>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:[a-z-]+\s+)?(?P<noun>[a-z-]{3,}s)(?:\s+or\s+(?P<other>[a-z-]{3,}s))?"
    r"(?=\s+(?:did|do|does|are|were|will|would|should|could|can|has|have|had|of|in|on|for|from|that|which|who|"
    r"to|at|with|besides)\b|\s*[?,.]|\s*$)",
    re.IGNORECASE)
#: "How often does each of the three cartridges need changing?", "all four branches":
#: a question about every one of several things asks for a list, whatever its verb.
_EACH_ASK = re.compile(
    r"\b(?:each|every one|all|both) of (?:the|its|his|her|their|these|those|your|our)\s+"
    r"(?:(?P<count>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:[a-z-]+\s+)?(?P<noun>[a-z-]{3,}s)\b(?P<other>)", re.IGNORECASE)


def count_value(raw: str | None) -> int | None:
    """The number a count is written as ("3", "three"); None for no count."""
    if not raw:
        return None
    return int(raw) if raw.isdigit() else COUNT_WORDS.get(raw.lower())


#: A sentence announcing what the next ones list: "Alvenia will host three events."
_ANNOUNCES = re.compile(rf"\b(?P<count>{'|'.join(COUNT_WORDS)}|[2-9])\s+(?:[a-z-]+\s+)?[a-z-]+s\s*[.:]?\s*$",
                        re.IGNORECASE)


def announced_count(sentence: str) -> int | None:
    """How many things a sentence says the ones after it list, when it ends by counting
    them ("Until then, Alvenia will host three events."); None for any other sentence."""
    match = _ANNOUNCES.search(sentence)
    if not match:
        return None
    return count_value(match.group("count"))


def list_request(question: str) -> tuple[int | None, frozenset[str]] | None:
    """For a question asking for several things ("What four communities ...?", "Which
    forums or events ...?"), how many it asks for (None when it does not say) and the
    stems of the thing asked for; None for any other question."""
    match = _LIST_ASK.search(fold(question)) or _EACH_ASK.search(fold(question))
    if not match:
        return None
    nouns = [match.group("noun"), match.group("other")]
    if match.group("noun") in _SORT_NOUNS:
        return None  # "which kinds of security", "in which fields": one sentence usually lists them
    heads = frozenset(stem(n) for n in nouns if n and n not in STOP_WORDS and not n.endswith(("ss", "us", "is")))
    if not heads:
        return None
    return count_value(match.group("count")), heads


_ORDINAL_ASK = re.compile(rf"\b({'|'.join(ORDINALS)})\b", re.IGNORECASE)


def asked_ordinal(question: str) -> tuple[str, bool] | None:
    """The ordinal a question asks about, and whether it stands alone, so that it can
    only mean an item of a list: "And the second?", "the second of his proposals" ->
    ("second", True); "What was the second proposal?" -> ("second", False)."""
    match = _ORDINAL_ASK.search(question)
    if not match:
        return None
    alone = bool(re.match(r"\s*(?:of\b|one\b|ones\b|[?.!,]|$)", question[match.end():], re.IGNORECASE))
    return match.group(1).lower(), alone


#: An item of an enumeration ("Second, ...", "Thirdly: ..."): the ordinal, then a comma
#: or colon. ``retrieve.enumerations`` finds the same openings inside paragraphs.
ITEM_OPENING = rf"\W*({'|'.join(ORDINALS)})(?:ly)?\b\s*[,:]"
_ITEM = re.compile(ITEM_OPENING, re.IGNORECASE)
#: The same opening anywhere in a text, after a sentence end ("... community. Second, ...").
ITEM_IN_TEXT = re.compile(rf"(?:^|[.!?][\"'’”)\]]*\s+){ITEM_OPENING}", re.IGNORECASE)


def item_ordinal(text: str) -> str | None:
    """The ordinal a sentence opens an enumerated item with ("Second, maintain security
    ..." -> "second"), or None ("Second place went to Lima.")."""
    match = _ITEM.match(text)
    return match.group(1).lower() if match else None


#: A Markdown link to a place in the same page ("[Options](#options)"), with any list
#: marker or emphasis around it.
_ANCHOR_LINK = re.compile(r"[-*+]?\s*[*_]*\[[^\]]*\]\(#[^)]*\)[*_]*")


#: A sentence that only sends the reader to another part of the document: "For ways to
#: disable telemetry, see the Disabling Telemetry section below.", "See Appendix B."
_CROSS_REFERENCE = re.compile(
    r"^\W*(?:(?:for|to)\b[^.;:!?]{0,120},\s*)?(?:please\s+)?(?:see|refer to|consult)\b"
    r"(?=[^.;:!?]*(?:\bbelow\b|\babove\b|\bsection\b|\bchapter\b|\bappendix\b|\(#))", re.IGNORECASE)
#: ... of at most this many words (a longer one says something of its own too).
CROSS_REFERENCE_WORDS = 25


def refers_elsewhere(text: str) -> bool:
    """Whether a sentence only points at another part of the document. It answers
    "Where can I find the options?", and no other question: "How do I disable
    telemetry?" wants what that section says, not that it exists."""
    stripped = text.strip()
    return bool(_CROSS_REFERENCE.search(stripped)) and len(stripped.split()) <= CROSS_REFERENCE_WORDS


#: Words for opposite conditions: a sentence about one does not answer a question about the
#: other ("How much does it weigh when empty?" is not answered by "Weight when full: 5.8 kg").
_OPPOSITES = (("empty", "full"), ("minimum", "maximum"), ("adult", "child"), ("summer", "winter"),
              ("weekday", "weekend"), ("inbound", "outbound"), ("arrival", "departure"), ("upstairs", "downstairs"),
              ("male", "female"), ("oldest", "youngest"), ("highest", "lowest"), ("largest", "smallest"),
              ("cheapest", "dearest"), ("indoor", "outdoor"), ("domestic", "international"))
_OPPOSITE_OF = {stem(a): stem(b) for pair in _OPPOSITES for a, b in (pair, pair[::-1])}


def opposes(question_terms: frozenset[str], text_terms: set[str]) -> bool:
    """Whether a sentence speaks of the opposite of a condition the question names, and
    not of that condition itself ("full" for "empty", "adult" for "child")."""
    return any(term not in text_terms and _OPPOSITE_OF[term] in text_terms and _OPPOSITE_OF[term] not in question_terms
               for term in question_terms if term in _OPPOSITE_OF)


def never_answers(text: str, kind: str | None = None) -> bool:
    """A Markdown heading, a table-of-contents entry, a "Back to top" link, a question
    (an FAQ's or an interviewer's), or for any question but "where" (``kind`` "place") a
    sentence that only refers to another section: each points at an answer and never is one."""
    stripped = text.strip()
    return bool(stripped) and (is_heading(stripped) or not _ANCHOR_LINK.sub("", stripped).strip(" \t\n|*_-")
                               or stripped.rstrip("*_").endswith("?")  # a question: its answer comes next
                               or (kind not in ("place", "building") and refers_elsewhere(stripped)))


#: A clause's own number ("2.2", "5.1.", "4.", "(d)", "b)", "(3)"): it numbers the clause
#: and is no figure the clause gives.
CLAUSE_NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\(?[a-z]\)|\(\d{1,3}\))"
_LEADING_CLAUSE_NUMBER = re.compile(rf"^\s*{CLAUSE_NUMBER}\s+")


def without_clause_number(text: str) -> str:
    """A clause without the number that opens it ("5.1 The Annual General Meeting ...")."""
    return _LEADING_CLAUSE_NUMBER.sub("", text, count=1)


#: "What counts as valuables?", "What is meant by 'unoccupied'?", "What does 'home' mean
#: in the policy?", "How does the policy define money?": the term the question asks defined.
_ASKS_DEFINITION = re.compile(
    r"\bwhat (?:counts|count|qualifies|is counted|are counted|is classed|are classed) as (?P<a>[^?,;]+)"
    r"|\bwhat (?:is|are) meant by (?P<b>[^?,;]+)"
    r"|\bwhat does (?:the (?:word|term|phrase) )?(?P<c>[^?,;]+?) mean\b"
    r"|\b(?:the )?(?:definition|meaning) of (?P<d>[^?,;]+)"
    r"|\bhow (?:does|do|is|are) (?:[^?,;]+? )?defin(?:e|ed) (?P<e>[^?,;]+)", re.IGNORECASE)
_DEFINES = re.compile(
    rf"^\W*(?:{CLAUSE_NUMBER}\s+)?(?:the (?:word|term|phrase)\s+|by\s+)?['\"]?(?P<term>[\w][\w '-]{{0,60}}?)['\"]?,?\s+"
    r"(?:means|shall mean|is defined as|are defined as|refers to|refer to|includes only|we mean)\b", re.IGNORECASE)


def definition_asked(question: str) -> frozenset[str]:
    """The terms of what a question asks to be defined ("What counts as valuables under
    the policy?" -> {"valuabl"}: the words before "under", "in", "for" ...); empty when it
    asks no definition."""
    match = _ASKS_DEFINITION.search(plain(question))
    if match is None:
        return frozenset()
    phrase = next(g for g in match.groups() if g)
    phrase = re.split(r"\s+(?:under|in|for|by|according to|within|on|of this|here)\b", phrase, maxsplit=1)[0]
    return frozenset(terms(phrase))


def defines(text: str, asked: frozenset[str]) -> bool:
    """Whether a sentence is the definition of the asked term ("2.2 'Valuables' means
    jewellery, watches ..."; "By home we mean ..."): it opens with that term, then "means"."""
    match = _DEFINES.match(plain(text))
    return bool(asked) and match is not None and asked <= set(terms(match.group("term")))


#: Words people clip or abbreviate when they type, with the full words documents use:
#: "tech" for "technology", "uni" for "university", "TA" for "teaching assistant". Only
#: shortenings of the same word, no looser synonyms ("covid" for "coronavirus" was tried
#: and lost two items): a word is looked up here only when the documents do not use it.
CLIPPINGS: dict[str, tuple[str, ...]] = {
    "tech": ("technology", "technological", "technical"), "uni": ("university",), "info": ("information",),
    "gov": ("government",), "govt": ("government",), "admin": ("administration", "administrator"),
    "app": ("application",), "apps": ("applications",), "exam": ("examination",), "exams": ("examinations",),
    "lab": ("laboratory",), "labs": ("laboratories",), "maths": ("mathematics",), "math": ("mathematics",),
    "phone": ("telephone",), "photo": ("photograph",), "photos": ("photographs",), "fridge": ("refrigerator",),
    "vet": ("veterinary", "veterinarian"), "bike": ("bicycle",), "bikes": ("bicycles",), "ref": ("referee",),
    "sub": ("substitute",), "subs": ("substitutes",), "stats": ("statistics",), "specs": ("specifications",),
    "rep": ("representative",), "reps": ("representatives",), "temp": ("temperature",), "max": ("maximum",),
    "min": ("minimum",), "mins": ("minutes",), "hrs": ("hours",), "yrs": ("years",), "approx": ("approximately",),
    "dept": ("department",), "intl": ("international",), "mgmt": ("management",), "pic": ("picture",),
    "pics": ("pictures",), "demo": ("demonstration",), "intro": ("introduction",), "ad": ("advertisement",),
    "ads": ("advertisements",), "advert": ("advertisement",), "memo": ("memorandum",), "prof": ("professor",),
    "meds": ("medicines", "medication"), "flu": ("influenza",), "tv": ("television",), "ta": ("teaching assistant",),
    "econ": ("economics", "economy"), "env": ("environment",), "cert": ("certificate",), "ppl": ("people",),
    "govts": ("governments",),
}
