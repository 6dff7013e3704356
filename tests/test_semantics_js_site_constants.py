"""A JavaScript helper's shell command built around its parameter (`execSync(`git ${args}`)`): low when every call of
the helper in the file passes a constant, high when one passes data or none is found (lang/js_site_constants.py)."""
from __future__ import annotations

from severity_lines import by_line



HELPER = ("const { execSync } = require('child_process');\n"
          "function git(args) {\n"
          "  return execSync(`git ${args}`).toString();\n"
          "}\n")


def test_a_helper_called_only_with_constants_is_low():
    text = HELPER + "git('rev-parse --short HEAD');\ngit('rev-parse --abbrev-ref HEAD');\n"
    assert by_line("js-exec-command-injection", text) == {3: "low"}


def test_a_method_called_through_this_with_constants_is_low():
    text = ("const { execSync } = require('child_process');\n"
            "class GitInfo {\n"
            "  git(args) {\n"
            "    return execSync('git ' + args).toString();\n"
            "  }\n"
            "  collect() {\n"
            "    return { commit: this.git('rev-parse HEAD'), branch: this.git('branch --show-current') };\n"
            "  }\n"
            "}\n")
    assert by_line("js-exec-command-injection", text) == {4: "low"}


def test_one_call_passing_data_keeps_it_high():
    text = HELPER + "git('rev-parse HEAD');\nfunction tag(name) { return git(`tag ${name}`); }\n"
    assert by_line("js-exec-command-injection", text) == {3: "high"}
    text = HELPER + "git('status');\napp.get('/x', (req, res) => res.send(git(req.query.ref)));\n"
    assert by_line("js-exec-command-injection", text) == {3: "high"}


def test_a_helper_never_called_here_or_with_more_than_its_parameter_stays_high():
    assert by_line("js-exec-command-injection", HELPER) == {3: "high"}
    text = ("const { execSync } = require('child_process');\n"
            "function git(args) {\n"
            "  return execSync(`git ${args} ${process.argv[2]}`).toString();\n"
            "}\n"
            "git('log');\n")
    assert by_line("js-exec-command-injection", text) == {3: "high"}
