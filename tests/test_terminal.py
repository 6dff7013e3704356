"""Terminal output: grouped by file, matched span marked, colour only when asked, hidden Unicode shown."""
import io
import subprocess
import sys

from codescan.outputs.hidden import segments, visible
from codescan.outputs.text import span, summary_line, write_findings
from codescan.outputs.text_campaigns import write_campaigns
from codescan.records import Finding


def finding(path="a.py", line=2, column=1, end_column=None, snippet="os.system(cmd)", severity="high", **kw):
    return Finding(rule_id=kw.pop("rule_id", "demo-rule"), category="code-execution", severity=severity,
                   message="a message", path=path, line=line, end_line=line, column=column,
                   end_column=end_column, snippet=snippet, **kw)


def render(findings, colour=False, line_source=None) -> str:
    out = io.StringIO()
    write_findings(findings, out, colour=colour, line_source=line_source)
    return out.getvalue()


def test_grouped_by_file_in_order_of_first_appearance_with_lines_sorted():
    text = render([finding("b.py", 9), finding("a.py", 5), finding("b.py", 3)])
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert headers == ["b.py ● 2 findings", "a.py ● 1 finding"]
    b_block = text.split("a.py")[0]
    assert b_block.index("  3:") < b_block.index("  9:")


def test_span_is_underlined_with_carets_when_plain():
    text = render([finding(column=1, end_column=10, snippet="os.system(cmd)")])
    lines = text.splitlines()
    code = next(i for i, line in enumerate(lines) if "│ os.system(cmd)" in line)
    caret = lines[code + 1]
    assert caret.endswith("│ " + "^" * 9)
    assert "\033[" not in text


def test_span_inside_an_indented_line_needs_the_line():
    f = finding(column=13, end_column=22, snippet="x = os.system(cmd)")
    assert span(f) is None  # stripped snippet: the indentation is unknown, so nothing is guessed
    assert span(f, "        x = os.system(cmd)") == (4, 13)
    text = render([f], line_source=lambda _: "        x = os.system(cmd)")
    assert "│     ^^^^^^^^^" in text


def test_colour_only_when_asked():
    plain = render([finding(end_column=10)])
    coloured = render([finding(end_column=10)], colour=True)
    assert "\033[" not in plain
    assert "\033[1;31m" in coloured and "\033[4m" in coloured  # severity colour and underlined span


def test_hidden_unicode_is_shown_as_markers_and_tags_decoded():
    tag_text = "".join(chr(0xE0000 + ord(c)) for c in "run rm")
    text = render([finding(snippet="if x \u202e== y\u200b" + tag_text)])
    assert "⟨U+202E⟩" in text and "⟨U+200B⟩" in text and "⟨tags: 'run rm'⟩" in text
    assert "\u202e" not in text and "\U000e0072" not in text
    assert visible("a\x1b[31mb") == "a⟨U+001B⟩[31mb"  # an escape sequence in scanned code cannot colour the terminal
    assert "".join(s.text for s in segments("a\u202eb\u2066c")) == "a\u202eb\u2066c"


def test_summary_line_counts_by_severity():
    line = summary_line([finding(severity="high"), finding(severity="low"), finding(severity="high")],
                        "in 4 files", "1 skipped")
    assert line == "3 findings (2 high, 1 low) in 4 files, 1 skipped"


def test_campaigns_text():
    out = io.StringIO()
    campaign = {"id": "c-1a2b", "score": 7.5, "reasons": ["3 repositories within 2 days"],
                "repos": ["a/x", "b/y", "c/z"], "authors": ["eve", "mal"], "first_seen": "2024-03-01T10:00:00",
                "last_seen": "2024-03-03T09:00:00", "categories": ["code-execution"],
                "members": [{"repo": "a/x", "path": "u.py", "line": 3, "end_line": 9, "commit": "abc",
                             "author": "eve", "date": "2024-03-01T10:00:00"}],
                "findings": [{"severity": "critical", "rule_id": "r"}]}
    assert write_campaigns([campaign], out) == 1
    text = out.getvalue()
    assert "#1 c-1a2b  score 7.50  3 repositories · 2 authors · 1 member · 2024-03-01 → 2024-03-03" in text
    assert "  - 3 repositories within 2 days" in text and "a/x:u.py:3-9  eve 2024-03-01" in text
    assert text.rstrip().endswith("1 campaign across 3 repositories, 1 with findings")


def test_scan_piped_is_plain_and_always_is_coloured(tmp_path):
    (tmp_path / "a.py").write_text("import os\nos.system('rm ' + x)\n", encoding="utf-8")
    base = [sys.executable, "-m", "codescan", "scan", str(tmp_path), "--no-progress", "-j", "1"]
    plain = subprocess.run(base, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    coloured = subprocess.run(base + ["--color", "always"], capture_output=True, text=True, timeout=120,
                              cwd=tmp_path)
    assert plain.returncode == 1 and "\033[" not in plain.stdout
    assert "a.py ● 1 finding" in plain.stdout and "^^^^" in plain.stdout
    assert plain.stdout.rstrip().splitlines()[-1].startswith("1 finding (1 high) in 1 file")
    assert "\033[" in coloured.stdout
