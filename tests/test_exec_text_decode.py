"""exec of bytes decoded with a text codec (pyramid's pshell: `exec(fp.read().decode('utf-8'), env)` of the user's
PYTHONSTARTUP file) is no decoded payload: medium; the same .decode() over base64, zlib or rot13 data stays
critical, and so does a plain base64 decode under exec."""
from __future__ import annotations

from severity_lines import by_line

TEXT = ("import base64, codecs, zlib\n"
        "def run(path, blob, env):\n"
        "    with open(path, 'rb') as fp:\n"
        "        exec(fp.read().decode('utf-8'), env)\n"
        "    exec(blob.decode(), env)\n"
        "    exec(base64.b64decode(blob).decode('utf-8'))\n"
        "    exec(zlib.decompress(blob).decode())\n"
        "    exec(base64.b64decode(blob))\n"
        "    exec(codecs.decode(blob, 'rot13'))\n")


def test_text_codec_decode_under_exec_is_medium_real_decoders_stay_critical():
    assert by_line("exec-of-decoded-payload", TEXT, "shell.py") == {
        4: "medium", 5: "medium", 6: "critical", 7: "critical", 8: "critical", 9: "critical"}
