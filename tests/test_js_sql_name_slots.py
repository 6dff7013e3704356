"""JS SQL built with a name spliced where SQL wants a table or column name is medium, as in Python (sql-built-from-string):
bind parameters cannot hold names, and an ORM's query runner quotes them itself (TypeORM's clearTable: TRUNCATE TABLE
${this.escapePath(tableName)}). A value slot, or a name from a web request, stays high."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
RULE = "js-sql-injection-built-query"


def _by_line(text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((RULE, "sql-from-request-input"), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path="lib/QueryRunner.js", content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == RULE}


QUERY_RUNNER = """class MysqlQueryRunner {
    async clearTable(tableOrName) {
        await this.query(`TRUNCATE TABLE ${this.escapePath(tableOrName)}`);
    }
    async clearMetadata(database) {
        const metadataTableName = this.getMetadataTableName();
        await this.query(`DELETE FROM ${this.escapePath(metadataTableName)} WHERE \\`schema\\` = ?`, [database]);
    }
    async rowById(tableName, id) {
        await this.query(`SELECT * FROM ${this.escapePath(tableName)} WHERE id = ${id}`);
    }
    async insertRow(tableName, value) {
        await this.query(`INSERT INTO ${tableName} (name) VALUES ('${value}')`);
    }
}
app.get("/purge", async (req, res) => {
    await pool.query(`DELETE FROM ${req.query.table}`);
});
"""


def test_a_name_slot_is_medium_a_value_slot_or_request_data_stays_high():
    assert _by_line(QUERY_RUNNER) == {3: "medium", 7: "medium", 10: "high", 13: "high", 17: "high"}
