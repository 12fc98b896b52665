"""The quality gate: the offline default configuration must keep its scores."""

from __future__ import annotations

import tomllib

from bot import Bot
from bot.evaluate import ParagraphOracle, load_gold, report, run
from tests.conftest import ROOT, SEEDS


def test_default_configuration_meets_the_thresholds(seeded_bot: Bot) -> None:
    limits = tomllib.loads((ROOT / "evals" / "thresholds.toml").read_text())["default"]
    results = run(seeded_bot.ask, load_gold(ROOT / "evals" / "gold" / "seeds.jsonl"), ParagraphOracle(SEEDS))
    rep = report(results)
    overall = rep["overall"]
    problems = []
    for name, limit in limits.items():
        if name.startswith("max_"):
            value = overall[name[4:]]
            if value > limit:
                problems.append(f"{name[4:]} = {value} > {limit}")
        elif overall[name] < limit:
            problems.append(f"{name} = {overall[name]} < {limit}")
    failed = "\n".join(f"  {f['id']} ({f['kind']}): {f['question']} -> {f['answer'][:120]}" for f in rep["failures"])
    assert not problems, "eval gate failed: " + "; ".join(problems) + "\nfailed items:\n" + failed
