"""Generate docs/rules.md and the README rule table from the rule files (`python -m codescan.catalogue [--check]`)."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .records import CATEGORIES, Rule
from .rules import RuleSet, builtin_rules_dir, load_rules
from .standards import FRAMEWORKS, load as load_standards

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"
DOCS = Path("docs") / "rules.md"
README = Path("README.md")
FRAMEWORK_LABEL = {"owasp_llm": "OWASP LLM Top 10 (2025)", "nist_ai_rmf": "NIST AI RMF", "nist_csf": "NIST CSF 2.0"}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _order(ruleset: RuleSet) -> list[Rule]:
    return sorted(ruleset.rules, key=lambda r: (r.languages[0], CATEGORIES.index(r.category)
                                                if r.category in CATEGORIES else 99, r.id))


def readme_table(ruleset: RuleSet) -> str:
    """The README's table: one row per rule, linking to its section in docs/rules.md."""
    counts = Counter(r.languages[0] for r in ruleset.rules)
    lines = [f"{len(ruleset.rules)} rules ("
             + ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items())) + "). "
             "Generated from the rule files by `python -m codescan.catalogue`; full documentation in "
             "[docs/rules.md](docs/rules.md).", "",
             "| rule | languages | category | severity | CWE |", "|---|---|---|---|---|"]
    for r in _order(ruleset):
        lines.append(f"| [{r.id}](docs/rules.md#{r.id}) | {', '.join(r.languages)} | {r.category} | {r.severity} "
                     f"| {', '.join(r.cwe)} |")
    return "\n".join(lines)


def _rule_section(r: Rule) -> list[str]:
    d = r.docs
    source = Path(r.source)
    try:
        source = source.resolve().relative_to(builtin_rules_dir().resolve().parent)
    except ValueError:
        pass
    out = [f'<a id="{r.id}"></a>', f"### {r.id}", "",
           f"**{r.severity}** · {r.category} · {', '.join(r.languages)} · {', '.join(r.cwe)} · confidence "
           f"{r.confidence} · engine {r.engine} · `{source.as_posix()}`", "", _cell(r.message), "",
           f"**What it flags.** {_cell(d.what)}", "", f"**Why it is dangerous.** {_cell(d.why)}", "",
           "**Example.**", "", "```", *d.example.rstrip().splitlines(), "```", "",
           f"**Write instead.** {_cell(d.instead)}", ""]
    if r.references:
        out += ["**References.** " + " · ".join(f"<{ref}>" if ref.startswith("http") else _cell(ref)
                                              for ref in r.references), ""]
    return out


def rules_markdown(ruleset: RuleSet) -> str:
    """docs/rules.md: standards per category, then every rule documented, grouped by language."""
    st = load_standards()
    out = ["# codescan rules", "",
           "Generated from `rules/` by `python -m codescan.catalogue` — do not edit by hand; a test fails when it "
           "is stale.", "", "## What each category evidences", "",
           "| category | rules | CWE | " + " | ".join(FRAMEWORK_LABEL[fw] for fw in FRAMEWORKS) + " |",
           "|---|---|---|" + "---|" * len(FRAMEWORKS)]
    per_category = Counter(r.category for r in ruleset.rules)
    for c in CATEGORIES:
        m = st.for_category(c)
        out.append(f"| {c} | {per_category[c]} | {', '.join(m.cwe)} | "
                   + " | ".join(", ".join(m.items(fw)) for fw in FRAMEWORKS) + " |")
    out.append("")
    language = None
    for r in _order(ruleset):
        if r.languages[0] != language:
            language = r.languages[0]
            out += [f"## {language}", ""]
        out += _rule_section(r)
    return "\n".join(out).rstrip() + "\n"


def with_table(readme: str, table: str) -> str:
    """README text with the part between the markers replaced (the markers must be there)."""
    if START not in readme or END not in readme or readme.index(START) > readme.index(END):
        raise ValueError(f"README.md needs the markers {START} and {END}")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def expected(root: Path, ruleset: RuleSet | None = None) -> dict[Path, str]:
    """What docs/rules.md and README.md should hold, from the rule files."""
    ruleset = ruleset or load_rules(builtin_semgrep=True)
    readme = (root / README).read_text(encoding="utf-8")
    return {root / DOCS: rules_markdown(ruleset), root / README: with_table(readme, readme_table(ruleset))}


def stale(root: Path) -> list[Path]:
    """The generated files whose content differs from what the rules give."""
    out = []
    for path, text in expected(root).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            out.append(path)
    return out


def write(root: Path) -> list[Path]:
    """Regenerate; returns the files that changed."""
    changed = []
    for path, text in expected(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codescan.catalogue", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when a generated file is stale")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent), help="the checkout")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.check:
        old = stale(root)
        for path in old:
            print(f"stale: {path} (run python -m codescan.catalogue)", file=sys.stderr)
        return 1 if old else 0
    for path in write(root):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
