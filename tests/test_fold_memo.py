"""The Python fold shares the semantic layer's constants of literal-only subtrees: a value is evaluated once."""
from __future__ import annotations

import sysconfig
from pathlib import Path


from codescan.analyze import deobfuscate, fold_python, languages
from codescan.analyze.semantics import constants
from codescan.analyze.semantics.lang.python_values import shared

ROOT = Path(__file__).resolve().parent.parent
TABLE = b"TABLE = [" + b", ".join(b"'w%d'" % i for i in range(200)) + b"]\nx = TABLE[3]\nprint(TABLE[5] + 'a')\n"


def _fold(source: bytes, monkeypatch=None):
    counted = [0]
    original = constants.dispatch

    def dispatch(*args):
        counted[0] += 1
        return original(*args)

    if monkeypatch is not None:
        monkeypatch.setattr(constants, "dispatch", dispatch)
    tree = languages.parser("python").parse(source)
    return deobfuscate.fold(source, tree, "python"), counted[0], tree


def test_a_table_the_fold_asks_about_twice_is_evaluated_once(monkeypatch):
    folded, count, _tree = _fold(TABLE, monkeypatch)
    assert folded is not None and b"x = 'w3'" in folded and b"print('w5a')" in folded
    assert count < 300  # the 201 nodes of the list once (it was 613: three times)


def test_the_fold_reuses_what_the_layer_evaluated(monkeypatch):
    tree = languages.parser("python").parse(TABLE)
    values = shared(TABLE, tree.root_node, None)
    values.ev(tree.root_node.named_children[0].child(0).child_by_field_name("right"))  # the layer asked first
    counted = [0]
    original = constants.dispatch

    def dispatch(*args):
        counted[0] += 1
        return original(*args)

    monkeypatch.setattr(constants, "dispatch", dispatch)
    folded = deobfuscate.fold(TABLE, tree, "python")
    assert folded is not None and b"x = 'w3'" in folded
    assert counted[0] < 100


def _sources():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(stdlib.glob("*.py"))[::6][:40] + sorted((ROOT / "fixtures" / "rules" / "python").rglob("*.py"))
    return [p for p in files if p.stat().st_size < 200_000]


def test_folds_are_the_same_shared_or_not(monkeypatch):
    paths = _sources()
    assert len(paths) > 40

    def folds():
        out = {}
        for path in paths:
            source = path.read_bytes()
            tree = languages.parser("python").parse(source)
            out[str(path)] = deobfuscate.fold(source, tree, "python")
        return out

    shared_folds = folds()
    monkeypatch.setattr(fold_python, "SHARE_MEMO", False)
    assert folds() == shared_folds
    assert sum(1 for f in shared_folds.values() if f is not None) >= 10
