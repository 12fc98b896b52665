"""Answers over the ninth held-out set (evals/corpora/heldout9): a cup final's match report,
a board game's rulebook and an office e-mail thread. Each test pins a rule found on that
set; none of its text is in the rules themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Bot, Settings
from bot.followup import resolve
from bot.text import fits_type, gives_a_person, opposes, signs_off, terms, wanted
from tests.conftest import ROOT, corpus_bot, exchange

CORPUS = ROOT / "evals" / "corpora" / "heldout9"
THREAD = "tallowgate_games_night_email_thread.txt"
REPORT = "tervany_cup_final_match_report.txt"


@pytest.fixture(scope="module")
def match_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    yield from corpus_bot(tmp_path_factory, CORPUS)


def test_which_minute_asks_for_a_numbered_minute(match_bot: Bot) -> None:
    # the report's lead says "the last 24 minutes"; the equaliser came "in the 74th minute"
    assert wanted("In which minute did they equalise?").kind == "position"
    assert wanted("What platform did he want to use?").kind != "position"
    assert fits_type("In the 74th minute he curled a shot into the top corner.", "position", "minut")
    assert fits_type("Stage 5 ends in Lyon.", "position", "stag")
    assert not fits_type("They defended their lead for the last 24 minutes.", "position", "minut")
    a = match_bot.ask("In what minute did Kelswick Albion level the score at 2-2?")
    assert a.answered and "74th minute" in a.answer, a.answer


def test_an_email_signature_says_what_the_sender_does(match_bot: Bot) -> None:
    assert signs_off("Corinne Hadlow\nOffice Manager")
    assert signs_off("Gideon Starkey\nManaging Director\nTallowgate Print Ltd")
    assert not signs_off("Best wishes,\nCorinne")
    # signed after a valediction ("Best wishes,\nCorinne"), a fragment too: once the text
    # has begun, a name over a post signs it; the report's byline, above any sentence, heads it
    corpus = match_bot.retrieve("Who is the office manager?").corpus
    assert not corpus.heading[(THREAD, 7)] and not corpus.heading[(THREAD, 29)]
    assert corpus.heading[(REPORT, 2)]  # "By Fenella Orchard, Chief Football Writer"
    a = match_bot.ask("What is Corinne Hadlow's role at the firm?")
    assert a.answered and "Office Manager" in a.answer, a.answer
    assert any((c.source, c.paragraph) in {(THREAD, 7), (THREAD, 29)} for c in a.citations), a.answer


def test_which_player_asks_for_someone() -> None:
    assert wanted("Which Brennock Rovers player was sent off?").kind == "person"
    assert wanted("Which councillors voted against it?").kind == "person"
    assert wanted("Which player of the match award did he win?").kind != "person"


def test_how_many_people_counts_a_crowd(match_bot: Bot) -> None:
    # "A crowd of 41,286": people counted by a word for a group of them, the figure after it
    focus = wanted("How many people were at the final?").focus
    assert fits_type("A crowd of 41,286 saw the final.", "count", focus)
    assert fits_type("The scheme brings 300 Teruvian students every year.", "count", focus)
    assert not fits_type("The crowd sang for 90 minutes.", "count", focus)
    a = match_bot.ask("How many people turned up to watch the final?")
    assert a.answered and "41,286" in a.answer, a.answer


def test_which_stadium_asks_for_a_named_ground() -> None:
    assert wanted("In which stadium was the final played?").kind == "building"
    assert fits_type("Rovers beat Albion in a final at the Ardmoor Bowl.", "building")
    assert not fits_type("The final is on Saturday 14 June in Vessancourt.", "building")


def test_a_team_a_cup_or_a_body_is_nobody(match_bot: Bot) -> None:
    # the report's lead names two clubs, a cup and a ground, and no person: it is no
    # answer to "who is the Rovers manager?", though it shares the most words with it
    lead = ("Brennock Rovers won the Tervany Cup for the first time in 31 years, beating Kelswick "
            "Albion 3-2 in a final at the Ardmoor Bowl.")
    assert not gives_a_person(lead)
    assert not gives_a_person("Velkin Instruments lent twenty probes.")
    assert not gives_a_person("The players will take the trophy through Brennock on Sunday.")
    assert gives_a_person("Rovers manager Maud Ellerby made no changes at half-time.")
    assert gives_a_person("The study was led by Dr Ilse Dravnik of the Tessaly Institute.")
    a = match_bot.ask("Who is Brennock Rovers' manager?")
    assert a.answered and "Ellerby" in a.answer, a.answer


def test_did_he_score_again_is_another_goal(match_bot: Bot) -> None:
    # the previous answer is a person's own words, shorter than the sentence it came from:
    # the sentence holding its figure ("27th minute") tells the same goal
    first = exchange("Who scored Rovers' opening goal?", "Jonah Cardew, in the 27th minute.")
    assert resolve("Did he score again after that?", first).asks_other
    assert not resolve("What was his name again?", first).asks_other
    a = match_bot.ask("Did he score again after that?", history=first)
    assert a.answered and "52nd minute" in a.answer and "27th" not in a.answer, a.answer


def test_an_address_question_needs_an_address(match_bot: Bot, tmp_path: Path) -> None:
    # the café is named "by the canal", never with a street: no address to give
    assert wanted("What is the street address of the café?").kind == "address"
    assert wanted("What did Modi say in his address to the meeting?").kind != "address"
    assert fits_type("The property let is Flat 3, 27 Cotham Vale, Bristol BS6 6HR.", "address")
    assert not fits_type("The games night will be at the Old Ropeworks café by the canal.", "address")
    assert not match_bot.ask("What's the address of the Old Ropeworks café?").answered
    tenancy = ROOT / "evals" / "corpora" / "heldout5" / "tenancy_agreement_cotham_vale.md"
    with Bot(Settings(data_dir=tmp_path)) as bot:
        assert bot.ingest([tenancy]).ok
        a = bot.ask("What is the address of the flat?")
    assert a.answered and "27 Cotham Vale" in a.answer, a.answer


def test_a_sentence_about_the_opposite_condition_does_not_answer(tmp_path: Path) -> None:
    # the filter manual gives the weight "when full of water" only
    manual = ROOT / "evals" / "corpora" / "heldout" / "aqua_filter_manual.md"
    assert opposes(frozenset(terms("How much does it weigh when empty?")), set(terms("Weight when full: 5.8 kg")))
    assert not opposes(frozenset(terms("How much does it weigh when empty?")), set(terms("From empty to full: 2 kg")))
    with Bot(Settings(data_dir=tmp_path)) as bot:
        assert bot.ingest([manual]).ok
        assert not bot.ask("What does the unit weigh when it is empty?").answered
        a = bot.ask("How heavy is the unit when it is full of water?")
    assert a.answered and "5.8 kg" in a.answer, a.answer
