"""A password digest inside a function that chains digests in a loop (passlib's md5-crypt: `for even, odd in data:
dc = md5(odd + md5(dc + even).digest()).digest()`) is an iterated scheme written out: medium. One pass, or a loop
that hashes each password once without chaining, stays high."""
from __future__ import annotations

from severity_lines import by_line

TEXT = ("from hashlib import md5\n"
        "def raw_md5_crypt(pwd, salt):\n"
        "    pwd = pwd.encode('utf-8')\n"
        "    db = md5(pwd + salt + pwd).digest()\n"
        "    dc = db\n"
        "    for i in range(1000):\n"
        "        dc = md5(pwd + md5(dc + salt).digest()).digest()\n"
        "    return dc\n"
        "def store(password):\n"
        "    return md5(password.encode()).hexdigest()\n"
        "def store_all(users):\n"
        "    for user in users:\n"
        "        user.digest = md5(user.password.encode()).hexdigest()\n")


def test_a_digest_chained_in_a_loop_is_medium_one_pass_stays_high():
    assert by_line("weak-hash-of-password", TEXT, "md5_crypt.py") == {4: "medium", 7: "medium", 10: "high", 13: "high"}
