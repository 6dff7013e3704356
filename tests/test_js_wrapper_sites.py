"""A same-file wrapper around execSync called with a built command (ejs's jakefile: `let exec = function (cmd) {
execSync(cmd, {stdio: 'inherit'}) }` then `exec(epath + ' --config ...')`): the shape rule reports the wrapper's call
site, and the facts now re-grade that site with the arguments it passes: constants only -> low; a parameter or
request data -> high, and a wrapper that adds data of its own is not let through."""
from __future__ import annotations

from severity_lines import by_line

JAKE = ("const { execSync } = require('child_process');\n"
        "let exec = function (cmd) {\n"
        "  execSync(cmd, { stdio: 'inherit' });\n"
        "};\n"
        "const LINT = './node_modules/.bin/eslint';\n"
        "function tasks(dir, req) {\n"
        "  exec(LINT + ' --config ./eslint.config.mjs \"lib/*.js\"');\n"
        "  exec(`${LINT} --fix test/*.js`);\n"
        "  exec(LINT + ' ' + dir);\n"
        "  exec('git checkout ' + req.query.branch);\n"
        "}\n")

ADDS = ("const { execSync } = require('child_process');\n"
        "const exec = (cmd) => execSync(cmd + ' ' + process.argv[2]);\n"
        "const MAKE = 'make';\n"
        "exec(MAKE + ' all');\n")


def test_a_wrapper_call_with_constants_only_is_low_others_stay_high():
    assert by_line("js-exec-command-injection", JAKE, "jakefile.js") == {7: "low", 8: "low", 9: "high", 10: "high"}


def test_a_wrapper_that_adds_its_own_data_keeps_the_site_high():
    assert by_line("js-exec-command-injection", ADDS, "build.js").get(4) == "high"
