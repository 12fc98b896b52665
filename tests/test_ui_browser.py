"""The chat in a real browser: Debian's headless Chromium driven by Playwright.

`make test` installs chromium with apt when /usr/bin/chromium is missing (Playwright's
own `playwright install` downloads a browser build, which cannot work offline). Without
it these tests fail, saying so: they are never skipped.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from bot import Bot
from tests.conftest import SEEDS, SPEECH
from tests.webserver import seeded_app

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Bot]]:
    with seeded_app(tmp_path_factory.mktemp("browser"), SEEDS) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed at /usr/bin/chromium; "
                    "run `make test` (it installs it) or `apt-get install -y chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, app_url: tuple[str, Bot]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    page.goto(f"{app_url[0]}/")
    page.locator("#question textarea").wait_for(timeout=WAIT_MS)
    yield page
    context.close()


def ask(page: Page, question: str, count: int) -> Locator:
    """Type a question, press Enter, and return the ``count``-th bot message once its
    streamed answer is complete (the sources block comes with the final answer)."""
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    message = page.locator('#chatbot [data-testid="bot"]').nth(count - 1)
    message.locator("details summary").wait_for(timeout=WAIT_MS)
    return message


def wait_for_lines(path: Path, count: int, timeout: float = 30.0) -> list[dict[str, object]]:
    """The JSON lines of ``path`` once it has ``count`` of them (the server writes them)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            assert len(lines) == count, f"{path} has {len(lines)} lines, expected {count}"
            return [json.loads(line) for line in lines]
        time.sleep(0.1)


def test_a_question_streams_an_answer_with_its_cited_paragraph(page: Page, app_url: tuple[str, Bot],
                                                                tmp_path: Path) -> None:
    message = ask(page, "Which forum will China hold in Chongqing?", 1)
    expect(message).to_contain_text("Digital Economy Industry Forum in Chongqing")
    expect(message).to_contain_text("[1]")
    paragraph = message.locator("details blockquote").first
    expect(paragraph).to_be_hidden()  # collapsed until opened
    message.locator("details summary").click()
    expect(paragraph).to_be_visible()
    expect(message.locator("details")).to_contain_text(f"[1] {SPEECH}, paragraph 20")
    expect(paragraph).to_contain_text("We must persist in putting people first")  # the whole paragraph...
    expect(paragraph.locator("mark")).to_have_text(  # ...with the quote marked
        "The Chinese side will hold the China-Shanghai Cooperation Organization Digital Economy Industry Forum "
        "in Chongqing next year to build a platform for all parties to carry out innovative cooperation.")
    page.screenshot(path=str(tmp_path / "answer-with-sources.png"), full_page=True)

    # a follow-up uses the conversation
    follow = ask(page, "What other forum will it host?", 2)
    expect(follow).to_contain_text("Non-governmental Friendship Forum")

    # thumbs up on the first answer lands in the feedback file
    feedback = app_url[1].settings.feedback_file
    before = len(feedback.read_text().splitlines()) if feedback.exists() else 0
    page.locator("#chatbot").get_by_role("button", name="Like", exact=True).first.click()
    expect(page.get_by_text("your feedback was saved")).to_be_visible(timeout=WAIT_MS)
    record = wait_for_lines(feedback, before + 1)[before]
    assert record["rating"] == "up" and record["question"] == "Which forum will China hold in Chongqing?"
    assert record["citations"][0]["paragraph"] == 20 and record["history"] == []

    # a new conversation clears the chat and the history the next question is asked with
    page.locator("#clear").click()
    expect(page.locator('#chatbot [data-testid="bot"]')).to_have_count(0)
    ask(page, "Who presided over the meeting?", 1)
    page.locator("#chatbot").get_by_role("button", name="Dislike", exact=True).first.click()
    records = wait_for_lines(feedback, before + 2)
    assert records[-1]["rating"] == "down" and records[-1]["history"] == [] and "Putin" in records[-1]["answer"]


def test_an_abstention_is_shown_with_the_closest_passages(page: Page) -> None:
    message = ask(page, "What did the summit decide about the 2031 Olympics?", 1)
    expect(message).to_contain_text("Not answered.")
    expect(message.locator("details summary")).to_contain_text("Closest passages")


def test_upload_a_document_ask_about_it_and_remove_it(page: Page, tmp_path: Path) -> None:
    doc = tmp_path / "lighthouse.txt"
    doc.write_text("Aldermoor Lighthouse\n\nThe Aldermoor lighthouse was painted green in 1911 by its keeper, "
                   "Mara Quill.\n\nIt has guided ships past the Skerry reefs since 1860.\n", encoding="utf-8")
    page.get_by_role("tab", name="Documents").click()
    table = page.locator("#documents")
    expect(table).to_contain_text(SPEECH)
    page.locator("#upload input[type=file]").set_input_files(str(doc))
    # the file list renders the name in pieces ("lighthouse .txt"): wait for it to be listed
    expect(page.locator("#upload")).to_contain_text(re.compile(r"lighthouse\s*\.txt"))
    page.locator("#ingest-files").click()
    expect(page.locator("#ingest-status")).to_contain_text("added 1", timeout=WAIT_MS)
    expect(table).to_contain_text("lighthouse.txt")
    page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)

    page.get_by_role("tab", name="Chat").click()
    message = ask(page, "Who painted the Aldermoor lighthouse?", 1)
    expect(message).to_contain_text("Mara Quill")
    message.locator("details summary").click()
    expect(message.locator("details")).to_contain_text("[1] lighthouse.txt, paragraph 2")
    page.screenshot(path=str(tmp_path / "uploaded-answer.png"), full_page=True)

    page.get_by_role("tab", name="Documents").click()
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name="lighthouse.txt").click()
    page.locator("#remove").click()
    expect(page.locator("#ingest-status")).to_contain_text("removed lighthouse.txt")
    expect(table).not_to_contain_text("lighthouse.txt")


def test_the_chat_and_the_api_docs_fetch_nothing_from_outside(browser: Browser, app_url: tuple[str, Bot]) -> None:
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss") and urlsplit(r.url).hostname != "127.0.0.1"
            else None)
    page.goto(f"{app_url[0]}/")
    expect(ask(page, "Who presided over the meeting?", 1)).to_contain_text("Putin")
    page.goto(f"{app_url[0]}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/ask")).to_be_visible(timeout=WAIT_MS)
    context.close()
    assert outside == []
