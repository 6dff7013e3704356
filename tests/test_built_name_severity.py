"""A JavaScript member name written in pieces: high when it spells an API that runs code or reaches the system, low when
it spells a harmless one (`el['add' + 'EventListener']`, a timer given only functions); analyze/built_names.py."""
from __future__ import annotations

import pytest

from codescan.rules import RuleError, parse_rule

from severity_lines import by_line, findings

RULE = "js-computed-member-obfuscation"


def test_a_harmless_name_in_pieces_is_low_a_code_running_one_high():
    text = ("el['add' + 'Event' + 'Listener']('click', onClick);\n"
            "const up = s['to' + 'Upper' + 'Case']();\n"
            "global['ev' + 'al'](payload);\n"
            "const run = cp['ex' + 'ec' + 'Sync'];\n"
            "const m = process['main' + 'Module'];\n"
            "o['\\x6c\\x6f\\x67']('hi');\n"
            "process['\\x73\\x70\\x61\\x77\\x6e']('node', ['x.js']);\n")
    assert by_line(RULE, text) == {1: "low", 2: "low", 3: "high", 4: "high", 5: "high", 6: "low", 7: "high"}


def test_a_timer_in_pieces_is_low_only_when_every_use_passes_a_function():
    text = ("window['set' + 'Time' + 'out'](() => tick(), 0);\n"
            "window['set' + 'Time' + 'out'](code, 0);\n"
            "function a() {\n"
            "  const timer = globalThis['set' + 'Timeout'];\n"
            "  timer(() => log('bound'), 0);\n"
            "  timer(function () { done(); }, 10);\n"
            "}\n"
            "function b(code) {\n"
            "  const timer = globalThis['set' + 'Timeout'];\n"
            "  timer(() => log('bound'), 0);\n"
            "  timer(code, 10);\n"
            "}\n"
            "function c() {\n"
            "  const later = self['set' + 'Interval'];\n"
            "  return later;\n"
            "}\n")
    assert by_line(RULE, text) == {1: "low", 2: "high", 4: "low", 9: "high", 14: "high"}


def test_destructured_keys_in_pieces_are_graded_alike():
    text = ("const { ['ex' + 'ec']: run } = cp;\n"
            "const { ['on' + 'Click']: onClick } = props;\n"
            "const { ['set' + 'Timeout']: later } = window;\n")
    assert by_line(RULE, text) == {1: "high", 2: "low", 3: "high"}


def test_template_pieces_are_spelled_too():
    text = ("const run = cp[`exe${'c'}`];\n"
            "el[`add${'Event'}Listener`]('click', f);\n")
    assert by_line(RULE, text) == {1: "high", 2: "low"}


def test_the_low_grade_says_which_api_the_pieces_spell():
    found = findings(RULE, "el['add' + 'EventListener']('x', f);\n")
    assert len(found) == 1 and "`addEventListener`" in found[0].message


def test_harmless_name_is_only_for_javascript_rules():
    import yaml
    raw = yaml.safe_load(open("rules/javascript/js-computed-member-obfuscation.yaml").read())
    raw["languages"] = ["python"]
    with pytest.raises(RuleError, match="harmless_name"):
        parse_rule(raw, "x.yaml")



def test_page_changing_names_in_pieces_stay_high():
    # a <script> element made and put into the page, or the page's address replaced, through names built in pieces
    text = ("const s = document['create' + 'Element']('script');\n"
            "document.head['append' + 'Child'](s);\n"
            "location['rep' + 'lace'](next);\n"
            "frame['insert' + 'Adjacent' + 'HTML']('beforeend', html);\n"
            "const n = s['to' + 'Lower' + 'Case']();\n")
    assert by_line(RULE, text) == {1: "high", 2: "high", 3: "high", 4: "high", 5: "low"}
