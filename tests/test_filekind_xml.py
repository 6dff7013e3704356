"""An XML document under a code extension (Qt Linguist .ts translations) is not read as code: its translated words
are not identifiers (they made confusable-identifier highs), while real code under the same names still is."""
from __future__ import annotations

from codescan.analyze import filekind
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

QT_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>MainWindow</name>
    <message>
        <source>Open file</source>
        <translation>Открыть файл</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить сервер</translation>
    </message>
</context>
</TS>
"""


def test_an_xml_document_named_ts_is_not_typescript():
    assert filekind.classify("i18n/app_ru.ts", QT_TS).language is None
    assert filekind.classify("i18n/app_ru.ts", "\ufeff" + QT_TS).language is None
    assert filekind.classify("src/app.ts", "import x from 'y';\n").language == "typescript"
    assert filekind.classify("page.php", '<?xml version="1.0"?>\n<?php echo 1;').language == "php"
    assert filekind.classify("i18n/app_ru.ts", QT_TS, language="typescript").language == "typescript"


def test_translations_give_no_code_findings():
    result = Analyzer(load_rules(), Config()).analyze(Document(path="i18n/app_ru.ts", content=QT_TS.encode()))
    assert result.language is None
    assert not [f for f in result.findings if f.severity in ("high", "critical")]
