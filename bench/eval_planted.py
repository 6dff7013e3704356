"""Planted-poison evaluation: generate repositories (bench.plant), scan them, score payloads and campaigns.

Payload recall: a planted snippet counts as found when a finding overlaps its lines (any severity /
high+); category accuracy checks the found ones. False positives: files nobody planted into that get
a finding. Campaign detection runs only when codescan has the verb: `codescan campaigns ROOT --format
json` groups findings into campaigns; a planted campaign is detected when one reported campaign holds
planted copies from at least two of its repositories, and a reported campaign holding no planted
copy is a false campaign. With `codescan crawl`, the repositories are also crawled into a state file
and campaigns are read from it.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from bench import eval_peers as peers
from bench import plant, tools
from bench.eval_score import FindingIndex
from bench.eval_truth import Summary
from bench.runner import measure


def verbs() -> set[str]:
    """The verbs the installed codescan offers (from `codescan --help`)."""
    cmd = tools.codescan()
    if cmd is None:
        return set()
    out = subprocess.run([*cmd, "--help"], capture_output=True, text=True, timeout=120).stdout
    names = {"scan", "crawl", "findings", "campaigns", "filter", "verify", "report", "mirror", "rules"}
    return {w for line in out.splitlines() for w in line.split()[:1] if w in names}


def _overlap(f: dict, p: dict) -> bool:
    return f["line"] <= p["end_line"] and max(f.get("end_line") or f["line"], f["line"]) >= p["line"]


def score(set_name: str, run: peers.ToolRun, truth: dict) -> Summary:
    index = FindingIndex(run.findings)
    planted_files = {f"{p['repo']}/{p['path']}" for p in truth["plants"]}
    hit_any = hit_high = cat_total = cat_right = 0
    for p in truth["plants"]:
        found = [f for f in index.findings_at(f"{p['repo']}/{p['path']}") if _overlap(f, p)]
        high = [f for f in found if f["severity"] in ("high", "critical")]
        hit_any += bool(found)
        hit_high += bool(high)
        if found:
            cat_total += 1
            cat_right += any({f.get("category"), *(f.get("categories") or ())} & set(p["categories"]) for f in found)
    clean = [f"{r['name']}/{path}" for r in truth["repos"] for path in r["files"]
             if f"{r['name']}/{path}" not in planted_files]
    fp_any = sum(bool(index.findings_at(c)) for c in clean)
    fp_high = sum(bool(index.findings_at(c, high=True)) for c in clean)
    return Summary(set_name, run.tool, "snippet", len(truth["plants"]), hit_high, hit_any, len(clean), fp_any,
                   fp_high, cat_total, cat_right, run.seconds, run.note)


def _member_keys(campaign: dict) -> set[tuple[str, str, int, int]]:
    keys = set()
    for m in campaign.get("members", []):
        path = "/".join(x for x in (m.get("repo"), m.get("path")) if x)
        keys.add((path, m.get("repo") or "", int(m.get("line") or 0), int(m.get("end_line") or m.get("line") or 0)))
    return keys


def _plant_in(plant_: dict, keys: set) -> bool:
    full = f"{plant_['repo']}/{plant_['path']}"
    for path, _repo, line, end in keys:
        same = path == full or path.endswith("/" + full) or full.endswith("/" + path) or path.endswith(full)
        if same and (line == 0 or (line <= plant_["end_line"] and end >= plant_["line"])):
            return True
    return False


def campaign_scores(reported: list[dict], truth: dict) -> dict:
    """Planted campaigns detected (>= 2 of their repositories in one reported campaign), false campaigns;
    also counted over the campaigns scoring at or above codescan's "looks planted" mark alone."""
    from codescan.cluster.score import PLANTED

    out = _campaign_counts(reported, truth)
    flagged = _campaign_counts([c for c in reported if float(c.get("score") or 0) >= PLANTED], truth)
    out.update({"threshold": PLANTED, "detected_flagged": flagged["detected"], "reported_flagged": flagged["reported"],
                "false_flagged": flagged["false"]})
    whole = completeness(reported, truth, PLANTED)
    out.update({"complete": whole["complete"], "complete_flagged": whole["complete_flagged"],
                "shared_max": whole["shared_max"], "rewritten": whole["rewritten"],
                "rewritten_joined": whole["rewritten_joined"]})
    return out


