"""Language-neutral questions about abstract values: their text, whether a constant is code."""
from __future__ import annotations

import re
from functools import lru_cache

from .facts import UNKNOWN, Value

MAX_CODE = 20_000  # longest constant parsed to see whether it is code
# the flag by which an interpreter or shell is told what to run (inline code, a module) as its next argument
INTERPRETER_FLAGS = frozenset(("-c", "-m", "-e", "/c", "/C", "-Command", "-command"))


def text_of(value: Value) -> str | None:
    """The constant as text: strings as they are, bytes decoded, lists of strings joined by spaces."""
    const = value.const
    if isinstance(const, str):
        return const
    if isinstance(const, bytes):
        return const.decode("utf-8", "replace")
    if isinstance(const, int) and not isinstance(const, bool):
        return str(const)
    if isinstance(const, (list, tuple)) and const and all(isinstance(c, (str, bytes)) for c in const):
        return " ".join(c if isinstance(c, str) else c.decode("utf-8", "replace") for c in const)
    if isinstance(const, (list, tuple)) and const and isinstance(const[0], str):
        # a command list whose program is known: the known words (unknown arguments left out)
        return " ".join(c for c in const if isinstance(c, str))
    if isinstance(const, (list, tuple)) and len(const) > 2 and const[1] in INTERPRETER_FLAGS \
            and all(isinstance(c, str) for c in const[1:]):
        # an interpreter named at run time (`[sys.executable, "-c", CODE]`, `[sys.executable, "-m", "pip", ...]`,
        # `[shell, "-c", CMD]`): the flag and what it runs are the command's text
        return " ".join(const[1:])
    return None


def whole(value: Value) -> bool:
    """The value is known entirely: a constant, and no item of a container (at any depth) is unknown."""
    return value.known and _whole(value.const, 0)


def _whole(const, depth: int) -> bool:
    if const is UNKNOWN or depth > 8:
        return const is not UNKNOWN
    if isinstance(const, dict):
        return all(_whole(k, depth + 1) and _whole(v, depth + 1) for k, v in const.items())
    if isinstance(const, (list, tuple, set, frozenset)):
        return all(_whole(c, depth + 1) for c in const)
    return True


def equals(value: Value, wanted) -> bool:
    const = value.const
    if const is UNKNOWN or isinstance(const, (list, tuple, dict)):
        return False
    if isinstance(wanted, bool) or isinstance(const, bool):
        return const is not None and not isinstance(const, (str, bytes)) and bool(const) == bool(wanted) \
            and (isinstance(const, (bool, int, float)))
    return const == wanted


_CALL_NODES = {"python": ("call", "import_statement", "import_from_statement"),
               "javascript": ("call_expression", "new_expression", "import_statement")}


def is_code(value: Value, language: str) -> bool:
    """True when the constant text parses as code of `language` that calls or imports something."""
    text = text_of(value)
    if text is None or len(text) > MAX_CODE or len(text) < 4 or ("(" not in text and "import" not in text):
        return False
    return _parses_as_code(text, "javascript" if language in ("typescript", "tsx") else language)


@lru_cache(maxsize=256)
def _parses_as_code(text: str, language: str) -> bool:
    from .. import languages
    wanted = _CALL_NODES.get(language)
    if wanted is None or not languages.has_grammar(language):
        return False
    tree = languages.parser(language).parse(text.encode("utf-8", "replace"))
    root = tree.root_node
    if root.has_error:
        return False
    stack = [root]
    seen = 0
    while stack and seen < 2000:
        node = stack.pop()
        seen += 1
        if node.type in wanted:
            return True
        stack.extend(node.named_children)
    return False


PUBLIC_KEY = re.compile(r"\.pub$")  # id_ed25519.pub, `*.pub`: the half of a key pair meant to be handed out
_CREDENTIAL = frozenset({"credential-file"})


def public_key_only(value: Value, tail: str) -> Value:
    """A path inside a key folder whose known end names only public keys (`ssh / "id_ed25519.pub"`,
    `ssh.glob("*.pub")`, `path.join(home, ".ssh", "id_rsa.pub")`): published by design, not a secret; the folder's
    credential label stays behind."""
    if not tail or "credential-file" not in value.labels or not PUBLIC_KEY.search(tail):
        return value
    return Value(value.const, value.labels - _CREDENTIAL, value.name, value.via, value.trace, value.choices, value.text)


_PARTS = ("().split()", "().rsplit()", "().partition()", "().rpartition()")


def part_name(container: Value, key) -> str | None:
    """The name of one piece cut out of a labelled call's text (`socket.gethostname().split(".")[0]`, `name[:8]`,
    `os.hostname().split(".")[0]`): `<call>[]`, so a rule asking where a value came from (`origin`) still sees the
    call behind its label. key: the constant position, or SLICE. A piece of anything else, an item of a call's
    result that is not a split, or one looked up by a key that is not a position, stays unnamed."""
    name = container.name
    if not container.labels or not name or not name.endswith("()") or (key is not SLICE and type(key) is not int):
        return None
    if (key is SLICE) == name.endswith(_PARTS):
        return None  # a slice of the parts (several of them), or data[0] of whatever a call returned
    return name + "[]"


SLICE = object()  # part_name's key for `x[a:b]`
