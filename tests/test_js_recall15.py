"""Session-15 JS behaviours: allow-list checks make SQL constant; what decides the new rules' severities."""
from __future__ import annotations

from pathlib import Path

from test_fact_severity import _by_line

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def test_sql_order_by_a_table_lookup_or_a_checked_column_is_low():
    text = ("const ORDERS = { name: 'name', newest: 'created_at DESC' };\n"
            "const COLUMNS = new Set(['created_at', 'name', 'email']);\n"
            "const DIRS = ['ASC', 'DESC'];\n"
            "async function search(req, res, orderBy, dir) {\n"
            "  const order = ORDERS[req.query.order] || 'id';\n"
            "  await knex.raw(`SELECT * FROM products ORDER BY ${order}`);\n"
            "  const column = COLUMNS.has(orderBy) ? orderBy : 'created_at';\n"
            "  const d = !DIRS.includes(dir) ? 'ASC' : dir;\n"
            "  await repo.query(`SELECT id FROM users WHERE name LIKE $1 ORDER BY ${column} ${d}`, [x]);\n"
            "  await db.query('SELECT * FROM t ORDER BY ' + order);\n"
            "  await db.query(`SELECT * FROM t ORDER BY ${orderBy}`);\n"
            "  const loose = COLUMNS.has(orderBy) ? dir : 'id';\n"
            "  await db.query(`SELECT * FROM t ORDER BY ${loose}`);\n"
            "  const fallback = ORDERS[req.query.order] || req.query.order;\n"
            "  await db.query(`SELECT * FROM t ORDER BY ${fallback}`);\n"
            "}\n")
    assert _by_line("js-sql-injection-built-query", "db.js", text) == {
        6: "low", 9: "low", 10: "low", 11: "high", 13: "high", 15: "high"}


def test_a_table_of_functions_still_resolves_and_a_checked_command_is_not_request_input():
    text = ("const { exec } = require('child_process');\n"
            "const TOOLS = ['uptime', 'df -h'];\n"
            "app.get('/t', (req, res) => {\n"
            "  const tool = TOOLS.includes(req.query.t) ? req.query.t : 'uptime';\n"
            "  exec(tool, (e, out) => res.send(out));\n"
            "  exec(req.query.t, (e, out) => res.send(out));\n"
            "});\n")
    assert _by_line("js-exec-of-request-input", "a.js", text) == {6: "critical"}

def test_pbkdf2_under_a_thousand_iterations_is_high_under_100k_medium():
    text = (FIXTURES / "facts" / "js-pbkdf2-low-iterations" / "passwords.ts").read_text(encoding="utf-8")
    assert _by_line("js-pbkdf2-low-iterations", "src/passwords.ts", text) == {6: "high", 10: "medium", 14: "medium"}


def test_libxml_noent_is_high_on_request_input_medium_on_a_packaged_file():
    text = (FIXTURES / "facts" / "js-xml-external-entities" / "uploads.js").read_text(encoding="utf-8")
    assert _by_line("js-xml-external-entities", "src/uploads.js", text) == {10: "high", 11: "high", 18: "medium"}


def test_jose_decode_is_low_when_the_file_verifies_with_jose():
    base = FIXTURES / "javascript" / "js-jwt-decoded-not-verified"
    assert _by_line("js-jwt-decoded-not-verified", "a.ts", (base / "jose_decode.ts").read_text(encoding="utf-8")) == {
        8: "high", 14: "high"}
    assert _by_line("js-jwt-decoded-not-verified", "b.ts", (base / "jose_verified.ts").read_text(encoding="utf-8")) == {
        14: "low"}


def test_dom_xss_only_from_the_decoded_address_not_the_encoded_path():
    text = ("const q = new URLSearchParams(location.search).get('q');\n"
            "document.querySelector('h1').innerHTML = 'Results for ' + q;\n"
            "document.querySelector('nav').innerHTML = '<a href=\"' + location.href.split('?')[0] + '\">x</a>';\n"
            "document.querySelector('p').innerHTML = '<b>' + location.pathname + '</b>';\n")
    assert _by_line("js-dom-xss-from-url", "page.js", text) == {2: "high"}


def test_a_url_checked_against_an_allow_list_before_the_fetch_is_medium_a_presence_check_is_not_a_check():
    text = ("const HOSTS = new Set(['images.example.com']);\n"
            "app.get('/img', async (req, res) => {\n"
            "  const url = new URL(req.query.src);\n"
            "  if (!HOSTS.has(url.hostname)) return res.status(403).end();\n"
            "  res.send(await (await fetch(url)).text());\n"
            "});\n"
            "app.get('/img2', async (req, res) => {\n"
            "  const target = req.query.src;\n"
            "  if (!target) return res.status(400).end();\n"
            "  res.send(await (await fetch(target)).text());\n"
            "});\n"
            "app.get('/img3', async (req, res) => {\n"
            "  const t = req.query.src;\n"
            "  if (!/^https:\\/\\/images\\.example\\.com\\//.test(t)) { res.status(400); return res.end(); }\n"
            "  res.send(await (await fetch(t)).text());\n"
            "});\n")
    assert _by_line("js-ssrf-url-from-request-input", "app.js", text) == {5: "medium", 10: "high", 15: "medium"}
