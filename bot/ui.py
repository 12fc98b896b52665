"""The Gradio chat and document manager, mounted at ``/`` by ``bot.web``.

Chat tab: answers stream in; each shows its ``[n]`` markers and a collapsible "Sources"
section (document, paragraph number, the paragraph with the quote marked), or, for an
abstention, "Closest passages". Follow-ups use the conversation; "New conversation"
starts over; thumbs up/down go to the feedback file. Documents tab: upload files or
give a folder on the server, watch the ingest, see what is indexed, remove a document.

Rendering is plain functions of ``Answer`` (``render_answer``); the conversation lives
in a per-browser ``gr.State``, not in the displayed messages.
"""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import gradio as gr

from bot.core import Bot
from bot.errors import BotError
from bot.feedback import FeedbackLog
from bot.load import SUPPORTED_SUFFIXES
from bot.types import Answer, Citation

log = logging.getLogger(__name__)

#: Questions the shipped seeds/ answer, shown under the chat.
EXAMPLES = [
    "Which forum will China hold in Chongqing?",
    "Who presided over the meeting?",
    "How many youth exchange places will China provide?",
    "Which UN official attended the meeting?",
]

CSS = """
.bot-sources summary { cursor: pointer; font-weight: 600; }
.bot-source { margin: 0.5em 0; }
.bot-source mark { padding: 0 0.1em; }
"""

Conversation = dict[str, Any]


def new_conversation() -> Conversation:
    """Per-browser chat state: what is shown, the plain history, and the answer behind
    each shown assistant message (by its index) for feedback."""
    return {"messages": [], "history": [], "answers": {}}


def highlight(citation: Citation) -> str:
    """The cited paragraph as HTML with the quote inside ``<mark>``."""
    text, quote = citation.text, citation.quote
    at = text.find(quote) if quote else -1
    if at < 0:
        return html.escape(text)
    return (html.escape(text[:at]) + "<mark>" + html.escape(quote) + "</mark>"
            + html.escape(text[at + len(quote):]))


def render_sources(answer: Answer) -> str:
    """The collapsible sources block (one HTML block: Markdown leaves it as it is)."""
    if not answer.citations:
        return ""
    title = "Sources" if answer.answered else "Closest passages"
    items = "".join(
        f'<div class="bot-source"><strong>[{n}] {html.escape(c.source)}</strong>, paragraph {c.paragraph}'
        f'<blockquote>{highlight(c)}</blockquote></div>'
        for n, c in enumerate(answer.citations, 1)
    )
    summary = f"{title} ({len(answer.citations)})"
    return f'<details class="bot-sources"><summary>{summary}</summary>{items}</details>'


def render_answer(answer: Answer) -> str:
    """An answer as the chat shows it: the text with its markers, then its sources."""
    text = html.escape(answer.answer).replace("\n", " ")
    if not answer.answered:
        text = f"**Not answered.** {text}"
    sources = render_sources(answer)
    return f"{text}\n\n{sources}" if sources else text


def _shown(state: Conversation) -> list[dict[str, str]]:
    return [dict(m) for m in state["messages"]]


