"""Campaign variants side by side: distinct member codes against the first, differences highlighted, findings marked."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .escape import code, esc

MAX_LINES = 80
MAX_VARIANTS = 6


@dataclass(frozen=True)
class Variant:
    """One distinct text among a campaign's members, the members that share it, and their finding lines."""

    lines: tuple[str, ...]
    first_line: int
    members: tuple[dict, ...]
    marks: dict  # index into lines → rule ids found on that line


def _member_marks(member: dict, findings: list[dict]) -> dict[int, list[str]]:
    marks: dict[int, list[str]] = {}
    start, end = int(member.get("line") or 1), int(member.get("end_line") or member.get("line") or 1)
    for f in findings:
        if (f.get("repo"), f.get("path")) != (member.get("repo"), member.get("path")):
            continue
        line = int(f.get("line") or 0)
        if start <= line <= end:
            marks.setdefault(line - start, []).append(str(f.get("rule_id", "")))
    return marks


def variants(members: list[dict], findings: list[dict], lookup) -> tuple[list[Variant], int]:
    """Distinct member texts (first seen first) and how many members had no code at hand."""
    by_text: dict[tuple[str, ...], Variant] = {}
    missing = 0
    for m in members:
        lines = lookup(m) if lookup else None
        if lines is None:
            missing += 1
            continue
        start = max(int(m.get("line") or 1), 1)
        end = max(int(m.get("end_line") or start), start)
        body = tuple(lines[start - 1:min(end, start - 1 + MAX_LINES)])
        key = tuple(line.strip() for line in body)
        marks = _member_marks(m, findings)
        if key in by_text:
            old = by_text[key]
            merged = {**{k: list(v) for k, v in old.marks.items()}}
            for k, v in marks.items():
                merged[k] = sorted(set(merged.get(k, [])) | set(v))
            by_text[key] = Variant(old.lines, old.first_line, old.members + (m,), merged)
        else:
            by_text[key] = Variant(body, start, (m,), marks)
    return list(by_text.values()), missing


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _inline_diff(a: str, b: str) -> tuple[str, str]:
    """Both lines as HTML with the tokens (words, spaces, punctuation) that differ wrapped in <del>/<ins>."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pa, pb = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        if op == "equal":
            left.append(code(pa))
            right.append(code(pb))
            continue
        if pa:
            left.append(f"<del>{code(pa)}</del>")
        if pb:
            right.append(f"<ins>{code(pb)}</ins>")
    return "".join(left), "".join(right)


def _cell(number: int | None, html_text: str, marks: list[str] | None, kind: str) -> str:
    if number is None:
        return '<td class="ln"></td><td class="src empty"></td>'
    mark = (f'<span class="mark" title="{esc(", ".join(marks))}">▲ {esc(marks[0])}'
            f'{" +" + str(len(marks) - 1) if len(marks) > 1 else ""}</span>') if marks else ""
    cls = f"src {kind}" + (" flagged" if marks else "")
    return f'<td class="ln">{number}</td><td class="{cls}">{html_text}{mark}</td>'


def side_by_side(base: Variant, other: Variant) -> str:
    """A two-column table: base on the left, other on the right, aligned by difflib line opcodes."""
    a, b = list(base.lines), list(other.lines)
    rows = []
    matcher = difflib.SequenceMatcher(None, [s.strip() for s in a], [s.strip() for s in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            la = a[i] if i < i2 else None
            lb = b[j] if j < j2 else None
            if op == "equal":
                ha, hb, kind = code(la), code(lb), "same"
            elif la is not None and lb is not None:
                (ha, hb), kind = _inline_diff(la, lb), "changed"
            else:
                ha, hb, kind = code(la or ""), code(lb or ""), "changed"
            left = _cell(base.first_line + i if la is not None else None, ha, base.marks.get(i), kind)
            right = _cell(other.first_line + j if lb is not None else None, hb, other.marks.get(j), kind)
            rows.append(f"<tr>{left}{right}</tr>")
    return '<table class="diff">' + "".join(rows) + "</table>"


def single(variant: Variant) -> str:
    rows = [f"<tr>{_cell(variant.first_line + i, code(line), variant.marks.get(i), 'same')}</tr>"
            for i, line in enumerate(variant.lines)]
    return '<table class="diff">' + "".join(rows) + "</table>"
