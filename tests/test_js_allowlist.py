"""JS allow-lists: a value taken from a constant table or checked against a constant list is one of its texts."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()


def _by_line(rule_id: str, path: str, text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


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
