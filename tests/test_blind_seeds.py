"""Rules found on seeds_blind3 (evals/gold/seeds_blind3.jsonl): questions about the seeds
written by someone who never saw the bot. Each test pins one rule on the seeds."""

from __future__ import annotations

from pathlib import Path

from bot import Bot
from bot.answer import beside_only
from bot.text import CLIPPINGS, fits_type, wanted
from tests.conftest import NEWS, SPEECH, bot_over, exchange


def test_where_is_answered_by_the_verb_put_somewhere(seeded_bot: Bot) -> None:
    # "live in the same global village": a place in plain words, no place name
    demand = wanted("Where did Xi say all human beings live?")
    assert (demand.kind, demand.focus) == ("place", "liv")
    assert fits_type("Human beings live in the same global village.", "place", "liv")
    assert not fits_type("Human beings live together.", "place", "liv")
    assert wanted("Where is the museum?").focus == "museum"
    a = seeded_bot.ask("Where did Xi say all human beings live?")
    assert a.answered and "global village" in a.answer, a.answer


def test_which_meeting_of_asks_for_its_number(seeded_bot: Bot) -> None:
    assert wanted("Which meeting of the SCO Council of Heads of State was this?").kind == "position"
    assert wanted("Which meeting did he attend?").kind != "position"
    # "which edition of the ... meeting" is answered by "the twentieth meeting"
    edition = wanted("Which edition of the SCO summit did Xi address?")
    assert edition.kind == "position"
    assert fits_type("He attended the twentieth meeting of the Council.", "position", edition.focus)
    assert not fits_type("He attended the twentieth meeting of the Council.", "position", "lap")
    a = seeded_bot.ask("Which meeting of the SCO Council of Heads of State was this?")
    assert a.answered and "twentieth" in a.answer.lower(), a.answer


def test_who_was_its_president_is_not_answered_by_the_country(seeded_bot: Bot) -> None:
    # "The situation in Afghanistan ..." names the country "its" stands for, not a person;
    # and, the sentence the previous question was asked of, it sets no bar for this one
    history = exchange("Which country's situation did Xi say is related to regional security and stability?",
                       "Afghanistan. He called for making good use of the SCO-Afghanistan Liaison Group.")
    a = seeded_bot.ask("Who was its president at the meeting?", history=history)
    assert a.answered and "Ghani" in a.answer, a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (NEWS, 3)


def test_a_sentence_naming_what_is_set_aside_can_still_answer(seeded_bot: Bot) -> None:
    # "... the "Belt and Road" initiative with ... regional cooperation initiatives such as
    # the Eurasian Economic Union": it names the Belt and Road, and all the question asks
    aside = frozenset({"belt", "road"})
    rest = {"regional": 1.0, "initiativ": 1.0, "integration": 1.0}
    assert beside_only("The Belt and Road is long.", aside, rest)
    assert not beside_only("The Belt and Road and other regional initiatives need integration.", aside, rest)
    assert not beside_only("Regional initiatives need integration.", aside, rest)
    a = seeded_bot.ask("Besides the Belt and Road, which regional cooperation initiative did Xi name for "
                       "integration with countries' development strategies?")
    assert a.answered and "Eurasian Economic Union" in a.answer, a.answer
    b = seeded_bot.ask("Besides the digital economy forum, what other forum will China host?")
    assert b.answered and "Friendship Forum" in b.answer.split("[1]")[0], b.answer


def test_a_clipped_word_asks_for_the_full_one(seeded_bot: Bot) -> None:
    # the speech says "technological revolution"; nobody types it
    assert "technology" in CLIPPINGS["tech"]
    corpus = seeded_bot.retrieve("Which tech areas?").corpus
    assert "technological" in corpus.query_terms("Which tech areas?")
    assert corpus.spelled_out("Which tech areas?") == "Which tech (technological) areas?"
    # only spelled out when the documents use the full word ("veterinary" is not there)
    assert corpus.spelled_out("Which vet areas?") == "Which vet areas?"
    assert "veterinari" not in corpus.query_terms("Which vet areas?")
    a = seeded_bot.ask("Which tech areas did Xi want member states to cooperate on?")
    assert a.answered and "artificial intelligence" in a.answer.split("[1]")[0], a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (SPEECH, 20)


def test_what_temp_asks_for_degrees() -> None:
    assert wanted("what temp for the braised beef in a fan oven").kind == "temperature"
    assert wanted("At what temperature should it be stored?").kind == "temperature"
    assert wanted("How warm should the milk be?").kind != "temperature"  # "too hot to touch"
    assert wanted("What temperature range is covered?").kind == "temperature"
    assert fits_type("Heat the oven to 170°C (150°C fan, gas mark 3).", "temperature")
    assert not fits_type("Oven temperatures are given for a conventional oven.", "temperature")


def test_a_misspelled_condition_still_rules_out_its_opposite(tmp_path: Path) -> None:
    # "minimun" is read as "minimum" (typo repair), so "The maximum ... for a bicycle" is
    # about the opposite condition, though "bike" brings "bicycle" to it
    text = ("# Cycle scheme\n\nThe scheme helps staff buy a bicycle.\n\n"
            "The minimum package value is £250.\n\nThe maximum package value is £2,500 for a standard bicycle.\n")
    with bot_over(tmp_path, "cycle.md", text) as bot:
        a = bot.ask("wats the minimun amount u can get a bike for")
        assert a.answered and a.answer.startswith("The minimum package value is £250."), a.answer
        assert "£2,500" not in a.answer, a.answer


def test_a_date_without_its_year_gets_the_dateline_that_gives_it(seeded_bot: Bot) -> None:
    # the report says "Beijing, November, 10, ..."; the speech's dateline "(November 10, 2020, Beijing)"
    a = seeded_bot.ask("When was the summit held?")
    assert a.answered and "November, 10" in a.answer and "2020" in a.answer, a.answer
    assert (SPEECH, 5) in [(c.source, c.paragraph) for c in a.citations]
