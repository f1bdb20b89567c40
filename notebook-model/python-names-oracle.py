# Test-only oracle for python-names.ts: the same definitions computed from
# Python's own parser (`ast`), scoping (`symtable`) and IPython's own magic
# transformer, independently of the TypeScript side. Reads a JSON list of
# sources on stdin, writes a JSON list of {defines, uses, mutates, starImport}
# (or {error}) on stdout. Run with Debian's /usr/bin/python3.
import ast
import json
import re
import symtable
import sys
import warnings

warnings.simplefilter("ignore")
from IPython.core.inputtransformer2 import TransformerManager  # noqa: E402

PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
          ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
TABLE_NAMES = {ast.Lambda: "lambda", ast.ListComp: "listcomp", ast.SetComp: "setcomp",
               ast.DictComp: "dictcomp", ast.GeneratorExp: "genexpr"}


def plain(source):
    lines = source.split("\n")
    if lines and lines[0].lstrip().startswith("%%"):
        m = re.match(r"\s*%%\s*(\w+)", lines[0])
        if not m or m.group(1) not in PYTHON_CELL_MAGICS:
            return None
        lines[0] = ""
        source = "\n".join(lines)
    return TransformerManager().transform_cell(source)


class Oracle:
    def __init__(self, tree, table):
        self.defines, self.uses, self.mutates, self.bound = set(), set(), set(), set()
        self.star = False
        self.tables = {}
        for child in table.get_children():
            self.tables.setdefault((child.get_name(), child.get_lineno()), []).append(child)
        for stmt in tree.body:
            self.stmt(stmt)

    # names
    def read(self, name):
        if name not in self.bound:
            self.uses.add(name)

    def bind(self, name):
        self.defines.add(name)
        self.bound.add(name)

    def settle(self, node):
        key = (TABLE_NAMES.get(type(node), getattr(node, "name", None)), node.lineno)
        table = self.tables[key].pop(0)
        stack = [table]
        while stack:
            t = stack.pop()
            for sym in t.get_symbols():
                if sym.is_referenced() and sym.is_global() and sym.get_name() not in self.bound:
                    self.uses.add(sym.get_name())
                if sym.is_declared_global() and sym.is_assigned():
                    self.defines.add(sym.get_name())
            stack.extend(t.get_children())

    # statements, in the order Python runs them
    def stmt(self, s):
        if isinstance(s, ast.Assign):
            self.expr(s.value)
            for t in s.targets:
                self.target(t)
        elif isinstance(s, ast.AugAssign):
            if isinstance(s.target, ast.Name):
                self.read(s.target.id)
            else:
                self.loads_of_target(s.target)
            self.expr(s.value)
            self.target(s.target)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.expr(s.value)
            self.expr(s.annotation)
            if s.value is not None:
                self.target(s.target)
            elif not isinstance(s.target, ast.Name):
                self.loads_of_target(s.target)
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            self.expr(s.iter)
            self.target(s.target)
            self.body(s.body + s.orelse)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
            self.body(s.body)
        elif isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.body(s.body)
            for h in s.handlers:
                if h.type is not None:
                    self.expr(h.type)
                if h.name:
                    self.bind(h.name)
                self.body(h.body)
            self.body(s.orelse + s.finalbody)
        elif isinstance(s, (ast.If, ast.While)):
            self.expr(s.test)
            self.body(s.body + s.orelse)
        elif isinstance(s, ast.Match):
            self.expr(s.subject)
            for case in s.cases:
                self.pattern(case.pattern)
                if case.guard is not None:
                    self.expr(case.guard)
                self.body(case.body)
        elif isinstance(s, ast.Import):
            for a in s.names:
                self.bind(a.asname or a.name.split(".")[0])
        elif isinstance(s, ast.ImportFrom):
            for a in s.names:
                if a.name == "*":
                    self.star = True
                else:
                    self.bind(a.asname or a.name)
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                self.delete(t)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in s.decorator_list:
                self.expr(d)
            self.arguments(s.args)
            if s.returns is not None:
                self.expr(s.returns)
            self.bind(s.name)
            self.settle(s)
        elif isinstance(s, ast.ClassDef):
            for d in s.decorator_list:
                self.expr(d)
            for b in s.bases:
                self.expr(b)
            for k in s.keywords:
                self.expr(k.value)
            self.bind(s.name)
            self.settle(s)
        elif isinstance(s, (ast.Global, ast.Nonlocal)):
            pass
        else:
            for child in ast.iter_child_nodes(s):
                self.expr(child)

    def body(self, stmts):
        for s in stmts:
            self.stmt(s)

    def arguments(self, args):
        for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if a is not None and a.annotation is not None:
                self.expr(a.annotation)
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.expr(d)

    def target(self, t):
        if isinstance(t, ast.Name):
            self.bind(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self.target(e)
        elif isinstance(t, ast.Starred):
            self.target(t.value)
        elif isinstance(t, (ast.Attribute, ast.Subscript)):
            self.loads_of_target(t)
            self.mutate(t)
        else:
            self.expr(t)

    def delete(self, t):
        if isinstance(t, ast.Name):
            self.read(t.id)
            self.bind(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self.delete(e)
        else:
            self.loads_of_target(t)
            self.mutate(t)

    def loads_of_target(self, t):
        for child in ast.iter_child_nodes(t):
            self.expr(child)

    def mutate(self, t):
        while isinstance(t, (ast.Attribute, ast.Subscript)):
            t = t.value
        if isinstance(t, ast.Name):
            self.mutates.add(t.id)

    def pattern(self, p):
        if isinstance(p, ast.MatchAs):
            if p.pattern is not None:
                self.pattern(p.pattern)
            if p.name is not None:
                self.bind(p.name)
        elif isinstance(p, ast.MatchStar):
            if p.name is not None:
                self.bind(p.name)
        elif isinstance(p, ast.MatchMapping):
            for k in p.keys:
                self.expr(k)
            for q in p.patterns:
                self.pattern(q)
            if p.rest is not None:
                self.bind(p.rest)
        elif isinstance(p, ast.MatchClass):
            self.expr(p.cls)
            for q in p.patterns + p.kwd_patterns:
                self.pattern(q)
        elif isinstance(p, ast.MatchValue):
            self.expr(p.value)
        else:
            for q in ast.iter_child_nodes(p):
                if isinstance(q, ast.pattern):
                    self.pattern(q)

    # expressions
    def expr(self, e):
        if isinstance(e, ast.Name):
            if isinstance(e.ctx, ast.Load):
                self.read(e.id)
        elif isinstance(e, ast.Lambda):
            self.arguments(e.args)
            self.settle(e)
        elif isinstance(e, ast.NamedExpr):
            self.expr(e.value)
            self.bind(e.target.id)
        elif isinstance(e, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            self.expr(e.generators[0].iter)
            # A walrus binds in this scope before the element that reads it is evaluated.
            for w in walrus_targets(e):
                self.bind(w)
            self.settle(e)
        elif isinstance(e, ast.keyword):
            self.expr(e.value)
        elif isinstance(e, ast.AST):
            for child in ast.iter_child_nodes(e):
                self.expr(child)


def walrus_targets(node):
    """Names a comprehension binds in the enclosing scope (walrus), not looking into lambdas or defs."""
    out = []
    stack = list(ast.iter_child_nodes(node))
    while stack:
        n = stack.pop()
        if isinstance(n, ast.NamedExpr):
            out.append(n.target.id)
        if not isinstance(n, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(n))
    return out


def analyse(source):
    py = plain(source)
    if py is None:
        return {"defines": [], "uses": [], "mutates": [], "starImport": False}
    tree = ast.parse(py)
    o = Oracle(tree, symtable.symtable(py, "<cell>", "exec"))
    uses = o.uses
    if "get_ipython" not in source:
        uses = uses - {"get_ipython"}  # introduced by IPython's own transform of magics
    return {"defines": sorted(o.defines), "uses": sorted(uses), "mutates": sorted(o.mutates), "starImport": o.star}


out = []
for source in json.load(sys.stdin):
    try:
        out.append(analyse(source))
    except SyntaxError as err:
        out.append({"error": "SyntaxError: %s" % err})
json.dump(out, sys.stdout)