def build_ui(bot: Bot, feedback: FeedbackLog) -> gr.Blocks:
    """The Blocks app; the caller queues and mounts it (see ``bot.web.create_app``)."""
    from bot.web import remove_document, save_uploads

    async def respond(message: str, state: Conversation) -> AsyncIterator[tuple[Any, str, Conversation]]:
        question = (message or "").strip()
        if not question:
            yield _shown(state), "", state
            return
        prior = list(state["history"])
        state["messages"] += [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
        yield _shown(state), "", state
        text, answer = "", None
        try:
            async for item in bot.aask_stream(question, prior):
                if isinstance(item, str):
                    text += item
                    state["messages"][-1]["content"] = html.escape(text)
                    yield _shown(state), "", state
                else:
                    answer = item
        except BotError as exc:
            state["messages"][-1]["content"] = f"⚠️ {html.escape(str(exc))}"
            yield _shown(state), "", state
            return
        if answer is None:  # the stream always ends with the Answer; guard against a broken one
            state["messages"][-1]["content"] = "⚠️ no answer came back; try again"
            yield _shown(state), "", state
            return
        state["messages"][-1]["content"] = render_answer(answer)
        state["history"] += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
        state["answers"][len(state["messages"]) - 1] = {"question": question, "history": prior,
                                                        "answer": answer.to_dict()}
        yield _shown(state), "", state

    def clear() -> tuple[list[Any], str, Conversation]:
        return [], "", new_conversation()

    def on_like(state: Conversation, data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        record = state["answers"].get(index)
        if record is None or data.liked not in (True, False):
            return
        feedback.add("up" if data.liked else "down", record["question"], record["answer"], record["history"])
        gr.Info("Thanks, your feedback was saved.")

    def documents() -> tuple[list[list[Any]], Any]:
        sources = bot.sources()
        rows = [[s.source, s.paragraphs, s.chunks, s.ingested_at] for s in sources]
        return rows, gr.update(choices=[s.source for s in sources], value=None)

    def ingest(paths: list[Path], progress: gr.Progress) -> tuple[str, list[list[Any]], Any]:
        def step(source: str, n: int, total: int) -> None:
            progress((n - 1, total), desc=f"ingesting {source}")

        try:
            report = bot.ingest(paths, progress=step)
        except BotError as exc:
            return f"⚠️ {exc}", *documents()
        parts = [f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}; "
                 f"{report.paragraphs} paragraphs, {report.chunks_embedded} chunks embedded "
                 f"in {report.seconds:.1f} s"]
        parts += [f"skipped {Path(path).name}: taken as the folder's description; add the file itself to ingest it"
                  for path in report.skipped]
        parts += [f"⚠️ {error}" for _path, error in report.errors]
        return "\n\n".join(parts), *documents()

    def ingest_files(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, Any]:
        if not files:
            return "Choose one or more .txt, .md, .html or .pdf files first.", *documents()
        try:
            paths = save_uploads(bot.settings, [(Path(f).name, Path(f).read_bytes()) for f in files])
        except BotError as exc:
            return f"⚠️ {exc}", *documents()
        return ingest(paths, progress)

    def ingest_folder(folder: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, Any]:
        if not (folder or "").strip():
            return "Type the path of a folder on the server first.", *documents()
        return ingest([Path(folder.strip())], progress)

    def remove(source: str | None) -> tuple[str, Any, Any]:
        if not source:
            return "Choose a document to remove.", *documents()
        try:
            done = remove_document(bot, source)
        except BotError as exc:
            return f"⚠️ {exc}", *documents()
        return (f"removed {source}" if done else f"{source} was not indexed"), *documents()

    with gr.Blocks(title="bot: answers from your documents", analytics_enabled=False) as blocks:
        state = gr.State(new_conversation())
        gr.Markdown("## Ask your documents\nAnswers come only from the indexed documents, with cited paragraphs.")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(elem_id="chatbot", label="Conversation", height=520, buttons=["copy"],
                                 feedback_options=("Like", "Dislike"), placeholder="Ask a question below.")
            with gr.Row():
                question = gr.Textbox(elem_id="question", show_label=False, scale=6, autofocus=True,
                                      placeholder="Ask about the documents…", max_lines=6)
                send = gr.Button("Ask", variant="primary", elem_id="send", scale=1)
            new = gr.Button("New conversation", elem_id="clear", size="sm")
            gr.Examples(EXAMPLES, inputs=[question], label="Examples (about the shipped seeds/)")
        with gr.Tab("Documents"):
            with gr.Row():
                with gr.Column():
                    files = gr.File(label="Upload .txt, .md, .html or .pdf files", file_count="multiple",
                                    file_types=sorted(SUPPORTED_SUFFIXES),
                                    elem_id="upload")
                    ingest_files_button = gr.Button("Ingest files", elem_id="ingest-files")
                with gr.Column():
                    folder = gr.Textbox(label="…or a folder on the server", placeholder="/path/to/docs",
                                        elem_id="folder")
                    ingest_folder_button = gr.Button("Ingest folder", elem_id="ingest-folder")
            status = gr.Markdown(elem_id="ingest-status", label="status")
            table = gr.Dataframe(headers=["document", "paragraphs", "chunks", "ingested"], interactive=False,
                                 elem_id="documents", label="Indexed documents")
            with gr.Row():
                choice = gr.Dropdown(label="Remove a document", choices=[], elem_id="remove-choice", scale=4)
                remove_button = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)

        gr.on([question.submit, send.click], respond, [question, state], [chatbot, question, state], api_name="ask",
              api_description="Ask a question; returns the conversation with the cited answer.")
        new.click(clear, None, [chatbot, question, state], api_visibility="private")
        chatbot.clear(clear, None, [chatbot, question, state], api_visibility="private")  # its own bin icon
        chatbot.like(on_like, [state], None, api_visibility="private")
        ingest_files_button.click(ingest_files, [files], [status, table, choice], api_name="ingest_files")
        ingest_folder_button.click(ingest_folder, [folder], [status, table, choice], api_name="ingest_folder")
        remove_button.click(remove, [choice], [status, table, choice], api_name="remove")
        blocks.load(documents, None, [table, choice], api_visibility="private")
    return blocks
