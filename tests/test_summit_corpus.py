"""Answers over the seventh held-out set (evals/corpora/heldout7): an invented summit's news
report, its chair's opening speech and its joint communiqué. Each test pins a rule found
on that set; none of its text is in the rules themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Bot
from bot.followup import listed_item, resolve
from bot.text import announced_count, answer_type, fits_type, gives_a_person
from tests.conftest import ROOT, bot_over, corpus_bot, exchange

CORPUS = ROOT / "evals" / "corpora" / "heldout7"


@pytest.fixture(scope="module")
def summit_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    yield from corpus_bot(tmp_path_factory, CORPUS)


def _cited(answer: object) -> set[tuple[str, int]]:
    return {(c.source, c.paragraph) for c in answer.citations}  # type: ignore[attr-defined]


def test_a_strong_lexical_match_stays_in_view(summit_bot: Bot) -> None:
    # both dense rankers prefer paragraphs about the council; only BM25 finds the one
    # paragraph naming its Secretary-General (after a salutation, which is a heading)
    hits = summit_bot.retrieve("Who is the Secretary-General of the Selmar Coast Council?").hits
    named = [h for h in hits if "Secretary-General Oduya Fennimore" in h.text]
    assert [(h.source, h.paragraph) for h in named] == [("coastal_states_summit_news_report.txt", 10)]
    assert named[0].lexical_rank is not None and named[0].dense_rank is None


def test_a_heading_is_not_kept_for_its_words(tmp_path: Path) -> None:
    # the biography's heading "Honours" is BM25's best match for "honours"; kept in view,
    # it was quoted first as if it answered
    page = ROOT / "evals" / "corpora" / "heldout3" / "biography_amelia_thornbury.txt"
    with bot_over(tmp_path, page.name, page.read_text(encoding="utf-8")) as bot:
        a = bot.ask("What awards and honours did Amelia Thornbury get?")
        assert a.answered and "Marchmont Medal" in a.answer, a.answer
        assert all(c.quote != "Honours" for c in a.citations), a.answer


def test_a_title_the_question_gives_does_not_hide_the_name_after_it() -> None:
    known = frozenset({"secretary", "general", "council"})
    sentence = "It is a first, council Secretary-General Oduya Fennimore told reporters."
    assert gives_a_person(sentence, known)
    # a name that goes on from another name is still not a new one: "Anchor Room"
    assert not gives_a_person("The club meets in the Anchor Room.", known)


def test_which_building_needs_a_building(summit_bot: Bot) -> None:
    assert answer_type("In which building did the summit take place?") == "building"
    assert answer_type("In which village did she grow up?") == "place"
    assert fits_type("It was held at the Harbour Congress Hall.", "building")
    assert not fits_type("The next summit will be held in the port city of Hasselmund.", "building")
    a = summit_bot.ask("In which building did the summit take place?")
    assert a.answered and "Harbour Congress Hall" in a.answer, a.answer


def test_a_place_may_follow_on_the_x_of() -> None:
    assert fits_type("My grandmother mended nets on the quay of Sorrel Bay.", "place")
    assert not fits_type("It opens on the first day of March.", "place")


def test_what_time_of_year_needs_months_or_a_season_not_a_dateline(summit_bot: Bot) -> None:
    assert answer_type("During which part of the year are boats barred from fishing?") == "season"
    assert answer_type("what time of year do they nest") == "season"
    assert fits_type("The season runs from 1 April to 15 May.", "season")
    assert not fits_type("PORT ALVEN, March 3 (Meridian) -- Leaders agreed to cut the catch.", "season")
    a = summit_bot.ask("During which part of the year are boats barred from catching sardel so the fish can breed?")
    assert a.answered and "1 April" in a.answer and "15 May" in a.answer, a.answer


def test_who_will_asks_for_a_person(summit_bot: Bot) -> None:
    assert answer_type("Who will head the expert body?") == "person"
    assert answer_type("who will be eligible for it") is None
    a = summit_bot.ask("Who will head the expert body that checks on the fish stock each year?")
    assert a.answered and "Besk" in a.answer, a.answer


def test_a_speech_is_all_its_speakers_words(summit_bot: Bot) -> None:
    # the speech has "Alvenia offers to host ..." in one paragraph; that did not make it a
    # report in which only such paragraphs are Alvenia's words
    a = summit_bot.ask("What is Alvenia offering to help young people who want a career at sea?")
    assert a.answered and "500 scholarships" in a.answer, a.answer


def test_a_sentence_announcing_items_brings_them(summit_bot: Bot) -> None:
    assert announced_count("Until then, Alvenia will host three events.") == 3
    assert announced_count("I therefore put five proposals before this summit.") is None
    a = summit_bot.ask("Which events will Alvenia host before the end of its chairmanship?")
    assert a.answered, a.answer
    for event in ("Ocean Youth Forum", "Grey Tern", "Coastal Science Conference"):
        assert event in a.answer, a.answer
    assert _cited(a) == {("chairman_opening_speech_full_text.txt", 25)}


def test_what_did_name_say_about_x_gets_both_sentences_of_the_passage(seeded_bot: Bot) -> None:
    # the speech's two sentences on traditional medicine score alike: an open question
    # gets both, not one of them and the report's dateline (which adds only "Xi")
    a = seeded_bot.ask("wat did xi say abuot traditonal medicne lol")
    assert a.answered and "unique value" in a.answer and "medicine forum" in a.answer, a.answer
    assert "Xinhua news agency" not in a.answer, a.answer


EVENTS = exchange("What is Alvenia hosting before it hands over the chair?",
                  "Three events: the Selmar Ocean Youth Forum in June, Exercise Grey Tern in August and the Coastal "
                  "Science Conference in November.")


def test_the_second_one_is_the_second_item_of_the_previous_answer(summit_bot: Bot) -> None:
    a = summit_bot.ask("Where will the second one take place?", history=EVENTS)
    assert a.answered and "Cape Idris" in a.answer, a.answer
    # only that event's sentence: not the communiqué's preamble, which the whole previous
    # conversation (three events, a chair, a hand-over) pulls in
    assert [(c.source, c.paragraph) for c in a.citations] == [("chairman_opening_speech_full_text.txt", 25)], a.answer


def test_listed_item_reads_lists_not_sentences_with_commas() -> None:
    events = EVENTS[1]["content"]
    assert listed_item(events, "Where will the second one take place?") == "Exercise Grey Tern in August"
    assert listed_item(events, "and the last of them?") == "the Coastal Science Conference in November"
    assert listed_item("Ada Park and Ben Cole.", "What does the latter do?") == "Ben Cole"
    # a sentence whose commas are not a list; "7:15" is not a lead-in ending in a colon
    timetable = "Boats leave every 30 minutes from 7:15 am until 7:45 pm, Monday to Saturday, all summer long."
    assert listed_item(timetable, "when is the second one?") == ""
    assert listed_item(events, "Where will it take place?") == ""


def test_the_last_one_after_the_first_noun_is_that_noun() -> None:
    # "when's the last one?" after "when's the first event?" is the last event, not the
    # last item of the previous answer
    history = exchange("When is the first event Alvenia will host?", EVENTS[1]["content"])
    resolved = resolve("When does the last one take place?", history)
    assert resolved.is_follow_up and resolved.question == "When does the last one take place?"
    # the same question after a list question points at the list's last item
    after_list = resolve("When does the last one take place?", EVENTS).question
    assert after_list == "When does the Coastal Science Conference in November take place?"


MEMORANDUM = exchange("Which summit document did Brantholm refuse to sign?",
                      "The Memorandum of Understanding on Joint Coast Guard Patrols; Brantholm withheld its signature "
                      "pending a review by its parliament.")


def test_the_previous_answer_does_not_set_the_bar_for_a_typed_follow_up(summit_bot: Bot) -> None:
    # the query holds the previous question, so the sentences about Brantholm's refusal
    # score highest; they hold no count of vessels, and must not make the count look weak
    a = summit_bot.ask("How many vessels will be pooled under it?", history=MEMORANDUM)
    assert a.answered and "24" in a.answer, a.answer


def test_a_given_sentence_that_holds_the_answer_still_sets_the_bar(tmp_path: Path) -> None:
    # "... and how long was it?": the first part's answer ("a fourteen-month journey")
    # already says how long; a weaker sentence about another expedition must not answer
    page = ROOT / "evals" / "corpora" / "heldout3" / "biography_amelia_thornbury.txt"
    with bot_over(tmp_path, page.name, page.read_text(encoding="utf-8")) as bot:
        a = bot.ask("Where did her third expedition go, and how long was it?")
        assert "fourteen-month" in a.answer, a.answer
        assert "five months" not in a.answer, a.answer


def test_a_passage_about_another_year_does_not_answer(summit_bot: Bot) -> None:
    # the communiqué's table gives each state's quota "for 2038"; it names 2037 elsewhere
    # (the summit's date), so a question about 2037 is not answered from the 2038 column
    a = summit_bot.ask("How large was Korvath's sardel quota in 2037?")
    assert not a.answered, a.answer
    a = summit_bot.ask("How large is Korvath's sardel quota in 2038?")
    assert a.answered and "36,500" in a.answer, a.answer
