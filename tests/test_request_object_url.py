"""urllib.request.Request(url, ...) carries its URL's text: urlopen(req) is judged by where req goes."""
from __future__ import annotations

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()

TEXT = '''import os
import urllib.request

BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN")
API_KEY = os.environ.get("SERVICE_API_KEY")


def telegram(text):
    url = f"https://api.telegram.org/bot{BOT_TOKEN}/sendMessage"
    req = urllib.request.Request(url, data=text.encode(), method="POST")
    return urllib.request.urlopen(req)


def webhook(text):
    url = "https://discord.com/api/webhooks/1/abc?k=" + API_KEY
    req = urllib.request.Request(url, data=text.encode(), method="POST")
    return urllib.request.urlopen(req)
'''


def _by_line(rule_id: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path="notify.py", content=TEXT.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def test_a_bot_token_in_the_bot_api_url_is_low_at_urlopen_too_a_webhook_drop_stays_high():
    got = _by_line("secret-env-var-sent-over-network")
    assert got[10] == "low" and got[11] == "low"
    assert got[16] in ("high", "critical") and got[17] in ("high", "critical")
