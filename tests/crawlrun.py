"""Helpers for the crawl tests: run `codescan crawl` / `codescan findings` in-process and parse their JSON."""
from __future__ import annotations

import json

from clirun import DEMO_RULES
from codescan.cli import main


def crawl(capsys, root, state, *extra, rules=DEMO_RULES) -> dict:
    """The crawl's summary (stats dict, plus what it printed on stderr as "_stderr"); fails the test when the crawl
    does not exit 0."""
    code = main(["crawl", str(root), "--state", str(state), "--no-progress", "-j", "1", "--json", *rules,
                 *map(str, extra)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    return {**json.loads(captured.out), "_stderr": captured.err}


def findings(capsys, state, *extra) -> tuple[int, dict]:
    code = main(["findings", "--state", str(state), "--format", "json", *map(str, extra)])
    return code, json.loads(capsys.readouterr().out)


def places(report: dict) -> list[tuple]:
    return sorted((f["repo"], f["path"], f["line"], f["rule_id"], f["commit"]) for f in report["findings"])
