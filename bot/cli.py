"""The ``bot`` command: parse options, call ``Bot``, print the typed result.

    bot ingest seeds/ [--prune]     add or update documents (idempotent)
    bot ask "question" [--json]     one answer with its citations
    bot chat                        terminal chat that keeps the conversation
    bot serve [--host H] [--port P] the web app: chat UI at /, JSON API at /api, docs at /docs
    bot sources [--json]            what is indexed
    bot eval [--config NAME ...]    run the gold set and print the metrics
    bot config                      the effective configuration
    bot doctor                      the configuration, and whether the store and LLM answer
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.errors import BotError

if TYPE_CHECKING:
    from bot.core import Bot
    from bot.types import Answer


def _bot() -> Bot:
    from bot.core import Bot

    return Bot.from_env()


def render(answer: Answer) -> str:
    """An answer and its sources as plain text for a terminal."""
    listing = sources_text(answer)
    return f"{answer.answer}\n\n{listing}" if listing else answer.answer


def sources_text(answer: Answer) -> str:
    """The numbered sources of an answer (or the closest passages when it abstained)."""
    if not answer.citations:
        return ""
    lines = ["Sources:" if answer.answered else "Closest passages:"]
    for n, c in enumerate(answer.citations, 1):
        lines.append(f"  [{n}] {c.source} ¶{c.paragraph}: “{c.quote}”")
    return "\n".join(lines)


def cmd_ingest(args: argparse.Namespace) -> int:
    def progress(source: str, n: int, total: int) -> None:
        if not args.quiet:
            print(f"[{n}/{total}] {source}", file=sys.stderr)

    report = _bot().ingest(args.paths, prune=args.prune, progress=progress)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
              f"removed {len(report.removed)}; {report.paragraphs} paragraphs, {report.chunks_embedded} chunks "
              f"embedded in {report.seconds:.2f}s")
        for path in report.skipped:
            print(f"skipped {path}: taken as the folder's description; name the file to ingest it")
        for _path, error in report.errors:
            print(f"error: {error}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_ask(args: argparse.Namespace) -> int:
    question = " ".join(args.question)
    bot = _bot()
    if args.json:
        print(json.dumps(bot.ask(question).to_dict(), indent=2, ensure_ascii=False))
    else:
        print_stream(bot, question)
    return 0


def print_stream(bot: Bot, question: str, history: list[dict[str, str]] | None = None,
                 prefix: str = "") -> Answer:
    """Print the answer as it streams, then its sources; returns the final ``Answer``."""
    from bot.types import Answer

    shown = ""
    print(prefix, end="", flush=True)
    for item in bot.ask_stream(question, history):
        if isinstance(item, Answer):
            if item.answer != shown:  # the server failed mid-answer: show the fallback
                print(("\n\n" if shown else "") + item.answer, end="")
            listing = sources_text(item)
            print(f"\n\n{listing}" if listing else "")
            return item
        print(item, end="", flush=True)
        shown += item
    raise RuntimeError("ask_stream ended without an Answer")


def cmd_chat(args: argparse.Namespace) -> int:
    bot = _bot()
    history: list[dict[str, str]] = []
    print("Ask about the documents. Empty line or Ctrl-D to quit; /new starts a new conversation.")
    while True:
        try:
            question = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        if question == "/new":
            history = []
            continue
        try:
            answer = print_stream(bot, question, history, prefix="bot> ")
        except BotError as exc:
            print(f"error: {exc}")
            continue
        print()
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


def cmd_sources(args: argparse.Namespace) -> int:
    sources = _bot().sources()
    if args.json:
        print(json.dumps([s.to_dict() for s in sources], indent=2))
    elif not sources:
        print("nothing indexed yet; run `bot ingest PATH`")
    else:
        for s in sources:
            print(f"{s.source}\t{s.paragraphs} paragraphs\t{s.chunks} chunks\t{s.ingested_at}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.config import Settings
    from bot.web import serve  # imports Gradio and FastAPI: only this command pays for them

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = Settings.from_env(**overrides)

    def announce(url: str) -> None:
        print(f"bot is serving on {url}  (API docs: {url}docs; Ctrl-C stops)", flush=True)

    serve(settings, announce)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from bot.config import Settings

    print(json.dumps(Settings.from_env().describe(), indent=2))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Print the configuration, then check the store and (in LLM mode) the server."""
    from bot.config import Settings
    from bot.core import Bot

    settings = Settings.from_env()
    print(json.dumps(settings.describe(), indent=2))
    ok = True
    try:
        with Bot(settings) as bot:
            count = len(bot.sources())
        print(f"store: ok, {count} documents indexed" + ("" if count else "; run `bot ingest seeds/`"))
    except BotError as exc:
        print(f"store: FAILED: {exc}")
        ok = False
    if not settings.llm_enabled:
        print("llm: off, answers are extractive; set OPENAI_API_KEY or OPENAI_BASE_URL to use a model")
        return 0 if ok else 1
    from bot.llm_client import LLMClient

    try:
        reply, ms = LLMClient(settings).ping()
        print(f"llm: ok, {settings.llm_model} answered {reply[:40]!r} in {ms:.0f} ms")
    except BotError as exc:
        where = settings.describe()["openai_base_url"]
        print(f"llm: FAILED: {exc}; check that a server answers at {where} "
              f"and knows the model {settings.llm_model!r} (BOT_LLM_MODEL)")
        ok = False
    return 0 if ok else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.eval_runner import main as run_eval

    return run_eval(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description="Answers questions from your documents, with citations.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add or update documents from files and folders")
    p.add_argument("paths", nargs="+", help="files or folders (.txt, .md, .html, .pdf)")
    p.add_argument("--prune", action="store_true", help="also remove indexed documents whose file is gone")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="terminal chat with follow-up questions")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", help="run the web app (chat UI, JSON API)")
    p.add_argument("--host", help="address to listen on (default BOT_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default BOT_PORT or 7860; 0 picks a free one)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("sources", help="list indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("config", help="print the effective configuration (secrets masked)")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("doctor", help="print the configuration and check the store and the LLM server")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("eval", help="run the gold set and report metrics")
    p.add_argument("--gold", default="evals/gold/seeds.jsonl")
    p.add_argument("--corpus", default="seeds", help="folder the gold items refer to")
    p.add_argument("--config", action="append", dest="configs", metavar="NAME",
                   help="configuration(s) to compare: default, dense, lexical, baseline, llm (repeatable)")
    p.add_argument("--out", default="evals/reports", help="folder for the reports, summary and chart")
    p.add_argument("--sample", type=int, metavar="N", help="only N gold items, evenly spread (for slow models)")
    p.add_argument("--json", action="store_true", help="print the overall metrics as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or timing lines")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        result: Any = args.func(args)
        return int(result)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bot ask ... | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
