"""``bot eval``: run the gold set against configurations side by side and write reports.

    bot eval --config default --config dense --config baseline

For each configuration: a fresh index of ``--corpus`` in a temporary folder, every gold
item asked through the same ``ask`` the users get, and ``<out>/<name>.json`` and ``.md``
(metrics overall and per kind, and each failed item). For the run as a whole:
``<out>/summary.md`` (the side-by-side tables) and ``<out>/by_kind.png`` (the chart).
The metrics are defined in ``evals/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.errors import ConfigError
from bot.evaluate import GoldItem, ParagraphOracle, load_gold, report, run
from bot.types import Answer

#: "llm" is the LLM answer mode on the default retrieval; it needs OPENAI_BASE_URL or
#: OPENAI_API_KEY. The others are always offline, whatever the environment says.
CONFIGS = ("default", "dense", "lexical", "baseline", "llm")
SHOWN = ("pass_rate", "fact_recall", "token_f1", "hit_at_1", "hit_at_3", "mrr", "citation_precision",
         "verbatim_quote_rate", "abstention_precision", "abstention_recall", "false_abstention_rate",
         "llm_fallback_rate", "latency_p50_ms", "latency_p95_ms")
#: The per-kind metrics compared in summary.md and drawn in the chart, one panel each:
#: (metric, title, the item count it is computed over).
PANELS = (("fact_recall", "Fact recall: answered with every required fact", "answerable_items"),
          ("hit_at_3", "Citation hit@3: a gold paragraph among the first three citations", "answerable_items"),
          ("abstention_recall", "Abstention recall: unanswerable items declined", "unanswerable_items"))
#: Overall abstention figures drawn beside the abstention-recall panel.
ABSTENTION = (("abstention_precision", "precision"),
              ("false_abstention_rate", "false-abstention rate\n(lower is better)"))
CHART = "by_kind.png"
SUMMARY = "summary.md"

AskFn = Callable[[str, list[dict[str, str]]], Answer]


def build(name: str, corpus: str, workdir: Path, stack: contextlib.ExitStack) -> AskFn:
    """An ask function for a named configuration, over a fresh index of ``corpus``."""
    if name not in CONFIGS:
        raise ConfigError(f"unknown configuration {name!r}; choose from {', '.join(CONFIGS)}")
    if name == "baseline":
        from bot.baseline import TutorialPipeline

        pipeline = TutorialPipeline(workdir / name)
        pipeline.ingest([corpus])
        return pipeline.ask
    from bot.config import Settings
    from bot.core import Bot

    retrieval = "hybrid" if name in ("default", "llm") else name
    settings = Settings.from_env(data_dir=workdir / name, collection="eval", chroma_host=None, retrieval=retrieval)
    if name != "llm":
        settings = settings.with_(openai_api_key=None, openai_base_url=None)
    elif not settings.llm_enabled:
        raise ConfigError("the llm configuration needs a server: set OPENAI_BASE_URL (or OPENAI_API_KEY)")
    bot = stack.enter_context(Bot(settings))
    bot.ingest([corpus])
    return bot.ask


class Progress:
    """A one-line progress bar on ``stream``; draws nothing when disabled."""

    def __init__(self, label: str, stream: TextIO, enabled: bool, width: int = 30) -> None:
        self.label, self.stream, self.enabled, self.width = label, stream, enabled, width
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = self.width * done // total
        elapsed = time.perf_counter() - self.started
        line = f"\r{self.label:>9} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {elapsed:5.1f}s"
        self.stream.write(line + ("\n" if done >= total else ""))
        self.stream.flush()


def evaluate_config(name: str, items: list[GoldItem], corpus: str, workdir: Path,
                    progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Index ``corpus`` for configuration ``name``, ask every item, and return its report."""
    if progress:
        progress(0, len(items))  # the empty bar while the index is built
    with contextlib.ExitStack() as stack:
        ask = build(name, corpus, workdir, stack)
        return report(run(ask, items, ParagraphOracle(corpus), progress))


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:g}"


def table(reports: dict[str, dict[str, Any]]) -> str:
    """Overall metrics, one column per configuration (Markdown)."""
    names = list(reports)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for metric in SHOWN:
        lines.append(f"| {metric} | " + " | ".join(_cell(reports[n]["overall"].get(metric)) for n in names) + " |")
    return "\n".join(lines)


