"""Core benchmark: `make bench`. Times bot beside the LangChain tutorial pipeline, same run.

Prints a Markdown table and writes the raw numbers to bench/results/core.json. Figures
are also given as ratios to a baseline measured in the same run, because these machines
are noisy.

    python bench/bench_core.py [--paragraphs 600]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import Bot, Settings  # noqa: E402
from bot.baseline import TutorialPipeline  # noqa: E402
from bot.chunk import split_paragraphs, split_sentences  # noqa: E402
from bot.evaluate import load_gold  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def synthetic_corpus(folder: Path, paragraphs: int, seed: int = 7) -> int:
    """Deterministic documents made by recombining the seeds' sentences."""
    sentences = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for p in split_paragraphs(text):
            sentences += [p.text[a:b] for a, b in split_sentences(p.text)]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_doc = 50
    for d in range(0, paragraphs, per_doc):
        count = min(per_doc, paragraphs - d)
        body = "\n\n".join(" ".join(rng.sample(sentences, rng.randint(2, 5))) for _ in range(count))
        (folder / f"doc{d // per_doc:04d}.txt").write_text(body + "\n", encoding="utf-8")
    return paragraphs


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def cold_start(args: list[str], env_dir: Path, repeat: int = 3) -> float:
    env = dict(os.environ, BOT_DATA_DIR=str(env_dir))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=600, help="size of the synthetic ingest corpus")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "core.json"))
    args = parser.parse_args()
    questions = [i.user_input for i in load_gold(ROOT / "evals" / "gold" / "seeds.jsonl") if not i.history]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as tmp_name:
        tmp = Path(tmp_name)
        # -- ingest throughput on a synthetic corpus ---------------------------------------
        corpus = tmp / "corpus"
        n = synthetic_corpus(corpus, args.paragraphs)
        bot = Bot(Settings(data_dir=tmp / "bot-synthetic"))
        bot.embedder.embed_batch(["warm up"])
        report = bot.ingest([corpus])
        results["ingest_paragraphs_per_s"] = n / report.seconds
        again = bot.ingest([corpus])
        results["reingest_unchanged_s"] = again.seconds
        tutorial = TutorialPipeline(tmp / "tutorial-synthetic", bot.embedder)
        started = time.perf_counter()
        tutorial.ingest([corpus])
        results["tutorial_ingest_paragraphs_per_s"] = n / (time.perf_counter() - started)

        # -- warm ask() on the seeds ---------------------------------------------------------
        seeded = Bot(Settings(data_dir=tmp / "bot-seeds"))
        seeded.ingest([ROOT / "seeds"])
        seeded.ask(questions[0])
        ask_times = [t for q in questions for t in timed(lambda q=q: seeded.ask(q), 1)]
        results["ask_p50_ms"] = percentile(ask_times, 0.5) * 1000
        results["ask_p95_ms"] = percentile(ask_times, 0.95) * 1000
        base = TutorialPipeline(tmp / "tutorial-seeds", seeded.embedder)
        base.ingest([ROOT / "seeds"])
        base_times = [t for q in questions for t in timed(lambda q=q: base.ask(q), 1)]
        results["tutorial_ask_p50_ms"] = percentile(base_times, 0.5) * 1000
        embed_times = [t for q in questions for t in timed(lambda q=q: seeded.embedder.embed_batch([q]), 1)]
        results["embed_query_p50_ms"] = percentile(embed_times, 0.5) * 1000

        # -- LangChain's cost: the chain against the direct call, and its import ----------------
        from bot.chain import build_chain

        chain = build_chain(seeded)
        chain_times = [t for q in questions for t in timed(lambda q=q: chain.invoke({"question": q}), 1)]
        results["chain_ask_p50_ms"] = percentile(chain_times, 0.5) * 1000
        py = sys.executable
        results["import_langchain_retrievers_s"] = cold_start(
            [py, "-c", "import langchain_core.retrievers"], tmp) - cold_start([py, "-c", "pass"], tmp)

        # -- a new process answering one question --------------------------------------------
        bot_cli = [py, "-m", "bot.cli", "ask", "Which forum will China hold in Chongqing?"]
        results["cold_bot_ask_s"] = cold_start(bot_cli, tmp / "bot-seeds")
        results["cold_python_import_chromadb_s"] = cold_start([py, "-c", "import chromadb"], tmp)

    results["ask_vs_tutorial_ratio"] = results["ask_p50_ms"] / results["tutorial_ask_p50_ms"]
    results["ingest_vs_tutorial_ratio"] = (
        results["ingest_paragraphs_per_s"] / results["tutorial_ingest_paragraphs_per_s"])
    results["chain_overhead_ms"] = results["chain_ask_p50_ms"] - results["ask_p50_ms"]
    results = {k: round(v, 4) for k, v in results.items()}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print("| measure | value |\n|---|---|")
    for k, v in results.items():
        print(f"| {k} | {v:g} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
