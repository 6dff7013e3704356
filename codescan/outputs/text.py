"""Plain and coloured terminal output, grouped by file, with a one-line summary."""
from __future__ import annotations

from collections import Counter
from itertools import groupby

from ..records import SEVERITIES

_COLOURS = {"critical": "\033[1;35m", "high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"
_BOLD = "\033[1m"


def _visible(text: str) -> str:
    """Show invisible and control characters as <U+XXXX> so the terminal cannot be tricked."""
    out = []
    for ch in text:
        cp = ord(ch)
        if ch == "\t" or (32 <= cp < 127):
            out.append(ch)
        elif cp < 32 or cp == 127 or 0x80 <= cp < 0xA0 or 0x200B <= cp <= 0x200F or 0x202A <= cp <= 0x202E \
                or 0x2060 <= cp <= 0x2069 or cp == 0xFEFF or 0xE0000 <= cp <= 0xE007F or 0xFE00 <= cp <= 0xFE0F \
                or 0xE0100 <= cp <= 0xE01EF:
            out.append(f"<U+{cp:04X}>")
        else:
            out.append(ch)
    return "".join(out)


def write(result, stream, colour: bool = False) -> None:
    def c(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    key = lambda f: (f.repo or "", f.path)  # noqa: E731
    for (repo, path), group in groupby(result.findings, key=key):
        where = f"{repo}:{path}" if repo else path
        stream.write(c(_BOLD, where) + "\n")
        for f in group:
            sev = c(_COLOURS.get(f.severity, ""), f"{f.severity:<8}")
            ctx = "" if f.context == "code" else c(_DIM, f" [{f.context}]")
            stream.write(f"  {f.line}:{f.column}  {sev} {f.rule_id}{ctx}  {f.message}\n")
            if f.snippet:
                stream.write(c(_DIM, f"      │ {_visible(f.snippet)}") + "\n")
            if f.decoded and f.decoded != f.snippet:
                stream.write(c(_DIM, f"      ↳ {_visible(f.decoded.splitlines()[0] if f.decoded else '')[:200]}") + "\n")
        stream.write("\n")
    for s in result.skips:
        stream.write(c(_DIM, f"skipped {s.repo + ':' if s.repo else ''}{s.path}: {s.reason}") + "\n")
    counts = Counter(f.severity for f in result.findings)
    parts = [f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s]]
    st = result.stats
    summary = (f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
               f"{' (' + ', '.join(parts) + ')' if parts else ''} in {st.files} file{'s' if st.files != 1 else ''}"
               f", {len(result.skips)} skipped, {st.seconds:.2f} s")
    if result.suppressed:
        summary += f", {len(result.suppressed)} suppressed"
    stream.write(summary + "\n")
