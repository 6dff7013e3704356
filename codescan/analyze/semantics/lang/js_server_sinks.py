"""Server-side sinks written as an assignment or an object entry rather than a call: a MongoDB filter's `$where`
entry built apart from the query call, and Koa's response body set by `ctx.body = ...`. Each is read as a call of
the sink it feeds (`mongodb.$where`, `res.send`) on its own line."""
from __future__ import annotations

import re
from itertools import islice

from ..facts import Call


# a MongoDB filter that runs JavaScript on the server, built apart from the query call (`const filter = { $where:
# 'this.price < ' + max }; Model.find(filter)`): the `$where` entry is read as a call of `mongodb.$where` on its own
# line (an object given straight to a call is that call's own argument, read there)
SERVER_JS_KEY = re.compile(rb"['\"]?\$(?:where|function|accumulator)['\"]?\s*:")
MAX_SERVER_JS = 32


def server_js_filters(values, source: bytes) -> list:
    out = []
    for match in islice(SERVER_JS_KEY.finditer(source), MAX_SERVER_JS):
        key = values.scopes.locate(match.start(), match.start() + 2)
        while key is not None and key.type not in ("property_identifier", "string"):
            key = key.parent if key.type in ("string_fragment",) else None
        pair = key.parent if key is not None else None
        if pair is None or pair.type != "pair" or pair.child_by_field_name("key") != key:
            continue
        holder = pair.parent
        while holder is not None and holder.type in ("object", "pair"):  # nested filters: { $and: [{ $where }] }
            holder = holder.parent
        if holder is not None and holder.type == "arguments":
            continue
        value = pair.child_by_field_name("value")
        if value is None:
            continue
        out.append(Call.at(pair, "mongodb.$where", (values.ev(value),)))
    return out


# Koa's response body set by assignment (`ctx.body = '<h1>' + q + '</h1>'`): served as text/html when it is markup,
# read as the `res.send` of that markup
KOA_BODY = re.compile(rb"\bctx\s*\.\s*(?:response\s*\.\s*)?body\s*=(?!=)")
MAX_KOA_BODIES = 64


def koa_bodies(values, source: bytes) -> list:
    out = []
    for match in islice(KOA_BODY.finditer(source), MAX_KOA_BODIES):
        node = values.scopes.locate(match.start(), match.start() + 3)
        assign = node
        while assign is not None and assign.type != "assignment_expression":
            assign = assign.parent if assign.type in ("identifier", "member_expression", "property_identifier") else None
        if assign is None:
            continue
        right = assign.child_by_field_name("right")
        value = values.ev(right) if right is not None else None
        text = value.text if value is not None and value.text is not None else (
            value.const if value is not None and isinstance(value.const, str) else "")
        if value is None or "<" not in text:
            continue  # an object or JSON body: not markup
        out.append(Call.at(assign, "res.send", (value,)))
    return out
