"""Which token normalization and shingle size find renamed copies without linking unrelated code.

    python bench/normalize_bench.py [--functions 3000] [--pairs 100000] [--sizes 3,4,5,6]

Standard-library functions (5+ lines) are copied with every local name (parameters, assigned names,
the function's own name) renamed consistently, and again with two statements inserted. For each
scheme (raw tokens; consistent renaming: each local its own numbered placeholder by first occurrence;
blind renaming: every local one placeholder) and shingle size it prints the share of copies whose
exact shingle Jaccard with the original reaches 0.7, and how many random pairs of different functions
reach 0.7 per 1,000 pairs. A third copy also has its prose rewritten (another docstring, one added
comment); "+code" rows shingle code tokens only (comment and docstring words left out), "+either" rows
link when either view reaches 0.7 (the code view made only for 20+ code tokens), as campaign units are.
"""
from __future__ import annotations

import argparse
import io
import ast
import random
import re
import sys
import sysconfig
import textwrap
import time
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from codescan.analyze import languages  # noqa: E402
from codescan.cluster.shingles import SCHEMES, shingle_hashes, tokens, unit_tokens  # noqa: E402
from codescan.cluster.units import MIN_TOKENS  # noqa: E402

STDLIB = Path(sysconfig.get_paths()["stdlib"])
LINK = 0.7
PROSE = ("Helper used by the loader.", "Return the value for one key, cached.", "Internal: do not call.",
         "Keep the table in step with the source of truth.", "Fix for an odd platform quirk")
NEW_NAMES = ("val", "item", "tmp", "buf", "obj", "cur", "res", "data")


def functions(limit: int) -> list[str]:
    """Dedented sources of stdlib functions of 5+ lines, in a fixed order."""
    out: list[str] = []
    for path in sorted(STDLIB.rglob("*.py")):
        if "test" in path.parts or "site-packages" in path.parts or "idlelib" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        lines = text.splitlines()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 4:
                source = textwrap.dedent("\n".join(lines[node.lineno - 1:node.end_lineno]))
                try:
                    ast.parse(source)
                except SyntaxError:  # a decorator line or odd dedent: leave it out
                    continue
                out.append(source)
                if len(out) >= limit:
                    return out
    return out


