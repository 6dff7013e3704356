"""A constant pickle is data only when every import it makes is a data type on the list (read, never loaded)."""
from __future__ import annotations

import datetime
import pickle

import pytest

from codescan.analyze.semantics.pickle_constant import data_only


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_pickles_of_containers_dates_and_sets_are_data(protocol):
    assert data_only(pickle.dumps({"a": [1, 2.5, (3, b"x")], "when": datetime.date(2020, 1, 2), "s": {1}},
                                  protocol=protocol))


@pytest.mark.parametrize("blob", [
    b"cos\nsystem\n(S'id'\ntR.",  # protocol 0 GLOBAL of a command runner
    b"\x80\x04\x8c\x05posix\x94\x8c\x06system\x94\x93\x8c\x02id\x85R.",  # protocol 4 STACK_GLOBAL
    b"\x80\x04\x8c\x05numpy\x94\x8c\x05dtype\x94\x93\x8c\x05posix\x94h\x01\x93.",  # a memo fetch names posix.dtype
    b"cnumpy.core\n_ufunc_reconstruct\n(S'os'\nS'system'\ntR.",  # a numpy helper that imports any name
    b"\x80\x02\x82\x01.",  # EXT1: a callable named by number
    b"(S'os'\nS'system'\ni__builtin__\ngetattr\n.",  # INST of a builtin off the list
    b"not a pickle at all",
    b"\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x88\x93.",  # a value pushed between the names and STACK_GLOBAL
])
def test_imports_off_the_list_or_unreadable_blobs_are_not_data(blob):
    assert not data_only(blob)


def test_text_and_oversized_constants():
    assert data_only("cnumpy\ndtype\n(S'f8'\nI0\nI1\ntR.")
    assert not data_only(b"(l" + b"I1\na" * 20_000 + b".")
