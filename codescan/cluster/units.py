"""Units a planter can copy, from the tree the analyzer already parsed: functions, classes, groups
of top-level statements, the whole file (comments and docstrings included), and rare-line fingerprints."""
from __future__ import annotations

import re

import numpy as np
import xxhash

from ..records import Unit
from . import minhash, unit_memo
from .embedded import units as code_in_strings
from .linekey import STEM, mark
from .shingles import SCHEME, SHINGLE, shingle_sequence, tokens, unit_tokens
from .textmarks import stream_sentences, text_sentences, urls

MIN_TOKENS = 20  # shorter functions (getters, one-line wrappers) collide everywhere: they need a finding
MIN_SHINGLES = 10  # distinct shingles a unit needs: `__all__ = [$S, $S, ...]` repeats one shape
SHORT_TOKENS = 8  # a short unit (a planted 2-3 statement snippet) needs this many tokens
SHORT_SHINGLES = 4  # ... and this many distinct shingles
DEF_MEMO = 8192  # top-level statements (and pieces of big ones) whose definitions a worker remembers
PIECE_BYTES = 2048  # a statement bigger than this is walked a child at a time (tokenwalk.PIECE_BYTES)
_def_memo: dict[tuple, list] = {}
CUT_TOKENS = 256  # a unit this long is min-hashed a statement at a time (the unchanged ones come from the memo)
BLOCK_LINES = 40  # a run of top-level statements is cut into groups of about this many lines
LINE_MIN_CHARS = 24  # a line fingerprint needs this much text after whitespace is collapsed
LINE_MIN_WORDS = 4  # ... and this many distinct words (2+ characters): `x = y.strip()` is everywhere
STEM_MIN_WORDS = 7  # comments this long also get a fingerprint without their last word
LINE_MEMO = 65536  # line texts whose fingerprints a worker remembers
_line_memo: dict[bytes, tuple | None] = {}

_FUNCTION = ("function_definition", "function_declaration", "method_definition", "method_declaration",
             "function_item", "constructor_declaration", "function_expression", "method", "arrow_function",
             "generator_function_declaration", "generator_function")
_CLASS = ("class_definition", "class_declaration", "class_specifier", "struct_item", "impl_item",
          "interface_declaration", "class", "module")
_LINE_WORD = re.compile(rb"[A-Za-z0-9_]{2,}")
_COMMENT_LEAD = re.compile(rb"^\s*(#|//|--|/\*|\*|;)")
# Lines every codebase shares, never evidence of a planting on their own: imports, block headers
# (`def f(x):`, `if x is None:`, `function f(a) {`), decorators, key armour, package metadata,
# bare string items of a list. (`import base64;exec(...)` is not an import line.)
_GENERIC = re.compile(rb"""^(?:
    (?:import|from|using|package|use|require|\#include|@)\b[^;]*
  | (?:(?:async\ )?def|class|if|elif|else|for|while|with|try|except|finally|switch|case|catch
     |function|export|public|private|protected|static|fn|func|struct|impl|interface)\b.*[:{]
  | -----(?:BEGIN|END)\ .*
  | [A-Z][\w-]*:\ .*
  | (?:"[^"]*"|'[^']*'),?
)$""", re.X | re.S)


def _kind(node_type: str) -> str | None:
    if node_type in _FUNCTION:
        return "function"
    if node_type in _CLASS:
        return "class"
    return None


