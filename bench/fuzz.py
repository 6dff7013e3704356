"""Fuzz the analyzer in-process with mutated real files for a set time; print inputs run, crashes, hangs and
the slowest input.

    python -m bench.fuzz --seconds 300              # seeds: ../shared/eval-data (when present) + the stdlib
    python -m bench.fuzz --seconds 60 --seed 7 --save /tmp/fuzz-finds

A crash is an exception escaping Analyzer.analyze (the pipeline would turn it into an "analyzer error"
skip and lose the file's findings). A hang is an input whose analysis used more than the per-file CPU
budget + 1 s (its thread CPU time; the budget is --budget). Mutations: byte flips and deletions, splices
of two seeds, repeats of a slice (100-10,000 times), deep nesting of a slice, hostile tokens inserted
(bidi controls, zero-width names, unclosed comments, `'x'+` chains, base64/gzip literals), truncation.
"""
from __future__ import annotations

import argparse
import base64
import gzip
import os
import random
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data"
EXTENSIONS = (".py", ".js", ".ts", ".php", ".rb", ".sh", ".go", ".java", ".c", ".md", ".yml", ".json", ".toml")
TOKENS = ["\u202e".encode(), "\u2066".encode(), "\u200b".encode(), b"<!--", b"/*", b'"""', b"'x'+", b"eval(",
          b"exec(", b"L.(", b"$", b"`", b"\\", b"\x00", b"\xff", b"-----BEGIN RSA PRIVATE KEY-----\n",
          b"ignore previous instructions", b"curl ", b"(", b"[", b"{", b"getattr(__import__('o'+'s'),",
          "\u0430\u0435".encode(), b"gzdecode(base64_decode('", b"fromCharCode(", b"\\x41"]


def seeds(limit: int, rng: random.Random) -> list[tuple[str, bytes]]:
    found: list[Path] = []
    if EVAL.is_dir():
        found += [p for p in EVAL.rglob("*") if p.is_file() and p.suffix in EXTENSIONS]
    stdlib = Path(os.__file__).parent
    found += [p for p in stdlib.glob("*.py")]
    found = [p for p in found if 0 < p.stat().st_size < 200_000]
    rng.shuffle(found)
    return [(p.name, p.read_bytes()) for p in found[:limit]]


def _bomb(rng: random.Random) -> bytes:
    packed = gzip.compress(b"A" * rng.choice((10_000, 1_000_000, 20_000_000)))
    return b"'" + base64.b64encode(packed) + b"'"


def mutate(data: bytes, other: bytes, rng: random.Random) -> bytes:
    if not data:
        data = b"x = 1\n"
    i = rng.randrange(len(data) + 1)
    j = min(len(data), i + rng.randrange(1, 200))
    kind = rng.randrange(9)
    if kind == 0:  # flip bytes
        out = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 1:  # delete a slice
        return data[:i] + data[j:]
    if kind == 2:  # splice with another seed
        k = rng.randrange(len(other) + 1)
        return data[:i] + other[k:k + rng.randrange(1, 5000)] + data[i:]
    if kind == 3:  # repeat a slice
        return data[:i] + data[i:j] * rng.choice((100, 1000, 10_000)) + data[j:]
    if kind == 4:  # nest a slice deeply
        depth = rng.choice((100, 1000, 20_000))
        opener, closer = rng.choice(((b"f(", b")"), (b"(", b")"), (b"[", b"]"), (b"{", b"}"), (b"'a'+(", b")")))
        return data[:i] + opener * depth + data[i:j] + closer * depth + data[j:]
    if kind == 5:  # hostile tokens
        token = rng.choice(TOKENS)
        return data[:i] + token * rng.choice((1, 10, 100, 1000, 20_000)) + data[i:]
    if kind == 6:  # a compressed literal
        return data[:i] + b"exec(zlib.decompress(base64.b64decode(" + _bomb(rng) + b")))\n" + data[i:]
    if kind == 7:  # truncate
        return data[:i]
    return data[:i] + data[i:j][::-1] + data[j:]  # reverse a slice


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=10.0, help="per-file CPU budget (--file-timeout)")
    ap.add_argument("--seeds", type=int, default=400, help="how many real files to start from")
    ap.add_argument("--save", metavar="DIR", help="write crashing and hanging inputs here")
    args = ap.parse_args(argv)

    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    rng = random.Random(args.seed)
    pool = seeds(args.seeds, rng)
    if not pool:
        print("no seed files found", file=sys.stderr)
        return 2
    analyzer = Analyzer(load_rules(), Config(file_timeout=args.budget, honour_suppressions=False))
    runs = crashes = hangs = bounded = 0
    slowest = (0.0, "", 0)
    errors: dict[str, int] = {}
    end = time.monotonic() + args.seconds
    report_at = time.monotonic() + 30
    while time.monotonic() < end:
        if time.monotonic() > report_at:  # a status line now and then: a killed run still leaves its figures
            report_at = time.monotonic() + 30
            print(f"... {runs} inputs, {crashes} crashes, {hangs} hangs, slowest {slowest[0]:.2f} s CPU, "
                  f"{time.process_time():.0f} s CPU used", flush=True)
        name, data = rng.choice(pool)
        content = data
        for _ in range(rng.randrange(1, 4)):
            content = mutate(content, rng.choice(pool)[1], rng)
        content = content[:400_000]  # larger inputs are the hostile corpus bench's job
        runs += 1
        start = time.thread_time()
        try:
            result = analyzer.analyze(Document(path=name, content=content, trusted=False))
            if any(f.rule_id == "analysis-exhausted" for f in result.findings):
                bounded += 1
        except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
            crashes += 1
            key = f"{type(exc).__name__}: {str(exc)[:80]} @ {traceback.extract_tb(exc.__traceback__)[-1].name}"
            errors[key] = errors.get(key, 0) + 1
            _save(args.save, "crash", runs, name, content)
        used = time.thread_time() - start
        if used > args.budget + 1.0:
            hangs += 1
            _save(args.save, "hang", runs, name, content)
        if used > slowest[0]:
            slowest = (used, name, len(content))
    print(f"inputs run: {runs} in {args.seconds:g} s wall ({time.process_time():.0f} s CPU) from {len(pool)} seed "
          f"files (budget {args.budget:g} s CPU)")
    print(f"crashes (exception out of analyze): {crashes}")
    for key, n in sorted(errors.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {n:>5}  {key}")
    print(f"hangs (CPU > budget + 1 s): {hangs}")
    print(f"reported analysis-exhausted (a bound hit or a stage failed): {bounded}")
    print(f"slowest input: {slowest[0]:.2f} s CPU ({slowest[1]}, {slowest[2]} bytes after mutation)")
    return 1 if crashes or hangs else 0


def _save(folder: str | None, kind: str, number: int, name: str, content: bytes) -> None:
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{kind}-{number}-{name}").write_bytes(content)


if __name__ == "__main__":
    sys.exit(main())
