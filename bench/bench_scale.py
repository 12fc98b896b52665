"""Scale benchmark (part of `make bench`): growth, start-up and load on the web app.

    python bench/bench_scale.py                       # sizes 1000,5000 ingested, 100000 built by reuse
    python bench/bench_scale.py --sizes 1000 --reuse-sizes '' --load-seconds 3   # a quick look

* Growth: for each size, bot and the LangChain tutorial pipeline (bot/baseline.py) each
  build an index in a subprocess (ingest throughput, peak memory while building, size on
  disk), then a second subprocess opens it and asks the planted-fact questions (first
  answer, which loads the index; warm p50/p95; hit@3; peak memory while serving).
* Sizes in ``--reuse-sizes`` are built without running the model per paragraph: every
  distinct sentence of the corpus is embedded once and its vector reused (the corpus is
  made of recombined sentences). bot's index is then the same one ingest would write
  (same code path, vectors looked up instead of computed); the tutorial's 1000-character
  windows cut across sentences, so its vectors there are approximated by the mean of the
  vectors of the sentences they hold. No ingest throughput is reported for these sizes.
* Start-up: a new `bot ask` process; `bot serve` until it answers its first POST /api/ask.
* Load: bench/loadgen.py in its own process against `bot serve` at several concurrencies.

Raw numbers go to docs/benchmarks/scale.json, the chart to docs/benchmarks/scale.png.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import load_facts, write_corpus  # noqa: E402

from bot.eval_runner import Progress  # noqa: E402

OUT = ROOT / "docs" / "benchmarks"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process image, unlike
    getrusage's ru_maxrss, which a child started by fork+exec inherits from its parent."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- workers (each run in its own process, so peak memory is per size) -------------------

class ReusingEmbedder:
    """Looks vectors up in a table of every distinct sentence's vector; a text that is
    not a known sentence (a tutorial window) gets the normalised mean of the known
    sentences in it, or a real embedding when it holds none."""

    def __init__(self, real: Any, table: dict[str, Any]) -> None:
        self.real, self.table = real, table

    def embed_batch(self, texts: Any) -> Any:
        import numpy as np

        from bot.chunk import split_sentences

        out = np.empty((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            vector = self.table.get(text)
            if vector is None:
                parts = [self.table[p] for a, b in split_sentences(text) if (p := text[a:b]) in self.table]
                vector = np.mean(parts, axis=0) if parts else self.real.embed_batch([text])[0]
                vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
            out[i] = vector
        return out

    # LangChain's Embeddings interface, for the tutorial pipeline's Chroma
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_batch(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_batch([text])[0].tolist()  # type: ignore[no-any-return]


def sentence_table(corpus: Path, real: Any) -> dict[str, Any]:
    """Every distinct sentence of the corpus (as ingest splits it), embedded once (and
    kept beside the corpus for the next system built from it)."""
    import numpy as np

    from bot.chunk import chunk_document, split_sentences

    cache = corpus.parent / "sentence-vectors.npz"
    if cache.exists():
        saved = np.load(cache)
        return dict(zip(saved["texts"].tolist(), saved["vectors"]))

    distinct: dict[str, None] = {}
    for path in sorted(corpus.glob("*.txt")):
        for c in chunk_document(path.name, path.read_text(encoding="utf-8"))[1]:
            for a, b in split_sentences(c.text) or [(0, len(c.text))]:
                distinct.setdefault(c.text[a:b])
    texts = list(distinct)
    bar = Progress("embed", sys.stderr, True)
    vectors = []
    step = 512
    for lo in range(0, len(texts), step):
        vectors.extend(real.embed_batch(texts[lo:lo + step]))
        bar(min(lo + step, len(texts)), len(texts))
    np.savez(cache, texts=np.array(texts), vectors=np.array(vectors))
    return dict(zip(texts, vectors))


def worker_build(system: str, corpus: Path, index: Path, paragraphs: int, reuse: bool) -> dict[str, Any]:
    from bot import Bot, Settings
    from bot.baseline import TutorialPipeline
    from bot.embed import MiniLMEmbedder

    real = MiniLMEmbedder()
    real.embed_batch(["warm up"])
    result: dict[str, Any] = {}
    embedder: Any = real
    if reuse:
        started = time.perf_counter()
        embedder = ReusingEmbedder(real, sentence_table(corpus, real))
        result["distinct_sentences"] = len(embedder.table)
        result["embed_distinct_s"] = time.perf_counter() - started
    files = sorted(corpus.glob("*.txt"))
    bar = Progress("build", sys.stderr, True)
    started = time.perf_counter()
    if system == "bot":
        bot = Bot(Settings(data_dir=index, chroma_host=None))
        bot.store.embedder = embedder  # ingest's only model call goes through store.embedder
        report = bot.ingest([corpus], progress=lambda _s, n, total: bar(n - 1, total))
        assert report.ok and report.paragraphs == paragraphs, report.to_dict()
        result["chunks"] = bot.store.chunks.count()
        result["sentences"] = bot.store.sentences.count()
        bot.close()
    else:
        tutorial = TutorialPipeline(index, real)
        tutorial.store._embedding_function = embedder  # the same Chroma, vectors from the table
        step = 20
        chunks = 0
        for lo in range(0, len(files), step):
            chunks += tutorial.ingest(files[lo:lo + step])
            bar(min(lo + step, len(files)), len(files))
        result["chunks"] = chunks
    seconds = time.perf_counter() - started
    bar(len(files), len(files))
    result["build_s"] = seconds
    if not reuse:
        result["ingest_paragraphs_per_s"] = paragraphs / seconds
    result["build_peak_rss_mb"] = peak_rss_mb()
    return result


def worker_query(system: str, index: Path, facts_file: Path, rounds: int) -> dict[str, Any]:
    from bot import Bot, Settings
    from bot.baseline import TutorialPipeline
    from bot.embed import MiniLMEmbedder

    facts = load_facts(facts_file)
    ask: Any
    if system == "bot":
        bot = Bot(Settings(data_dir=index, chroma_host=None))

        def ask(q: str) -> list[str]:
            bot.ask(q)
            return [h.text for h in bot.retrieve(q).hits[:3]]

        def timed_ask(q: str) -> None:
            bot.ask(q)
    else:
        tutorial = TutorialPipeline(index, MiniLMEmbedder())

        def ask(q: str) -> list[str]:
            return [c.quote for c in tutorial.ask(q).citations[:3]]

        def timed_ask(q: str) -> None:
            tutorial.ask(q)
    started = time.perf_counter()
    timed_ask(facts[0].question)  # opens the index (bot: loads the lexical index)
    result: dict[str, Any] = {"first_query_s": time.perf_counter() - started}
    hits = sum(any(f.sentence in text for text in ask(f.question)) for f in facts)
    result["hit_at_3"] = hits / len(facts)
    if system == "bot":
        result["answer_has_value"] = sum(f.value in bot.ask(f.question).answer for f in facts) / len(facts)
    times = []
    for _ in range(rounds):
        for f in facts:
            t = time.perf_counter()
            timed_ask(f.question)
            times.append(time.perf_counter() - t)
    result["query_p50_ms"] = percentile(times, 0.5) * 1000
    result["query_p95_ms"] = percentile(times, 0.95) * 1000
    result["queries"] = len(times)
    result["serve_peak_rss_mb"] = peak_rss_mb()
    return result


def worker_first(index: Path, facts_file: Path) -> dict[str, Any]:
    """Seconds to the first answer of a bot just opened in a new process (as
    ``first_query_s``: the model and the store are open, the lexical index is not)."""
    from bot import Bot, Settings

    bot = Bot(Settings(data_dir=index, chroma_host=None))
    question = load_facts(facts_file)[0].question
    started = time.perf_counter()
    bot.ask(question)
    return {"first_s": time.perf_counter() - started}


# -- the driver --------------------------------------------------------------------------

def run_worker(*args: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--worker", *args], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True, env=_env())
    if proc.returncode != 0:
        raise SystemExit(f"worker {args} failed with exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "CHROMA_", "OPENAI_"))}
    return env | extra


def growth(sizes: list[int], reuse_sizes: set[int], tmp: Path, rounds: int) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        corpus = tmp / f"corpus-{size}" / "docs"
        log(f"== {size} paragraphs ({'vectors reused' if size in reuse_sizes else 'ingested'})")
        write_corpus(corpus, size)
        facts = corpus.parent / "facts.json"
        for system in ("bot", "tutorial"):
            index = tmp / f"index-{system}-{size}"
            row: dict[str, Any] = {"system": system, "paragraphs": size, "built_by": "reuse" if size in reuse_sizes
                                   else "ingest"}
            row |= run_worker("build", system, str(corpus), str(index), str(size),
                              "reuse" if size in reuse_sizes else "ingest")
            row["disk_mb"] = disk_mb(index)
            row |= run_worker("query", system, str(index), str(facts), str(rounds))
            if system == "bot":  # a second new process: the lexical index now comes from its snapshot
                row["first_query_from_snapshot_s"] = run_worker("first", system, str(index), str(facts))["first_s"]
            log(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}))
            rows.append(row)
            shutil.rmtree(index)
        shutil.rmtree(corpus.parent)
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post_json(url: str, body: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def start_serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """`bot serve` on a free port; returns the process, its URL and the seconds until it
    answered its first POST /api/ask."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=ROOT,
                            env=_env(BOT_DATA_DIR=str(data_dir)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"bot serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                break
        except (urllib.error.URLError, OSError):
            if time.perf_counter() - started > 120:
                proc.kill()
                raise SystemExit("bot serve did not answer /healthz within 120 s") from None
            time.sleep(0.05)
    answer = post_json(url + "/api/ask", {"question": "Which forum will China hold in Chongqing?"})
    assert answer["answered"], answer
    return proc, url, time.perf_counter() - started


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def startup_and_load(tmp: Path, levels: str, seconds: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from bot import Bot, Settings

    data = tmp / "seeds-index"
    with Bot(Settings(data_dir=data, chroma_host=None)) as bot:
        bot.ingest([ROOT / "seeds"])
    start: dict[str, Any] = {}
    asks = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot.cli", "ask", "Which forum will China hold in Chongqing?"],
                       cwd=ROOT, env=_env(BOT_DATA_DIR=str(data)), check=True, capture_output=True)
        asks.append(time.perf_counter() - t)
    start["bot_ask_new_process_s"] = statistics.median(asks)
    serves = []
    for n in range(3):
        proc, url, took = start_serve(data)
        serves.append(took)
        if n < 2:
            stop(proc)
    start["bot_serve_first_answer_s"] = statistics.median(serves)
    log(json.dumps(start))
    try:
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "loadgen.py"), url, "--route", "ask",
                              "--concurrency", levels, "--seconds", str(seconds)],
                             cwd=ROOT, env=_env(), check=True, stdout=subprocess.PIPE, text=True)
        load = json.loads(out.stdout)
    finally:
        stop(proc)
    # The Slack events route: bench/slack_load.py (run by `make bench` after this script).
    return start, load


