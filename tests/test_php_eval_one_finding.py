"""PHP eval of request input is one behaviour: the web-shell shape rule reports it and the data-flow rule yields
on that line, but still reports request data that reaches eval through a variable."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
EXEC_RULES = {"exec-of-request-input", "php-eval-of-request-input"}


def found(code: str) -> list[tuple[int, str, str]]:
    analyzer = Analyzer(RULES, Config(honour_suppressions=False))
    return sorted((f.line, f.rule_id, f.severity)
                  for f in analyzer.analyze(Document(path="web/index.php", content=code.encode())).findings
                  if f.rule_id in EXEC_RULES)


def test_eval_of_php_input_is_one_critical_finding():
    assert found('<?php\neval(file_get_contents("php://input"));\n') == [
        (2, "php-eval-of-request-input", "critical")]


def test_eval_spanning_lines_is_one_finding():
    assert found("<?php\n@eval(\n    $_POST['cmd']\n);\n") == [(2, "php-eval-of-request-input", "critical")]


def test_request_data_through_a_variable_is_still_reported():
    assert found("<?php\n$code = $_POST['c'];\neval($code);\n") == [(3, "exec-of-request-input", "critical")]
