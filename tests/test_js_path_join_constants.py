"""path.join of constant pieces is a constant path (ejs's jakefile: `epath = path.join('./node_modules/.bin/eslint')`,
then `exec(epath + ' --config ...')`): a shell command built from it alone is the constants-only low case; a piece
that is not constant (a parameter, request data) keeps the command high, and path.resolve (which starts from the
working folder) is not folded."""
from __future__ import annotations

from severity_lines import by_line

BUILD = ("const path = require('path');\n"
         "const { execSync } = require('child_process');\n"
         "function lint(dir, req) {\n"
         "  const eslint = path.join('./node_modules/.bin/eslint');\n"
         "  execSync(eslint + ' --config ./eslint.config.mjs \"lib/*.js\"');\n"
         "  const tool = path.join('node_modules', '.bin', 'jsdoc');\n"
         "  execSync(`${tool} -c jsdoc.json lib/*`);\n"
         "  const mine = path.join(dir, '.bin', 'jsdoc');\n"
         "  execSync(mine + ' -c jsdoc.json');\n"
         "  const asked = path.join('bin', req.query.tool);\n"
         "  execSync(asked + ' --version');\n"
         "}\n")


def test_a_command_from_a_constant_path_join_is_low_other_joins_stay_high():
    assert by_line("js-exec-command-injection", BUILD) == {5: "low", 7: "low", 9: "high", 11: "high"}


def test_the_folded_path_is_normalized_as_node_does():
    from codescan.analyze.semantics.facts import Value
    from codescan.analyze.semantics.lang.js_calls import _joined_constant

    def join(*parts):
        return _joined_constant("path.join", [Value(p) for p in parts])
    assert join("./node_modules/.bin/eslint") == "node_modules/.bin/eslint"
    assert join("a", "", "b/../c", "d/") == "a/c/d/"
    assert join("", "") == "."
