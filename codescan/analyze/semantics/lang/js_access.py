"""Member reads and subscripts of JavaScript/TypeScript expressions: `window[...]`/`globalThis.x`, `this.x`,
object tables of functions, `process.env[k]`, property descriptors and constant indexing."""
from __future__ import annotations

import re

from ..constants import UNKNOWN, Name
from ..facts import NOTHING, Step, Value, merge
from ..sources import labels_of, narrowed, secret_name_labels
from ..values import part_name
from .js_choices import table_choices
from .js_dom import typed_password
from .js_env_keys import one_variable
from .js_function_ctor import function_constructor
from .js_loops import filled
from .js_statics import static_member
from .js_this import this_field

_NAME_ESCAPE = re.compile(r"\\u(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))")


def unescaped_name(name: str) -> str:
    """An identifier's name with its \\uXXXX / \\u{X} escapes read (JavaScript allows them in any identifier)."""
    try:
        return _NAME_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), name)
    except (ValueError, OverflowError):
        return name


DESCRIPTOR = ".<descriptor>"  # Object.getOwnPropertyDescriptor(o, k): its `.value` is o.k
GLOBAL_OBJECTS = {"window", "global", "globalThis", "self", "this"}
GLOBAL_NAMES = frozenset({"window", "global", "globalThis"})  # values that are the global object itself
_SIZES = frozenset(("length", "size", "byteLength"))
# an uploaded file's fields the server chose (multer: path, filename, destination; formidable / koa-body: filepath,
# newFilename; express-fileupload: tempFilePath); its originalname / originalFilename / name are the client's
_SERVER_FILE_FIELDS = frozenset(("path", "filepath", "filename", "destination", "newFilename", "tempFilePath"))
_UPLOAD = re.compile(r"^(?:req|ctx\.request|ctx\.req)\.files?(?:\.|\[|$)")


_MAX_SPREADS = 3  # `...a` inside `...b` inside ...: how deep spreads of named objects are followed
_CONSTANT_ENTRIES = ("string", "true", "false", "number", "null")
MAX_NESTED_ENTRIES = 8  # `name[k] = v` writes of nested functions read into a table
_ABSENT = Value(name="<absent>")  # _entry's marker: the literal does not name the key (an entry added later may)


def _with_nested_entries(entries: list, bindings: list) -> list:
    """`bindings` with the `name[k] = v` entries of nested functions that declare no `name` of their own, in source
    order (`['run', 'eval'].forEach((n) => { handlers[n] = n; })` fills the module's `handlers`)."""
    own = {scope for kind, _what, scope in entries if kind != "setitem"}
    nested = [e for e in entries if e[0] == "setitem" and e[2] not in own and e not in bindings]
    if not nested or len(nested) > MAX_NESTED_ENTRIES:
        return bindings
    return sorted(bindings + nested, key=lambda e: e[1].start_byte if e[1] is not None and hasattr(e[1], "start_byte")
                  else -1)


