"""Big JavaScript files: names are found by one word index (not one scan of the file per name), reads of a name
look only at the uses that can change it, and the time budget grows with the file's size."""
from __future__ import annotations

import re

from codescan.analyze import languages
from codescan.analyze.budget import BUDGET_UNIT, file_budget
from codescan.analyze.semantics.lang import js_scopes
from codescan.analyze.semantics.lang.js_scopes import JsScopes


def _regex_starts(source: bytes, name: str) -> list[int]:
    pattern = re.compile(rb"(?<![\w$.])" + re.escape(name.encode()) + rb"(?![\w$])")
    return [m.start() for m in pattern.finditer(source)]


def test_the_word_index_finds_what_the_per_name_search_finds():
    source = ("var $a=1,a=2;a.b=a;o.a=3;function f(a,$){return a+$+_a+a$+a_+$a}\n"
              "x.$a;$a.push(a);ä=1;a\n").encode()
    names = ["a", "$a", "$", "_a", "a$", "a_", "b", "f", "o", "x", "push"]
    scopes = JsScopes(source, languages.parser("javascript").parse(source).root_node)
    scopes._searches = js_scopes.WORD_INDEX_AFTER  # force the index from the first name
    for name in names:
        assert list(scopes._starts(name)) == _regex_starts(source, name), name
    assert scopes._words is not None


def test_a_big_file_is_scanned_once_for_all_its_names():
    body = "".join(f"var v{i}=n(v{i - 1});" for i in range(1, 3000))
    source = ("(()=>{var v0=1;" + body + "})();\n").encode()
    scopes = JsScopes(source, languages.parser("javascript").parse(source).root_node)
    for i in range(0, 3000, 7):
        scopes.index(f"v{i}")
    # name-by-name scans stop once they have read WORD_INDEX_AFTER bytes; the rest come from one word index
    assert scopes._searches * len(source) <= js_scopes.WORD_INDEX_AFTER + len(source)
    assert scopes._words is not None
    assert [e[0] for e in scopes.index("v14")] == ["assign"]


def test_the_time_budget_grows_with_the_file_size():
    assert file_budget(10.0, 1000) == 10.0
    assert file_budget(10.0, BUDGET_UNIT) == 10.0
    assert file_budget(10.0, 2 * BUDGET_UNIT) == 20.0
    assert file_budget(None, 10 * BUDGET_UNIT) is None
