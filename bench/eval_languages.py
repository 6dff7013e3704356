"""Per-language figures for Go, Java, Kotlin, C, C++, C#, Rust, PHP, Ruby and shell on the shared labelled sets.

Run from the repository root (reads ../shared/eval-data or --data; nothing is executed or copied):

    python bench/eval_languages.py                 # all three sets
    python bench/eval_languages.py --sets purplellama --misses 5

  trojan-source   files of these languages with a hidden-unicode finding (all are positives)
  purplellama     recall on the line Meta's Insecure Code Detector flagged, per language and CWE
                  (any codescan finding on that line counts, and high+ findings only; labels are
                  another scanner's rules)
  semgrep-rules   recall on `ruleid` lines (all, high+ findings only, and those whose semgrep rule shares a
                  CWE with codescan's rules for the language) and hits on `ok` lines (lower is better)
Documents are analyzed in-process with the built-in tree-sitter rules and text detectors.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codescan.analyze.document import Analyzer  # noqa: E402
from codescan.config import Config  # noqa: E402
from codescan.records import Document  # noqa: E402
from codescan.rules import load_rules  # noqa: E402

LANGS = ("go", "java", "kotlin", "c", "cpp", "csharp", "rust", "php", "ruby", "shell")
EXT = {"go": ".go", "java": ".java", "kotlin": ".kt", "c": ".c", "cpp": ".cpp", "csharp": ".cs", "rust": ".rs",
       "php": ".php", "ruby": ".rb", "shell": ".sh"}
TROJAN = {"C": "c", "C++": "cpp", "C#": "csharp", "Go": "go", "Java": "java", "Rust": "rust"}
SEMGREP_LANG = {"go": "go", "java": "java", "kotlin": "kotlin", "kts": "kotlin", "c": "c", "csharp": "csharp",
                "rust": "rust", "php": "php", "ruby": "ruby", "bash": "shell"}
HIGH = ("high", "critical")
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data"


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class Scanner:
    """Analyzes one document in-process and returns {line: {rule ids}} and categories."""

    def __init__(self):
        self.ruleset = load_rules()
        self.analyzer = Analyzer(self.ruleset, Config(honour_suppressions=False))

    def scan(self, path: str, content: str, language: str | None = None):
        doc = Document(path=path, content=content.encode("utf-8"), language=language)
        return self.analyzer.analyze(doc).findings

    def cwes(self, language: str) -> set[str]:
        wanted = {language, "c"} if language == "cpp" else {language}
        return {c for r in self.ruleset.rules if set(r.languages) & wanted for c in r.cwe}


def trojan_source(data: Path, scanner: Scanner, misses: int) -> None:
    rows = [r for r in _jsonl(data / "trojan-source" / "samples.jsonl") if r["language"] in TROJAN]
    per = defaultdict(lambda: [0, 0])
    for r in rows:
        found = scanner.scan(r["path"], r["content"])
        hit = any(f.category == "hidden-unicode" for f in found)
        per[TROJAN[r["language"]]][0] += hit
        per[TROJAN[r["language"]]][1] += 1
        if not hit and misses:
            print(f"  MISS trojan-source {r['path']}")
    print("trojan-source (hidden-unicode finding per file)")
    for lang, (hit, n) in sorted(per.items()):
        print(f"  {lang:8s} {hit}/{n}")


def _line_of(code: str, text: str, hint: int) -> int | None:
    """1-based line of `text` in `code`, the occurrence nearest the original line number."""
    target = text.strip()
    lines = [i + 1 for i, line in enumerate(code.splitlines()) if line.strip() == target]
    if not lines:
        return None
    return min(lines, key=lambda n: abs(n - hint))


def purplellama(data: Path, scanner: Scanner, misses: int) -> None:
    rows = [r for r in _jsonl(data / "purplellama-cyberseceval" / "autocomplete_insecure_lines.jsonl")
            if r["language"] in LANGS]
    per = defaultdict(lambda: [0, 0])
    per_high = Counter()
    per_cwe = defaultdict(lambda: [0, 0])
    shown = Counter()
    for n, r in enumerate(rows):
        lang = r["language"]
        line = _line_of(r["origin_code"], r["line_text"], r["line_number"])
        if line is None:
            continue
        found = scanner.scan(f"pl/{n}{EXT[lang]}", r["origin_code"], lang)
        on_line = [f for f in found if f.line <= line <= max(f.line, f.end_line or f.line)]
        hit = bool(on_line)
        per_high[lang] += any(f.severity in HIGH for f in on_line)
        per[lang][0] += hit
        per[lang][1] += 1
        per_cwe[(lang, r["cwe_identifier"])][0] += hit
        per_cwe[(lang, r["cwe_identifier"])][1] += 1
        if not hit and shown[lang] < misses:
            shown[lang] += 1
            print(f"  MISS {lang} {r['cwe_identifier']}: {r['line_text'].strip()[:100]}")
    print("purplellama-cyberseceval (recall on the ICD-flagged line)")
    for lang, (hit, n) in sorted(per.items()):
        print(f"  {lang:8s} {hit}/{n} = {hit / n:.0%}   high+ {per_high[lang]}/{n} = {per_high[lang] / n:.0%}")
        cwes = sorted(((c, v) for (lg, c), v in per_cwe.items() if lg == lang), key=lambda x: -x[1][1])
        print("           " + ", ".join(f"{c} {h}/{t}" for c, (h, t) in cwes))


def semgrep_rules(data: Path, scanner: Scanner, misses: int) -> None:
    meta = {}
    for m in _jsonl(data / "semgrep-rules" / "rule_metadata.jsonl"):
        meta[m["rule_id"]] = {c.split(":")[0].strip() for d in m["defs"] for c in (d.get("cwe") or [])}
    rows = [r for r in _jsonl(data / "semgrep-rules" / "test_files.jsonl") if r["language"] in SEMGREP_LANG]
    stats = defaultdict(Counter)
    shown = Counter()
    for r in rows:
        lang = SEMGREP_LANG[r["language"]]
        covered = scanner.cwes(lang)
        found = scanner.scan(r["path"], r["content"], lang)
        lines = {f.line for f in found}
        high_lines = {f.line for f in found if f.severity in HIGH}
        for label in r["labels"]:
            hit = label["target_line"] in lines or (label["trailing"] and label["annotation_line"] in lines)
            high = label["target_line"] in high_lines or (label["trailing"] and label["annotation_line"] in high_lines)
            s = stats[lang]
            if label["kind"] == "ruleid":
                cwes = set().union(*(meta.get(i, set()) for i in label["rule_ids"]))
                s["ruleid"] += 1
                s["ruleid_hit"] += hit
                s["ruleid_high"] += high
                if cwes & covered:
                    s["covered"] += 1
                    s["covered_hit"] += hit
                    if not hit and shown[lang] < misses:
                        shown[lang] += 1
                        print(f"  MISS {lang} {r['path']}:{label['target_line']} {sorted(cwes & covered)}")
            elif label["kind"] == "ok":
                s["ok"] += 1
                s["ok_hit"] += hit
    print("semgrep-rules (ruleid recall: all / CWE covered by codescan; ok-line hits, lower is better)")
    for lang, s in sorted(stats.items()):
        cov = f"{s['covered_hit']}/{s['covered']}" + (f" = {s['covered_hit'] / s['covered']:.0%}" if s["covered"] else "")
        print(f"  {lang:8s} all {s['ruleid_hit']}/{s['ruleid']}   high+ {s['ruleid_high']}/{s['ruleid']}   "
              f"covered {cov}   ok-hits {s['ok_hit']}/{s['ok']}")


SETS = {"trojan-source": trojan_source, "purplellama": purplellama, "semgrep-rules": semgrep_rules}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--misses", type=int, default=0, help="print up to N missed lines per language")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no eval data at {args.data}", file=sys.stderr)
        return 2
    scanner = Scanner()
    for name in re.split(r"\s*,\s*", args.sets):
        SETS[name](args.data, scanner, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
