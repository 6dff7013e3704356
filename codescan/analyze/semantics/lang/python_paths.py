"""Labels of a path whose start is not known here but whose last pieces are: `os.path.join(home, ".config", "systemd",
"user")`, `Path.home() / "Library" / "LaunchAgents"` name the startup folder `/.config/systemd/user` names."""
from __future__ import annotations

import re

from ..facts import Value
from ..text_labels import constant_labels
from ..values import public_key_only

PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath",
                        "pathlib.Path().joinpath", "pathlib.PurePath().joinpath"})
MAX_PIECES = 12
# only the startup-folder label is read from a tail: a credential store's name joined under the app's own folder
# (`~/.cache/myapp/leveldb`) is the app's data, and each piece already carries what it names by itself
TAIL_LABELS = frozenset({"startup-file", "ipython-startup", "ssh-config"})


def join_tail(values: list) -> str:
    """The known pieces at the end of a join's arguments (after an unknown one), joined with `/`; "" when none."""
    tail = []
    for value in reversed(values[-MAX_PIECES:]):
        if not isinstance(value.const, str):
            break
        tail.append(value.const)
    return "/".join(reversed(tail)) if 0 < len(tail) < len(values) else ""


def slash_tail(values, node) -> str:
    """`a / "x" / "y"` where `a` is not known: "x/y" (the known right operands along the chain)."""
    tail = []
    current = node
    while current is not None and current.type == "binary_operator" and len(tail) < MAX_PIECES:
        operator = current.child_by_field_name("operator")
        if operator is None or operator.text != b"/":
            break
        right = values.ev(current.child_by_field_name("right"))
        if not isinstance(right.const, str):
            break
        tail.append(right.const)
        current = current.child_by_field_name("left")
    return "/".join(reversed(tail))


# a credential file named over several pieces from a home-level dot folder (each piece alone names nothing)
CREDENTIAL_TAIL = re.compile(r"(?:^|/)(?:\.config/gh/hosts\.yml|\.terraform\.d/credentials\.tfrc\.json|"
                             r"\.cargo/credentials(?:\.toml)?|\.gem/credentials|\.azure/accessTokens\.json|"
                             r"\.azure/msal_token_cache\.(?:json|bin)|\.docker/config\.json|\.kube/config|"
                             r"\.config/gcloud/(?:credentials\.db|application_default_credentials\.json)|"
                             r"Library/Keychains(?:/[^/]+)?)$")


# a browser's profile folder joined under a folder known only at run time (LOCALAPPDATA, APPDATA, the home folder):
# the pieces "Google", "Chrome", "User Data" name nothing alone
BROWSER_TAIL = re.compile(r"(?i)(?:^|/)(?:google/chrome(?: beta| sxs)?|chromium|microsoft/edge|bravesoftware/"
                          r"brave-browser|vivaldi|yandex/yandexbrowser|epic privacy browser|chromodo)/user data(?:/|$)|"
                          r"(?:^|/)opera software/opera (?:gx )?stable(?:/|$)|(?:^|/)mozilla/firefox/profiles(?:/|$)|"
                          r"(?:^|/)\.mozilla/firefox(?:/|$)")


PATH_GLOBS = frozenset({"pathlib.Path().glob", "pathlib.Path().rglob", "pathlib.PurePath().glob", "glob.glob",
                        "glob.iglob"})


def with_tail_labels(value: Value, tail: str) -> Value:
    """`value` plus the startup folder (or the credential file of a home dot folder) the known tail of its path
    names."""
    value = public_key_only(value, tail)
    extra = constant_labels("/" + tail) & TAIL_LABELS if tail else frozenset()
    if tail and (CREDENTIAL_TAIL.search(tail) or BROWSER_TAIL.search(tail)):  # join(home, ".config", "gh", "hosts.yml")
        extra = extra | {"credential-file"}
    if not extra or extra <= value.labels:
        return value
    return Value(value.const, value.labels | extra, value.name, value.via, value.trace, value.choices)
