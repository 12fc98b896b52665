"""Answers over the twelfth held-out set (evals/corpora/heldout12): a rowing club's
constitution in plain text, an espresso machine's manual in Markdown and a magazine
profile of its designer in HTML. Each test pins a rule found on that set; none of its
text is in the rules themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import Bot
from tests.conftest import ROOT, corpus_bot

CORPUS = ROOT / "evals" / "corpora" / "heldout12"
CONSTITUTION = "ferrowick_rowing_club_constitution.txt"
PROFILE = "maren_oakshott_profile.html"


@pytest.fixture(scope="module")
def club_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    yield from corpus_bot(tmp_path_factory, CORPUS)


def test_a_name_for_one_documents_topic_says_little_in_another(club_bot: Bot) -> None:
    corpus = club_bot.retriever.corpus
    question = "In what year was the Ferrowick Amateur Rowing Club founded?"
    assert corpus.named_topics(question) == frozenset({"ferrowick", "amateur", "row", "club"})
    assert corpus.named_topics("In what year was the club founded?") == frozenset()
    # the profile's fact box names the club in full ("Rowing | Ferrowick Amateur Rowing
    # Club since age 13; Captain since 2022"); the constitution says when it was founded
    a = club_bot.ask(question)
    assert a.answered and a.answer.startswith("The Club was founded in 1887"), a.answer
    assert (a.citations[0].source, a.citations[0].paragraph) == (CONSTITUTION, 4)
    w = club_bot.ask("How long is the warranty on a Stillwater S3?")
    assert w.answered and "two years" in w.answer.split("[1]")[0], w.answer


def test_a_fact_box_row_speaks_of_the_person_its_name_row_names(club_bot: Bot) -> None:
    from bot.answer import gives_back
    from bot.text import terms

    corpus = club_bot.retriever.corpus
    rows = {corpus.paragraph_text[key]: name for key, name in corpus.subjects.items() if key[0] == PROFILE}
    assert rows["- Her coffee | A double ristretto, no sugar"] == "Maren Oakshott"
    asked = frozenset(terms("How does Maren Oakshott take her coffee?"))
    assert gives_back("- Name | Maren Oakshott", asked)  # only the question's own words
    assert not gives_back("- Her coffee | A double ristretto, no sugar", asked)
    assert not gives_back("Maren Oakshott rows.", asked)  # a sentence, not a row
    a = club_bot.ask("How does Maren Oakshott take her coffee?")
    assert a.answered and "double ristretto" in a.answer, a.answer
    assert "Name | Maren Oakshott" not in a.answer


def test_a_code_the_question_gives_finds_its_row(club_bot: Bot) -> None:
    corpus = club_bot.retriever.corpus
    # "E3" is one row of a long troubleshooting table; "S3" is on every page
    assert list(corpus.rare_codes("My Stillwater S3 is showing error E3.")) == ["e3"]
    history = [{"role": "user", "content": "My Stillwater S3 is showing error E3. What does that mean?"},
               {"role": "assistant", "content": "E3 means the brew unit is missing or not locked in place."}]
    a = club_bot.ask("How do I fix it?", history=history)
    assert a.answered and a.answer.startswith("Code: E3;") and "side door" in a.answer, a.answer
    assert a.citations[0].quote.startswith("| E3 |")


def test_the_langchain_retriever_returns_exactly_k_with_a_code(club_bot: Bot) -> None:
    from bot.chain import HybridRetriever

    # the code's paragraph joins the answerer's hits, not the retriever's k
    docs = HybridRetriever(bot=club_bot, k=3).invoke("What does error E3 mean on the Stillwater S3?")
    assert len(docs) == 3


def test_when_a_term_runs_out_is_not_the_articles_date(club_bot: Bot) -> None:
    history = [{"role": "user", "content": "Who is the Captain of the Ferrowick rowing club?"},
               {"role": "assistant", "content": "Maren Oakshott has been Captain of the Ferrowick Amateur Rowing Club "
                                                "since November 2022."}]
    # the profile's byline ("Calderhaze Life, October 2024") dates the article, not her term
    a = club_bot.ask("When does her time in the job run out?", history=history)
    assert a.answered and "November 2026" in a.answer.split("[1]")[0], a.answer
    assert "October 2024" not in a.answer


def test_a_heading_full_of_capitals_is_no_list_of_people(club_bot: Bot) -> None:
    # "FERROWICK AMATEUR ROWING CLUB: CONSTITUTION AND RULES" holds capitalised words,
    # not people; the heading keeps its penalty for a "who" question
    a = club_bot.ask("Who are the officers of the rowing club?")
    assert a.answered and "Honorary Treasurer" in a.answer, a.answer
    assert "CONSTITUTION AND RULES" not in a.answer