def _kinds(reports: dict[str, dict[str, Any]]) -> list[str]:
    return sorted({kind for rep in reports.values() for kind in rep["by_kind"]})


def _value(rep: dict[str, Any], group: str, metric: str) -> float | None:
    section = rep["overall"] if group == "overall" else rep["by_kind"].get(group, {})
    value = section.get(metric)
    return None if value is None else float(value)


def _count(rep: dict[str, Any], group: str, key: str = "items") -> int:
    section = rep["overall"] if group == "overall" else rep["by_kind"].get(group, {})
    return int(section.get(key) or 0)


def kind_comparison(reports: dict[str, dict[str, Any]], metric: str, count: str = "items") -> str:
    """One metric per kind, one column per configuration (Markdown); kinds where it is undefined are left out."""
    names = list(reports)
    lines = [f"| kind ({count.replace('_', ' ')}) | {' | '.join(names)} |", "|---|" + "---|" * len(names)]
    for group in [*_kinds(reports), "overall"]:
        values = [_value(reports[n], group, metric) for n in names]
        if any(v is not None for v in values):
            n_items = _count(reports[names[0]], group, count)
            lines.append(f"| {group} ({n_items}) | " + " | ".join(_cell(v) for v in values) + " |")
    return "\n".join(lines)


def kind_table(rep: dict[str, Any]) -> str:
    """Several metrics per kind for one configuration (Markdown)."""
    cols = ("items", "pass_rate", "fact_recall", "hit_at_3", "abstention_recall", "false_abstention_rate")
    lines = ["| kind | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for kind, m in rep["by_kind"].items():
        lines.append(f"| {kind} | " + " | ".join(_cell(m.get(c)) for c in cols) + " |")
    return "\n".join(lines)


def markdown(name: str, rep: dict[str, Any]) -> str:
    """The report of one configuration: metrics, metrics per kind, and every failed item."""
    parts = [f"# Eval report: {name}", "", table({name: rep}), "", "## By kind", "", kind_table(rep), "",
             f"## Failed items ({len(rep['failures'])})", ""]
    for f in rep["failures"]:
        parts.append(f"- **{f['id']}** ({f['kind']}): {f['question']}")
        if f.get("history"):
            parts.append(f"  - after: {' / '.join(f['history'])}")
        parts.append(f"  - answer: {f['answer'][:300]}")
        if f["answerable"]:
            why = []
            if f["missing_facts"]:
                why.append(f"missing facts: {', '.join(f['missing_facts'])}")
            if not (f["first_hit"] and f["first_hit"] <= 3):
                why.append(f"no gold paragraph in the first 3 citations ({', '.join(f['gold_contexts'])})")
            if why:
                parts.append("  - " + "; ".join(why))
        else:
            parts.append("  - should have declined: the documents do not answer this")
        for c in f["citations"][:3]:
            parts.append(f"  - cited {c}")
    return "\n".join(parts) + "\n"


def summary(reports: dict[str, dict[str, Any]], items: int, seconds: dict[str, float]) -> str:
    """The side-by-side page for a whole run: overall, the charted metrics per kind, and the chart."""
    timing = ", ".join(f"{n} {s:.1f} s" for n, s in seconds.items())
    parts = [f"# Eval summary: {', '.join(reports)}", "",
             f"{items} gold items; wall time per configuration (index + all questions): {timing}.", "",
             table(reports), ""]
    for metric, title, count in PANELS:
        parts += [f"## {title}", "", kind_comparison(reports, metric, count), ""]
    parts += [f"![metrics per kind]({CHART})", ""]
    return "\n".join(parts)


def _bars(ax: Any, groups: list[str], labels: list[str], series: dict[str, list[float | None]]) -> None:
    """Grouped bars on ``ax``: one group per entry of ``groups``, one bar per series, values on top."""
    width = 0.8 / len(series)
    for j, (name, values) in enumerate(series.items()):
        xs = [i + (j - (len(series) - 1) / 2) * width for i in range(len(groups))]
        bars = ax.bar(xs, [v or 0.0 for v in values], width, label=name, color=f"C{j}")
        ax.bar_label(bars, labels=["–" if v is None else f"{v:.2f}" for v in values], fontsize=7, padding=1)
    ax.set_xticks(range(len(groups)), labels, fontsize=8)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylim(0, 1.15)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)


