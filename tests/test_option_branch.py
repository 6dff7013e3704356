"""analyze/option_branch: which option's test leads to a statement, evaluated with the parameters' defaults."""
from __future__ import annotations

import pytest

from codescan.analyze import languages
from codescan.analyze.option_branch import chosen_by


def _option(source: str, marker: str = "TARGET") -> str | None:
    data = source.encode()
    tree = languages.parser("python").parse(data)
    at = data.index(marker.encode())
    node = tree.root_node.descendant_for_byte_range(at, at)
    return chosen_by(node)


@pytest.mark.parametrize("source,expected", [
    ("def f(verify=True):\n    if verify is False:\n        TARGET()\n", "verify"),
    ("def f(verify=False):\n    if verify is False:\n        TARGET()\n", None),  # the default takes it
    ("def f(verify=True):\n    if verify:\n        pass\n    else:\n        TARGET()\n", "verify"),
    ("def f(verify):\n    x = 1 if verify else TARGET()\n", "verify"),
    ("def f(insecure=False):\n    if insecure and debug:\n        TARGET()\n", "insecure"),
    ("def f(insecure=True):\n    if insecure:\n        TARGET()\n", None),
    ("def f(cert_reqs=None):\n    if cert_reqs == 2:\n        pass\n    elif cert_reqs == 0:\n        TARGET()\n",
     "cert_reqs"),
    ("def f(allow_pickle=False):\n    if not allow_pickle:\n        raise ValueError\n    TARGET()\n", "allow_pickle"),
    ("def f(allow_pickle=False):\n    if allow_pickle:\n        raise ValueError\n    TARGET()\n", None),
    ("def f(url):\n    if url:\n        TARGET()\n", None),  # a test, but no switch
    ("def f(x):\n    if os.name == 'nt':\n        TARGET()\n", None),
    ("if verify:\n    TARGET()\n", None),  # module level: no caller
    ("def f(verify=True):\n    TARGET()\n", None),  # no test at all
    ("class C:\n    def f(self):\n        if not self.verify_tls:\n            TARGET()\n", "self.verify_tls"),
    ("def f(verify=True):\n    def g():\n        TARGET()\n    if not verify:\n        g()\n", None),
    # the settings object the instance or the call was given (Tornado: `if not self.request.validate_cert:`)
    ("class C:\n    def f(self):\n        if not self.request.validate_cert:\n            TARGET()\n",
     "self.request.validate_cert"),
    ("def f(options):\n    if options.insecure:\n        TARGET()\n", "options.insecure"),
    # the program's option set, wherever it is held (mitmproxy: `if ctx.options.ssl_insecure:`)
    ("def f(tls_start):\n    if ctx.options.ssl_insecure:\n        TARGET()\n", "ctx.options.ssl_insecure"),
    ("def f(url):\n    if options.insecure:\n        TARGET()\n", "options.insecure"),
    ("def f(url):\n    if ctx.options.showhost:\n        TARGET()\n", None),  # an option, but no switch
    ("def f(url):\n    if ctx.state.insecure:\n        TARGET()\n", None),  # not an option set
    # a module's or a local object's state is no option of this call
    ("def f(url):\n    if ssl.HAS_SNI:\n        TARGET()\n", None),
    ("def f(url):\n    cfg = load()\n    if not cfg.verify:\n        TARGET()\n", None),
    ("class C:\n    def f(self):\n        if self.a.b.verify:\n            TARGET()\n", None),
    # what the command line says (websockets' CLI: `args = parser.parse_args()` ... `if args.insecure and ..:`)
    ("def main():\n    args = parser.parse_args()\n    if args.insecure and args.uri.startswith('wss://'):\n"
     "        TARGET()\n", "args.insecure"),
    ("def main(argv=None):\n    opts, rest = ap.parse_known_args(argv)\n    if not opts.verify_ssl:\n        TARGET()\n",
     "opts.verify_ssl"),
    ("def main():\n    args = load_settings()\n    if args.insecure:\n        TARGET()\n", None),  # not the command line
    ("def main():\n    args = parser.parse_args()\n    if args.debug:\n        TARGET()\n", None),  # no switch
    # a local computed once from a switch parameter (pymongo's get_ssl_context: verify_mode from
    # allow_invalid_certificates), unless the parameter's default is the insecure choice
    ("def ctx(allow_invalid_certificates: bool):\n    verify_mode = NONE if allow_invalid_certificates else REQ\n"
     "    if verify_mode != NONE:\n        pass\n    else:\n        TARGET()\n", "allow_invalid_certificates"),
    ("def ctx(allow_invalid=True):\n    verify_mode = NONE if allow_invalid else REQ\n"
     "    if verify_mode == NONE:\n        TARGET()\n", None),
    ("def ctx(allow_invalid=False):\n    verify_mode = NONE if allow_invalid else REQ\n    verify_mode = NONE\n"
     "    if verify_mode == NONE:\n        TARGET()\n", None),  # bound twice: not derived
    ("def ctx(host):\n    verify_mode = NONE if host else REQ\n    if verify_mode == NONE:\n        TARGET()\n",
     None),  # from no switch
])
def test_the_option_whose_test_leads_to_a_statement(source, expected):
    assert _option(source) == expected


@pytest.mark.parametrize("call,expected", [
    ("f(url)", "verify"),
    ("f(url, verify=True)", "verify"),
    ("f(url, verify=False)", None),  # a caller in this file turns it off
    ("f(url, False)", None),
    ("client.f(url, verify=False)", None),
    ("g(url, verify=False)", "verify"),  # another function's option
])
def test_a_call_in_the_same_file_that_takes_the_branch_keeps_it_reported(call, expected):
    source = ("def f(url, verify=True):\n    if verify is False:\n        TARGET()\n\n"
              f"def main(url):\n    return {call}\n")
    assert _option(source) == expected


def test_thousands_of_option_branches_in_one_file_stay_linear():
    # each finding used to walk the whole tree (and every statement before it): 3,000 branches took 87 s
    import time

    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    body = "".join("    if verify is False:\n        ctx.check_hostname = False\n" for _ in range(3000))
    source = "import ssl\n\ndef make(ctx, verify=True):\n" + body + "    return ctx\n"
    analyzer = Analyzer(load_rules().select(("ssl-cert-checks-disabled",), ()), Config(honour_suppressions=False))
    start = time.process_time()
    found = analyzer.analyze(Document(path="lib/ctx.py", content=source.encode())).findings
    assert found and all(f.severity == "medium" for f in found if f.rule_id == "ssl-cert-checks-disabled")
    assert time.process_time() - start < 20  # about 1 s now; the quadratic walk needed over 80
