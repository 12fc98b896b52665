"""Answers over the eighth held-out set (evals/corpora/heldout8): a foreign ministry's press
conference transcript, a water utility's annual report (a PDF printed by Chromium) and a
Markdown research paper. Each test pins a rule found on that set; none of its text is in
the rules themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import Bot
from bot.chunk import without_speaker
from bot.text import fits_type, signs_off, wanted
from tests.conftest import ROOT, corpus_bot

CORPUS = ROOT / "evals" / "corpora" / "heldout8"
TRANSCRIPT = "foreign_ministry_press_conference_transcript.txt"


@pytest.fixture(scope="module")
def press_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    yield from corpus_bot(tmp_path_factory, CORPUS)


def test_a_reporters_premise_is_not_the_answer(press_bot: Bot) -> None:
    # the reporter's turn restates the question almost word for word ("stranded in
    # Tesmaria since the collapse of the airline ..."); the spokesperson's reply answers
    a = press_bot.ask("Which airline is helping to fly the stranded Calvessans home from Tesmaria?")
    assert a.answered and "Calvair" in a.answer, a.answer
    assert (TRANSCRIPT, 22) in {(c.source, c.paragraph) for c in a.citations[:2]}, a.answer


def test_a_fact_only_the_question_states_is_still_answered(press_bot: Bot) -> None:
    # the tariff's new rate is said only in the reporter's question; the reply follows it
    a = press_bot.ask("What is Norrack's new tariff on Calvessan ceramic tiles?")
    assert a.answered and "18 per cent" in a.answer, a.answer
    assert [(c.source, c.paragraph) for c in a.citations] == [(TRANSCRIPT, 11), (TRANSCRIPT, 12)], a.answer


def test_a_speaker_label_is_who_speaks_not_what_is_said() -> None:
    asked = "Reporter from Teruvian News Agency: Last week several coastal states signed the treaty."
    assert without_speaker(asked) == "Last week several coastal states signed the treaty."
    assert not fits_type(without_speaker(asked), "place")
    assert not fits_type(without_speaker("Lin Varro: We regret the decision."), "person")
    assert without_speaker("NIAMH: She retired in 2016.") == "She retired in 2016."
    # a lead-in is not a speaker
    assert without_speaker("The Main Branch is open: Monday to Friday.") == "The Main Branch is open: Monday to Friday."


def test_where_is_answered_by_the_reply_not_the_reporters_label(press_bot: Bot) -> None:
    a = press_bot.ask("Where was the Orsund Strait Navigation Treaty signed?")
    assert a.answered and "Port Ilvaro" in a.answer, a.answer


def test_a_name_the_reporter_does_not_give_is_not_answered(press_bot: Bot) -> None:
    # "A Calvessan engineer is reported to have been detained": no name, in the question's
    # turn or the reply
    a = press_bot.ask("What is the name of the Calvessan engineer detained in Tesmaria?")
    assert not a.answered, a.answer


REPORT = "harbour_water_authority_annual_report_2025.pdf"


def test_a_signature_line_says_who_holds_the_post(press_bot: Bot) -> None:
    # the foreword ends "Maren Quillfeather, Chair of the Board", a paragraph of its own:
    # a fragment, but not a heading that answers nothing
    a = press_bot.ask("Who is the chair of the Harbour Water Authority's board?")
    assert a.answered and "Maren Quillfeather" in a.answer, a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (REPORT, 7), a.answer
    assert signs_off("Maren Quillfeather, Chair of the Board")
    assert signs_off("Dr. Anna Berg - Head of Research")
    assert not signs_off("Chair's foreword")
    assert not signs_off("Port Merrow, Lowen Valley")
    assert not signs_off("PORT ALVEN, March 3")


def test_a_currency_is_known_by_its_frame_as_well_as_its_name(press_bot: Bot) -> None:
    # "thalers" is on no list a reader would expect; "worth ... N thalers" and "N thalers
    # in ... assistance" say what they are
    assert fits_type("exports were worth about 96 million thalers last year", "money")
    assert fits_type("It will provide 2.5 million crowns in emergency humanitarian assistance.", "money")
    assert fits_type("The grant was 40,000 guilders.", "money")
    assert not fits_type("The harvest was worth the wait: 3 million tonnes.", "money")
    assert not fits_type("The fund supported 2,000 farmers in the valley.", "money")
    assert not fits_type("It sent 5,000 tonnes of food aid.", "money")
    a = press_bot.ask("How much humanitarian help in cash is Calvessa sending after the earthquake?")
    assert a.answered and "2.5 million thalers" in a.answer, a.answer
    a = press_bot.ask("What were Calvessa's ceramic tile exports to Norrack worth?")
    assert a.answered and "96 million thalers" in a.answer, a.answer


def test_where_a_complaint_was_filed_is_the_body_it_went_to(press_bot: Bot) -> None:
    # "filed a formal complaint with the Inter-Regional Trade Tribunal" says where; the
    # reporter's "tariff on Calvessan ceramic tiles" names a people's goods, not a place
    assert fits_type("Calvessa filed a formal complaint with the Inter-Regional Trade Tribunal.", "place")
    assert fits_type("The case was brought before the High Court in May.", "place")
    assert not fits_type("Norrack has raised its tariff on Calvessan ceramic tiles.", "place")
    assert fits_type("The bakery is on Alder Street.", "place") and fits_type("They met on Crete.", "place")
    a = press_bot.ask("Where has Calvessa taken its complaint over Norrack's tariff on tiles?")
    assert a.answered and "Inter-Regional Trade Tribunal" in a.answer, a.answer


def test_a_firm_may_be_named_by_what_it_makes(press_bot: Bot) -> None:
    # "Velkin Instruments": a maker's name ends in what it makes, not only in "Ltd"
    assert fits_type("We used a capacitive probe made by Velkin Instruments.", "organisation")
    assert fits_type("The software came from Orrin Systems.", "organisation")
    assert not fits_type("We used a capacitive probe made in the valley.", "organisation")
    a = press_bot.ask("Which manufacturer produced the probes in the soil moisture study?")
    assert a.answered and "Velkin Instruments" in a.answer, a.answer


def test_a_contraction_typed_without_its_apostrophe_still_asks(press_bot: Bot) -> None:
    assert wanted("whats the name of her dog").kind == "name"
    assert wanted("What’s the name of her dog?").kind == "name"
    assert wanted("wheres the second forum").kind == "place"
    assert wanted("Where's the second forum?").kind == "place"
    a = press_bot.ask("whats the name of the teruvian president who visits in october")
    assert a.answered and "Askeli" in a.answer, a.answer
