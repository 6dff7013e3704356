"""A TLS check turned off by a conditional expression whose test is a caller's option (httplib2:
`context.verify_mode = ssl.CERT_NONE if disable_ssl_certificate_validation else ssl.CERT_REQUIRED`) is the rule's
under_option medium, as the same choice under an `if` is; when the option's default picks the insecure branch, or
the test is no option (the platform), it stays high."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from severity_lines import RULES

TEXT = ("import os, ssl\n"
        "def context(disable_ssl_certificate_validation=False):\n"
        "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
        "    ctx.verify_mode = ssl.CERT_NONE if disable_ssl_certificate_validation else ssl.CERT_REQUIRED\n"
        "    return ctx\n"
        "def lax(insecure=True):\n"
        "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
        "    ctx.verify_mode = ssl.CERT_NONE if insecure else ssl.CERT_REQUIRED\n"
        "    return ctx\n"
        "def platform():\n"
        "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
        "    ctx.verify_mode = ssl.CERT_NONE if os.name == 'nt' else ssl.CERT_REQUIRED\n"
        "    return ctx\n")


def _graded(text: str, path: str) -> dict[int, str]:
    """Every rule on (the attribute-set facts need the SSLContext() another rule's sink asks for), one rule read."""
    found = Analyzer(RULES, Config(honour_suppressions=False)).analyze(Document(path=path, content=text.encode()))
    return {f.line: f.severity for f in found.findings if f.rule_id == "ssl-cert-checks-disabled"}


def test_a_conditional_on_a_callers_option_is_medium_a_default_or_platform_choice_stays_high():
    assert _graded(TEXT, "client.py") == {4: "medium", 8: "high", 12: "high"}
