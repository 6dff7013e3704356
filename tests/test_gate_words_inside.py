"""GateIndex's word list: the words inside each word are found from its substrings, as the all-pairs search found them."""
from __future__ import annotations

import random

from codescan.analyze import gate_index
from codescan.analyze.rule_gate import Presence, gate_for_query
from codescan.rules import load_rules


def _all_pairs(words: list[bytes]) -> dict[bytes, list[int]]:
    return {w: [i for i, u in enumerate(words) if u in w] for w in words}


def test_inside_equals_the_all_pairs_search_for_every_language_and_random_lists():
    rules = [r for r in load_rules().rules if r.engine == "treesitter"]
    languages = sorted({lang for r in rules for lang in r.languages})
    lists = []
    for language in languages:
        index = gate_index.GateIndex([gate_for_query(r.query) for r in rules if language in r.languages])
        lists += [list(case[1]._index) for case in index._cases]
    rng = random.Random(13)
    for _ in range(200):
        lists.append(list(dict.fromkeys(bytes(rng.choice(b"abc_") for _ in range(rng.randint(1, 7)))
                                        for _ in range(rng.randint(1, 40)))))
    assert sum(len(words) for words in lists) > 500
    for words in lists:
        built = gate_index._Words(words)
        assert built._inside == _all_pairs(words)


def test_gates_admit_the_same_rules_through_the_index():
    rules = [r for r in load_rules().rules if r.engine == "treesitter" and "python" in r.languages]
    gates = [gate_for_query(r.query) for r in rules]
    index = gate_index.GateIndex(gates)
    sources = [b"import hashlib\nhashlib.md5(password.encode())\n", b"urlretrieve(u, p)\nos.system(p)\n",
               b"x = getattr(obj, 'ev' + 'al')\n", b"nothing = 1\n"]
    for source in sources:
        expected = [g is None or g.admits(Presence(source)) for g in gates]
        assert index.admitted(Presence(source)) == expected
