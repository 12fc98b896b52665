"""``bot eval``: run the gold set against configurations side by side and write reports."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.evaluate import GoldItem, ParagraphOracle, load_gold, report, run
from bot.types import Answer

#: "llm" is the LLM answer mode on the default retrieval; it needs OPENAI_BASE_URL or
#: OPENAI_API_KEY. The others are always offline, whatever the environment says.
CONFIGS = ("default", "dense", "lexical", "baseline", "llm")
SHOWN = ("pass_rate", "fact_recall", "token_f1", "hit_at_1", "hit_at_3", "mrr", "citation_precision",
         "verbatim_quote_rate", "abstention_precision", "abstention_recall", "false_abstention_rate",
         "llm_fallback_rate", "latency_p50_ms", "latency_p95_ms")


def build(name: str, corpus: str, workdir: Path) -> Callable[[str, list[dict[str, str]]], Answer]:
    """An ask function for a named configuration, over a fresh index of ``corpus``."""
    if name == "baseline":
        from bot.baseline import TutorialPipeline

        pipeline = TutorialPipeline(workdir / name)
        pipeline.ingest([corpus])
        return pipeline.ask
    if name not in CONFIGS:
        raise SystemExit(f"unknown configuration {name!r}; choose from {', '.join(CONFIGS)}")
    from bot.config import Settings
    from bot.core import Bot

    retrieval = "hybrid" if name in ("default", "llm") else name
    settings = Settings.from_env(data_dir=workdir / name, collection="eval", chroma_host=None, retrieval=retrieval)
    if name != "llm":
        settings = settings.with_(openai_api_key=None, openai_base_url=None)
    elif not settings.llm_enabled:
        raise SystemExit("the llm configuration needs a server: set OPENAI_BASE_URL (or OPENAI_API_KEY)")
    bot = Bot(settings)
    bot.ingest([corpus])
    return bot.ask


def evaluate_config(name: str, items: list[GoldItem], corpus: str, workdir: Path,
                    progress: bool = True) -> dict[str, Any]:
    ask = build(name, corpus, workdir)
    oracle = ParagraphOracle(corpus)

    def show(n: int, total: int) -> None:
        if progress:
            filled = int(30 * n / total)
            print(f"\r{name:>9} [{'#' * filled}{'.' * (30 - filled)}] {n}/{total}", end="", file=sys.stderr)
            if n == total:
                print(file=sys.stderr)

    return report(run(ask, items, oracle, show))


def table(reports: dict[str, dict[str, Any]], section: str = "overall") -> str:
    names = list(reports)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for metric in SHOWN:
        cells = []
        for n in names:
            value = reports[n][section].get(metric) if section == "overall" else None
            cells.append("–" if value is None else f"{value:g}")
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def kind_table(rep: dict[str, Any]) -> str:
    cols = ("items", "pass_rate", "fact_recall", "hit_at_3", "abstention_recall", "false_abstention_rate")
    lines = ["| kind | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for kind, m in rep["by_kind"].items():
        lines.append(f"| {kind} | " + " | ".join("–" if m.get(c) is None else f"{m[c]:g}" for c in cols) + " |")
    return "\n".join(lines)


def markdown(name: str, rep: dict[str, Any]) -> str:
    parts = [f"# Eval report: {name}", "", table({name: rep}), "", "## By kind", "", kind_table(rep), "",
             f"## Failed items ({len(rep['failures'])})", ""]
    for f in rep["failures"]:
        parts.append(f"- **{f['id']}** ({f['kind']}): {f['question']}")
        parts.append(f"  - answer: {f['answer'][:300]}")
        for c in f["citations"][:3]:
            parts.append(f"  - cited {c}")
    return "\n".join(parts) + "\n"


def main(args: argparse.Namespace) -> int:
    items = load_gold(args.gold)
    if getattr(args, "sample", None) and args.sample < len(items):
        step = len(items) / args.sample  # evenly spread, so every kind of item is in it
        items = [items[int(i * step)] for i in range(args.sample)]
    configs = args.configs or ["default"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    reports: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as tmp:
        for name in configs:
            reports[name] = evaluate_config(name, items, args.corpus, Path(tmp), progress=sys.stderr.isatty())
            (out / f"{name}.json").write_text(json.dumps(reports[name], indent=2, ensure_ascii=False) + "\n")
            (out / f"{name}.md").write_text(markdown(name, reports[name]))
    if args.json:
        print(json.dumps({n: r["overall"] for n, r in reports.items()}, indent=2))
    else:
        print(table(reports))
        print(f"\nreports written to {out}/")
    return 0
