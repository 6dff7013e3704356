"""Words no wanted name can end with in a file (python_dead_words): their calls are never wanted, order is kept."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.rule_gate import presence_of
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang.python_dead_words import DeadWords, code_words
from codescan.rules import load_rules
from unwanted_calls import assert_unwanted

PATTERNS = ["requests.get", "requests.*().post", "yaml.load", "**.execute", "builtins.eval", "subprocess.getoutput",
            "os.exec*", "operator.eq"]

TRICKY = b'''
import yaml as y
from commands import getoutput as go
r = __import__("requests")
def f(d, cur):
    d.get("k")
    r.get("u")
    y.load(d)
    go("ls")
    cur.execute("q")
    s = r.Session()
    s.post("u", data=d)
    h = s.get
    h("x")
    for hook in (r.get, d.get):
        hook("y")
'''


def _dead(source: bytes, patterns=PATTERNS):
    tree = languages.parser("python").parse(source)
    values = adapter.shared(source, tree.root_node, None)
    return DeadWords(patterns).for_file(presence_of(source).word_set(), code_words(source, values.scopes))


def test_a_word_is_dead_only_when_every_pattern_ending_in_it_needs_an_absent_module():
    dead = _dead(b"def f(d):\n    return d.get('k'), d.load(), d.execute(), d.getoutput(), d.execvp()\n")
    assert dead(b"get") and dead(b"load") and dead(b"getoutput") and dead(b"execvp")
    assert not dead(b"execute")  # `**.execute`: any owner
    assert not dead(b"eval")  # builtins need no word
    assert not dead(b"whatever")  # not a wanted word: the adapter's own, kept
    with_requests = _dead(b"import requests\nrequests.get('u')\n")
    assert not with_requests(b"get") and with_requests(b"load")
    # canonical() renames `commands` to subprocess: its word keeps subprocess.getoutput
    assert not _dead(b"import commands\ncommands.getoutput('ls')\n")(b"getoutput")
    # the request object, flask's included, needs no import
    assert not _dead(b"def f(d):\n    return d.get(1)\n", PATTERNS + ["request.args.get"])(b"get")


def test_names_built_from_text_keep_every_word():
    for builder in (b"__import__(n)", b"importlib.import_module(n)", b"sys.modules[n]", b"globals()[n]",
                    b"eval(n)", b"vars()[n]", b"locals()[n]", b"getattr(__builtins__, n)", b"sys.modules.get(n)"):
        assert _dead(b"import sys, importlib\ndef f(d, n):\n    " + builder + b"\n    d.get(1)\n") is None, builder
    # through getattr on a module whose attributes build names, or a kept alias of one
    for builder in (b"getattr(sys, 'mod' + 'ules')[n]", b"s = sys\n    s.modules[n]", b"getattr(importlib, n)(m)",
                    b"m = sys.modules\n    m[n]", b"g = globals\n    g()[n]", b"b = builtins\n    b.eval(n)",
                    b"builtins.__dict__[n]", b"__builtins__.get(n)", b"from builtins import eval as e\n    e(n)",
                    b"return globals()", b"f(sys)", b"getattr(builtins, n)",
                    b"s = sys\n    s.__dict__['modules'][n]", b"s = sys\n    getattr(s, 'modules')[n]"):
        assert _dead(b"import sys, importlib, builtins\ndef f(d, n):\n    " + builder + b"\n    d.get(1)\n") is None, \
            builder
    # uses that read no name from a text
    for inert in (b"n in sys.modules", b"sys.modules.pop(n, None)", b"del sys.modules[n]", b"sys.modules[n] = d",
                  b"exec(n, globals())", b"'%(n)s' % locals()", b"f(**vars())", b"builtins.open(n)", b"d.eval()",
                  b"getattr(d, n)", b"sys.exit(1)", b"import_helper.import_module(n)", b"self.locals[n]",
                  b"s = sys\n    s.argv"):
        dead = _dead(b"import sys, builtins\ndef f(d, n):\n    " + inert + b"\n    d.get(1)\n")
        assert dead is not None and dead(b"get"), inert
    # in a comment or a string a builder builds nothing
    dead = _dead(b"def f(d):\n    # eval(x) or __import__(y)\n    s = 'sys.modules'\n    return d.get(1)\n")
    assert dead is not None and dead(b"get")
    assert DeadWords(["<def:3>.get", "requests.get"]).for_file({b"get"}, lambda w: False) is None


def _wanted():
    rules, wanted, _compiled = FactRules(load_rules().rules).for_language("python")
    return wanted


def _sources(count: int) -> list[bytes]:
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), count))
    return [TRICKY] + [Path(p).read_bytes() for p in files]


def test_calls_met_only_from_dead_words_resolve_to_no_wanted_name():
    wanted = _wanted()
    skipped = total = 0
    for source in _sources(120):
        tree = languages.parser("python").parse(source)
        facts = adapter._PythonFacts(source, tree, wanted, None)
        facts.run()
        if facts.live is None:
            continue
        for node in list(facts.candidates.values())[:adapter.MAX_CANDIDATES]:
            total += 1
            if node.id in facts.live:
                continue
            skipped += 1
            assert_unwanted(facts, wanted, node)
            for name in facts._data_method(node):
                assert not wanted.wants(name), (name, node.text[:80])
    assert total > 500 and skipped > total // 10  # exercised, not vacuous


def test_tricky_calls_stay_and_candidates_keep_their_order(monkeypatch):
    wanted = _wanted()
    tree = languages.parser("python").parse(TRICKY)
    on = adapter._PythonFacts(TRICKY, tree, wanted, None)
    calls = on.run().calls
    assert {c.callee for c in calls} >= {"requests.get", "yaml.load", "subprocess.getoutput", "requests.Session().post"}
    monkeypatch.setattr(adapter, "DEAD_WORDS", False)
    off = adapter._PythonFacts(TRICKY, languages.parser("python").parse(TRICKY), wanted, None)
    assert [(c.callee, c.line, c.column) for c in off.run().calls] == [(c.callee, c.line, c.column) for c in calls]
    assert [n.start_byte for n in off.candidates.values()] == [n.start_byte for n in on.candidates.values()]


def test_facts_are_the_same_with_and_without_dead_words(monkeypatch):
    rules = FactRules(load_rules().rules)
    sources = _sources(60)

    def facts_of(source):
        wanted, _chosen = rules.active("python", source)
        if wanted is None:
            return []
        tree = languages.parser("python").parse(source)
        return [(c.callee, c.line, c.column, c.via, c.args, c.kwargs, c.trace)
                for c in adapter.facts(source, tree, wanted, None).calls]

    with_gate = [facts_of(s) for s in sources]
    monkeypatch.setattr(adapter, "DEAD_WORDS", False)
    assert [facts_of(s) for s in sources] == with_gate
    assert sum(map(len, with_gate)) > 50


def test_skip_file_test_from_the_word_set_answers_as_the_regex():
    from codescan.analyze.semantics.lang.python_skip import Skips
    wanted = _wanted()
    fast = Skips(wanted.patterns)
    slow = Skips(wanted.patterns)
    slow._odd = (b"",)  # every source holds it: always the regex
    allowed = 0
    for source in _sources(150) + [b"import sys\nx = sys.modules\n", b"# sys.modules\ns = 'eval'\n", b"$eval(x)\n", b"# database/sql\n"]:
        tree = languages.parser("python").parse(source)
        scopes = adapter.shared(source, tree.root_node, None).scopes
        for with_scopes in (scopes, None):
            assert fast.file_allows(source, with_scopes) == slow.file_allows(source, with_scopes), source[:80]
        allowed += fast.file_allows(source, scopes)
    assert 10 < allowed < 140  # both answers seen


def test_skip_last_parts_without_one_big_regex_answer_as_it():
    import re

    from codescan.analyze.semantics.lang.python_functions import REQUEST_NAMES
    from codescan.analyze.semantics.lang.python_skip import Skips
    patterns = list(_wanted().patterns) + ["x.reveal()", "y.exec*", "z.*Async", "a.b.c"]
    lasts = [p.split(".")[-1] for p in patterns if p.split(".")[-1].strip("*")]
    old = re.compile("(?:" + "|".join(re.escape(last).replace(r"\*", r"[^.]*") for last in lasts) + r")\Z")
    words = {w.decode() for s in _sources(50) for w in re.findall(rb"[A-Za-z_]\w*", s)}
    words |= {"reveal", "reveal()", "execve", "exec", "runAsync", "Async", "c", "request", "req"}
    skips = Skips(patterns)
    possible = 0
    for word in sorted(words):
        expected = word in REQUEST_NAMES or old.match(word) is not None
        assert skips.attr_possible(word) == expected, word
        possible += expected
    assert 20 < possible < len(words) // 2
