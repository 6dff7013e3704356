"""Campaign harness: planted functions (bench.plant_campaigns) found with all their copies at default settings?

    python -m bench.eval_campaigns [--seed 11] [--keep DIR] [--timeout S]

Generates the harness, then runs the installed codescan twice at default settings: `codescan crawl` +
`codescan campaigns --state S --format json`, and `codescan campaigns PATH --format json`. For each planted
campaign it prints how many of its copies one reported campaign holds and that campaign's score; for each
shared-code decoy (vendored module with findings, licence header, setup.py, generated module, forks) the
highest score of a campaign holding it; and the highest score of any campaign holding no planted copy.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import plant_campaigns, tools  # noqa: E402
from bench.eval_planted import completeness  # noqa: E402
from bench.runner import measure  # noqa: E402


def _run(argv: list[str], out: Path, timeout: float) -> tuple[list[dict] | None, str]:
    run = measure(argv, timeout=timeout, use_gnu_time=False)
    if not out.exists():
        return None, f"exit {run.rc}: {run.stderr_tail[-200:]}"
    return json.loads(out.read_text())["campaigns"], f"{run.wall:.1f} s"


def judge(reported: list[dict], truth: dict, mark: float) -> dict:
    out = completeness(reported, truth, mark)
    decoys = {}
    for label, places in truth.get("decoys", {}).items():
        places = {tuple(p) for p in places}
        scores = [float(c["score"]) for c in reported if {(m["repo"], m["path"]) for m in c["members"]} & places]
        decoys[label] = max(scores, default=None)
    out["decoys"] = decoys
    return out


def evaluate(root: Path, timeout: float, seed: int = 11) -> dict:
    """Both ways of running campaigns over a fresh harness under root."""
    from codescan.cluster.score import PLANTED

    cmd = tools.codescan()
    truth = plant_campaigns.generate(root / "repos", seed=seed)
    state, modes = root / "state.db", {}
    crawl = measure([*cmd, "crawl", str(root / "repos"), "--state", str(state), "--no-progress"], timeout=timeout,
                    use_gnu_time=False)
    runs = {"crawl + campaigns --state": [*cmd, "campaigns", "--state", str(state), "--format", "json"],
            "campaigns PATH": [*cmd, "campaigns", str(root / "repos"), "--format", "json", "--no-progress"]}
    for how, argv in runs.items():
        out = root / f"{len(modes)}.json"
        reported, note = _run([*argv, "-o", str(out)], out, timeout)
        modes[how] = {"note": note + (f"; crawl exit {crawl.rc}" if "state" in how else "")}
        if reported is not None:
            modes[how].update(judge(reported, truth, PLANTED))
    return {"mark": PLANTED, "repos": len(truth["repos"]), "copies": len(truth["plants"]),
            "campaigns": len(truth["campaigns"]), "npm_hosts": truth["npm_hosts"], "modes": modes}


def text(result: dict) -> str:
    lines = [f"campaign harness: {result['repos']} repositories, {result['campaigns']} planted campaigns, "
             f"{result['copies']} copies ({result['npm_hosts']} npm host files); mark {result['mark']:g}"]
    for how, r in result["modes"].items():
        if "campaigns" not in r:
            lines.append(f"  {how}: failed ({r['note']})")
            continue
        lines.append(f"  {how} ({r['note']}): {r['complete']}/{len(r['campaigns'])} campaigns with all copies, "
                     f"{r['complete_flagged']} of them at or above the mark; highest campaign without a planted "
                     f"copy {r['shared_max']:g} ({r['shared_flagged']} at or above the mark)")
        for c in r["campaigns"]:
            lines.append(f"    {c['id']}: {c['found']}/{c['copies']} copies, score {c['score']:g}")
        lines.append("    decoys: " + ", ".join(f"{k} {v if v is not None else '-'}" for k, v in r["decoys"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="generate into this (new) folder and keep it")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    if tools.codescan() is None:
        parser.error("codescan is not installed (pip install -e .)")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
        result = evaluate(args.keep, args.timeout, args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="codescan-eval-campaigns-") as tmp:
            result = evaluate(Path(tmp), args.timeout, args.seed)
    print(text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