def extract(tree, source: bytes, language: str, *, shingle: int = SHINGLE, embedded: bool = True) -> list[Unit]:
    """Units of one parsed document, signatures filled (MinHash bytes; 8-byte hash for lines).

    A function or class with comments or a docstring gets a second unit shingled from its code alone:
    a planter rewrites prose freely (bench/normalize_bench.py: renamed copies with a new docstring and
    comment link 45 % of the time on all tokens, 90 % on either view). Units of SHORT_TOKENS..MIN_TOKENS tokens are kept too; they make a campaign
    only where findings sit in them (see campaign.build), as short code collides everywhere."""
    stream = tokens(tree, source)
    spans: list[tuple[str, int, int, str | None, int, int]] = []  # kind, line, end_line, name, lo, hi
    _definitions(tree, source, stream, spans)
    _blocks(tree.root_node, stream, spans)
    if len(stream.hashes):
        spans.append(("file", 1, int(stream.rows[-1]) + 1, None, 0, len(stream.hashes)))
    kept, sets, seen = [], [], set()
    signed: list[int] = []  # the rows of `kept` whose signature is computed (sets[i] is row signed[i]'s)
    remembered: dict[int, bytes] = {}  # row of `kept` -> its signature, from unit_memo
    to_remember: list[tuple] = []  # (memo key, first row, end row) of the spans signed here
    # Every unit's own view is a slice of the stream (local names all `$V`): its shingles are a slice of the file's.
    whole = shingle_sequence(stream.hashes, shingle) if SCHEME != "consistent" and len(stream.hashes) else None
    for span in spans:
        kind, lo, hi = span[0], span[4], span[5]
        if hi - lo < SHORT_TOKENS or (lo, hi) in seen:
            continue
        seen.add((lo, hi))
        memo_key = unit_memo.key(kind in ("function", "class"), stream, lo, hi, shingle) \
            if SCHEME != "consistent" else None
        found = unit_memo.get(memo_key)
        if found is not None:  # the same tokens signed in an earlier version (or elsewhere in this one)
            for count, signature in found:
                remembered[len(kept)] = bytes(memoryview(signature))  # a copy: no two units share one object
                kept.append((*span[:4], count))
            continue
        first = len(kept)
        views = [unit_tokens(stream, lo, hi)]
        if kind in ("function", "class"):
            code = unit_tokens(stream, lo, hi, code_only=True)
            if MIN_TOKENS <= len(code) < len(views[0]):
                views.append(code)
        for n, hashes in enumerate(views):
            if n == 0 and whole is not None and len(hashes) >= shingle:
                sequence = whole[lo:hi - shingle + 1]  # a shingle depends only on its own tokens
            else:
                sequence = shingle_sequence(hashes, shingle)
            if _enough(sequence, MIN_SHINGLES if len(hashes) >= MIN_TOKENS else SHORT_SHINGLES):
                signed.append(len(kept))
                kept.append((*span[:4], len(hashes)))
                # Repeats change no min-hash: the sequence stands for its set.
                sets.append(_cut(sequence, stream.cuts, lo) if n == 0 and hi - lo >= CUT_TOKENS else sequence)
        if memo_key is not None:
            to_remember.append((memo_key, first, len(kept)))
    signatures = remembered
    signatures.update(zip(signed, map(minhash.to_bytes, _signatures(sets))))
    for memo_key, first, end in to_remember:
        unit_memo.put(memo_key, tuple((kept[row][4], signatures[row]) for row in range(first, end)))
    units = [Unit(kind, line, end_line, signatures[row], name, count)
             for row, (kind, line, end_line, name, count) in enumerate(kept)]
    if embedded and language == "python":
        units.extend(code_in_strings(tree, source, extract))
    units.extend(lines(source, prose=False))
    units.extend(stream_sentences(stream, source))
    return units


def _cut(sequence: np.ndarray, cuts, lo: int) -> list[np.ndarray] | np.ndarray:
    """A big unit's shingles cut where the token walk's pieces start (its statements): min-hashes of a union are
    the minimum of its parts' min-hashes, and the parts an earlier version shares come from minhash's memo."""
    if cuts is None:
        return sequence
    inside = cuts[(cuts > lo) & (cuts < lo + len(sequence))] - lo
    if not len(inside):
        return sequence
    edges = [0, *inside.tolist(), len(sequence)]
    return [sequence[a:b] for a, b in zip(edges, edges[1:])]  # np.split's views, without its 25 us a call