def chart(reports: dict[str, dict[str, Any]], path: Path) -> None:
    """Grouped bars, one bar per configuration: fact recall and hit@3 per kind, abstention recall per kind
    and the overall abstention precision and false-abstention rate."""
    # Imported here: matplotlib is the `eval` extra, and the Agg canvas needs no display.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = list(reports)
    first = reports[names[0]]
    fig = Figure(figsize=(13, 10.5), layout="constrained")
    FigureCanvasAgg(fig)
    mosaic: list[Any] = [[m, m] for m, _, _ in PANELS[:-1]] + [[PANELS[-1][0], "abstention_overall"]]
    axes = fig.subplot_mosaic(mosaic, width_ratios=[1.6, 1])
    for metric, title, count in PANELS:
        groups = [g for g in [*_kinds(reports), "overall"]
                  if any(_value(reports[n], g, metric) is not None for n in names)]
        labels = [f"{g}\n({_count(first, g, count)})" for g in groups]
        _bars(axes[metric], groups, labels, {n: [_value(reports[n], g, metric) for g in groups] for n in names})
        axes[metric].set_title(title, fontsize=10, loc="left")
    ax = axes["abstention_overall"]
    _bars(ax, [m for m, _ in ABSTENTION], [label for _, label in ABSTENTION],
          {n: [_value(reports[n], "overall", m) for m, _ in ABSTENTION] for n in names})
    ax.set_title("Abstention overall ('–': never abstained)", fontsize=10, loc="left")
    fig.legend(*axes[PANELS[0][0]].get_legend_handles_labels(), loc="outside upper right", ncols=len(names),
               fontsize=9, frameon=False)
    fig.suptitle("Eval metrics per kind and configuration (in brackets: the items each bar is computed over)",
                 fontsize=11, x=0.01, ha="left")
    fig.savefig(path, dpi=100, metadata={"Software": None})


def _check(args: argparse.Namespace, configs: list[str]) -> None:
    for name in configs:
        if name not in CONFIGS:
            raise ConfigError(f"unknown configuration {name!r}; choose from {', '.join(CONFIGS)}")
    if not Path(args.gold).is_file():
        raise ConfigError(f"no gold set at {args.gold}; run from the project folder or pass --gold FILE")
    if not Path(args.corpus).is_dir():
        raise ConfigError(f"no corpus folder at {args.corpus}; run from the project folder or pass --corpus DIR")
    if "baseline" in configs and importlib.util.find_spec("langchain_text_splitters") is None:
        raise ConfigError("the baseline configuration needs the baseline extra: pip install -e '.[baseline]'")


def main(args: argparse.Namespace) -> int:
    configs = list(dict.fromkeys(args.configs or ["default"]))
    _check(args, configs)
    items = load_gold(args.gold)
    quiet = bool(getattr(args, "quiet", False))
    if getattr(args, "sample", None) and args.sample < len(items):
        step = len(items) / args.sample  # evenly spread, so every kind of item is in it
        items = [items[int(i * step)] for i in range(args.sample)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    reports: dict[str, dict[str, Any]] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as tmp:
        for name in configs:
            started = time.perf_counter()
            bar = Progress(name, sys.stderr, enabled=not quiet and sys.stderr.isatty())
            reports[name] = evaluate_config(name, items, args.corpus, Path(tmp), bar)
            seconds[name] = time.perf_counter() - started
            if not quiet:
                print(f"{name}: {len(items)} items in {seconds[name]:.1f} s", file=sys.stderr)
            (out / f"{name}.json").write_text(json.dumps(reports[name], indent=2, ensure_ascii=False) + "\n")
            (out / f"{name}.md").write_text(markdown(name, reports[name]))
    (out / SUMMARY).write_text(summary(reports, len(items), seconds))
    if importlib.util.find_spec("matplotlib") is not None:
        chart(reports, out / CHART)
    else:
        print("chart skipped: matplotlib is not installed (pip install -e '.[eval]')", file=sys.stderr)
    if args.json:
        print(json.dumps({n: r["overall"] for n, r in reports.items()}, indent=2))
        return 0
    print(table(reports))
    print("\npass rate by kind:\n")
    print(kind_comparison(reports, "pass_rate"))
    print()
    for name, rep in reports.items():
        print(f"{name}: {len(rep['failures'])} of {len(items)} items failed; see {out / (name + '.md')}")
    print(f"side by side: {out / SUMMARY}; chart: {out / CHART}")
    return 0
