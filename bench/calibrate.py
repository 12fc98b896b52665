"""Sweep the abstention threshold (BOT_MIN_SUPPORT) over the gold set.

For each threshold: how many answerable questions are answered with all their facts,
how many are wrongly abstained on, and how many unanswerable ones are abstained on.
The default is the highest threshold that keeps wrong abstentions at or under 2%: well
inside the 5% target, leaving margin for questions the gold set does not have, since
every step past it costs answers for little gain in abstention.

    python bench/calibrate.py [--gold evals/gold/seeds.jsonl]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import Bot, Settings  # noqa: E402
from bot.evaluate import ParagraphOracle, load_gold, metrics, run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", default=str(ROOT / "evals" / "gold" / "seeds.jsonl"))
    parser.add_argument("--max-false-abstention", type=float, default=0.02)
    args = parser.parse_args()
    items = load_gold(args.gold)
    oracle = ParagraphOracle(ROOT / "seeds")
    with tempfile.TemporaryDirectory(prefix="bot-calibrate-") as tmp:
        bot = Bot(Settings(data_dir=Path(tmp)))
        bot.ingest([ROOT / "seeds"])
        print("| min_support | fact_recall | false_abstention | abstention_recall | abstention_precision |")
        print("|---|---|---|---|---|")
        chosen = None
        for step in range(10, 62, 4):
            threshold = step / 100
            bot.answerer.min_support = threshold
            m = metrics(run(bot.ask, items, oracle))
            print(f"| {threshold:.2f} | {m['fact_recall']} | {m['false_abstention_rate']} | "
                  f"{m['abstention_recall']} | {m['abstention_precision']} |")
            wrong = m["false_abstention_rate"]
            if wrong is not None and wrong <= args.max_false_abstention + 1e-9:
                chosen = threshold
    print(f"\nhighest threshold with false abstention at or under {args.max_false_abstention:.0%}: {chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
