"""What a file the code wrote itself holds when it reads it back: `fs.writeFileSync(f, JSON.stringify(process.env))`
then `fs.readFileSync(f)` (or a read stream of f) is the environment again (a stealer stages its loot in a temp file
before the upload). The path must be the same name, written before the read in the file. And the files a search
by pattern lists when the pattern names secrets files (`findFiles('**/.env*')`, `glob.sync('**/id_rsa')`)."""
from __future__ import annotations

import re

from ..facts import NOTHING, Step, Value, merge
from ..constants import UNKNOWN
from ..text_labels import CREDENTIAL_PATH
from .js_callbacks import FILE_WRITERS

READERS = frozenset({"fs.readFileSync", "fs.promises.readFile", "fs.createReadStream", "fs.readFile"})
HOST_KEPT = frozenset({"env", "env-var", "secret", "host-identity", "user-identity", "credential-file"})
MAX_USES = 16


def read_back(values, path_node, read_call):
    """The labels of what was written to the file `path_node` (an identifier) names before `read_call`."""
    if path_node is None or path_node.type != "identifier":
        return NOTHING
    name = path_node.text.decode("utf-8", "replace")
    values.scopes.index(name)
    found = []
    for use in values.scopes.uses.get(name, ())[:MAX_USES]:
        if use.start_byte >= read_call.start_byte or use.parent is None or use.parent.type != "arguments":
            continue
        args = [a for a in use.parent.named_children if a.type != "comment"]
        call = use.parent.parent
        if len(args) < 2 or args[0] != use or call is None or call.type != "call_expression":
            continue
        if values.ev(call.child_by_field_name("function")).name not in FILE_WRITERS:
            continue
        data = values.ev(args[1])
        if data.labels & HOST_KEPT:
            found.append(data.with_step(call.start_point[0] + 1, f"written to the file {name}, read back later"))
    return merge(found) if found else NOTHING


# searches of the file tree by a pattern: VS Code's workspace.findFiles, glob / fast-glob / globby
FILE_FINDERS = frozenset({"vscode.workspace.findFiles", "glob", "glob.sync", "glob.glob", "glob.globSync",
                          "fast-glob", "fast-glob.sync", "fast-glob.glob", "globby", "globby.globby", "globby.globbySync"})
# a pattern naming dotenv files anywhere (`**/.env*`, `*.env`): each project's secrets, not the program's own config
_ENV_FILES = re.compile(r"(?:^|[/*{,])\.env(?:$|[*.{]|\b)|\*\.env\b")
_CREDENTIAL = frozenset({"credential-file"})


def found_secret_files(values, name: str, pattern_node, call) -> Value | None:
    pattern = values.ev(pattern_node).const
    if not isinstance(pattern, str) or not (_ENV_FILES.search(pattern) or CREDENTIAL_PATH.search(pattern.rstrip("*"))):
        return None
    return Value(UNKNOWN, _CREDENTIAL, f"{name}()", None,
                 (Step(call.start_point[0] + 1, f"files matching {pattern[:60]!r} listed (secrets files)"),))