def completeness(reported: list[dict], truth: dict, mark: float) -> dict:
    """Per planted campaign: the most of its copies one reported campaign holds (at any score / at or above
    mark), and the highest score of a reported campaign that holds no planted copy (shared code)."""
    plants = {p["id"]: p for p in truth["plants"]}
    keysets = [(_member_keys(c), float(c.get("score") or 0)) for c in reported]
    rows = []
    for camp in truth["campaigns"]:
        # A disguised variant is the payload rewritten (names built from pieces, getattr on builtins), not a
        # copy: rules find it; it joins a campaign only through lines it shares, counted apart.
        members = [plants[m] for m in camp["members"] if plants[m]["variant"] != "disguised"]
        rewritten = [plants[m] for m in camp["members"] if plants[m]["variant"] == "disguised"]
        best = max(((sum(_plant_in(p, keys) for p in members), score, keys) for keys, score in keysets),
                   key=lambda b: b[:2], default=(0, 0.0, set()))
        flagged = max((sum(_plant_in(p, keys) for p in members) for keys, score in keysets if score >= mark),
                      default=0)
        rows.append({"id": camp["id"], "copies": len(members), "found": best[0], "score": best[1],
                     "found_flagged": flagged, "rewritten": len(rewritten),
                     "rewritten_joined": sum(_plant_in(p, best[2]) for p in rewritten)})
    shared = [score for keys, score in keysets if not any(_plant_in(p, keys) for p in truth["plants"])]
    return {"campaigns": rows, "complete": sum(r["found"] == r["copies"] for r in rows),
            "rewritten": sum(r["rewritten"] for r in rows), "rewritten_joined": sum(r["rewritten_joined"] for r in rows),
            "complete_flagged": sum(r["found_flagged"] == r["copies"] for r in rows),
            "shared_max": max(shared, default=0.0), "shared_flagged": sum(x >= mark for x in shared)}


def _campaign_counts(reported: list[dict], truth: dict) -> dict:
    plants = {p["id"]: p for p in truth["plants"]}
    keysets = [_member_keys(c) for c in reported]
    detected = 0
    for camp in truth["campaigns"]:
        members = [plants[m] for m in camp["members"]]
        if any(len({p["repo"] for p in members if _plant_in(p, keys)}) >= 2 for keys in keysets):
            detected += 1
    false = sum(1 for keys in keysets if not any(_plant_in(p, keys) for p in truth["plants"]))
    return {"planted": len(truth["campaigns"]), "detected": detected, "reported": len(reported), "false": false}


def run_campaigns(root: Path, available: set[str], timeout: float) -> tuple[dict | None, str]:
    """Campaigns JSON for the generated tree (crawl + campaigns --state when crawl exists), or a note."""
    if "campaigns" not in available:
        return None, "codescan has no `campaigns` verb yet"
    cmd = tools.codescan()
    with tempfile.TemporaryDirectory(prefix="codescan-eval-camp-") as tmp:
        out = Path(tmp) / "campaigns.json"
        argv = [*cmd, "campaigns", str(root), "--format", "json", "-o", str(out)]
        how = "campaigns PATH"
        if "crawl" in available:
            state = Path(tmp) / "state.db"
            crawl = measure([*cmd, "crawl", str(root), "--state", str(state), "--no-progress"], timeout=timeout,
                            use_gnu_time=False)
            if crawl.rc in (0, 1):
                argv = [*cmd, "campaigns", "--state", str(state), "--format", "json", "-o", str(out)]
                how = "crawl + campaigns --state"
        run = measure(argv, timeout=timeout, use_gnu_time=False)
        if not out.exists():
            return None, f"`codescan {how}` failed (exit {run.rc}): {run.stderr_tail[-160:]}"
        try:
            return json.loads(out.read_text()), how
        except ValueError as exc:
            return None, f"`codescan {how}` wrote no JSON: {exc}"


def evaluate(quick: bool, use_peers: bool, timeout: float, source: Path | None = None, log=None) -> dict:
    """Generate, scan with codescan (and peers), score; returns summaries, campaign figures, sizes."""
    repos, files = (9, 4) if quick else (40, 10)
    campaigns, spread = (3, 3) if quick else (8, 4)
    with tempfile.TemporaryDirectory(prefix="codescan-eval-planted-") as tmp:
        root = Path(tmp) / "repos"
        truth = plant.generate(root, repos, files, source, seed=7, campaigns=campaigns, spread=spread)
        runs = [peers.codescan(root, timeout)]
        if use_peers:
            runs += [peers.bandit(root, timeout), peers.semgrep(root, timeout), peers.guarddog(root, timeout)]
        rows = [score("planted", r, truth) if r.ran else
                Summary("planted", r.tool, "snippet", 0, 0, 0, 0, 0, 0, 0, 0, r.seconds, r.note) for r in runs]
        reported, how = run_campaigns(root, verbs(), timeout)
        camp = campaign_scores(reported.get("campaigns", []), truth) if reported else None
    variants = sorted({p["variant"] for p in truth["plants"]})
    by_variant = {}
    code_run = runs[0]
    if code_run.ran:
        index = FindingIndex(code_run.findings)
        for v in variants:
            group = [p for p in truth["plants"] if p["variant"] == v]
            found = sum(any(_overlap(f, p) for f in index.findings_at(f"{p['repo']}/{p['path']}")) for p in group)
            by_variant[v] = [found, len(group)]
    return {"rows": rows, "campaigns": camp, "campaigns_note": how, "repos": repos, "plants": len(truth["plants"]),
            "by_variant": by_variant, "source": truth["source"]}
