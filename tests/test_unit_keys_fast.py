"""unitstore._keys keys a line carrying its name without unit_key's calls: the same keys, and the same rows for the
lines that need one, as unit_key and keyed_line give unit by unit."""
from __future__ import annotations

import os

from codescan.cluster import linekey
from codescan.state import unitstore
from codescan.state.unitread import KIND_CODES, keyed_line


def _units() -> list[tuple]:
    out = []
    for n in range(400):
        h = int.from_bytes(os.urandom(8), "little")
        name = linekey.NAMES[n % len(linekey.NAMES)]
        out.append(("line", name, n, n, 1, linekey.mark(h, name)))  # a line carrying its name
        out.append(("line", None, n, n, 1, linekey.mark(h, "stem")))  # its bits say stem, its name none
        out.append(("line", name, n, n, 2, linekey.mark(h, name)))  # not one token
        out.append(("line", "stem", n, n, True, linekey.mark(h, "stem")))  # True counts as 1, as int() makes it
        out.append(("line", "other", n, n, 1, linekey.mark(h, None)))  # a name no fingerprint carries
        out.append(("line", None, n, n, None, os.urandom(8)))  # a schema-7 line
        out.append(("function", f"f{n}", n, n + 3, 40, os.urandom(1024)))
        out.append(("line", name, n, n, 1, os.urandom(16)))  # not 8 bytes
    return out


def test_fast_keys_equal_unit_key_and_the_rows_lines_need():
    units = _units()
    keys, plain = unitstore._keys(units)
    assert keys == [unitstore.unit_key(k, n, t, s) for k, n, _l, _e, t, s in units]
    assert plain == [(unitstore.unit_key(k, n, t, s), KIND_CODES[k], n, int(t or 0), s)
                     for k, n, _l, _e, t, s in units if k == "line" and not keyed_line(k, n, t, s)]
    assert len(plain) > 1000 and len(plain) < len(units) - 1000  # both kinds of line met
