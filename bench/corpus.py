"""Deterministic synthetic corpora for the scale benchmark, with planted facts.

Paragraphs are 2-4 sentences drawn from a fixed pool: the seeds' own sentences plus
sentences made from templates and word lists (so the pool has thousands of distinct
sentences, not a hundred repeated without end). Into evenly spread paragraphs we plant
facts about invented names ("the Velmorant reservoir"), each with a question whose
answer only that sentence holds; a retriever finds it at any size or it does not.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.chunk import split_paragraphs, split_sentences

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS_PER_DOC = 50

_SUBJECTS = [
    "The regional council", "The ministry of transport", "A delegation of engineers", "The national archive",
    "The port authority", "A committee of economists", "The university hospital", "The central bank",
    "The water board", "A group of farmers", "The statistics office", "The coastal guard", "The city library",
    "The energy agency", "A panel of judges", "The rail operator", "The weather service", "The customs office",
    "A team of surveyors", "The youth orchestra", "The forestry service", "The trade union", "The museum board",
    "The fisheries council", "A consortium of banks", "The postal service", "The health inspectorate",
    "The space agency", "The chamber of commerce", "The border police",
]
_VERBS = [
    "published a report on", "approved a plan for", "opened a debate about", "reviewed the budget for",
    "announced new rules on", "began a survey of", "raised concerns about", "signed an agreement on",
    "postponed a decision on", "held a meeting about", "launched a study of", "issued guidance on",
    "cut spending on", "doubled funding for", "criticised delays in", "praised progress on",
]
_OBJECTS = [
    "road maintenance", "grain exports", "school meals", "flood defences", "rural broadband", "housing repairs",
    "public transport fares", "river pollution", "pension reform", "tourism statistics", "vaccine storage",
    "harbour dredging", "solar farms", "bridge inspections", "textile imports", "forest fires", "air quality",
    "railway signalling", "water tariffs", "museum lighting", "copper mining", "bus timetables", "tax refunds",
    "coastal erosion", "hospital waiting lists", "seed banks", "noise limits", "fishing quotas",
]
_PLACES = [
    "the northern province", "the capital", "three border towns", "the eastern valley", "the island districts",
    "the old harbour", "the southern plains", "two mountain villages", "the industrial zone", "the river delta",
    "the western suburbs", "the lake region", "the central market", "the new airport", "the university quarter",
]
_WHEN = [
    "last spring", "in early March", "after the elections", "before the winter", "during the summer recess",
    "on Tuesday", "late last year", "at the start of the month", "this week", "two years ago",
]
_TAILS = [
    "", "", "", " after months of complaints", " with support from local groups", " despite strong opposition",
    " at the request of residents", " for the first time in a decade", " under a tight deadline",
]

_SYLLABLES = ["vel", "mor", "ant", "qui", "zar", "leth", "orn", "pra", "dun", "kes", "tiv", "bra", "sol", "yen",
              "gor", "mip", "ras", "tul", "vex", "nob"]
_FACTS = [
    ("The {name} reservoir holds {n} million cubic metres of water.", "How much water does the {name} reservoir hold?"),
    ("The {name} bridge was opened in {year}.", "When was the {name} bridge opened?"),
    ("The {name} lighthouse stands {n} metres tall.", "How tall is the {name} lighthouse?"),
    ("The {name} festival is held every year in the town of {town}.", "Where is the {name} festival held?"),
    ("The {name} tunnel was dug by {n} workers.", "How many workers dug the {name} tunnel?"),
    ("Doctor {name} discovered the {town} comet in {year}.", "What did Doctor {name} discover?"),
]


@dataclass
class Fact:
    question: str
    sentence: str
    value: str
    source: str
    paragraph: int


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


def sentence_pool(size: int = 8000, seed: int = 3) -> list[str]:
    """The seeds' sentences plus template sentences, ``size`` distinct ones in all."""
    pool: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for p in split_paragraphs(path.read_text(encoding="utf-8")):
            pool += [s for a, b in split_sentences(p.text) if len(s := p.text[a:b]) > 30]
    seen = set(pool)
    rng = random.Random(seed)
    while len(pool) < size:
        s = (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} in {rng.choice(_PLACES)} "
             f"{rng.choice(_WHEN)}{rng.choice(_TAILS)}.")
        if s not in seen:
            seen.add(s)
            pool.append(s)
    return pool


def plant_facts(count: int, seed: int = 5) -> list[tuple[str, str, str]]:
    """(sentence, question, value) for ``count`` facts about distinct invented names."""
    rng = random.Random(seed)
    out, names = [], set()
    while len(out) < count:
        name = _word(rng)
        if name in names:
            continue
        names.add(name)
        sentence, question = _FACTS[len(out) % len(_FACTS)]
        fields = {"name": name, "n": str(rng.randint(12, 980)), "year": str(rng.randint(1850, 1990)),
                  "town": _word(rng)}
        value = fields["town"] if "{town}" in sentence else fields["year"] if "{year}" in sentence else fields["n"]
        out.append((sentence.format(**fields), question.format(**fields), value))
    return out


def write_corpus(folder: Path, paragraphs: int, facts: int = 30, pool_size: int = 8000,
                 seed: int = 7) -> list[Fact]:
    """Write ``paragraphs`` paragraphs in documents of 50 under ``folder``; returns the
    planted facts (also written to ``folder/../facts.json``)."""
    pool = sentence_pool(pool_size)
    rng = random.Random(seed)
    planted = plant_facts(facts)
    at = {int((i + 0.5) * paragraphs / facts): fact for i, fact in enumerate(planted)}
    folder.mkdir(parents=True, exist_ok=True)
    found: list[Fact] = []
    for d in range(0, paragraphs, PARAGRAPHS_PER_DOC):
        source = f"doc{d // PARAGRAPHS_PER_DOC:05d}.txt"
        body = []
        for p in range(d, min(d + PARAGRAPHS_PER_DOC, paragraphs)):
            sentences = rng.sample(pool, rng.randint(2, 4))
            if p in at:
                sentence, question, value = at[p]
                sentences.insert(rng.randint(0, len(sentences)), sentence)
                found.append(Fact(question, sentence, value, source, p - d + 1))
            body.append(" ".join(sentences))
        (folder / source).write_text("\n\n".join(body) + "\n", encoding="utf-8")
    (folder.parent / "facts.json").write_text(json.dumps([asdict(f) for f in found], indent=1) + "\n")
    return found


def load_facts(path: Path) -> list[Fact]:
    return [Fact(**f) for f in json.loads(path.read_text())]
