"""The token walk behind shingles.tokens, piece by piece: a document's tree is cut into pieces (top-level statements,
and the statements inside a big class or function), each piece's tokens are normalized up to the one thing that
depends on the rest of the file (which names are local), and a process remembers pieces by their text. Two versions
of a file share most statements, so a crawl walks and normalizes only what changed; the stream is the same, value
for value, as one walk over the whole tree."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import xxhash

PIECE_BYTES = 2048  # a node this big is walked as its children (each a piece of its own) unless it is a literal
MEMO = 8192  # pieces remembered per process
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\s\w]")
_memo: dict[tuple, "Piece"] = {}


@dataclass(frozen=True, slots=True)
class Piece:
    """A node's tokens before local names are known: each token's hash if it is not a local, offsets from the
    node's start byte and row, which candidate name it is (-1: never a local), whether it is prose."""

    base: np.ndarray  # uint64
    starts: np.ndarray  # int64
    rows: np.ndarray  # int64
    names: np.ndarray  # int64, index into words
    prose: np.ndarray  # bool
    words: tuple[bytes, ...]
    bound: frozenset
    imported: frozenset


def pieces(tree, source: bytes, leaf_walk, classify) -> list[tuple[int, int, Piece]] | None:
    """(start byte, start row, piece) covering the tree in document order; None when the tree has errors (a
    statement's parse may then depend on its surroundings): the caller walks it whole."""
    root = tree.root_node
    if root.has_error or root.child_count == 0 or classify(root.type) in (1, 2):
        return None
    grammar = getattr(tree.language, "name", None) or id(tree.language)
    out: list[tuple[int, int, Piece]] = []
    stack = [(root, (), None)]
    while stack:
        node, parents, field = stack.pop()
        size = node.end_byte - node.start_byte
        split = node is root or (size > PIECE_BYTES and node.child_count and classify(node.type) not in (1, 2)
                                 and node.type != "dotted_name")
        if split:
            inner = (*parents, node.type)[-3:]
            for i in range(node.child_count - 1, -1, -1):
                stack.append((node.child(i), inner, node.field_name_for_child(i)))
            continue
        text = source[node.start_byte:node.end_byte]
        key = (grammar, parents, field, node.type, len(text), xxhash.xxh3_128_intdigest(text))
        piece = _memo.get(key)
        if piece is None:
            leaves, bound, imported = leaf_walk(node, list(parents), field, source)
            piece = build(leaves, node.start_byte, node.start_point[0], bound, imported)
            if piece is None:
                return None
            if len(_memo) >= MEMO:
                for old in list(_memo)[:MEMO // 4]:  # the oldest quarter
                    del _memo[old]
            _memo[key] = piece
        out.append((node.start_byte, node.start_point[0], piece))
    return out


def build(leaves, start: int, row0: int, bound: set, imported: set,
          strings=(b"$S", b"$N")) -> Piece | None:
    """The piece's tokens as shingles._normalize would give them, every candidate name left open."""
    digest = xxhash.xxh64_intdigest
    cache: dict[bytes, int] = {}
    words: dict[bytes, int] = {}
    base: list[int] = []
    starts: list[int] = []
    rows: list[int] = []
    names: list[int] = []
    prose: list[bool] = []
    for at, row, cls, text, parent in leaves:
        if cls == 1 or (cls == 2 and (parent == "expression_statement" or b"\n" in text)):
            for m in _WORD.finditer(text):
                tok = m.group()
                h = cache.get(tok)
                if h is None:
                    h = cache[tok] = digest(tok)
                base.append(h)
                starts.append(at + m.start() - start)
                rows.append(row + text.count(b"\n", 0, m.start()) - row0)
                names.append(words.setdefault(tok, len(words)))
                prose.append(True)
            continue
        name = -1
        if cls == 2:
            tok = strings[0]
        elif cls == 3:
            tok = strings[1]
        elif cls == 4:
            if not text.strip():
                return None  # skipped unless local: leave such (error-free, unlikely) trees to the whole walk
            tok, name = text, words.setdefault(text, len(words))
        elif text.strip():
            tok = text
        else:
            continue
        h = cache.get(tok)
        if h is None:
            h = cache[tok] = digest(tok)
        base.append(h)
        starts.append(at - start)
        rows.append(row - row0)
        names.append(name)
        prose.append(False)
    return Piece(np.array(base, dtype=np.uint64), np.array(starts, dtype=np.int64), np.array(rows, dtype=np.int64),
                 np.array(names, dtype=np.int64), np.array(prose, dtype=bool), tuple(words), frozenset(bound),
                 frozenset(imported))


def assemble(found: list[tuple[int, int, Piece]], var_hash: int):
    """(hashes, starts, rows, locals, prose, piece starts) of the whole document: a candidate name is a local when some piece
    binds it and none imports it; locals are numbered in sorted order, as the whole walk numbers them."""
    bound: set = set()
    imported: set = set()
    for _, _, piece in found:
        bound |= piece.bound
        imported |= piece.imported
    ids = {name: n for n, name in enumerate(sorted(bound - imported))}
    kept = [(start, row, piece) for start, row, piece in found if len(piece.base)]
    if not kept:
        empty = np.zeros(0, dtype=np.int64)
        return (np.zeros(0, dtype=np.uint64), empty, empty.astype(np.int32), empty.astype(np.int32),
                empty.astype(bool), empty)
    words: list[bytes] = []
    first_word: list[int] = []
    sizes: list[int] = []
    for _, _, piece in kept:  # one pass of numpy over all pieces, not a few calls per piece
        first_word.append(len(words))
        words.extend(piece.words)
        sizes.append(len(piece.base))
    word_ids = np.array([ids.get(w, -1) for w in words] + [-1], dtype=np.int64)
    names = np.concatenate([piece.names for _, _, piece in kept])
    spread = np.repeat(np.asarray(first_word, dtype=np.int64), sizes)
    local = word_ids[np.where(names >= 0, names + spread, len(words))]
    hashes = np.where(local >= 0, np.uint64(var_hash), np.concatenate([piece.base for _, _, piece in kept]))
    starts = np.concatenate([piece.starts for _, _, piece in kept]) + np.repeat(
        np.asarray([start for start, _, _ in kept], dtype=np.int64), sizes)
    rows = np.concatenate([piece.rows for _, _, piece in kept]) + np.repeat(
        np.asarray([row for _, row, _ in kept], dtype=np.int64), sizes)
    cuts = np.cumsum([0] + sizes[:-1]).astype(np.int64)
    return (hashes.astype(np.uint64), starts, rows.astype(np.int32), local.astype(np.int32),
            np.concatenate([piece.prose for _, _, piece in kept]), cuts)
