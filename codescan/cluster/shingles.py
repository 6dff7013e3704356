"""Normalized token streams from a tree-sitter tree, and their k-token shingles as 64-bit hashes.

Local names (parameters, assigned variables, defined functions and classes) become placeholders,
string and number literals `$S` / `$N`; keywords, operators, imported/builtin names, attribute names and
keyword argument names stay. Comments and docstrings stay in as their words: payloads hide there.

Schemes (measured in bench/normalize_bench.py, see README "Campaigns"): "blind" turns every local
into one `$V`; "consistent" numbers the locals of each unit by first occurrence (`$V1`, `$V2`, ...);
"raw" replaces nothing (the baseline).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import xxhash

from . import tokenwalk

SHINGLE = 5  # tokens per shingle (measured: see README "Campaigns")
SCHEME = "blind"  # local-name normalization (measured: see README "Campaigns")
SCHEMES = ("raw", "consistent", "blind")
VAR, STR, NUM = b"$V", b"$S", b"$N"
_NUMBERED = np.array([xxhash.xxh64_intdigest(b"$V%d" % i) for i in range(1, 1025)], dtype=np.uint64)

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\s\w]")
_KEEP_FIELDS = frozenset({"attribute", "property", "field"})  # obj.<name> is API, never local
_BINDING_FIELDS = frozenset({"left", "alias", "pattern", "target"})
_DEFINES = ("definition", "declaration", "declarator", "function", "class", "method", "item")
_PARAM_PARENTS = ("parameter", "pattern", "as_pattern_target")
_BINDING_PARENTS = frozenset({"parameters", "formal_parameters", "lambda_parameters", "parameter_list", "pattern_list",
                              "tuple_pattern", "list_pattern", "array_pattern", "object_pattern"})
_IMPORTS = frozenset({"import_statement", "import_from_statement", "aliased_import"})
_MIX = np.uint64(0x9E3779B97F4A7C15)
_VAR_HASH = xxhash.xxh64_intdigest(VAR)


def _is_string(kind: str) -> bool:
    return kind.endswith("string") or "string_literal" in kind or kind in ("template_string", "heredoc_body",
                                                                          "raw_string", "char_literal")


def _is_number(kind: str) -> bool:
    return kind in ("integer", "float", "number", "int_literal", "float_literal", "integer_literal",
                    "decimal_integer_literal", "number_literal", "imaginary_literal", "hex_integer_literal")


@dataclass(frozen=True, slots=True)
class TokenStream:
    """A document's normalized tokens: 64-bit hash, start byte and 0-based row of each."""

    hashes: np.ndarray  # uint64 (every local as `$V`)
    starts: np.ndarray  # int64, byte offsets (sorted)
    rows: np.ndarray  # int32
    locals: np.ndarray | None = None  # int32: which local name a `$V` token was (-1 for other tokens)
    prose: np.ndarray | None = None  # bool: the token is a word of a comment, docstring or multi-line string
    cuts: np.ndarray | None = None  # int64: where each piece of the walk starts (tokenwalk.py), when walked so

    def span(self, start_byte: int, end_byte: int) -> tuple[int, int]:
        """Index range of the tokens that start inside [start_byte, end_byte)."""
        lo = int(np.searchsorted(self.starts, start_byte, "left"))
        hi = int(np.searchsorted(self.starts, end_byte, "left"))
        return lo, hi


# Per node kind: 0 plain leaf, 1 comment, 2 string, 3 number, 4 identifier (memoized).
_CLASS: dict[str, int] = {}


def _classify(kind: str) -> int:
    cls = _CLASS.get(kind)
    if cls is None:
        if "comment" in kind:
            cls = 1
        elif _is_string(kind):
            cls = 2
        elif _is_number(kind):
            cls = 3
        elif "identifier" in kind and kind not in ("property_identifier", "field_identifier"):
            cls = 4
        else:
            cls = 0
        _CLASS[kind] = cls
    return cls


def tokens(tree, source: bytes, raw: bool = False) -> TokenStream:
    """Walk the tree once, collect leaves (literals as one leaf), then normalize them (raw: do not). An error-free
    tree is walked a piece at a time and pieces seen before (an unchanged statement of an earlier version) are
    reused: the same stream, value for value (tokenwalk.py)."""
    if not raw:
        found = tokenwalk.pieces(tree, source, _leaf_walk, _classify)
        if found is not None:
            return TokenStream(*tokenwalk.assemble(found, _VAR_HASH))
    leaves, bound, imported = _leaf_walk(tree.root_node, [], None, source)
    return _normalize(leaves, set() if raw else bound - imported, raw)


