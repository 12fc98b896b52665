"""Answers over the tenth held-out set (evals/corpora/heldout10): a patient leaflet in
Markdown, a course syllabus in HTML and an insurance policy wording in plain text. Each
test pins a rule found on that set; none of its text is in the rules themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import Bot
from bot.answer import label_terms, opens_with_another_person, referent_names
from bot.text import counts, defines, definition_asked, wanted
from tests.conftest import ROOT, corpus_bot, exchange

CORPUS = ROOT / "evals" / "corpora" / "heldout10"
POLICY = "household_insurance_policy_wording.txt"
SYLLABUS = "course_syllabus_hist214.html"


@pytest.fixture(scope="module")
def policy_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    yield from corpus_bot(tmp_path_factory, CORPUS)


def test_what_counts_as_a_term_is_answered_by_its_definition(policy_bot: Bot) -> None:
    assert definition_asked("What counts as valuables under the HomeGuard policy?") == {"valuabl"}
    assert definition_asked("How does the policy define money?") == {"money"}
    assert definition_asked("What does 'unoccupied' mean in the policy?") == {"unoccupy"}
    assert definition_asked("What does that mean?") == frozenset()
    assert defines("2.2 'Valuables' means jewellery, watches, furs.", frozenset({"valuabl"}))
    assert defines("By home we mean the house.", frozenset({"hom"}))
    assert not defines("3.3 Valuables: we will pay up to £1,500 for any one item.", frozenset({"valuabl"}))
    # "3.3 Valuables: we will pay up to £1,500 ..." uses the word; 2.2 says what it covers
    a = policy_bot.ask("What counts as valuables under the HomeGuard policy?")
    assert a.answered and "jewellery" in a.answer and "furs" in a.answer, a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (POLICY, 8)


def test_how_many_marks_counts_points(policy_bot: Bot) -> None:
    # "loses 5 percentage points for each calendar day": marks lost, counted in points
    assert counts("Late work loses 5 percentage points for each day.", wanted("How many marks do I lose?").focus or "")
    assert not counts("Late work loses 5 percentage points for each day.", "essay")
    a = policy_bot.ask("how many marks do I lose if my HIST 214 essay goes in two days after the deadline?")
    assert a.answered and "5 percentage points" in a.answer, a.answer


def test_a_dose_is_an_amount() -> None:
    assert wanted("What is the maximum daily dose of Pellacor for someone with kidney problems?").kind == "number"
    assert wanted("What's the usual dose for children?").kind == "number"
    assert wanted("What does the dose depend on?").kind is None


def test_his_office_hours_are_in_the_paragraph_about_him(policy_bot: Bot) -> None:
    # the teaching assistant's paragraph, which opens with her name, has office hours too
    whose = referent_names("When are his office hours?", "Dr Hesketh Varga")
    assert whose == {"hesketh", "varga"}
    assert referent_names("When are the office hours?", "Dr Hesketh Varga") == frozenset()
    assert opens_with_another_person("Teaching assistant: Wilhelmina Tosh, who leads the seminars.", whose)
    assert not opens_with_another_person("Instructor: Dr Hesketh Varga, Senior Lecturer.", whose)
    history = exchange("Who teaches HIST 214?", "Dr Hesketh Varga, Senior Lecturer in Economic and Social History.")
    a = policy_bot.ask("When are his office hours?", history=history)
    assert a.answered and "Tuesdays" in a.answer and "Wednesdays" not in a.answer, a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (SYLLABUS, 4)


def test_a_label_says_what_its_sentence_is(policy_bot: Bot) -> None:
    # "**Common** (may affect up to 1 in 10 people): headache, ..." answers "which are common?"
    assert label_terms("**Common** (may affect up to 1 in 10 people): headache.") == {"common"}
    assert label_terms("Office hours: Tuesdays 14:00-15:30.") == {"offic", "hour"}
    assert label_terms("For the Republic of Alvenia: Mireva Astrand, President") == frozenset()
    assert label_terms("Stop taking Pellacor at once.") == frozenset()
    a = policy_bot.ask("Which side effects of Pellacor are common?")
    assert a.answered and a.answer.startswith("**Common**") and "headache" in a.answer, a.answer


def test_how_much_is_a_thing_asks_its_price() -> None:
    # "In summer a high-speed catamaran links the island with Kos in 70 minutes" is no fare
    assert wanted("how much is the catamaran from Kos to Tarvos?").kind == "money"
    assert wanted("How much are the tablets?").kind == "money"
    assert wanted("How much is the dose for children?").kind != "money"
    assert wanted("how much is the water temperature").kind != "money"
    assert wanted("How much is left in the fund?").kind != "money"


def test_a_question_naming_the_document_finds_what_it_asks_of_it(policy_bot: Bot) -> None:
    corpus = policy_bot.retriever.corpus
    question = "What do I have to put at the end of every HIST 214 assignment?"
    # every passage of the syllabus is about HIST 214: the embedder is asked the rest too
    assert corpus.unnamed_queries(question) == {
        "What do I have to put at the end of every 214 assignment?": frozenset({SYLLABUS})}
    assert corpus.unnamed_queries("What do I have to put at the end of every assignment?") == {}
    a = policy_bot.ask(question)
    assert a.answered and "AI use statement" in a.answer, a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (SYLLABUS, 27)
