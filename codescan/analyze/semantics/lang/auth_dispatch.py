"""An `if`/`elif` chain comparing one input with several constants, each branch doing its own work, is a dispatch on a
kind or a name, not a magic value that opens a door: pymysql's `_process_auth(self, plugin_name, ...)` picks the
handler of the server's authentication plugin (`plugin_name == b"caching_sha2_password"`, `b"sha256_password"`,
`b"mysql_native_password"`, ...). The constants must all be names of kinds (lowercase words: `basic`, `sha256_password`):
a backdoor compares its input with one value, with a few that all grant alike (`return True` after each), or with
addresses or mixed-case secrets, so those stay facts."""
from __future__ import annotations

import re

MIN_CASES = 3  # distinct constants, each with its own branch
_KIND = re.compile(rb"""^[bBuU]?(["'])[a-z][a-z0-9_-]*\1$""")


def dispatched(tests, grammar, comparisons, sides) -> frozenset:
    """The texts of the expressions that `tests` ((condition, branch) of a function's if/elif) compare with at least
    MIN_CASES distinct literals, the branches all different."""
    cases: dict = {}
    for test, branch in tests:
        for compare in comparisons(test, grammar):
            parts = sides(compare)
            if len(parts) != 2:
                continue
            for mine, other in (parts, parts[::-1]):
                if other.type in ("string", "integer", "number") and mine.type not in ("string", "integer", "number"):
                    cases.setdefault(mine.text, {})[other.text] = branch.text
    return frozenset(text for text, branches in cases.items()
                     if len(branches) >= MIN_CASES and len(set(branches.values())) >= MIN_CASES
                     and all(_KIND.match(constant) for constant in branches))  # one secret-like value: no dispatch
