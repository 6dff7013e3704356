"""Render an evaluation result (bench.evaluate) as a terminal table and as BENCHMARKS.md."""
from __future__ import annotations

from bench.eval_truth import Summary


def _rate(hits: int, total: int) -> str:
    return "-" if not total else f"{hits / total:.1%} ({hits}/{total})"


def summary_cells(s: Summary) -> list[str]:
    if not s.positives and not s.negatives:
        return [s.set, s.tool, s.unit, "-", "-", "-", "-", "-", "-" if s.seconds is None else f"{s.seconds:.1f}",
                s.note or "did not run"]
    return [s.set, s.tool, s.unit, _rate(s.hit_high, s.positives), _rate(s.hit_any, s.positives),
            _rate(s.fp_any, s.negatives), _rate(s.fp_high, s.negatives), _rate(s.cat_right, s.cat_total),
            "-" if s.seconds is None else f"{s.seconds:.1f}", s.note]


SUMMARY_HEAD = ["set", "tool", "unit", "recall high+", "recall any", "FP any", "FP high+", "category ok", "s", "note"]
CLEAN_HEAD = ["tool", "files", "kLOC", "high+ /kLOC", "any /kLOC", "files w/ high+", "packages w/ high+", "s", "note"]
SPEED_HEAD = ["tool", "scope", "files", "MB", "seconds", "cpu s", "MB/s", "peak RSS MB", "note"]


def _clean_cells(r: dict) -> list[str]:
    share = "-" if r["files_high_share"] is None else f"{r['files_high_share']:.2%}"
    return [r["tool"], str(r["files"]), str(r["kloc"]), str(r["high_per_kloc"]), str(r["any_per_kloc"]), share,
            r["packages_high"], str(r["seconds"]), r["note"] if r["ran"] else (r["note"] or "did not run")]


def _speed_cells(r: dict) -> list[str]:
    def f(v, spec=""):
        return "-" if v is None else format(v, spec)
    return [r["tool"], r["scope"], str(r["files"]), f(r["mb"], ".2f"), f(r["seconds"], ".2f"), f(r["cpu_s"], ".2f"),
            f(r["mb_per_s"], ".3f"), f(r["peak_rss_mb"], ".1f"), r["note"]]


def _text_table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    esc = [[str(c).replace("|", "\\|") for c in row] for row in rows]
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *("| " + " | ".join(r) + " |" for r in esc)])


def _sections(result: dict, table) -> list[tuple[str, str]]:
    out = [("Labelled sets", table(SUMMARY_HEAD, [summary_cells(s) for s in result["sets"]]))]
    clean = result.get("clean")
    if clean:
        body = table(CLEAN_HEAD, [_clean_cells(r) for r in clean["rows"]]) if clean["rows"] else "(not run)"
        first = clean["rows"][0] if clean["rows"] else {}
        if "filter_dropped_share" in first:
            body += f"\n\nfiles codescan filter would drop: {first['filter_dropped_share']:.2%} ({first['filter_note']})"
        elif first:
            body += f"\n\nfilter: {first.get('filter_note')}"
        if first.get("top_rules"):
            body += "\n\ncodescan high+ rules on clean code: " + ", ".join(f"{r} x{n}" for r, n in first["top_rules"])
        out.append((f"Clean code ({clean.get('files', 0)} files, {clean.get('kloc', 0)} kLOC: "
                    f"{', '.join(clean.get('packages', []))})", body))
    planted = result.get("planted")
    if planted:
        body = table(SUMMARY_HEAD, [summary_cells(s) for s in planted["rows"]])
        body += "\n\ncodescan by variant: " + ", ".join(f"{v} {a}/{b}" for v, (a, b) in planted["by_variant"].items())
        camp = planted.get("campaigns")
        body += ("\n\ncampaigns: " + (f"{camp['detected']}/{camp['planted']} planted campaigns detected, "
                                      f"{camp['reported']} reported, {camp['false']} without a planted copy "
                                      f"({planted['campaigns_note']})" if camp else planted["campaigns_note"]))
        if camp and "threshold" in camp:
            body += (f"; at score >= {camp['threshold']:g} (\"looks planted\", what `filter` drops): "
                     f"{camp['detected_flagged']}/{camp['planted']} detected, {camp['reported_flagged']} reported, "
                     f"{camp['false_flagged']} without a planted copy")
        if camp and "complete" in camp:
            body += (f"; found with all their copies (disguised rewrites apart): {camp['complete']}/{camp['planted']} "
                     f"({camp['complete_flagged']} at or above the mark), disguised rewrites joined "
                     f"{camp.get('rewritten_joined', 0)}/{camp.get('rewritten', 0)}; highest campaign without a "
                     f"planted copy {camp['shared_max']:g}")
        if planted.get("harness"):
            from bench.eval_campaigns import text as harness_text
            body += "\n\n```\n" + harness_text(planted["harness"]) + "\n```"
        out.append((f"Planted poison ({planted['repos']} git repositories, {planted['plants']} planted snippets)", body))
    speed = result.get("speed")
    if speed:
        c = speed["corpus"]
        out.append((f"Speed ({c['python_files']} Python files, {c['python_mb']} MB of the stdlib; semgrep: 1 rule)",
                    table(SPEED_HEAD, [_speed_cells(r) for r in speed["rows"] + speed["single"]])))
    if result.get("notes"):
        out.append(("Notes", "\n".join(f"- {n}" for n in result["notes"])))
    return out


def text(result: dict) -> str:
    parts = [f"{title}\n{body}" for title, body in _sections(result, _text_table)]
    return "\n\n".join(parts) + "\n"


def markdown(result: dict) -> str:
    m = result["machine"]
    head = ["# Benchmarks", "",
            f"Generated by `{result['command']}` on {result['date']} "
            f"({'quick' if result['quick'] else 'full'} run, {result['seconds']:.0f} s).", "",
            f"Machine: {m['cores']} cores, {m['platform']}, Python {m['python']}. "
            "Versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()) + ".", "",
            "Recall = labelled positives found (a finding on the labelled line, or anywhere in the file for "
            "file labels); FP = labelled negatives flagged; category ok = found positives whose finding "
            "category matches the label (CWE or class mapped in bench/eval_labels.py). Rows in `[brackets]` "
            "keep only the languages codescan ships rules for. Other helpers change rules all the time: "
            "these numbers move; regenerate with the command above.", ""]
    body = []
    for title, table in _sections(result, _md_table):
        body += [f"## {title}", "", table, ""]
    return "\n".join(head + body)