def _enough(sequence: np.ndarray, need: int) -> bool:
    """At least `need` distinct shingles (a look at the first few settles most units without sorting them all)."""
    if len(sequence) < need:
        return False
    return len(set(sequence[:4 * need].tolist())) >= need or len(np.unique(sequence)) >= need


def _signatures(sets: list) -> np.ndarray:
    """minhash.signatures of each set, a list of parts standing for their union."""
    flat: list[np.ndarray] = []
    owner: list[int] = []
    for row, item in enumerate(sets):
        parts = item if isinstance(item, list) else [item]
        flat.extend(parts)
        owner.extend([row] * len(parts))
    if not flat:
        return minhash.signatures([])
    sigs = minhash.signatures(flat)
    who = np.asarray(owner, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
    return np.minimum.reduceat(sigs, starts, axis=0)


def short(unit: Unit) -> bool:
    """A unit too short to make a campaign without a finding inside it."""
    return unit.kind != "line" and unit.tokens < MIN_TOKENS


def _definitions(tree, source: bytes, stream, spans: list) -> None:
    """Functions and classes, in the order of a last-in-first-out walk of the tree (units keep that order). In an
    error-free tree each top-level statement's definitions are remembered by its text (a statement an earlier
    version had is not walked again): its own definition, then its subtree's, the last statement's first."""
    root = tree.root_node
    if root.has_error:
        found = _walk_definitions(root)
    else:
        grammar = getattr(tree.language, "name", None) or id(tree.language)
        found = _remembered_definitions(root, None, grammar, source, split=True)
    for kind, start, end, line, end_line, name in found:
        lo, hi = stream.span(start, end)
        spans.append((kind, line, end_line, name, lo, hi))


def _remembered_definitions(node, parent, grammar, source: bytes, split: bool = False) -> list[tuple]:
    """_walk_definitions(node), each node of at most PIECE_BYTES (and each of the root's statements) remembered by its
    text, a bigger one (a class of a hundred methods, one of which changed) walked as its children: its children's
    own definitions, then each child's subtree, the last child's first (the order of the last-in-first-out walk)."""
    if split or (node.end_byte - node.start_byte > PIECE_BYTES and node.child_count):
        found, later = [], []
        for child in node.children:
            own = _definition(child, node)
            if own is not None:
                found.append(own)
            if child.child_count:
                later.append(child)
        for child in reversed(later):
            found.extend(_remembered_definitions(child, node, grammar, source))
        return found
    text = source[node.start_byte:node.end_byte]
    key = (grammar, parent.type, node.type, len(text), xxhash.xxh3_128_intdigest(text))
    base, row = node.start_byte, node.start_point[0]
    inner = _def_memo.get(key)
    if inner is None:
        inner = [(k, a - base, b - base, line - row, end - row, name)
                 for k, a, b, line, end, name in _walk_definitions(node)]
        if len(_def_memo) >= DEF_MEMO:
            _def_memo.clear()
        _def_memo[key] = inner
    return [(k, a + base, b + base, line + row, end + row, name) for k, a, b, line, end, name in inner]


def _walk_definitions(top) -> list[tuple]:
    out = []
    stack = [top]
    while stack:
        node = stack.pop()
        for child in node.children:
            found = _definition(child, node)
            if found is not None:
                out.append(found)
            if child.child_count:
                stack.append(child)
    return out


def _definition(child, parent) -> tuple | None:
    """(kind, start byte, end byte, line, end line, name) of a function or class node (its decorators included)."""
    kind = _kind(child.type) if child.is_named else None
    if kind is None:
        return None
    name_node = child.child_by_field_name("name")
    outer = parent if parent.type == "decorated_definition" else child
    if name_node is None and parent.type in ("variable_declarator", "assignment_expression", "pair"):
        # `const send = (a) => {...}`, `exports.send = function () {...}`: the name it is bound to
        name_node = parent.child_by_field_name("name") or parent.child_by_field_name(
            "left") or parent.child_by_field_name("key")
    name = name_node.text.decode("utf-8", "replace") if name_node is not None else None
    return kind, outer.start_byte, outer.end_byte, outer.start_point[0] + 1, outer.end_point[0] + 1, name


def _blocks(root, stream, spans: list) -> None:
    """Runs of top-level statements that are not definitions, cut at about BLOCK_LINES lines; inside a
    run, each paragraph (statements without a blank line between them) too, as a planted snippet is."""
    run: list = []

    def add(nodes: list) -> None:
        lo, hi = stream.span(nodes[0].start_byte, nodes[-1].end_byte)
        spans.append(("block", nodes[0].start_point[0] + 1, nodes[-1].end_point[0] + 1, None, lo, hi))

    def flush() -> None:
        if run:
            add(run)
            paragraph = [run[0]]
            for node in run[1:]:
                if node.start_point[0] > paragraph[-1].end_point[0] + 1:
                    if len(paragraph) < len(run):
                        add(paragraph)
                    paragraph = []
                paragraph.append(node)
            if len(paragraph) < len(run):
                add(paragraph)
            run.clear()

    for child in root.children:
        inner = child.child_by_field_name("definition") if child.type == "decorated_definition" else child
        if inner is not None and inner.is_named and _kind(inner.type) is not None:
            flush()
            continue
        if run and child.end_point[0] - run[0].start_point[0] >= BLOCK_LINES:
            flush()
        run.append(child)
    flush()


def lines(source: bytes, prose: bool = True) -> list[Unit]:
    """A fingerprint per substantial line (whitespace collapsed); long comments also by their stem; every URL
    (textmarks.py); with prose (a file without a grammar: Markdown, rule files, notes) its sentences too.

    Generic lines (imports, block headers, short statements) are left out; how many repositories share
    a line is decided across the corpus later."""
    out: list[Unit] = []
    seen: set[int] = set()
    memo = _line_memo
    for row, raw in enumerate(source.split(b"\n"), start=1):
        if len(raw) < LINE_MIN_CHARS:
            continue  # collapsing whitespace never lengthens a line
        marks = memo.get(raw, False)
        if marks is False:
            marks = _marks(raw)
            if len(memo) >= LINE_MEMO:
                memo.clear()
            memo[raw] = marks
        if marks is None:
            continue
        h, plain, stem, stemmed = marks
        if h not in seen:
            seen.add(h)
            out.append(Unit("line", row, row, plain, None, 1))
        if stem is not None and stem not in seen:
            seen.add(stem)
            out.append(Unit("line", row, row, stemmed, STEM, 1))
    out.extend(urls(source))
    if prose:
        out.extend(text_sentences(source))
    return out


def _marks(raw: bytes) -> tuple[int, bytes, int | None, bytes | None] | None:
    """A line's hash and fingerprint, its comment stem's (None: not a substantial line). A worker remembers them per
    line text: most lines of a file's next version are lines of the one before."""
    text = b" ".join(raw.split())
    if len(text) < LINE_MIN_CHARS or len(set(_LINE_WORD.findall(text))) < LINE_MIN_WORDS or _GENERIC.match(text):
        return None
    stem = None
    if _COMMENT_LEAD.match(text):
        words = text.split()
        if len(words) >= STEM_MIN_WORDS:
            # A planter who varies only the last word (TrojanPuzzle's placeholder) keeps the stem.
            stem = xxhash.xxh64_intdigest(b"stem\0" + b" ".join(words[:-1]))
    h = xxhash.xxh64_intdigest(text)
    return h, mark(h, None), stem, None if stem is None else mark(stem, STEM)


def line_hash(unit: Unit) -> int:
    return int.from_bytes(unit.signature, "little")


