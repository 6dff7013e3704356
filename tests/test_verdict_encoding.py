"""One byte never hides a file: text in any common encoding is analyzed, and the encoding itself is reported."""
import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
PAYLOAD = 'import base64\nexec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))\n'
ENCODING_RULE = "non-utf8-text"


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(RULES, Config(honour_suppressions=False))


def _found(analysis, rule_id):
    return [f for f in analysis.findings if f.rule_id == rule_id]


def test_one_latin1_byte_beside_a_payload_is_analyzed_and_reported(analyzer):
    content = b"# caf\xe9 au lait\n" + PAYLOAD.encode()
    analysis = analyzer.analyze(Document("latin1.py", content))
    assert not analysis.skips, analysis.skips
    exec_hits = _found(analysis, "exec-of-decoded-payload")
    assert [f.line for f in exec_hits] == [3]
    assert exec_hits[0].column == 1 and exec_hits[0].snippet.startswith("exec(")
    encoding = _found(analysis, ENCODING_RULE)
    assert [(f.line, f.column) for f in encoding] == [(1, 6)]  # the byte after "# caf"
    assert "0xe9" in encoding[0].message.lower()


def test_columns_after_a_stray_byte_count_characters(analyzer):
    content = b'x = "\xe9"; exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))\nimport base64\n'
    analysis = analyzer.analyze(Document("col.py", content))
    hit = _found(analysis, "exec-of-decoded-payload")
    assert [(f.line, f.column) for f in hit] == [(1, 10)]  # x = "é"; is nine characters


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                       ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_utf16_and_utf32_with_a_bom_are_analyzed(analyzer, codec, bom):
    content = bom + PAYLOAD.encode(codec)
    analysis = analyzer.analyze(Document("wide.py", content))
    assert not analysis.skips, analysis.skips
    assert [f.line for f in _found(analysis, "exec-of-decoded-payload")] == [2]
    assert [f.line for f in _found(analysis, ENCODING_RULE)] == [1]


def test_utf8_bom_is_not_a_problem_and_columns_stay_right(analyzer):
    content = b"\xef\xbb\xbf" + b'exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))\nimport base64\n'
    analysis = analyzer.analyze(Document("bom.py", content))
    assert [(f.line, f.column) for f in _found(analysis, "exec-of-decoded-payload")] == [(1, 1)]
    assert not _found(analysis, ENCODING_RULE)


def test_true_binaries_stay_skips(analyzer):
    elf = b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4
    noise = bytes((i * 151 + 89) % 256 for i in range(4096)).replace(b"\0", b"\x01")
    for name, content in (("lib.so", elf), ("blob.bin", noise)):
        analysis = analyzer.analyze(Document(name, content))
        assert analysis.skips and "binary" in analysis.skips[0].reason, (name, analysis)
        assert not analysis.findings


def test_clean_utf8_reports_no_encoding_finding(analyzer):
    analysis = analyzer.analyze(Document("ok.py", ("# café\n" + PAYLOAD).encode()))
    assert not _found(analysis, ENCODING_RULE)
    assert [f.line for f in _found(analysis, "exec-of-decoded-payload")] == [3]


def test_a_record_holding_a_stray_byte_gives_the_file_its_bytes_back(analyzer):
    # A shard written from files read with errors="surrogateescape" holds the stray byte as U+DCE9.
    from codescan.corpus.records import Fields, documents

    record = {"id": "r", "path": "latin1.py", "content": "# caf\udce9 au lait\n" + PAYLOAD}
    docs = [doc for _, doc in documents(record, 0, "latin1.py", Fields(path="path"))]
    assert docs[0].content == b"# caf\xe9 au lait\n" + PAYLOAD.encode()
    analysis = analyzer.analyze(docs[0])
    assert [(f.rule_id, f.line) for f in analysis.findings if f.rule_id in ("exec-of-decoded-payload", ENCODING_RULE)] \
        == [(ENCODING_RULE, 1), ("exec-of-decoded-payload", 3)]


def test_binary_behind_a_utf16_bom_stays_a_skip(analyzer):
    for content in (b"\xff\xfe\x00exec\x80\x81" * 8, b"\xff\xfe" * 10, b"\xfe\xff" + bytes(range(1, 256)) * 4):
        analysis = analyzer.analyze(Document("blob.bin", content))
        assert analysis.skips and "binary" in analysis.skips[0].reason, content[:12]
