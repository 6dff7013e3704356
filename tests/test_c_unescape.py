"""Backslash escapes of PHP/Ruby/printf strings: a `\\u` or `\\x` without digits, or past Unicode, stays as written
instead of failing the fold (a PHP namespace in a string made the whole file an analysis-exhausted high)."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.analyze.fold_values import c_unescape
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules


def test_escapes_without_digits_or_past_unicode_stay_as_written():
    assert c_unescape(rb"a\util") == rb"a\util"
    assert c_unescape(rb"\x") == rb"\x"
    assert c_unescape(rb"\u{110000}") == rb"\u{110000}"
    assert c_unescape(rb"\x41\u{1F600}\u0042") == "A\U0001F600B".encode("utf-8")
    assert c_unescape(rb"\u{D800}") == "\ud800".encode("utf-8", "surrogatepass")


def test_a_php_namespace_in_a_string_is_folded_without_error():
    text = (b'<?php\nclass T {\n  private $fn = "google\\appengine\\util\\ArrayUtil::merge";\n'
            b'  function f($a) { return call_user_func_array($this->fn, $a); }\n}\n')
    result = Analyzer(load_rules(), Config()).analyze(Document(path="t.php", content=text))
    assert not result.skips
    assert "analysis-exhausted" not in {f.rule_id for f in result.findings}
