"""Kotlin values the fact rules rely on: a function's return expression and expression body, `it` in a scope
function's lambda, names bound by `for ((k, v) in map)`, and SQL built only from constants graded low."""
from __future__ import annotations

from test_fact_severity import _by_line


def test_sql_from_a_constant_list_through_it_is_low_from_a_parameter_high():
    text = ("class Repo(private val db: java.sql.Connection) {\n"
            "    private fun count(table: String): Int {\n"
            "        val rs = db.createStatement().executeQuery(\"SELECT COUNT(*) FROM \" + table)\n"
            "        rs.next(); return rs.getInt(1)\n"
            "    }\n"
            "    fun stats() = listOf(\"users\", \"orders\").associateWith { count(it) }\n"
            "    fun find(name: String) = db.createStatement().executeQuery(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n"
            "}\n")
    assert _by_line("kt-sql-string-template", "Repo.kt", text) == {3: "low", 7: "high"}


def test_environment_copied_in_a_helper_and_written_through_use_it_is_reported():
    text = ("import java.net.URL\n"
            "import java.net.HttpURLConnection\n"
            "private fun dump(): String {\n"
            "    val sb = StringBuilder()\n"
            "    for ((k, v) in System.getenv()) { sb.append(k).append(v) }\n"
            "    return sb.toString()\n"
            "}\n"
            "private fun tag(): String = \"v1\"\n"
            "fun ship(u: String) {\n"
            "    val c = URL(u).openConnection() as HttpURLConnection\n"
            "    c.outputStream.use { it.write(dump().toByteArray()) }\n"
            "    c.outputStream.use { it.write(tag().toByteArray()) }\n"
            "}\n")
    assert _by_line("http-post-of-environment", "Ship.kt", text) == {11: "critical"}
