"""pickle-load grades. pickle.loads in a file that signs what it loads with an HMAC (bottle's signed cookies:
`if _lscmp(sig, b64encode(hmac.new(key, msg).digest())): return pickle.loads(b64decode(msg))`) is medium; without an
HMAC it stays high, a request's bytes stay critical, and a constant pickle is not let through by an HMAC call.
Bytes decoded from what a file that pickles reads back (SCons's b64encode(pickle.dumps(..)) kept in project files) are
its round trip: medium; a base64 pickle written out in the code or taken from the environment stays high."""
from __future__ import annotations

from severity_lines import by_line

SIGNED = ("import base64, hashlib, hmac, pickle\n"
          "def cookie_decode(data, key, digestmod=hashlib.sha256):\n"
          "    sig, msg = data.split(b'?', 1)\n"
          "    hashed = hmac.new(key, msg, digestmod=digestmod).digest()\n"
          "    if hmac.compare_digest(sig[1:], base64.b64encode(hashed)):\n"
          "        return pickle.loads(base64.b64decode(msg))\n"
          "def hidden():\n"
          "    return pickle.loads(base64.b64decode('gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=='))\n"
          "def from_request(request):\n"
          "    return pickle.loads(base64.b64decode(request.cookies['s']))\n")

UNSIGNED = ("import base64, pickle\n"
            "def cookie_decode(data):\n"
            "    sig, msg = data.split(b'?', 1)\n"
            "    return pickle.loads(base64.b64decode(msg))\n")


def test_pickle_in_a_file_that_checks_an_hmac_is_medium():
    got = by_line("pickle-load", SIGNED, "cookies.py")
    assert got[6] == "medium" and got[10] == "critical" and got.get(8) != "medium", got


def test_the_same_load_without_an_hmac_stays_high():
    assert by_line("pickle-load", UNSIGNED, "cookies.py") == {4: "high"}


ROUND_TRIP = ("import base64, os, pickle\n"
              "def save(path, configs):\n"
              "    with open(path, 'a') as fh:\n"
              "        fh.write(base64.b64encode(pickle.dumps(configs)).decode())\n"
              "def load(path):\n"
              "    datas = open(path).read()\n"
              "    return pickle.loads(base64.decodebytes(datas.encode()))\n"
              "def hidden():\n"
              "    return pickle.loads(base64.b64decode('gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=='))\n"
              "def from_env():\n"
              "    return pickle.loads(base64.b64decode(os.environ['STATE']))\n")


def test_a_base64_round_trip_in_a_file_that_pickles_is_medium_hidden_or_env_bytes_are_not():
    got = by_line("pickle-load", ROUND_TRIP, "msvs.py")
    assert got[7] == "medium" and got[9] == "high" and got[11] == "high", got
