"""Share of clean code a corpus filter drops: the pinned clean packages of bench.clean_code as one JSONL shard
(one record per source file, repo = package), through `codescan filter` with any extra options.

    python -m bench.filter_clean                                  # default policy
    python -m bench.filter_clean -- --drop-on high                # findings only
    python -m bench.filter_clean --scores -- --campaign-min-score 0   # every campaign's score, for choosing a threshold

The shard is built the way bench.eval_clean builds it, so the figures match its `filter_dropped_share`.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import clean_code  # noqa: E402
from bench import corpus as corpora  # noqa: E402

SOURCE = (".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx")


def build_shard(shard: Path, quick: bool) -> int:
    """One record per source file of the pinned packages; returns the record count."""
    packages, _ = clean_code.fetch_all(quick)
    n = 0
    with open(shard, "w", encoding="utf-8") as fh:
        for pin, folder in packages:
            for path in corpora.collect(folder).files:
                if path.suffix not in SOURCE or ".min." in path.name:
                    continue
                rel = f"{pin.ecosystem}/{pin.key}/{path.relative_to(folder).as_posix()}"
                text = path.read_text(encoding="utf-8", errors="replace")
                fh.write(json.dumps({"id": rel, "path": rel, "repo": f"{pin.ecosystem}/{pin.key}",
                                     "content": text}) + "\n")
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the quick subset of packages")
    ap.add_argument("--scores", action="store_true", help="print every campaign's score, findings and spread")
    ap.add_argument("extra", nargs="*", help="options passed to `codescan filter` (after --)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="codescan-filter-clean-") as tmp:
        shard = Path(tmp) / "clean.jsonl"
        records = build_shard(shard, args.quick)
        out = Path(tmp) / "out"
        cmd = [sys.executable, "-m", "codescan", "filter", str(shard), "-o", str(out), "--path-field", "path",
               "--repo-field", "repo", "--no-progress", *args.extra]
        t0 = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        report = json.loads((out / "drop-report.json").read_text())
    summary = report["summary"]
    campaign_drops = sum(1 for d in report["dropped"] if any(r["kind"] == "campaign" for r in d["reasons"]))
    only_campaign = sum(1 for d in report["dropped"] if all(r["kind"] == "campaign" or r.get("below_policy")
                                                            for r in d["reasons"]))
    print(json.dumps({"records": records, "dropped": summary["dropped"],
                      "dropped_share": round(summary["dropped"] / records, 4) if records else None,
                      "dropped_with_campaign_reason": campaign_drops, "dropped_only_by_campaign": only_campaign,
                      "dropped_by_reason": summary["dropped_by_reason"], "campaigns": summary["campaigns"],
                      "wall_s": round(wall, 1), "options": args.extra}, indent=1))
    if args.scores:
        kinds = Counter()
        for c in report["campaigns"]:
            kinds[c.get("kind")] += 1
            print(f"{c['score']:5.1f} {c.get('kind', '?'):8} repos={len(c['repos']):2} members={len(c['members']):3} "
                  f"findings={len(c['findings']):2} {c.get('name') or ''} {c['members'][0]['path']}")
        print(dict(kinds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
