"""The call facts of a TreeFlow file (Go/Java/Kotlin/C#/C/C++, PHP/Ruby, shell): each wanted call with its
argument Values, comparisons with secrets, what writers put in files, network clients run through a shell line,
and the same-file callers of each function (for `together` rules)."""
from __future__ import annotations

from ..facts import Call, Facts, Value
from .command_strings import network_client, shell_line
from .concepts import FIRST_ARG_ONLY, LEADING_HANDLE, LEADING_HANDLE_SUFFIX
from .flowcompare import EQ_METHODS
from .flowvalues import join

MAX_SITES = 16  # call sites of one same-file function folded into its parameters
_LAST: list = []  # the flow of the tree last asked for (fact rules, then the folded view, share it)


class TreeFacts:
    """Mixin of TreeFlow: needs its index (calls, compares, sites, scopes, functions) and value()."""

    def facts(self) -> Facts:
        self.prepare()
        _LAST[:] = [self]
        out = Facts(self.language)
        compare = self.wanted is None or self.wanted("operator.eq")
        for node, scope, (left, right) in (self.compares if compare else ()):
            fact = self.comparison(node, scope, left, right)
            if fact is not None:
                out.calls.append(fact)
        for node, scope in self.calls:
            parts = self.parts(node)
            if compare and parts is not None and (parts[0] or parts[1] or "").rsplit(".", 1)[-1] in EQ_METHODS:
                # strcmp(a, b) and string.Equals(a, b) compare their arguments, a.equals(b) its receiver
                sides = list(parts[3]) if len(parts[3]) >= 2 else ([parts[2]] if parts[2] is not None else []) + \
                    list(parts[3])
                fact = self.comparison(node, scope, sides[0], sides[1]) if len(sides) >= 2 else None
                if fact is not None:
                    out.calls.append(fact)
            if parts is None or not parts[0]:
                continue
            callee, _simple, receiver, args, kwargs, via = parts
            line_node = getattr(args[0], "node", args[0]) if args else None
            via_sh = shell_line(self, callee, args) if args else None
            sender = network_client("sh -c", via_sh) if via_sh is not None else network_client(callee, line_node)
            if sender is not None and (self.wanted is None or self.wanted(sender)):
                # system("curl -d '#{creds}' https://...") sends what the line holds, as curl in a script does
                out.calls.append(Call(callee=sender, args=(self.value(via_sh if via_sh is not None else args[0]),),
                                      kwargs=(),
                                      line=node.start_point[0] + 1, end_line=node.end_point[0] + 1,
                                      column=node.start_point[1] + 1, scope=scope.id, via=via))
            if self.wanted is not None and not self.wanted(callee):
                continue
            if len(args) > 1 and (callee in LEADING_HANDLE or callee.endswith(LEADING_HANDLE_SUFFIX)):
                args = args[1:]
            if callee in FIRST_ARG_ONLY and len(args) > 1:
                kwargs = list(kwargs) + [(f"arg{i}", a) for i, a in enumerate(args[1:], 1)]
                args = args[:1]
            contents = self._contents(node, args)
            if contents is not None:  # what a writer puts in its file: a rule may ask (`contents`)
                kwargs = list(kwargs) + [("contents", contents)]
            places = self.places(node, kwargs)
            for where, keys in places:
                out.calls.append(Call(
                    callee=callee, args=tuple(self.value(a) for a in args) if keys is None else (),
                    kwargs=tuple((k, n if isinstance(n, Value) else self.value(n)) for k, n in kwargs
                                 if keys is None or k in keys),
                    line=where.start_point[0] + 1, end_line=where.end_point[0] + 1,
                    column=where.start_point[1] + 1, scope=scope.id, via=via,
                    receiver=self.value(receiver) if receiver is not None else None))
        out.callers = self.callers_of
        return out

    def callers_of(self, sid: int) -> list:
        """(caller's scope id, line, name) of each same-file call of the function whose scope id is `sid`; a block or
        lambda (no name) runs in the function around it. A `together` rule carries facts out through these."""
        scope = next((s for s in self.scopes if s.id == sid), None) if sid >= 0 else None
        if scope is None:
            return []
        if scope.name is None:
            parent = scope.parent
            return [(parent.id, scope.node.start_point[0] + 1, "block")] if parent is not None else []
        if self.functions.get(scope.name) is not scope:
            return []
        return [(self.scope_at(site).id, site.start_point[0] + 1, scope.name)
                for site, _args in self.sites.get(scope.name, [])[:MAX_SITES]]

    def _contents(self, node, args):
        """The data node a writer call puts in its file (`File.open(p, "a") { |f| f.puts(line) }`, os.WriteFile), or,
        for an opener whose handle is written later (`f, _ := os.OpenFile(p, ...)`; `f.WriteString(s)`), the Value of
        everything written to the same path expression (joined); None when nothing is known."""
        written = self.file_write(node)
        if written is not None:
            return written[1]
        if not args:
            return None
        by_path = self.__dict__.get("_writes_by_path")
        if by_path is None:
            by_path = self._writes_by_path = {}
            for call, _scope in self.calls:
                found = self.file_write(call)
                if found is not None and found[1] is not None:
                    by_path.setdefault((found[0].start_byte, found[0].end_byte), []).append(found[1])
        datas = by_path.get((args[0].start_byte, args[0].end_byte))
        return join([self.value(d) for d in datas], "") if datas else None
