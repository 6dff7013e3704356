"""Commands that run the command after them (sudo, nohup, env, timeout 5, exec...): past them and their options,
the word that names the program run. Shared by the shell adapter and the inline-program finder (analyze/inline_code)."""
from __future__ import annotations

from typing import Callable, Sequence, TypeVar

WRAPPERS = frozenset(("sudo", "nohup", "env", "command", "builtin", "time", "nice", "doas", "setsid", "stdbuf",
                      "xargs", "timeout", "busybox", "exec", "ionice", "gosu", "su-exec",
                      "RUN"))  # a Dockerfile's RUN line pasted into a shell block (README install notes)
WRAPPER_VALUES = {"sudo": ("-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"), "env": ("-u", "-C", "-S"),
                  "nice": ("-n",), "timeout": ("-s", "-k"), "doas": ("-u", "-C"), "stdbuf": ("-i", "-o", "-e"),
                  "xargs": ("-I", "-n", "-P", "-d", "-L", "-s", "-E", "-a"), "ionice": ("-c", "-n", "-p")}
# gosu/su-exec USER COMMAND: the user is their first word
_USER_FIRST = frozenset(("gosu", "su-exec"))

W = TypeVar("W")


def past_wrappers(words: Sequence[W], text: Callable[[W], str]) -> list[W]:
    """`words` from the program's word on: `sudo -u app nohup env X=1 timeout 5 /tmp/x -d` -> [/tmp/x, -d]. A
    wrapper alone (`time`, `exec` with nothing after it) is the program."""
    words = list(words)
    while len(words) > 1 and text(words[0]).rsplit("/", 1)[-1] in WRAPPERS:
        wrapper = text(words[0]).rsplit("/", 1)[-1]
        words = words[1:]
        while words and (text(words[0]).startswith("-") or "=" in text(words[0]) or
                         (wrapper == "timeout" and text(words[0])[:1].isdigit())):
            takes_value = text(words[0]) in WRAPPER_VALUES.get(wrapper, ())
            words = words[2:] if takes_value else words[1:]
        if wrapper in _USER_FIRST and len(words) > 1:
            words = words[1:]
    return words