class JsAccess:
    """Mixin of JsValues: what `obj.prop` and `obj[key]` evaluate to."""

    def _member(self, node) -> Value:
        obj_node = node.child_by_field_name("object")
        prop = node.child_by_field_name("property").text.decode("utf-8", "replace")
        if "\\u" in prop:  # cp.\u0065xec: the property the escapes spell
            prop = unescaped_name(prop)
        if prop == "constructor" and function_constructor(obj_node):
            return Value(name="Function", via="dynamic")  # (async () => {}).constructor: the Function constructor
        if obj_node.type == "this":
            field = this_field(self, node, prop)  # this.bin set in the constructor, written, then run
            if field is not None:
                return field
        entry = self._entry(obj_node, prop)
        if entry is not None:
            return entry
        member = static_member(self, obj_node, prop)  # Cfg.mod: a same-file class's static getter, field or method
        if member is not None:
            return member
        obj = self.ev(obj_node)
        if obj_node.type in ("identifier", "this") and obj_node.text.decode() in GLOBAL_OBJECTS and not obj.labels:
            return Value(name=prop, via="dynamic" if obj_node.type == "this" else None)
        if prop == "value" and obj_node.type == "identifier":
            typed = typed_password(node, obj_node.text.decode("utf-8", "replace"))
            if typed:  # the field's text, once the code made sure it is a password field
                out = self.attribute(obj, prop, node)
                return Value(UNKNOWN, out.labels | typed, out.name, out.via,
                             (*out.trace, Step(node.start_point[0] + 1, "a password field's value")))
        return self.attribute(obj, prop, node)

    def attribute(self, obj: Value, prop: str, node) -> Value:
        if obj.name in GLOBAL_NAMES and not obj.labels:  # const g = globalThis; g.eval / a Proxy onto it
            return Value(name=prop, via="dynamic")
        if obj.name and obj.name.endswith(DESCRIPTOR) and prop == "value":
            return Value(name=obj.name[:-len(DESCRIPTOR)], via="dynamic")
        name = f"{obj.name}.{prop}" if obj.name else None
        if name is not None:
            labels = labels_of(name)
            if labels:
                labels = secret_name_labels(narrowed(labels | obj.labels, name), prop)  # process.env.NPM_TOKEN
                return Value(UNKNOWN, labels, name, obj.via,
                             (*obj.trace, Step(node.start_point[0] + 1, f"{name} read ({', '.join(sorted(labels))})")))
        if obj.labels and prop in _SIZES:  # a count of the data, not the data (as len() in Python)
            return NOTHING
        if obj.labels and prop in _SERVER_FILE_FIELDS and obj.name and _UPLOAD.match(obj.name):
            return NOTHING  # req.file.path: where multer / formidable stored the upload, not a name the client sent
        if obj.labels:
            return Value(UNKNOWN, narrowed(obj.labels, name), name, None, obj.trace)
        return Value(name=name, via=obj.via) if name else NOTHING

    def _entry(self, obj_node, key: str, depth: int = 0) -> Value | None:
        """The function an object literal bound to a name holds under `key` (`const ops = { run: exec }`):
        references to functions, so a table of handlers is called through like the handler itself; and the
        constant an object bound once and never changed holds (`const MINE = { eth: '0x..' }`). Spreads are
        followed in order, the last writer winning as in JS: `o = { ...DEFAULTS, ...opts }` holds DEFAULTS's
        entry where the caller's options (a parameter, unknown here) do not name the key - the default most
        callers get. Entries added after the literal (`handlers[n.toLowerCase()] = n`, also in a loop or a forEach
        over a constant list) are read the same way; one added under a key not known here may be any entry."""
        if obj_node.type != "identifier" or depth > _MAX_SPREADS:
            return None
        bindings = self.scopes.bindings(obj_node)
        if not bindings or len(bindings) > 4:
            return None
        literals = sum(1 for kind, what, _scope in bindings if kind != "setitem")  # bindings that replace it
        if literals == 1:  # entries added inside a callback or helper that does not bind the name itself
            bindings = _with_nested_entries(self.scopes.index(obj_node.text.decode("utf-8", "replace")), bindings)
        found = None  # None: nothing known; _ABSENT: the literal has no such key (yet)
        for kind, what, _scope in bindings:
            if kind == "setitem" and found is not None and what is not None and what.type == "assignment_expression":
                added = filled(self, obj_node.text.decode("utf-8", "replace"), what, {})
                if not isinstance(added, dict):
                    found = None  # an entry added under a key not known here may be this one
                elif key in added and isinstance(added[key], (str, int, float, bool)):
                    found = Value(added[key])
                continue
            if kind != "assign" or what is None or not hasattr(what, "type") or what.type != "object":
                continue
            found = self._literal_entry(what, key, depth, literals)
            if found is not None and found is not _ABSENT and literals > 1:
                return found  # (reassigned: the first literal that names the key, as before)
        return found if found is not _ABSENT else None

    def _literal_entry(self, literal, key: str, depth: int, literals: int) -> Value:
        """What one object literal holds under `key` (its spreads followed); _ABSENT when it does not name it."""
        found = _ABSENT
        for part in literal.named_children:
            if part.type == "spread_element" and part.named_children:
                spread = self._entry(part.named_children[0], key, depth + 1)
                found = spread if spread is not None else found
                continue
            if part.type == "pair":
                name = part.child_by_field_name("key")
                value = part.child_by_field_name("value")
                text = name.text.decode("utf-8", "replace").strip("'\"`") if name is not None else None
            elif part.type == "shorthand_property_identifier":
                value, text = part, part.text.decode("utf-8", "replace")
            else:
                continue
            if text != key or value is None:
                continue
            if value.type in ("identifier", "member_expression", "shorthand_property_identifier"):
                entry = self.ev(value)
                found = entry if entry.name and not entry.labels else None
            elif value.type in _CONSTANT_ENTRIES and literals == 1:
                # `const MINE = { eth: '0x8f3..' }`, `const defaults = { strictTLS: false }` never changed
                found = self.ev(value)
            else:
                found = None  # a later entry the name does not tell: what an earlier one held is gone
        return found

    def keyed(self, obj_node, obj: Value, key: str, node) -> Value | None:
        """`obj[key]` for a key known as a constant: a global's name, a table's entry or the attribute."""
        if obj_node.type in ("identifier", "this") and obj_node.text.decode() in GLOBAL_OBJECTS:
            return Value(name=key, via="dynamic")
        entry = self._entry(obj_node, key)
        if entry is not None:  # TABLE['run'] where TABLE = { run: exec }: the table's function, not a hidden name
            return entry
        if obj.name:
            value = self.attribute(obj, key, node)
            return Value(value.const, value.labels, value.name, "dynamic", value.trace)
        return None

    def _subscript(self, node) -> Value:
        obj_node = node.child_by_field_name("object")
        key = self.ev(node.child_by_field_name("index"))
        obj = self.ev(obj_node)
        if isinstance(key.const, str):
            keyed = self.keyed(obj_node, obj, key.const, node)
            if keyed is not None:
                return keyed
        if not key.known and key.choices and obj.name and all(isinstance(c.const, str) for c in key.choices):
            # process.env[k] with k one of ["NODE_ENV", "NPM_TOKEN"]: what those names read, not the whole object
            picks = [self.attribute(obj, c.const, node) for c in key.choices]
            if any(p.labels for p in picks):
                return merge(picks)
        if not key.known and not obj.labels and (choices := table_choices(self, obj_node)):
            return Value(UNKNOWN, frozenset(), None, None, (), choices)  # ORDERS[req.query.order]: one of its values
        if isinstance(obj.const, (list, str)) and isinstance(key.const, int):
            try:
                item = obj.const[key.const]
            except IndexError:
                return NOTHING
            if isinstance(item, Name):
                return Value(name=item.dotted, via="dynamic")
            return Value(item)
        if "env" in obj.labels and obj.name == "process.env":
            one = one_variable(self, node.child_by_field_name("index"), key, obj, node)
            if one is not None:
                return one
        return merge((obj,), UNKNOWN, part_name(obj, key.const))  # os.hostname().split(".")[0]: still named
