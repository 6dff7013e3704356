"""The campaigns JSON written a campaign at a time is byte for byte what json.dump of the whole document gives."""
from __future__ import annotations

import io
import json

from codescan.cluster.campaign import Campaign, document
from codescan.outputs.json_campaigns import write_campaigns_json
from codescan.records import Finding


def _campaign(n: int) -> Campaign:
    member = {"repo": f"r{n}", "path": "a/é.py", "line": 3, "end_line": 9, "commit": "c" * 40,
              "author": "Ann \"x\"\nB", "date": "2024-01-02T03:04:05+00:00"}
    finding = Finding(rule_id="exec-of-decoded-payload", category="exec", severity="high", message="m\tn",
                      path="a/é.py", line=4, end_line=4, column=1, end_column=9, snippet="exec(b)\n# ✓",
                      cwe=("CWE-94",), repo=f"r{n}")
    return Campaign(f"c-{n:012x}", 61.5 - n, ("spread", "findings inside"), "function", "f\u2028", (member,),
                    (finding,) if n else ())


def test_streamed_json_is_the_whole_document():
    for count in (0, 1, 3):
        campaigns = [_campaign(n) for n in range(count)]
        out = io.StringIO()
        write_campaigns_json(campaigns, out)
        assert out.getvalue() == json.dumps(document(campaigns), indent=2)
        assert json.loads(out.getvalue())["campaigns"] == [c.to_dict() for c in campaigns]
