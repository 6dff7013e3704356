"""The word-by-word token finder of the semantic layer finds exactly what the one-regex form found."""
from __future__ import annotations

import re

from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as python_adapter
from codescan.rules import load_rules

SOURCE = (b"import os, pickle\nxgetattr(a)\ngetattr_(b)\n$exec = 1\nexecfile('x')\nloop.runAsync()\n"
          b"getattr(__builtins__, 'ev' + 'al')\nfoo.system ('ls')\npickle.loads(d)\n_getattr = getattr\n"
          b"s = `x` == y\n")


def _one_regex(wanted, extra):
    words = tuple(e for e in extra if re.match(rb"[\w$]", e))
    marks = tuple(e for e in extra if e not in words)
    pattern = rb"(?<![\w$])(?:" + wanted._body + b"".join(b"|" + re.escape(e) for e in words) + rb")(?![\w$])"
    if marks:
        pattern += b"|" + b"|".join(re.escape(m) for m in marks)
    return re.compile(pattern)


def test_word_finder_matches_the_one_regex_form():
    wanted = FactRules(load_rules().rules).for_language("python")[1]
    for extra in (python_adapter.DYNAMIC, (), (b"`", b"==")):
        finder, regex = wanted.token_regex(extra), _one_regex(wanted, extra)
        assert not isinstance(finder, re.Pattern)  # the word-by-word form is the one under test
        got = [(m.span(), m.group()) for m in finder.finditer(SOURCE)]
        assert got == [(m.span(), m.group()) for m in regex.finditer(SOURCE)]
        assert got and finder.search(SOURCE).span() == got[0][0]
        assert finder.search(b"nothing wanted here") is None
    spans = [m.group() for m in wanted.token_regex(python_adapter.DYNAMIC).finditer(SOURCE)]
    assert b"getattr" in spans and b"xgetattr" not in spans and b"getattr_" not in spans


JS_SOURCE = (b"const fetch = require('node-fetch');\nimport f from \"node-fetch\";\nnode-fetchy; x-node-fetch-y;\n"
             b"require(`node-fetch`).default(url, {body: JSON.stringify(process.env)})\nwindow['ev' + 'al'](x)\n"
             b"child_process.exec(cmd); $exec(1); fetch$(2); node - fetch; node-fetch-\n"
             b"Async(); fooAsync(); $Async(); Asyncx(); copyfile(); print(1); w.write_all(); spawnSync(); xexec();\n")


def test_hyphenated_words_found_word_by_word_as_the_one_regex_did():
    """JS names modules called as functions (`node-fetch`): the word finder handles them too."""
    from codescan.analyze.semantics.lang import javascript as js_adapter

    rules = FactRules(load_rules().rules)
    for language, adapter in (("javascript", js_adapter), ("python", python_adapter)):
        wanted = rules.for_language(language)[1]
        for extra in (adapter.DYNAMIC, (), (b"node", b"fetch"), (b"`",)):
            finder, regex = wanted.token_regex(extra), _one_regex(wanted, extra)
            assert not isinstance(finder, re.Pattern), language
            for source in (JS_SOURCE, SOURCE):
                got = [(m.span(), m.group()) for m in finder.finditer(source)]
                assert got == [(m.span(), m.group()) for m in regex.finditer(source)], (language, extra)
    js = rules.for_language("javascript")[1].token_regex(js_adapter.DYNAMIC)
    assert b"node-fetch" in [m.group() for m in js.finditer(JS_SOURCE)]


def test_callee_and_word_tests_equal_the_pattern_regexes():
    from codescan.analyze.semantics.names import pattern_regex

    names = ["builtins.eval", "os.system", "subprocess.Popen", "requests.Session().post", "a.b().recv", "recv",
             "node-fetch", "child_process.exec", "child_process.execSync", "os.execvp", "x.post", "x.y.post",
             "java.io.PrintWriter.println", "System.Net.Http.HttpClient.PostAsync", "eval", "pickle.loads", ""]
    rules = FactRules(load_rules().rules)
    for language in ("python", "javascript", "go", "shell"):
        wanted = rules.for_language(language)[1]
        callee = pattern_regex(wanted.patterns)
        word = re.compile("(?:" + wanted._body.decode() + r")\Z")
        for name in names + list(wanted.patterns):
            assert wanted.wants(name) == (callee.match(name) is not None), (language, name)
            last = name.rsplit(".", 1)[-1]
            assert wanted.token_full(last) == (word.match(last) is not None), (language, last)


def test_call_sites_found_by_find_as_by_the_regex():
    from codescan.analyze.semantics.lang.python_callsites import _called_at

    source = (b"def run(a):\n    pass\nrun(1)\nx.run (2)\nrerun(3)\n_run(4)\nrun\n(5)\nrun_(6)\nrunrun(7)\n"
              b"caf\xc3\xa9run(8)\n\xc3\xa9run(9)\nrun\t\x0b(10)\nrun = 1\n(run)(11)\nrun")
    for name in (b"run", b"runrun", b"caf\xc3\xa9run", b"x", b"n", b"\xc3\xa9run", b"(", b"rr"):
        regex = re.compile(rb"(?<![\w])" + re.escape(name) + rb"\s*\(")
        assert list(_called_at(source, name)) == [m.start() for m in regex.finditer(source)], name
    assert len(list(_called_at(source, b"run"))) >= 6