def _locals(fn: ast.AST) -> set[str]:
    names = {a.arg for a in ast.walk(fn) if isinstance(a, ast.arg)}
    names |= {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names.add(fn.name)
    return names - {"self", "cls"}


def renamed(source: str, rng: random.Random, inserts: int = 0) -> str:
    """Every local renamed consistently (never `.attr` or a call's `kw=`), then `inserts` statements added."""
    fn = ast.parse(source).body[0]
    lines = source.splitlines()
    starts = sorted({s.lineno for s in ast.walk(fn) if isinstance(s, ast.stmt) and s is not fn})
    for k in range(inserts):  # before a statement's first line, at its indent, where it still parses
        for at in rng.sample(starts, len(starts)):
            indent = re.match(r"\s*", lines[at - 1]).group()
            trial = lines[:at - 1] + [f"{indent}_trace{k} = len(str({rng.randrange(100)}))"] + lines[at - 1:]
            try:
                ast.parse("\n".join(trial))
            except SyntaxError:
                continue
            lines = trial
            starts = [s + (s >= at) for s in starts]
            break
    source = "\n".join(lines) + "\n"
    tree = ast.parse(source)
    new = {name: f"{rng.choice(NEW_NAMES)}_{rng.randrange(10 ** 4)}" for name in sorted(_locals(tree.body[0]))}
    keywords = {(kw.lineno, kw.col_offset) for kw in ast.walk(tree) if isinstance(kw, ast.keyword) and kw.arg}
    words = re.compile(r"(?<![.\w])(" + "|".join(map(re.escape, sorted(new, key=len, reverse=True))) + r")\b") \
        if new else None
    out, prev = [], None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        text = tok.string
        if tok.type == tokenize.NAME and text in new and prev != "." and tok.start not in keywords:
            text = new[text]
        elif tok.type in (tokenize.STRING, tokenize.COMMENT) and words is not None:
            text = words.sub(lambda m: new[m.group(1)], text)  # a careful planter renames docs too
        out.append((tok.type, text))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            prev = tok.string
    return tokenize.untokenize(out)


def reworded(source: str, rng: random.Random) -> str:
    """A renamed copy whose prose was rewritten too: another docstring, one added comment."""
    fn = ast.parse(source).body[0]
    lines = source.splitlines()
    first = fn.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        indent = re.match(r"\s*", lines[first.lineno - 1]).group()
        lines[first.lineno - 1:first.end_lineno] = [f'{indent}"""{rng.choice(PROSE)}"""']
    for at in rng.sample(range(1, len(lines)), len(lines) - 1):  # where a comment line still parses
        trial = lines[:at] + [re.match(r"\s*", lines[at]).group() + "# " + rng.choice(PROSE).lower()] + lines[at:]
        try:
            ast.parse("\n".join(trial))
        except SyntaxError:
            continue
        lines = trial
        break
    return renamed("\n".join(lines) + "\n", rng)


def streams(sources: list[str], raw: bool) -> list:
    parser = languages.parser("python")
    out = []
    for s in sources:
        data = s.encode()
        out.append(tokens(parser.parse(data), data, raw=raw))
    return out


def shingle_sets(token_streams: list, scheme: str, k: int, code_only: bool | str = False) -> list:
    """One shingle set per stream; code_only="either": a (all tokens, code tokens) pair, as units are made
    (the code view only when it has 20+ tokens and the function has prose)."""
    if code_only == "either":
        out = []
        for t in token_streams:
            full, code = unit_tokens(t, 0, len(t.hashes), scheme), unit_tokens(t, 0, len(t.hashes), scheme, True)
            view = code if MIN_TOKENS <= len(code) < len(full) else full
            out.append((set(shingle_hashes(full, k).tolist()), set(shingle_hashes(view, k).tolist())))
        return out
    return [set(shingle_hashes(unit_tokens(t, 0, len(t.hashes), scheme, code_only), k).tolist())
            for t in token_streams]


def jaccard(a, b) -> float:
    if isinstance(a, tuple):  # either view links
        return max(jaccard(a[0], b[0]), jaccard(a[1], b[1]))
    return len(a & b) / len(a | b) if a or b else 1.0


def measure(count: int, pairs: int, sizes: list[int], seed: int = 1) -> list[dict]:
    """One row per (scheme, k): recall of renamed copies (plain, +2 statements), unrelated pairs per 1,000."""
    rng = random.Random(seed)
    base = functions(count)
    copies = [renamed(s, rng) for s in base]
    inserted = [renamed(s, rng, inserts=2) for s in base]
    prose = [reworded(s, rng) for s in base]
    distinct = [(i, j) for i, j in (rng.sample(range(len(base)), 2) for _ in range(pairs)) if base[i] != base[j]]
    rows = []
    for raw in (True, False):
        parsed = [streams(group, raw) for group in (base, copies, inserted, prose)]
        for scheme in (("raw",) if raw else tuple(s for s in SCHEMES if s != "raw")):
            for k in sizes:
                for code_only in ((False,) if raw else (False, True, "either")):
                    t0 = time.perf_counter()
                    a, b, c, d = (shingle_sets(group, scheme, k, code_only) for group in parsed)
                    recall = sum(jaccard(x, y) >= LINK for x, y in zip(a, b)) / len(a)
                    recall_ins = sum(jaccard(x, y) >= LINK for x, y in zip(a, c)) / len(a)
                    recall_prose = sum(jaccard(x, y) >= LINK for x, y in zip(a, d)) / len(a)
                    false = sum(jaccard(a[i], a[j]) >= LINK for i, j in distinct)
                    suffix = {False: "", True: "+code", "either": "+either"}[code_only]
                    rows.append({"scheme": scheme + suffix, "k": k, "functions": len(base),
                                 "recall": recall, "recall_inserted": recall_ins, "recall_prose": recall_prose,
                                 "unrelated_per_1000": 1000 * false / len(distinct), "pairs": len(distinct),
                                 "seconds": time.perf_counter() - t0})
    return rows


def table(rows: list[dict]) -> str:
    head = (f"{'scheme':16s} {'k':>2s} {'renamed':>8s} {'+2 stmts':>8s} {'new prose':>9s} {'unrelated/1k':>12s}\n"
            f"{'-' * 16} {'-' * 2} {'-' * 8} {'-' * 8} {'-' * 9} {'-' * 12}")
    body = [f"{r['scheme']:16s} {r['k']:2d} {r['recall']:8.1%} {r['recall_inserted']:8.1%} {r['recall_prose']:9.1%} "
            f"{r['unrelated_per_1000']:12.2f}" for r in rows]
    return "\n".join([head, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=100000, help="random pairs of different functions")
    parser.add_argument("--sizes", default="3,4,5,6", help="shingle sizes (tokens)")
    args = parser.parse_args()
    rows = measure(args.functions, args.pairs, [int(k) for k in args.sizes.split(",")])
    print(f"{rows[0]['functions']} stdlib functions, {rows[0]['pairs']} random unrelated pairs; "
          f"a copy is found at exact shingle Jaccard >= {LINK}")
    print(table(rows))


if __name__ == "__main__":
    main()