def chart(rows: list[dict[str, Any]], load: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    panels = [("query_p50_ms", "warm query p50 (ms)"), ("disk_mb", "index on disk (MB)"),
              ("serve_peak_rss_mb", "peak memory while serving (MB)")]
    for ax, (key, title) in zip(axes.flat, panels):
        for system, style in (("bot", "o-"), ("tutorial", "s--")):
            points = [(r["paragraphs"], r[key]) for r in rows if r["system"] == system]
            ax.plot(*zip(*points), style, label="bot" if system == "bot" else "LangChain tutorial")
        ax.set_xscale("log")
        ax.set_xlabel("paragraphs")
        ax.set_title(title)
        ax.legend()
        ax.grid(alpha=0.3)
    ax = axes.flat[3]
    if load:
        c = [r["concurrency"] for r in load]
        ax.plot(c, [r["throughput_rps"] for r in load], "o-", color="tab:blue", label="requests/s")
        ax.set_ylabel("requests/s")
        twin = ax.twinx()
        twin.plot(c, [r["p99_ms"] for r in load], "s--", color="tab:red", label="p99 ms")
        twin.plot(c, [r["p50_ms"] for r in load], "^:", color="tab:orange", label="p50 ms")
        twin.set_ylabel("latency (ms)")
        ax.legend(loc="upper left")
        twin.legend(loc="lower right")
        ax.set_xscale("log", base=2)
    ax.set_xlabel("concurrent clients")
    ax.set_title("POST /api/ask under load (seeds index)")
    fig.suptitle("bot at scale (2 cores); 100k index built from reused sentence vectors")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def table(rows: list[dict[str, Any]]) -> str:
    def f(v: Any, digits: int = 1) -> str:
        return "–" if v is None else f"{v:.{digits}f}" if isinstance(v, float) else str(v)

    lines = ["| paragraphs | system | built by | ingest ¶/s | disk MB | build peak MB | serve peak MB | "
             "first query s | same, from snapshot | p50 ms | p95 ms | hit@3 |", "|" + "---|" * 12]
    for r in rows:
        lines.append(f"| {r['paragraphs']} | {r['system']} | {r['built_by']} | "
                     f"{f(r.get('ingest_paragraphs_per_s'))} | {f(r['disk_mb'])} | {f(r['build_peak_rss_mb'], 0)} | "
                     f"{f(r['serve_peak_rss_mb'], 0)} | {f(r['first_query_s'], 2)} | "
                     f"{f(r.get('first_query_from_snapshot_s'), 2)} | {f(r['query_p50_ms'])} | "
                     f"{f(r['query_p95_ms'])} | {f(r['hit_at_3'], 2)} |")
    return "\n".join(lines)


def ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for size in sorted({r["paragraphs"] for r in rows}):
        b = next(r for r in rows if r["paragraphs"] == size and r["system"] == "bot")
        t = next(r for r in rows if r["paragraphs"] == size and r["system"] == "tutorial")
        ratio = {"paragraphs": size}
        for key in ("ingest_paragraphs_per_s", "disk_mb", "serve_peak_rss_mb", "query_p50_ms", "query_p95_ms"):
            if b.get(key) and t.get(key):
                ratio[key] = b[key] / t[key]
        out.append(ratio)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in paragraphs")
    parser.add_argument("--reuse-sizes", default="100000",
                        help="sizes built by reusing sentence vectors (no ingest throughput)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the 30 questions per size")
    parser.add_argument("--concurrency", default="1,4,16,32")
    parser.add_argument("--load-seconds", type=float, default=10.0)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        if kind == "build":
            system, corpus, index, paragraphs, how = rest
            result = worker_build(system, Path(corpus), Path(index), int(paragraphs), how == "reuse")
        elif kind == "first":
            system, index, facts = rest
            result = worker_first(Path(index), Path(facts))
        else:
            system, index, facts, rounds = rest
            result = worker_query(system, Path(index), Path(facts), int(rounds))
        print(json.dumps(result))
        return 0

    began = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    reuse = {int(s) for s in args.reuse_sizes.split(",") if s}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bot-scale-") as tmp_name:
        tmp = Path(tmp_name)
        start, load = startup_and_load(tmp, args.concurrency, args.load_seconds)
        rows = growth(sizes, reuse, tmp, args.rounds)
    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform,
                    "load_average_at_end": os.getloadavg()},
        "growth": rows, "ratios_bot_over_tutorial": ratios(rows), "startup": start, "load": load,
        "not_measured": {"slack_events_load": "measured by bench/slack_load.py (bench/results/slack_load.json)"},
        "total_s": time.perf_counter() - began,
    }
    (out / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    chart(rows, load, out / "scale.png")
    print(table(rows))
    print()
    print("| concurrency | requests | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|")
    for r in load:
        print(f"| {r['concurrency']} | {r['requests']} | {r['throughput_rps']:.1f} | {r['p50_ms']:.1f} | "
              f"{r['p99_ms']:.1f} | {r['errors']} |")
    print()
    print(json.dumps(start))
    log(f"total {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
