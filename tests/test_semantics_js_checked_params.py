"""JS/TS: request data passed to a same-file function that tests its parameter with a validating test and stops on
failure arrives checked (the rules' `checked` case, medium), as in Python (`param-checked` until a call site fills
it); the same helper without the test keeps the call high."""
from __future__ import annotations

from severity_lines import by_line


def test_a_parameter_allow_listed_in_its_helper_arrives_checked():
    text = ("const fs = require('fs');\n"
            "const path = require('path');\n"
            "const NAMES = new Set(['api', 'worker']);\n"
            "function readLog(name, cb) {\n"
            "  if (!NAMES.has(name)) return cb(new Error('unknown log'));\n"
            "  fs.readFile(path.join('/var/log/app', `${name}.log`), 'utf8', cb);\n"
            "}\n"
            "function readAny(name, cb) {\n"
            "  fs.readFile(path.join('/var/log/app', `${name}.log`), 'utf8', cb);\n"
            "}\n"
            "module.exports = (app) => {\n"
            "  app.get('/a', (req, res) => readLog(req.query.name, (e, t) => res.send(t)));\n"
            "  app.get('/b', (req, res) => readAny(req.query.name, (e, t) => res.send(t)));\n"
            "};\n")
    assert by_line("path-from-request-input", text) == {6: "medium", 9: "high"}


def test_a_url_whose_host_the_parsing_helper_allow_lists_arrives_checked():
    text = ("const HOSTS = new Set(['github.com']);\n"
            "function target(raw) {\n"
            "  const u = new URL(raw);\n"
            "  if (!HOSTS.has(u.hostname)) return null;\n"
            "  return u;\n"
            "}\n"
            "function loose(raw) {\n"
            "  return new URL(raw);\n"
            "}\n"
            "export default async function handler(req, res) {\n"
            "  const a = await fetch(target(req.query.url));\n"
            "  const b = await fetch(loose(req.query.url));\n"
            "  res.json({ a: a.status, b: b.status });\n"
            "}\n")
    assert by_line("js-ssrf-url-from-request-input", text, "pages/api/p.js") == {11: "medium", 12: "high"}
