"""Speed bench: codescan vs Bandit vs semgrep (one rule) on the same corpus, in the same run.

Run from the repository root:

    python -m bench.scan_bench                      # the interpreter's stdlib (site-packages excluded)
    python -m bench.scan_bench --quick              # 300 Python files + 100 others, a few minutes
    python bench/scan_bench.py --corpus DIR --jobs 2 --json bench.json

Rows: codescan over the whole tree (every file it would read), then codescan, Bandit and semgrep
over the same list of Python files (apples to apples; the ratios use these rows), then the
pre-commit case: one small file end to end, start-up included, best of --single-runs.
`cpu s` is user+system time of the whole process tree: on a busy machine compare it, not wall
time. Peak RSS is the largest single process (workers are not summed). Bandit has no -j.
A peer tool that is missing or fails gives a row saying so; the bench carries on.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # `python bench/scan_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus as corpora  # noqa: E402
from bench import tools  # noqa: E402
from bench.runner import Run, best_of, measure  # noqa: E402

OK_EXIT = (0, 1)  # 1 = "findings" for codescan and Bandit


def _row(tool: str, scope: str, files: int, nbytes: int, run: Run | None, note: str = "") -> dict:
    row = {"tool": tool, "scope": scope, "files": files, "mb": round(nbytes / 1e6, 2), "seconds": None,
           "cpu_s": None, "files_per_s": None, "mb_per_s": None, "mb_per_cpu_s": None, "peak_rss_mb": None, "note": note}
    if run is None:
        return row
    if run.timed_out:
        row["note"] = f"timed out after {run.wall:.0f}s"
        return row
    if run.rc not in OK_EXIT:
        row["note"] = f"failed (exit {run.rc}): {run.stderr_tail[-200:]}"
        return row
    row.update(seconds=round(run.wall, 2), cpu_s=round(run.cpu, 2) if run.cpu is not None else None,
               files_per_s=round(files / run.wall, 1), mb_per_s=round(nbytes / 1e6 / run.wall, 3),
               mb_per_cpu_s=round(nbytes / 1e6 / run.cpu, 3) if run.cpu else None,
               peak_rss_mb=round(run.peak_rss_mb, 1) if run.peak_rss_mb is not None else None)
    return row


def _semgrep_scanned(out_path: Path, sizes: dict[Path, int]) -> tuple[int, int] | None:
    """(files, bytes) semgrep says it scanned, from its JSON `paths.scanned`."""
    try:
        scanned = json.loads(out_path.read_text())["paths"]["scanned"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    total = 0
    for name in scanned:
        p = Path(name)
        total += sizes.get(p) or (p.stat().st_size if p.exists() else 0)
    return len(scanned), total


def run_bench(args: argparse.Namespace) -> dict:
    root = Path(args.corpus) if args.corpus else corpora.default_root()
    corpus = corpora.collect(root, tuple(args.exclude))
    if args.quick:
        corpus = corpora.quick(corpus, args.quick_files)
    cs, bd, sg = tools.codescan(), tools.bandit(), tools.semgrep()
    if cs is None:
        sys.exit("codescan is not installed (pip install -e .)")
    py, py_bytes = corpus.python, corpus.size(corpus.python)
    rows: list[dict] = []
    single: list[dict] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="codescan-bench-") as tmp:
        work = Path(tmp)
        py_targets = [str(corpora.mirror(py, root, work / "python"))]
        timeout = args.timeout

        if args.quick:
            tree_argv = tools.codescan_argv(cs, [str(corpora.mirror(corpus.files, root, work / "tree"))], args.jobs)
        else:
            tree_argv = tools.codescan_argv(cs, [str(root)], args.jobs,
                                            corpora.EXCLUDE_DIRS + tuple(args.exclude))
        print(f"[bench] codescan, whole tree ({len(corpus.files)} files) ...", file=sys.stderr)
        rows.append(_row("codescan", "tree", len(corpus.files), corpus.size(corpus.files),
                         measure(tree_argv, timeout=timeout)))
        print(f"[bench] codescan, {len(py)} Python files ...", file=sys.stderr)
        rows.append(_row("codescan", "python", len(py), py_bytes,
                         measure(tools.codescan_argv(cs, py_targets, args.jobs), timeout=timeout)))
        if sg is not None and not args.no_semgrep_engine:
            print("[bench] codescan --engine all (with codescan's semgrep rules) ...", file=sys.stderr)
            rows.append(_row("codescan", "py+sg", len(py), py_bytes,
                             measure(tools.codescan_argv(cs, py_targets, args.jobs) + ["--engine", "all"],
                                     timeout=timeout), "tree-sitter + codescan's semgrep rules"))
        if bd is None:
            rows.append(_row("bandit", "python", len(py), py_bytes, None, "bandit: not installed"))
        else:
            print("[bench] bandit ...", file=sys.stderr)
            rows.append(_row("bandit", "python", len(py), py_bytes,
                             measure(tools.bandit_argv(bd, py_targets), timeout=timeout), "single process"))
        if sg is None:
            rows.append(_row("semgrep", "python", len(py), py_bytes, None, "semgrep: not installed"))
        else:
            print("[bench] semgrep ...", file=sys.stderr)
            rule = work / "eval-rule.yaml"
            rule.write_text(tools.SEMGREP_RULE)
            # An empty .semgrepignore in the scanned root turns off semgrep's default ignores (test/,
            # tests/, build/ ...); written after the other tools ran so they never see it.
            (Path(py_targets[0]) / ".semgrepignore").write_text("")
            out = work / "semgrep.json"
            run = measure(tools.semgrep_argv(sg, py_targets, rule, args.jobs), cwd=tmp, env=tools.semgrep_env(),
                          timeout=timeout, stdout_path=str(out))
            scanned = _semgrep_scanned(out, corpus.sizes)
            files, nbytes = scanned if scanned and scanned[0] else (len(py), py_bytes)
            note = f"1 rule; scanned {files} of {len(py)} files" if scanned else "1 rule"
            rows.append(_row("semgrep", "python", files, nbytes, run, note))

        small = _small_file(corpus)
        if small is not None:
            print(f"[bench] single file {small.name}, best of {args.single_runs} ...", file=sys.stderr)
            size = corpus.sizes[small]
            single.append(_row("codescan", "1 file", 1, size,
                               best_of(tools.codescan_argv(cs, [str(small)], 1), args.single_runs, timeout=timeout)))
            if bd is not None:
                single.append(_row("bandit", "1 file", 1, size,
                                   best_of(tools.bandit_argv(bd, [str(small)]), args.single_runs, timeout=timeout)))
            if sg is not None:
                single.append(_row("semgrep", "1 file", 1, size,
                                   best_of(tools.semgrep_argv(sg, [str(small)], work / "eval-rule.yaml", 1),
                                           args.single_runs, cwd=tmp, env=tools.semgrep_env(), timeout=timeout)))
    return {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0],
                    "loadavg_before": [round(x, 2) for x in load_before],
                    "loadavg_after": [round(x, 2) for x in os.getloadavg()]},
        "versions": {"codescan": tools.version(cs), "bandit": tools.version(bd), "semgrep": tools.version(sg)},
        "corpus": {"root": str(root), "quick": bool(args.quick), "files": len(corpus.files),
                   "python_files": len(py), "mb": round(corpus.size(corpus.files) / 1e6, 2),
                   "python_mb": round(py_bytes / 1e6, 2), "excluded": list(args.exclude), "single_file": str(small) if small else None},
        "jobs": args.jobs,
        "rows": rows,
        "single": single,
        "ratios": _ratios(rows),
        "semgrep_engine": _semgrep_engine_cost(rows),
    }


def _small_file(corpus: corpora.Corpus) -> Path | None:
    """A typical small source file (the Python file closest to 3 KB)."""
    if not corpus.python:
        return None
    return min(corpus.python, key=lambda p: (abs(corpus.sizes[p] - 3000), str(p)))


def _ratios(rows: list[dict]) -> dict:
    """codescan's speed over each peer's on the Python rows, by wall-clock MB/s and by MB per CPU second."""
    out = {}
    for key, label in (("mb_per_s", "MB/s"), ("mb_per_cpu_s", "MB/cpu-s")):
        speed = {r["tool"]: r[key] for r in rows if r["scope"] == "python"}
        base = speed.get("codescan")
        for peer in ("bandit", "semgrep"):
            out[f"codescan/{peer} {label}"] = round(base / speed[peer], 2) if base and speed.get(peer) else None
    return out


def _semgrep_engine_cost(rows: list[dict]) -> dict | None:
    """What turning on codescan's semgrep rules adds to the tree-sitter-only scan of the same files."""
    base = next((r for r in rows if r["tool"] == "codescan" and r["scope"] == "python"), None)
    both = next((r for r in rows if r["tool"] == "codescan" and r["scope"] == "py+sg"), None)
    if not base or not both or base["seconds"] is None or both["seconds"] is None or not base["mb"]:
        return None
    added = both["seconds"] - base["seconds"]
    return {"treesitter_s": base["seconds"], "with_semgrep_s": both["seconds"],
            "added_s_per_mb": round(added / base["mb"], 3), "ratio": round(both["seconds"] / base["seconds"], 2)}


