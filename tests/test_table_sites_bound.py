"""python_callsites._table_sites: a table's `T[key](...)` calls come from the scope index once per table, not from
a text search for the table's name per lambda (every letter `T` in a 340 KB file, for each of 3,000 lambdas)."""
from __future__ import annotations

from codescan.analyze import languages
from codescan.analyze.semantics.lang import python_callsites
from codescan.analyze.semantics.lang.python_values import shared


def test_a_big_table_reads_its_uses_once(monkeypatch):
    lambdas = ", ".join(f"'k{i}': lambda c: os.popen(c)" for i in range(300))
    filler = "\n".join(["x = 'TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT'"] * 300)
    source = f"import os\nT = {{{lambdas}}}\n{filler}\ndef run(k, c):\n    return T[k](c)\n".encode()
    tree = languages.parser("python").parse(source)
    values = shared(source, tree.root_node, None)
    looked = []
    real = python_callsites._table_calls
    monkeypatch.setattr(python_callsites, "_table_calls", lambda v, n: looked.append(n) or real(v, n))
    table = tree.root_node.named_children[1].named_children[0].child_by_field_name("right")
    pairs = [c for c in table.named_children if c.type == "pair"]
    sites = [python_callsites._table_sites(values, p.child_by_field_name("value"), p) for p in pairs]
    assert looked == ["T"]  # once for the 300 lambdas
    assert all(len(found) == 1 for found in sites)  # each lambda: the one `T[k](c)` call
    call, picked, _function = sites[0][0]
    assert call.text == b"T[k](c)" and picked.text == b"T[k]"
