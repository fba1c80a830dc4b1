#!/usr/bin/env python3
"""Writes tests/eval/llm-subset.jsonl, the fixed labelled subset `make eval-llm` measures, and
tests/eval/llm-dev.jsonl, the lines prompt choices are tried on first (so the subset is not
tuned on).

The rule (also in tests/eval/README.md): for each of the eight held-out files heldout.jsonl,
heldout2.jsonl … heldout8.jsonl, in that order, and each of the eight labelled intents, in the
order below, the first line labelled with that one intent in that file (a line labelled with a
plan of several calls, or of none, is no one intent's): 64 lines, 8 per intent. Lines are copied byte for byte. The rule looks only
at file order and labels, never at what a router or model answers, so the subset cannot be
tilted towards what some model gets right. Run it again to check the committed file:
`python3 tests/llm/make_subset.py --check`.

The dev set: from tests/eval/utterances.jsonl (the development set, no held-out line), the lines
not in the subset, grouped by intent in name order, 6 per intent drawn by random.Random(15):
42 lines (teardown and disable-autoscaling have no line there).
"""
import collections
import json
import random
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent / "eval"
FILES = ["heldout.jsonl"] + [f"heldout{n}.jsonl" for n in range(2, 9)]
# Every intent the labelled sets carry. disable-autoscaling has no single-utterance label in
# any set (it appears only in the conversation sets), so it cannot be copied; see the README.
INTENTS = ["find-cheapest", "modify-ec2", "modify-asg", "enable-autoscaling", "show-config", "deploy", "teardown", "out-of-scope"]


def single_intent(row):
    """The one intent a line is labelled with; None for a plan of several calls or of none
    (a bare "ok" with nothing asked), which no single call can match."""
    if "calls" in row:
        return row["calls"][0]["intent"] if len(row["calls"]) == 1 else None
    return row["intent"]


def subset():
    lines = []
    for name in FILES:
        first = {}
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            intent = single_intent(json.loads(line))
            if intent:
                first.setdefault(intent, line)
        missing = [i for i in INTENTS if i not in first]
        if missing:
            sys.exit(f"{name} has no line for {', '.join(missing)}; the rule needs one per intent")
        lines += [first[i] for i in INTENTS]
    return "".join(line + "\n" for line in lines)


def dev(subset_text):
    taken = {json.loads(line)["text"] for line in subset_text.splitlines()}
    by_intent = collections.defaultdict(list)
    for line in (EVAL / "utterances.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if row and row["text"] not in taken and single_intent(row):
            by_intent[single_intent(row)].append(row)
    rng = random.Random(15)
    rows = [row for intent in sorted(by_intent) for row in rng.sample(by_intent[intent], min(6, len(by_intent[intent])))]
    return "".join(json.dumps(row) + "\n" for row in rows)


if __name__ == "__main__":
    text = subset()
    for out, want in ((EVAL / "llm-subset.jsonl", text), (EVAL / "llm-dev.jsonl", dev(text))):
        if "--check" in sys.argv[1:]:
            if out.read_text(encoding="utf-8") != want:
                sys.exit(f"{out} does not follow the rule; rerun {sys.argv[0]} without --check")
            print(f"{out}: follows the rule")
        else:
            out.write_text(want, encoding="utf-8")
            print(f"wrote {out}: {want.count(chr(10))} lines")
