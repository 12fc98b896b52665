"""Questions that ask for several things ("What three goals ...?") or for one item of an
enumeration ("And the second?"): the rules, then real answers over a document that is
not one of the seeds."""

from __future__ import annotations

import pytest

from bot import Bot
from bot.text import asked_ordinal, item_ordinal, list_request
from tests.conftest import ROOT, bot_over

PLAN = """\
Riverside Council adopts its water plan

The council of Riverside met on Tuesday to adopt a plan for the town's water supply.

The mayor, Ana Duarte, opened the session and thanked the engineers for two years of work.

First, repair the old pumping station and set up a standby repair team.

Second, protect the wetlands upstream and set up a river patrol team.

Third, train young technicians and set up a maintenance team for the network.

The council will hold a public hearing on the budget in March. The town will also host a regional water fair in June.

The plan was approved by nine votes to two.
"""


@pytest.mark.parametrize(("question", "expected"), [
    ("What four communities did Xi call on the SCO to build?", (4, frozenset({"community"}))),
    ("What are the three forces?", (3, frozenset({"forc"}))),
    ("Which forums or events did China say it will hold?", (None, frozenset({"forum", "event"}))),
    ("Which leaders of member states took part?", (None, frozenset({"leader"}))),
    ("Which city hosts it?", None),  # "hosts" is the verb here
    ("Which kinds of security matter?", None),  # one sentence usually lists the kinds
    ("In which fields should they cooperate?", None),
    ("What is the SCO?", None),
    # asking about every one of several things asks for a list, whatever the verb
    ("How often does each of the three cartridges need changing?", (3, frozenset({"cartridg"}))),
    ("When do all of the branches close?", (None, frozenset({"branch"}))),
    ("What is each of them for?", None),
])
def test_list_requests(question: str, expected: tuple[int | None, frozenset[str]] | None) -> None:
    assert list_request(question) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("And the second?", ("second", True)),
    ("What was the first of his proposals?", ("first", True)),
    ("and the third one", ("third", True)),
    ("When was the first meeting?", ("first", False)),  # may not mean an item of a list
    ("Who chaired the meeting?", None),
])
def test_ordinals_asked(question: str, expected: tuple[str, bool] | None) -> None:
    assert asked_ordinal(question) == expected


def test_enumerated_items() -> None:
    assert item_ordinal("Second, protect the wetlands.") == "second"
    assert item_ordinal("Secondly: protect the wetlands.") == "second"
    assert item_ordinal("“Third, train young technicians.”") == "third"
    assert item_ordinal("Second place went to Lima.") is None
    assert item_ordinal("The third day was rainy.") is None


@pytest.fixture(scope="module")
def plan_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    return bot_over(tmp_path_factory.mktemp("plan"), "riverside_water_plan.txt", PLAN)


def test_a_counted_list_is_answered_by_every_item_in_document_order(plan_bot: Bot) -> None:
    answer = plan_bot.ask("What three teams will the council set up?")
    assert answer.answered
    text = answer.answer
    for item in ("standby repair team", "river patrol team", "maintenance team"):
        assert item in text
    assert text.index("First,") < text.index("Second,") < text.index("Third,")
    assert [c.paragraph for c in answer.citations] == [4, 5, 6]
    for citation in answer.citations:
        assert citation.quote in citation.text


def test_an_ordinal_follow_up_finds_the_enumerated_item(plan_bot: Bot) -> None:
    history = [{"role": "user", "content": "What was the first of the council's aims?"},
               {"role": "assistant", "content": "First, repair the old pumping station and set up a standby repair "
                                                "team. [1]"}]
    answer = plan_bot.ask("And the second?", history)
    assert answer.answered
    assert answer.citations[0].paragraph == 5
    assert answer.answer.startswith("Second, protect the wetlands")


def test_a_single_fact_question_still_gets_a_short_answer(plan_bot: Bot) -> None:
    answer = plan_bot.ask("When will the council hold a public hearing on the budget?")
    assert answer.answered
    assert "March" in answer.answer
    assert len(answer.citations) == 1



def test_a_list_whose_lead_in_names_the_things_asked_for_is_given_whole(tmp_path) -> None:
    # the held-out encyclopedia page: "The main products are:" and four items, of which
    # retrieval finds two ("wine ... sold under the Tarvos ...", "cheese")
    page = ROOT / "evals" / "corpora" / "heldout6" / "island_encyclopedia_entry.html"
    with bot_over(tmp_path, page.name, page.read_text(encoding="utf-8")) as bot:
        a = bot.ask("what farm products does tarvos make")
        assert a.answered, a.answer
        for item in ("wine", "thyme honey", "capers", "cheese"):
            assert item in a.answer, a.answer