def _leaf_walk(top, parents: list[str], top_field: str | None, source: bytes) -> tuple[list[tuple], set, set]:
    """Leaves under `top` (start, row, class, text, parent), the names they bind and the modules imported by name;
    `parents`: the node types above `top` (the last three matter), `top_field`: its field in its parent."""
    leaves: list[tuple] = []  # start, row, class, text, field, parent
    bound: set[bytes] = set()
    imported: set[bytes] = set()  # a module imported by name is API even where the file also defines it
    cursor = top.walk()
    depth = 0
    append = leaves.append
    while True:
        node = cursor.node
        cls = _classify(node.type)
        if cls in (1, 2) or node.child_count == 0:
            start = node.start_byte
            text = source[start:node.end_byte]
            if cls == 4:
                field = cursor.field_name if depth else top_field
                parent = parents[-1] if parents else ""
                if _binds(field, parent):
                    bound.add(text)
                keep = field in _KEEP_FIELDS or parent == "keyword_argument"
                if parent == "dotted_name" and _IMPORTS.intersection(parents[-3:]):
                    if node.prev_sibling is None:
                        imported.add(text)  # `import urllib.request` binds `urllib` ...
                    else:
                        keep = True  # ... its `request` is a module path, never the local `request`
                append((start, node.start_point[0], 5 if keep else 4, text, parent))
            else:
                append((start, node.start_point[0], cls, text, parents[-1] if parents else ""))
        elif cursor.goto_first_child():
            parents.append(node.type)
            depth += 1
            continue
        while not (depth and cursor.goto_next_sibling()):
            if not depth or not cursor.goto_parent():
                return leaves, bound, imported
            parents.pop()
            depth -= 1


def _binds(field: str | None, parent: str) -> bool:
    if parent == "keyword_argument" or field in _KEEP_FIELDS:
        return False
    if field in _BINDING_FIELDS or parent in _BINDING_PARENTS:
        return True
    if any(p in parent for p in _PARAM_PARENTS):
        return True
    return field == "name" and any(d in parent for d in _DEFINES)


def _normalize(leaves, bound: set[bytes], raw: bool = False) -> TokenStream:
    cache: dict[bytes, int] = {}
    out_h: list[int] = []
    out_s: list[int] = []
    out_r: list[int] = []
    out_l: list[int] = []
    out_p: list[bool] = []
    ids = {name: n for n, name in enumerate(sorted(bound))}
    digest = xxhash.xxh64_intdigest

    for start, row, cls, text, parent in leaves:
        if cls == 1 or (cls == 2 and (parent == "expression_statement" or b"\n" in text)):
            # Comments, docstrings and multi-line strings keep their words (a payload hides there).
            for m in _WORD.finditer(text):
                tok = m.group()
                local = ids.get(tok, -1)
                if local >= 0:  # a renamed local is renamed in its docstring too
                    tok = VAR
                out_l.append(local)
                out_p.append(True)
                h = cache.get(tok)
                if h is None:
                    h = cache[tok] = digest(tok)
                out_h.append(h)
                out_s.append(start + m.start())
                out_r.append(row + text.count(b"\n", 0, m.start()))
            continue
        local = -1
        if cls == 2 and not raw:
            tok = STR
        elif cls == 3 and not raw:
            tok = NUM
        elif cls == 4 and text in bound:
            tok, local = VAR, ids[text]
        elif text.strip():
            tok = text
        else:
            continue
        out_l.append(local)
        out_p.append(False)
        h = cache.get(tok)
        if h is None:
            h = cache[tok] = digest(tok)
        out_h.append(h)
        out_s.append(start)
        out_r.append(row)
    return TokenStream(np.array(out_h, dtype=np.uint64), np.array(out_s, dtype=np.int64),
                       np.array(out_r, dtype=np.int32), np.array(out_l, dtype=np.int32), np.array(out_p, dtype=bool))


def unit_tokens(stream: TokenStream, lo: int, hi: int, scheme: str = SCHEME, code_only: bool = False) -> np.ndarray:
    """The token hashes of one unit under a scheme; "consistent" numbers its locals by first occurrence.
    code_only leaves out the words of comments and docstrings (a planter rewrites those freely)."""
    hashes = stream.hashes[lo:hi]
    local = stream.locals[lo:hi] if stream.locals is not None else None
    if code_only and stream.prose is not None:
        keep = ~stream.prose[lo:hi]
        hashes = hashes[keep]
        local = local[keep] if local is not None else None
    if scheme != "consistent" or local is None:
        return hashes
    where = np.flatnonzero(local >= 0)
    if not len(where):
        return hashes
    names, first, inverse = np.unique(local[where], return_index=True, return_inverse=True)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(names))
    out = hashes.copy()
    out[where] = _NUMBERED[np.minimum(rank[inverse.reshape(-1)], len(_NUMBERED) - 1)]
    return out


def shingle_hashes(token_hashes: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """Unique 64-bit hashes of every k consecutive tokens (one shingle for a shorter stream)."""
    return np.unique(shingle_sequence(token_hashes, k))


def shingle_sequence(token_hashes: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """The hash of the k tokens starting at each position, in order (repeats kept)."""
    n = len(token_hashes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    if n < k:
        k = n
    count = n - k + 1
    with np.errstate(over="ignore"):
        acc = np.zeros(count, dtype=np.uint64)
        for j in range(k):  # k array operations per unit, not a loop per shingle
            acc = (acc ^ token_hashes[j:j + count]) * _MIX
            acc ^= acc >> np.uint64(29)
    return acc
