"""Certificate checks switched off are high in code and low in a test suite, whichever way they are written."""
from __future__ import annotations

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()

CONTEXT = ("import ssl\n"
           "ctx = ssl.create_default_context()\n"
           "ctx.check_hostname = False\n"
           "ctx.verify_mode = ssl.CERT_NONE\n")
KEYWORD = ("import ssl, urllib3\n"
           "pool = urllib3.PoolManager(cert_reqs=ssl.CERT_NONE)\n")


def graded(path: str, code: str) -> set[str]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return {f.severity for f in analyzer.analyze(Document(path=path, content=code.encode())).findings
            if f.rule_id == "ssl-cert-checks-disabled"}


@pytest.mark.parametrize("code", [CONTEXT, KEYWORD])
def test_high_in_code(code):
    assert graded("app/client.py", code) == {"high"}


@pytest.mark.parametrize("path", ["tests/test_client.py", "pkg/client_test.py", "conftest.py", "test_tls.py"])
@pytest.mark.parametrize("code", [CONTEXT, KEYWORD])
def test_low_in_a_test_suite(path, code):
    assert graded(path, code) == {"low"}


# Other languages' ways of switching verification off: high in shipped code, low in a test suite's file.
OTHERS = [
    ("go", "client.go", "client_test.go", "package c\nimport \"crypto/tls\"\nvar cfg = &tls.Config{InsecureSkipVerify: true}\n",
     {"tls-skip-verify-set"}),
    ("java", "src/main/java/Trust.java", "src/test/java/TrustTest.java",
     "class T implements javax.net.ssl.X509TrustManager {\n"
     "  public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}\n}\n",
     {"java-trust-all-certificates"}),
    ("ruby", "lib/client.rb", "spec/client_spec.rb", "conn = Faraday.new(url, ssl: { verify: false })\n",
     {"rb-tls-verify-disabled"}),
]


def severities(path: str, code: str, rules: set[str]) -> set[str]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return {f.severity for f in analyzer.analyze(Document(path=path, content=code.encode())).findings
            if f.rule_id in rules}


@pytest.mark.parametrize("language,shipped,test_file,code,rules", OTHERS, ids=[o[0] for o in OTHERS])
def test_other_languages_are_high_in_code_and_low_in_tests(language, shipped, test_file, code, rules):
    assert severities(shipped, code, rules) == {"high"}
    assert severities(test_file, code, rules) == {"low"}


def test_a_tls_servers_client_certificate_switch_is_not_a_clients_verification_off():
    from severity_lines import by_line
    text = ("const https = require('https');\n"
            "const { createServer } = require('tls');\n"
            "const serverOptions = {\n"
            "  requestCert: true,\n"
            "  rejectUnauthorized: false,\n"
            "};\n"
            "https.createServer(serverOptions, (req, res) => res.end(String(req.socket.authorized)));\n"
            "createServer({ key: k, cert: c, rejectUnauthorized: false }, (s) => s.end());\n"
            "const agent = new https.Agent({ rejectUnauthorized: false });\n"
            "const both = { requestCert: true, rejectUnauthorized: false };\n"
            "https.request({ host: 'api.example.com', ...both });\n")
    assert by_line("js-tls-verification-disabled", text, "server.js") == {5: "medium", 8: "low", 9: "high", 10: "high"}


def test_server_context_not_asking_clients_for_certificates_is_low_a_client_context_high():
    server = ("import ssl\n"
              "def server_context(cert, key):\n"
              "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
              "    ctx.verify_mode = ssl.CERT_NONE\n"
              "    return ctx\n")
    client = server.replace("PROTOCOL_TLS_SERVER", "PROTOCOL_TLS_CLIENT")
    assert graded("app/ldap.py", server) == {"low"}
    assert graded("app/ldap.py", client) == {"high"}


def test_a_pool_to_a_loopback_host_is_medium_to_a_real_host_high():
    code = ("import urllib3\n"
            "def pools():\n"
            "    a = urllib3.HTTPSConnectionPool('localhost', 8443, cert_reqs='CERT_NONE', assert_hostname=False)\n"
            "    b = urllib3.HTTPSConnectionPool('api.example.com', 443, cert_reqs='CERT_NONE')\n"
            "    c = urllib3.connection_from_url('https://127.0.0.1:9443/', cert_reqs='CERT_NONE')\n"
            "    return a, b, c\n")
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    found = {(f.line, f.severity) for f in analyzer.analyze(Document(path="app/stub.py", content=code.encode())).findings
             if f.rule_id == "ssl-cert-checks-disabled"}
    assert found == {(3, "medium"), (4, "high"), (5, "medium")}


# ssl._create_unverified_context() is graded as the other ways: gevent's test of its example SSL server makes one to
# talk to its own self-signed certificate (tests/test__example_wsgiserver_ssl.py)
UNVERIFIED = ("import ssl\n"
              "if hasattr(ssl, '_create_unverified_context'):\n"
              "    ssl_ctx = ssl._create_unverified_context()\n")


@pytest.mark.parametrize("path, expected", [("app/client.py", {"high"}), ("gevent/tests/test__example_ssl.py", {"low"}),
                                            ("src/tests/helpers.py", {"low"})])
def test_unverified_context_is_high_in_code_and_low_in_a_test_suite(path, expected):
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    got = {f.severity for f in analyzer.analyze(Document(path=path, content=UNVERIFIED.encode())).findings
           if f.rule_id == "ssl-unverified-context"}
    assert got == expected
