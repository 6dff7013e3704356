"""Java deserialization of in-memory bytes the same file serialized is a round trip (medium); decoded,
network or parameter streams stay high."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULE = "java-unsafe-deserialization"
ANALYZER = Analyzer(load_rules().select((RULE,), ()), Config(honour_suppressions=False))

SAVE = """
    static byte[] save(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) { out.writeObject(o); }
        return bytes.toByteArray();
    }
"""


def _severities(body: str, save: bool = True) -> dict[int, str]:
    text = "import java.io.*;\nimport java.util.Base64;\nclass Copy {\n" + (SAVE if save else "") + body + "}\n"
    found = ANALYZER.analyze(Document(path="src/main/java/Copy.java", content=text.encode())).findings
    lines = text.splitlines()
    return {lines[f.line - 1].strip(): f.severity for f in found if f.rule_id == RULE}


def test_bytes_this_file_serialized_are_a_round_trip():
    body = ("    static Object copy(Object o) throws Exception {\n"
            "        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(save(o)));\n"
            "        return in.readObject();\n    }\n")
    assert set(_severities(body).values()) == {"medium"}


def test_without_a_serializer_in_the_file_in_memory_bytes_stay_high():
    body = ("    static Object copy(byte[] b) throws Exception {\n"
            "        return new ObjectInputStream(new ByteArrayInputStream(b)).readObject();\n    }\n")
    assert set(_severities(body, save=False).values()) == {"high"}


def test_decoded_or_socket_bytes_stay_high_beside_a_serializer():
    body = ("    static Object fromText(String s) throws Exception {\n"
            "        return new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s))).readObject();\n"
            "    }\n"
            "    static Object fromPeer(java.net.Socket peer) throws Exception {\n"
            "        return new ObjectInputStream(peer.getInputStream()).readObject();\n    }\n")
    assert set(_severities(body).values()) == {"high"}
