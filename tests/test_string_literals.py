"""string_literals.decoded gives what ast.literal_eval gives (value and type), or MISS, and never warns: on crafted
escapes and prefixes, and on every non-f string literal of a sample of the interpreter's stdlib."""
from __future__ import annotations

import ast
import sysconfig
import warnings
from pathlib import Path

import pytest

from codescan.analyze import languages
from codescan.analyze.semantics.string_literals import MISS, decoded, number

CRAFTED = [r'"\777"', r'"\400"', r'"\0"', r'"\08"', r'b"\777"', r'b"\377"', r'"\N{BULLET}"', r'"\N{NOPE}"',
           r'b"\N{BULLET}"', r'"\x4"', r'"\x41"', r'b"\x4"', r'b"\u0041"', r'"\u0041"', r'"\U0001F600"',
           r'"\U00110000"', r'"\ud800"', r'"\d\w"', r'b"\d"', '"""a\\\nb"""', '"""a\nb"""', "'''x\\'y'''", r"'a\'b'",
           r'"\\"', r'"a\\"', r'r"\d"', r'rb"\x41"', r'Br"\n"', r'U"\n"', r'"\a\b\f\n\r\t\v"', r'b"\a\b\f\n\t\v"',
           r'"\'"', r'"\""', r'"\8"', r'"\N"', r'u"\x41"', r'"\"', r'""', r'b""', r'R"x\\"', r'"\u12"', r'b"\xZZ"',
           r'"\%"', '"caf\u00e9"', r'"a\
b"']


def _literal(text: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.literal_eval(text)


def _start(text: str) -> tuple[str, str]:
    """(opening token, prefix letters) as tree-sitter's first child of a string gives them."""
    i = 0
    while text[i] not in "'\"":
        i += 1
    quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") and len(text) >= i + 6 else text[i]
    return text[:i] + quote, text[:i]


def _same(text: str, start: str, prefix: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # decoded itself never warns (a scanned file's escapes are its own business)
        fast = decoded(text, start, prefix)
    if fast is MISS:
        return True
    return fast == _literal(text) and type(fast) is type(_literal(text))


@pytest.mark.parametrize("text", CRAFTED)
def test_crafted_literals(text):
    start, prefix = _start(text)
    assert _same(text, start, prefix)


def test_common_forms_are_decoded():
    for text, value in ((r'"a\nb"', "a\nb"), (r"b'\x00\xff'", b"\x00\xff"), (r'r"\d+"', "\\d+"), (r'"\\"', "\\")):
        start, prefix = _start(text)
        assert decoded(text, start, prefix) == value


NUMBERS = ["0x1F", "0o17", "0b101", "0x_1f", "1_000", "00", "0_0", "010", "1.5", "1e5", "1E-3", "1.e5", ".5", "5.",
           "1_000.5", "0_1.5", "1__0", "1.0_", "1j", "1.5j", "10L", "0xZZ", "1e", "1_e5", "0b2", "1.5e+3", "1e5_0"]


@pytest.mark.parametrize("text", NUMBERS)
def test_numbers(text):
    got = number(text)
    if got is not None:
        assert got == _literal(text) and type(got) is type(_literal(text))


def test_stdlib_strings():
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(root.glob("*.py"))[:120]
    parser = languages.parser("python")
    checked = 0
    for path in files:
        stack = [parser.parse(path.read_bytes()).root_node]
        while stack:
            node = stack.pop()
            if node.type in ("integer", "float"):
                text = node.text.decode("ascii")
                if number(text) is not None:
                    assert number(text) == _literal(text) and type(number(text)) is type(_literal(text)), text
                continue
            if node.type != "string":
                stack.extend(node.children)
                continue
            start = node.children[0].text.decode("utf-8", "replace")
            prefix = start.rstrip("'\"")
            if "f" in prefix.lower():
                continue
            try:
                text = node.text.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if decoded(text, start, prefix) is not MISS:
                checked += 1
                assert _same(text, start, prefix), (path, text[:80])
    assert checked > 1000


def test_text_body_reads_an_fstring_part_as_python_does():
    import ast

    from codescan.analyze.semantics.string_literals import MISS, text_body
    for body in (r"export PATH=\"", r":$PATH\"\n", r"a\\b\tc", r"\x41\u00e9\N{BULLET}", "plain {x}", r"\d+"):
        assert text_body(body) == ast.literal_eval('"' + body + '"'), body
    assert text_body("caf\u00e9\\n") is MISS  # not ASCII: kept as written by the caller
