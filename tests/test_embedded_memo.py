"""Comment and docstring bodies are judged once per text (embedded.BODY_MEMO): a file's next version holds the same
comments and docstrings. The fragments are those judged afresh, in every version; the memo stays bounded."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codescan.analyze import embedded, languages

HOST = '''import os


def helper(path):
    """Run a command.

    Example:
        os.system("rm -rf " + path)
        exec(base64.b64decode(blob))
    """
    return path


# Never do this:
#     subprocess.call(cmd, shell=True)
#     pickle.loads(data)
def other(blob):
    """The safe way to call the loader API:

        yaml.safe_load(stream)
        value = int(stream.read())
    """
    return 1
'''


def _fragments(source: bytes, language: str = "python") -> list:
    return sorted(embedded.fragments(source, languages.parser(language).parse(source), language),
                  key=lambda f: (f.line, f.kind))


def _versions(text: bytes) -> list[bytes]:
    lines = text.split(b"\n")
    return [text, b"\n".join(lines + lines[-3:]), b"\n".join(lines[1:] + [b"x = 1"]),
            b"# Never use this\n" + text, b"\n".join(line.replace(b"    ", b"  ") for line in lines)]


@pytest.fixture
def fresh_memo(monkeypatch):
    monkeypatch.setattr(embedded, "_BODIES", {})
    monkeypatch.setattr(embedded, "_HELD", [0])


def test_a_next_version_judges_no_unchanged_body_again(monkeypatch, fresh_memo):
    judged, dedented = [], []
    real_judged, real_dedent = embedded._judged, textwrap.dedent
    monkeypatch.setattr(embedded, "_judged", lambda body, family: judged.append(body) or real_judged(body, family))
    monkeypatch.setattr(embedded.textwrap, "dedent", lambda text: dedented.append(text) or real_dedent(text))
    first = _fragments(HOST.encode())
    assert [(f.line, f.kind, f.trigger, f.warned) for f in first] == [
        (5, "docstring", False, False), (14, "comment", False, True), (18, "docstring", True, False)]
    assert judged and dedented
    judged.clear()
    dedented.clear()
    moved = b"x = 1\n" + HOST.encode()
    assert [(f.line, f.code) for f in _fragments(moved)] == [(f.line + 1, f.code) for f in first]
    assert judged == [] and dedented == []


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_fixture_versions_give_the_fragments_judged_afresh(monkeypatch, fresh_memo, language):
    suffix = {"python": "*.py", "javascript": "*.js"}[language]
    files = [p for p in sorted(Path(f"fixtures/rules/{language}").rglob(suffix))
             if b'"""' in p.read_bytes() or b"#" in p.read_bytes() or b"//" in p.read_bytes()]
    assert len(files) > 20
    compared = found = 0
    for path in files:
        for version in _versions(path.read_bytes()):
            monkeypatch.setattr(embedded, "BODY_MEMO", True)
            remembered = _fragments(version, language)
            again = _fragments(version, language)  # the memo's answers
            monkeypatch.setattr(embedded, "BODY_MEMO", False)
            afresh = _fragments(version, language)
            assert remembered == again == afresh, path
            compared += 1
            found += len(afresh)
    assert compared > 100 and found > {"python": 10, "javascript": 2}[language]


def test_the_memo_is_emptied_past_its_size(monkeypatch, fresh_memo):
    monkeypatch.setattr(embedded, "MAX_REMEMBERED", 1000)
    for n in range(40):
        body = f"value_{n} = compute({n})\nother = call(value_{n})\n" * 3
        embedded._remembered(("judged", "python", body), embedded._judged, body, "python")
        assert embedded._HELD[0] <= 1000 and len(embedded._BODIES) <= 1000 // (2 * len(body)) + 1
    big = "x = f(1)\n" * 10_000  # longer than MAX_BODY_CHARS: judged, not remembered
    held = dict(embedded._BODIES)
    assert embedded._remembered(("judged", "python", big), embedded._judged, big, "python") is not None
    assert embedded._BODIES == held


def test_the_same_body_is_judged_per_language_family(fresh_memo):
    lines = ["Example:", "```js", "const x = require('child_process').exec(cmd)", "x.run(y)", "```"]
    python = "".join(f"# {line}\n" for line in lines) + "x = 1\n"
    javascript = "".join(f"// {line}\n" for line in lines) + "let x = 1;\n"
    assert _fragments(python.encode()) == []  # another language's fenced code is blanked
    found = _fragments(javascript.encode(), "javascript")
    assert [f.code.count(b"child_process") for f in found] == [1]