def _fmt(value, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def print_table(result: dict, stream=sys.stdout) -> None:
    c, m = result["corpus"], result["machine"]
    left_out = f" minus {','.join(c['excluded'])}" if c.get("excluded") else ""
    print(f"corpus: {c['root']}{left_out}{' (quick)' if c['quick'] else ''}  {c['files']} files {c['mb']} MB, "
          f"{c['python_files']} .py {c['python_mb']} MB   jobs={result['jobs']} cores={m['cores']} "
          f"load {m['loadavg_before'][0]}->{m['loadavg_after'][0]}", file=stream)
    print("versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()), file=stream)
    head = f"{'tool':<9} {'scope':<7} {'files':>6} {'MB':>7} {'seconds':>8} {'cpu s':>7} {'files/s':>8} " \
           f"{'MB/s':>7} {'MB/cpu-s':>8} {'peakRSS MB':>10}  note"
    print(head, file=stream)
    print("-" * len(head), file=stream)
    for r in result["rows"] + result["single"]:
        print(f"{r['tool']:<9} {r['scope']:<7} {r['files']:>6} {r['mb']:>7.2f} {_fmt(r['seconds'], '.2f'):>8} "
              f"{_fmt(r['cpu_s'], '.2f'):>7} {_fmt(r['files_per_s'], '.1f'):>8} {_fmt(r['mb_per_s'], '.3f'):>7} "
              f"{_fmt(r['mb_per_cpu_s'], '.3f'):>8} "
              f"{_fmt(r['peak_rss_mb'], '.1f'):>10}  {r['note']}", file=stream)
    for name, ratio in result["ratios"].items():
        print(f"{name} (python rows): {_fmt(ratio, '.2f')}", file=stream)
    cost = result.get("semgrep_engine")
    if cost:
        print(f"semgrep engine: +{cost['added_s_per_mb']:.3f} s per MB ({cost['treesitter_s']:.2f} s tree-sitter only, "
              f"{cost['with_semgrep_s']:.2f} s with codescan's semgrep rules: {cost['ratio']:.2f}x; target <= 2x)",
              file=stream)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", metavar="DIR", help="folder to scan (default: the interpreter's stdlib)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quick", action="store_true", help="scan a spread-out subset only")
    parser.add_argument("--quick-files", type=int, default=300, metavar="N", help="Python files in --quick")
    parser.add_argument("--exclude", action="append", default=[], metavar="NAME",
                        help="leave out files with this name, for every tool (repeatable)")
    parser.add_argument("--single-runs", type=int, default=5, metavar="N", help="best of N for the 1-file case")
    parser.add_argument("--timeout", type=float, default=3600, metavar="S", help="per tool run")
    parser.add_argument("--json", metavar="FILE", help="also write the figures here")
    parser.add_argument("--no-semgrep-engine", action="store_true",
                        help="leave out the codescan --engine all row (codescan's semgrep rules)")
    args = parser.parse_args(argv)
    result = run_bench(args)
    print_table(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
