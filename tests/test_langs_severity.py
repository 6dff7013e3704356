"""Severities of fact rules on the Go/Java/Kotlin/C#/C/C++/PHP/Ruby/shell/Rust adapters (see test_fact_severity for
Python and JS): what makes a finding high, and the look-alike that stays lower."""
from __future__ import annotations

from test_fact_severity import _by_line  # one analyzer helper for the severity tests


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
