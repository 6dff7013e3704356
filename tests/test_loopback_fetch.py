"""shell-command-downloads-file: a curl whose every URL is this machine (loopback) fetches nothing from the network."""
from __future__ import annotations

from pathlib import Path

from test_fact_severity import _by_line

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/rules/python/shell-command-downloads-file/loopback_health.py"


def test_a_loopback_health_check_is_low_a_download_from_elsewhere_stays_high():
    # localhost.example.net is no loopback name; a loopback URL beside a remote one still downloads
    assert _by_line("shell-command-downloads-file", "infra.py", FIXTURE.read_text()) == {
        7: "low", 17: "high", 18: "high", 19: "high"}
