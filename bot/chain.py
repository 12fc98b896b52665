"""LangChain views of the pipeline: a ``BaseRetriever`` and a runnable chain.

    from bot import Bot
    from bot.chain import HybridRetriever, build_chain
    bot = Bot.from_env()
    docs = HybridRetriever(bot=bot).invoke("Which forum will China hold in Chongqing?")
    answer = build_chain(bot).invoke({"question": "...", "history": []})

The chain is ``retrieve | answer``, built from the same stage objects ``Bot.ask`` uses,
so swapping the answerer (the LLM mode) swaps it in both. ``Bot.ask`` calls the stages
directly: importing ``langchain_core.retrievers`` costs about 0.7 s of start-up (it
pulls in langsmith), which the offline CLI path does not pay. ``make bench`` measures
the chain's per-call overhead against the direct call.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from bot.core import Bot, Retrieval
from bot.types import Answer, Hit


def hit_to_document(hit: Hit) -> Document:
    return Document(page_content=hit.text, metadata={
        "source": hit.source, "paragraph": hit.paragraph, "score": hit.score,
        "dense_rank": hit.dense_rank, "lexical_rank": hit.lexical_rank,
    })


class HybridRetriever(BaseRetriever):
    """Dense + BM25 paragraphs fused by RRF, as LangChain ``Document`` objects."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    bot: Any
    k: int = 4

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        vector = self.bot.embedder.embed_batch([query])[0]
        return [hit_to_document(h) for h in self.bot.retriever.search(query, vector, self.k)]


def build_chain(bot: Bot) -> Runnable[dict[str, Any], Answer]:
    """``{"question", "history"}`` -> ``Answer``, as ``retrieve | answer`` runnables."""

    def retrieve(inputs: dict[str, Any]) -> Retrieval:
        return bot.retrieve(inputs["question"], inputs.get("history"))

    return RunnableLambda(retrieve).with_config(run_name="retrieve") | RunnableLambda(bot.answer).with_config(
        run_name="answer")
