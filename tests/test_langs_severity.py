"""Severities of fact rules on the Go/Java/Kotlin/C#/C/C++/PHP/Ruby/shell/Rust adapters (see test_fact_severity for
Python and JS): what makes a finding high, and the look-alike that stays lower."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _by_line(rule_id: str, path: str, text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def test_c_host_name_built_into_a_dns_name_is_high_its_own_lookup_medium():
    c = ("#include <netdb.h>\n"
         "void f(void) {\n"
         "    char h[64], n[128];\n"
         "    gethostname(h, sizeof h);\n"
         "    gethostbyname(h);\n"
         "    snprintf(n, sizeof n, \"%s.d.example\", h);\n"
         "    gethostbyname(n);\n"
         "}\n")
    assert _by_line("host-identity-sent-over-network", "m.c", c) == {5: "medium", 7: "high"}
