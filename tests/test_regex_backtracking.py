"""No regex codescan runs may take super-linear time on a hostile line: the per-file budget cannot stop a regex
inside the C engine (budget_alarm interrupts it, but only once the file's seconds are gone), and one file with a run
of what a pattern repeats held whole scans (3f427ee: \\u escapes; an AGENTS.md of 'store' and spaces, session 20).

Every pattern is collected (regex_inventory: module constants, literal patterns in the source, rule predicates and
facts) and matched at the position each of its repeats is reached, against a run of what the repeat's body
accepts with a tail that fails (regex_pumps); the time at 2,000 characters against 250 must grow about linearly.
A search re-trying a leading repeat from every position of a run (`\\w+\\(` over a long word) is quadratic too, and
common; it is bounded by the hard stop, not checked here."""
from __future__ import annotations

import pytest

import regex_inventory
import regex_pumps

SIZE = 2000
RATIO = 8
GROWTH = 24  # time ratio for 8 times the text: ~8 when linear, 64 when quadratic
SLOW = 0.01  # seconds at SIZE below which growth is not judged (noise on a loaded machine)
RETRIES = 2  # re-measurements a flagged pattern must also fail

# Patterns still quadratic in one match attempt, left for later (the hard stop bounds them); the list may only shrink.
KNOWN = {
    # overlapping runs on a kind of text the rule or pass sees only in pieces: a captured string, an operand, a line
    "codescan.analyze.embedded._CODE_LINE": "one comment line; `\\s+[\\w{}\\[\\], ]+=` overlap on spaces",
    "codescan.analyze.semantics.lang.flowcompare._DIGEST_CALL": "a comparison operand's text",
    "codescan/analyze/semantics/lang/flowcompare.py:42": "a comparison operand's text",
    "codescan.analyze.semantics.lang.flowcompare._SAME_TEXT": "a comparison operand's text",
    "codescan.analyze.semantics.lang.flowcompare._CONVERSION": "a comparison operand's text",
    "codescan.analyze.semantics.lang.python_skeleton._CONVERSION": "one string literal's %-conversions",
    "codescan.analyze.semantics.lang.js_env_set._ASSIGNED": "an env assignment's text",
    "codescan.analyze.semantics.lang.auth_gates._DEFINED": "a def line",
    "codescan.analyze.semantics.lang.auth_text._AFTER_NAME": "after a name, `:\\s*[\\w<>\\[\\], ]+\\s*\\{`",
    "codescan.analyze.semantics.lang.auth_text._AFTER_DEF": "after a name",
    "rule cs-sql-injection #match?": "a string literal",
    "rule docker-tls-verify-disabled #match?": "a RUN line, spans bounded at 512",
    "rule persistence-command facts": "a command's text",
    "rule js-jwt-none-algorithm #match?": "an options object",
    "rule js-yaml-load-unsafe-schema #match?": "an options object",
    "rule php-preg-replace-eval-modifier #match?": "a regex literal",
    "rule browser-credential-store-access #match?": "a string literal",
    "rule dns-exfiltration-lookup #match?": "a call's text",
    "rule python-startup-hook-write #match?": "a mode string",
    "rule rb-eval-of-decoded-payload #match?": "a call's text",
    "rule rb-eval-of-untrusted-input #match?": "a call's text",
    "rule rb-sql-interpolation #match?": "a call's text",
    "rule sh-credential-exfiltration #match?": "a command (its other predicate: `cat\\s+[^|]*` then `\\S*`)",
    "rule sh-reverse-shell #match?": "a command",
    "codescan.analyze.agent_asks.WEAKENING": "an agent file; its 'store'/'append' runs are fixed, `env>` + a word run "
                                             "is not (hostile kind AGENTS.md guards the fixed ones)",
    "rule command-uploads-secrets facts": "a command's text",
    "rule java-reverse-shell #match?": "a call's text",
    "rule kt-reverse-shell #match?": "a call's text",
    "rule java-sql-string-concat #match?": "a string expression",
    "rule java-trust-all-certificates #match?": "a method body: two comment runs around an optional return",
    "rule setup-install-command-runs-code #not-match?": "a call's text",
}


def _slow(found) -> tuple | None:
    growth, seconds, lead, unit, tail = regex_pumps.slowest(found.pattern, found.flags, size=SIZE, ratio=RATIO)
    return (growth, seconds, lead, unit, tail) if seconds >= SLOW and growth > GROWTH else None


def test_no_pattern_backtracks_super_linearly_on_a_run_of_what_it_repeats():
    slow = []
    for found in regex_inventory.every_pattern():
        if found.where in KNOWN or (first := _slow(found)) is None:
            continue
        # timing on a shared machine flickers near the thresholds: a pattern fails only when it is slow every time
        if any(_slow(found) is None for _ in range(RETRIES)):
            continue
        growth, seconds, lead, unit, tail = first
        slow.append(f"{found.where}: {seconds:.3f} s at {SIZE} chars, x{growth:.0f} for x{RATIO} text; input "
                    f"{lead!r} + {unit!r} * n + {tail!r}; pattern {found.pattern!r:.120}")
    assert not slow, "\n".join(slow)


def test_the_inventory_sees_every_kind_of_pattern():
    found = regex_inventory.every_pattern()
    wheres = " ".join(f.where for f in found)
    assert len(found) > 1000
    assert "codescan.analyze.agent_asks.WEAKENING" in wheres  # a module constant
    assert "#match?" in wheres and "facts" in wheres  # rule predicates, facts regexes
    assert ".py:" in wheres  # a literal pattern inside a function


@pytest.mark.parametrize("pattern", [
    r"(a+)+$",  # nested repeats: exponential
    r"x\s*;?\s*$",  # overlapping runs around an optional: quadratic
    r"(?:@[^\n]*\s+)*def",  # a run that can end where the next item starts: exponential
])
def test_the_pumps_find_known_catastrophic_shapes(pattern):
    # (four times the inventory's size: a quadratic shape on 2,000 characters can stay under SLOW on a fast idle
    # machine, and this test must not depend on the machine's speed)
    growth, seconds, *_ = regex_pumps.slowest(pattern, 0, size=SIZE * 4, ratio=RATIO, cap=1.0)
    assert growth > GROWTH and seconds >= SLOW


def test_a_linear_pattern_is_not_flagged():
    growth, seconds, *_ = regex_pumps.slowest(r"\w+\s*=", 0, size=SIZE, ratio=RATIO)
    assert seconds < SLOW or growth < GROWTH
