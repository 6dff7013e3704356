"""An output file must never be one of the files a verb reads: `findings --state S.db -o S.db` replaced a crawl's
whole state with a text report, `scan a.py -o a.py` the scanned file with its own report."""
from __future__ import annotations

import os

from .common import UsageError

OUTPUTS = {"output": "--output", "write_baseline": "--write-baseline"}
INPUTS = {"state": "the state file", "scan": "a --scan input", "campaigns": "a --campaigns input",
          "drops": "a --drops input", "paths": "a scanned PATH", "baseline": "the --baseline file",
          "config": "the --config file"}


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_overwriting_inputs(args) -> None:
    """Raise UsageError (exit 2, before anything is read or written) when an output names an input file."""
    for attr, flag in OUTPUTS.items():
        out = getattr(args, attr, None)
        if not isinstance(out, str) or not out:
            continue
        for key, what in INPUTS.items():
            if attr == "write_baseline" and key == "baseline":
                continue  # refreshing a baseline in place: it is read before the scan, written with every finding
            value = getattr(args, key, None)
            named = value if isinstance(value, list) else [value]
            for inp in named:
                if isinstance(inp, str) and inp and os.path.isfile(inp) and _same(out, inp):
                    raise UsageError(f"{flag} {out} is {what} this run reads: writing it would destroy it; "
                                     "choose another file")
