"""python_mutations: a use that cannot fill a name (`x.strip()`, `d[x]`) is passed over before its scope is looked
up (`_fill_kind`, kept per use), with the same facts as the plain loop."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics import python_scopes
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python as adapter
from codescan.analyze.semantics.lang import python_mutations
from codescan.analyze.semantics.lang import python_fill_uses
from codescan.analyze.semantics.lang.python_fill_uses import _fill_kind
from codescan.rules import load_rules

from python_facts import facts_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def _use_of(source: bytes, at: bytes):
    tree = languages.parser("python").parse(source)
    start = source.index(at)
    node = tree.root_node.named_descendant_for_byte_range(start, start + 1)
    assert node.type == "identifier" and node.text == b"x"
    return node


def test_which_uses_can_fill_a_name():
    fills = [b"x.append(v)", b"x.update(a=1)", b"x.write(data)", b"f(x)", b"f(1, x)", b'x["k"].append(v)',
             b"x[0][1].add(v)", b"open(x, 'wb')"]
    cannot = [b"x.strip()", b"x.append", b"d[x]", b"x[0]", b"y = x", b"x.upper().append(v)", b"print(x.name)",
              b'x["k"].strip()', b"x + 1", b"return x"]
    for text in fills:
        source = b"def g():\n    " + text + b"\n"
        assert _fill_kind(_use_of(source, b"x")) is True, text
    for text in cannot:
        source = b"def g():\n    " + text + b"\n"
        assert _fill_kind(_use_of(source, b"x")) is False, text


def test_scopes_are_looked_up_only_for_uses_that_can_fill(monkeypatch):
    reads = "".join(f"    y{i} = x.strip()\n" for i in range(40))
    source = ("import os, subprocess\n\ndef g():\n    x = ''\n" + reads +
              "    x.append(os.environ['A'])\n    subprocess.run(x, shell=True)\n").encode()
    asked = []
    original = python_scopes.Scopes.scope_key

    def counting(self, node):
        if node.type == "identifier" and node.text == b"x":
            asked.append(node.start_byte)
        return original(self, node)

    monkeypatch.setattr(python_scopes.Scopes, "scope_key", counting)
    wanted, _chosen = FactRules(load_rules().rules).active("python", source)
    tree = languages.parser("python").parse(source)
    calls = adapter.facts(source, tree, wanted, None).calls
    run = [c for c in calls if c.callee == "subprocess.run"]
    assert run and "env-var" in run[0].args[0].labels  # the append still fills x
    assert len(asked) < 10  # not one look-up per `x.strip()` read (40 of them)


def test_facts_are_the_same_with_and_without_fill_kinds(monkeypatch):
    rules = FactRules(load_rules().rules)
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 60))
    files += sorted(FIXTURES.rglob("*.py"))
    sources = [Path(p).read_bytes() for p in files]

    with_kinds = [facts_of(rules, s) for s in sources]
    monkeypatch.setattr(python_mutations, "FILL_KINDS", False)
    assert [facts_of(rules, s) for s in sources] == with_kinds
    assert sum(1 for c in with_kinds for call in c if any(v.labels for v in call[4])) > 20


def test_an_argument_of_a_builtin_fills_nothing_unless_the_builtin_is_bound_again():
    # `print(x)`, `len(x)`: read at each later read of x (a name printed 3,000 times cost the square); a file that
    # binds `print` again (to open, to a writer) keeps the use
    from codescan.analyze.semantics.lang.python_values import PyValues

    cases = [(b"def g():\n    print(x)\n", False), (b"def g():\n    n = len(x)\n", False),
             (b"print = open\ndef g():\n    print(x, 'wb')\n", True), (b"def g():\n    send(x)\n", True),
             (b"def g():\n    open(x, 'wb')\n", True)]
    for source, expected in cases:
        tree = languages.parser("python").parse(source)
        values = PyValues(source, tree.root_node, None)
        assert python_fill_uses._fills(values, {}, _use_of(source, b"x")) is expected, source


def test_the_reads_of_a_name_used_hundreds_of_times_look_only_at_its_fills(monkeypatch):
    # each read of `d` looked at every use before it (800 uses, 400 reads: 322,805 budget ticks); past WIDE uses in a window only the
    # uses that can fill the name are looked at, and the one that fills it (d.update(os.environ)) still does
    lines = "".join(f"    print(d.get('k{i}'), d)\n" for i in range(400))
    source = ("import os, subprocess\n\ndef g(d):\n    d.update(os.environ)\n" + lines +
              "    subprocess.run(d.get('x'), shell=True)\n").encode()
    looked = []
    monkeypatch.setattr(python_mutations.budgets, "tick", lambda *a: looked.append(1))
    wanted, _chosen = FactRules(load_rules().rules).active("python", source)
    tree = languages.parser("python").parse(source)
    calls = adapter.facts(source, tree, wanted, None).calls
    run = [c for c in calls if c.callee == "subprocess.run"]
    assert run and "env" in run[0].args[0].labels | {lab.split(":")[0] for lab in run[0].args[0].labels}
    assert len(looked) < 20_000  # 322,805 before (and over 4,000 from the rest of the analysis)
