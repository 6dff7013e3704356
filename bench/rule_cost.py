"""Which tree-sitter rules make the combined query slow: each Python rule's query timed alone.

Run from the repository root:

    python -m bench.rule_cost                  # 60 stdlib Python files, top 15 rules
    python -m bench.rule_cost --files 200 --top 30 --corpus DIR

Each file is parsed once; each rule's query is then run alone over every tree (CPU time,
`QueryCursor.matches` fully consumed, same match limit as the scanner). The sum over rules is
roughly the cost of the combined query, so a rule's share shows what it adds to every scan.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/rule_cost.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus as corpora  # noqa: E402


def _utf8(data: bytes) -> bool:
    """The scanner only queries UTF-8 text (it re-encodes or skips the rest); so does this bench."""
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def rule_costs(files: list[Path], language: str = "python") -> list[tuple[str, float, int]]:
    """[(rule id, CPU seconds, matches)] for every tree-sitter rule of language, slowest first."""
    import tree_sitter as ts

    from codescan.analyze import languages
    from codescan.analyze.treesitter import MATCH_LIMIT, compile_rule
    from codescan.rules import load_rules

    wanted = set(languages.rule_languages(language))
    rules = [r for r in load_rules().rules if r.engine == "treesitter" and wanted & set(r.languages)]
    parser = languages.parser(language)
    trees = [parser.parse(data) for data in (p.read_bytes() for p in files) if _utf8(data)]
    out = []
    for rule in rules:
        query = compile_rule(rule, language)
        start, found = time.process_time(), 0
        for tree in trees:
            found += sum(1 for _ in ts.QueryCursor(query, match_limit=MATCH_LIMIT).matches(tree.root_node))
        out.append((rule.id, time.process_time() - start, found))
    return sorted(out, key=lambda r: r[1], reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", metavar="DIR", help="folder (default: the interpreter's stdlib)")
    parser.add_argument("--files", type=int, default=60, help="Python files, spread over the tree")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    root = Path(args.corpus) if args.corpus else corpora.default_root()
    files = list(corpora.sample(corpora.collect(root).python, args.files))
    costs = rule_costs(files)
    total = sum(c for _r, c, _n in costs) or 1.0
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(costs)} Python rules over {len(files)} files ({size:.2f} MB): {total:.2f} CPU s in all")
    print(f"{'rule':<44} {'CPU s':>7} {'share':>7} {'matches':>8}")
    for rule_id, secs, found in costs[:args.top]:
        print(f"{rule_id:<44} {secs:>7.2f} {secs / total:>7.1%} {found:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
