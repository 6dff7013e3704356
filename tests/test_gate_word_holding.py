"""found_in unites only the words holding a token: the same token indices as looking every word up."""
from codescan.analyze import gate_index
from codescan.analyze.gate_index import _Words


def _found(words, holding):
    old = gate_index.HOLDING
    gate_index.HOLDING = holding
    try:
        index = _Words([b"eval", b"exec", b"os", b"system"])
        return [index.found_in(w) for w in words]
    finally:
        gate_index.HOLDING = old


def test_same_tokens_with_and_without_the_holding_set():
    words = [{b"os", b"path", b"join"}, {b"evaluate", b"x", b"subsystem"}, {b"nothing", b"here"}, {b"execos"}]
    assert _found(words, True) == _found(words, False)
    assert _found(words, True)[2] == set()
