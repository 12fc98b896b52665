"""The plain LangChain tutorial pipeline, as a baseline for evals and benchmarks.

RecursiveCharacterTextSplitter (1000 characters, 200 overlap) -> langchain-chroma with
the same offline embedder -> top-4 similarity search. Its "answer" is the top chunk; it
never abstains. Needs the ``baseline`` extra (``pip install 'bot[baseline]'``).
"""

from __future__ import annotations

import bisect
import time
from pathlib import Path
from typing import Any

from bot.chunk import cited_paragraphs, split_paragraphs
from bot.embed import MiniLMEmbedder
from bot.load import find_files, read_text
from bot.types import Answer, Citation


class TutorialPipeline:
    """Split, embed, store and search exactly as the LangChain RAG tutorial does."""

    mode = "baseline"

    def __init__(self, persist_dir: str | Path, embedder: MiniLMEmbedder | None = None) -> None:
        from langchain_chroma import Chroma

        self.embedder = embedder or MiniLMEmbedder()
        self.store = Chroma(collection_name="tutorial", embedding_function=self.embedder,
                            persist_directory=str(persist_dir))
        self._paragraphs: dict[str, tuple[list[int], list[Any]]] = {}

    def ingest(self, paths: list[str | Path]) -> int:
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        files, _, _ = find_files(paths)
        docs = []
        for f in files:
            text = read_text(f.path)
            units = split_paragraphs(text)
            paragraphs = cited_paragraphs(text, units)  # numbered as the bot's citations are
            self._paragraphs[f.source] = ([p.start for p in units], paragraphs)
            docs.append(Document(page_content=text, metadata={"source": f.source}))
        chunks = splitter.split_documents(docs)
        if chunks:
            self.store.add_documents(chunks)
        return len(chunks)

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        started = time.perf_counter()
        docs = self.store.similarity_search_with_score(question, k=4)
        citations = []
        for doc, distance in docs:
            source = str(doc.metadata["source"])
            starts, paragraphs = self._paragraphs.get(source, ([], []))
            at = max(0, bisect.bisect_right(starts, int(doc.metadata.get("start_index", 0))) - 1)
            paragraph = paragraphs[at] if paragraphs else None
            citations.append(Citation(source, paragraph.number if paragraph else 0,
                                      paragraph.text if paragraph else "", doc.page_content, -float(distance)))
        answer = docs[0][0].page_content if docs else ""
        return Answer(answer, True, citations, self.mode, {"total_ms": (time.perf_counter() - started) * 1000})
