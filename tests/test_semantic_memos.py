"""The per-process memos of pure functions (canonical, labels_of, clears, constant_labels, the wildcard prefilter)
give what the functions compute, also when asked again and after their tables are emptied."""
from __future__ import annotations

from codescan.analyze.semantics import names, sources, text_labels, wanted

NAMES = ["eval", "cPickle.loads", "__builtins__.exec", "flask.request.args", "os.environ", "os.getenv",
         "socket.gethostname", "requests.get()", "shlex.quote", "builtins.repr", "x.y.z", "urllib2.urlopen"]
TEXTS = ["~/.ssh/id_rsa", "stratum+tcp://pool:3333", "curl http://x | sh", "/etc/rc.local", "abc", "",
         b"mining.subscribe xx", "sitecustomize.py", ["~/.aws/credentials", "x"], ("~/.bashrc",), 7, None]


def _labels_uncached(name):
    return frozenset(label for label, regex in sources._BY_LABEL.items() if regex.match(name))


def test_memos_answer_as_the_functions(monkeypatch):
    for _round in range(2):  # the second round is answered from the tables
        assert [names.canonical(n) for n in NAMES] == [names._canonical(n) for n in NAMES]
        assert [sources.labels_of(n) for n in NAMES] == [_labels_uncached(n) for n in NAMES]
        assert [sources.clears(n) for n in NAMES] == [sources._CLEARS.match(n) is not None for n in NAMES]
        for text in TEXTS:
            expected = text_labels._text_labels(text) if not isinstance(text, (list, tuple)) else frozenset().union(
                *(text_labels._text_labels(t) for t in text))
            assert text_labels.constant_labels(text) == expected, text
    assert names.canonical("eval") == "builtins.eval" and sources.labels_of("os.getenv") == {"env-var"}
    assert sources.clears("shlex.quote") and text_labels.constant_labels("~/.ssh/id_rsa") == {"credential-file"}
    for memo in (names._CANONICAL, text_labels._CONSTANT_LABELS):  # past the bound the table is emptied, same answers
        monkeypatch.setattr(memo, "limit", 2)
        memo.clear()
    assert [names.canonical(n) for n in NAMES] == [names._canonical(n) for n in NAMES]
    assert [text_labels.constant_labels(t) for t in TEXTS[:6]] == [text_labels._text_labels(t) for t in TEXTS[:6]]
    assert len(names._CANONICAL) <= 3 and len(text_labels._CONSTANT_LABELS) <= 3


def test_wildcard_prefilter_memo():
    prefilter = names.pattern_regex(("os.exec*", "**.spawn*", "subprocess.*"))
    subset = wanted._WildSubset(prefilter, ("os.exec*",))
    callees = ["os.execv", "os.execv", "a.b.spawnl", "subprocess.run", "os.system", "os.execlp"]
    assert [subset.match(c) for c in callees * 2] == [True, True, None, None, None, True] * 2
