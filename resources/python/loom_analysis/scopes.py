"""Scopes and bindings, enough to follow a worker object through a script: one pass over a tree
(ScopeBuilder) and Python's name lookup (resolve)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass(eq=False)
class Binding:
    kind: str  # "value", "opaque", "def", "class", "import", "importfrom"
    value: ast.expr | None = None
    scope: "Scope | None" = None  # where `value` is evaluated
    module: str = ""
    name: str = ""


@dataclass(eq=False)
class Scope:
    kind: str  # "module", "function", "class", "comprehension"
    parent: "Scope | None" = None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    star_import: bool = False

    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


class ScopeBuilder(ast.NodeVisitor):
    """One pass over a tree: scopes, the bindings of each name, the scope of each expression,
    and which calls and imports sit inside a try block that catches errors."""

    def __init__(self) -> None:
        self.module = Scope("module")
        self.scope = self.module
        self.scope_of: dict[int, Scope] = {}
        self.guarded: set[int] = set()
        self.stored_attrs: dict[str, set[str]] = {}
        self.uses_dynamic_globals = False
        self._try_depth = 0

    # -- binding helpers ---------------------------------------------------------------------

    def _target_scope(self, name: str) -> Scope:
        scope = self.scope
        if name in scope.globals:
            return self.module
        if name in scope.nonlocals:
            parent = scope.parent
            while parent is not None and parent.kind not in ("function", "module"):
                parent = parent.parent
            return parent or self.module
        return scope

    def _bind(self, name: str, binding: Binding) -> None:
        self._target_scope(name).bindings.setdefault(name, []).append(binding)

    def _bind_target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            if value is None:
                self._bind(target.id, Binding("opaque"))
            else:
                self._bind(target.id, Binding("value", value, self.scope))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind_target(element, None)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            self.stored_attrs.setdefault(target.value.id, set()).add(target.attr)

    def _enter(self, kind: str) -> Scope:
        scope = Scope(kind, self.scope)
        self.scope = scope
        return scope

    def _leave(self, scope: Scope) -> None:
        self.scope = scope.parent or self.module

    def generic_visit(self, node: ast.AST) -> None:
        self.scope_of[id(node)] = self.scope
        super().generic_visit(node)

    # -- definitions -------------------------------------------------------------------------

    def _visit_arguments(self, args: ast.arguments) -> None:
        for default in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
            self.visit(default)

    def _bind_arguments(self, args: ast.arguments) -> None:
        every = list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
        if args.vararg:
            every.append(args.vararg)
        if args.kwarg:
            every.append(args.kwarg)
        for arg in every:
            self._bind(arg.arg, Binding("opaque"))

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope_of[id(node)] = self.scope
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_arguments(node.args)
        self._bind(node.name, Binding("def", scope=self.scope))
        scope = self._enter("function")
        depth, self._try_depth = self._try_depth, 0  # a try around a def does not guard its body
        self._bind_arguments(node.args)
        for statement in node.body:
            self.visit(statement)
        self._try_depth = depth
        self._leave(scope)

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.scope_of[id(node)] = self.scope
        self._visit_arguments(node.args)
        scope = self._enter("function")
        self._bind_arguments(node.args)
        self.visit(node.body)
        self._leave(scope)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope_of[id(node)] = self.scope
        for expression in list(node.decorator_list) + list(node.bases) + [k.value for k in node.keywords]:
            self.visit(expression)
        self._bind(node.name, Binding("class", scope=self.scope))
        scope = self._enter("class")
        for statement in node.body:
            self.visit(statement)
        self._leave(scope)

    def _visit_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        self.scope_of[id(node)] = self.scope
        generators = node.generators
        if generators:
            self.visit(generators[0].iter)
        scope = self._enter("comprehension")
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            self._bind_target(generator.target, None)
            for condition in generator.ifs:
                self.visit(condition)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self._leave(scope)

    visit_ListComp = _visit_comprehension
    visit_SetComp = _visit_comprehension
    visit_GeneratorExp = _visit_comprehension
    visit_DictComp = _visit_comprehension

    # -- statements that bind ----------------------------------------------------------------

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.nonlocals.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.scope_of[id(node)] = self.scope
        self.visit(node.value)
        for target in node.targets:
            self._visit_target_parts(target)
            self._bind_target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.scope_of[id(node)] = self.scope
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
            self._visit_target_parts(node.target)
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.scope_of[id(node)] = self.scope
        self.visit(node.value)
        self._visit_target_parts(node.target)
        self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.scope_of[id(node)] = self.scope
        self.visit(node.value)
        # The walrus binds in the nearest scope that is not a comprehension.
        saved = self.scope
        while self.scope.kind == "comprehension" and self.scope.parent is not None:
            self.scope = self.scope.parent
        self._bind(node.target.id, Binding("value", node.value, saved))
        self.scope = saved

    def _visit_target_parts(self, target: ast.expr) -> None:
        """Expressions inside an assignment target (a[i], obj.attr) are evaluated too."""
        if isinstance(target, ast.Attribute):
            self.visit(target.value)
        elif isinstance(target, ast.Subscript):
            self.visit(target.value)
            self.visit(target.slice)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._visit_target_parts(element)
        elif isinstance(target, ast.Starred):
            self._visit_target_parts(target.value)

    def _visit_loop(self, node: ast.For | ast.AsyncFor) -> None:
        self.scope_of[id(node)] = self.scope
        self.visit(node.iter)
        self._visit_target_parts(node.target)
        self._bind_target(node.target, None)
        for statement in node.body + node.orelse:
            self.visit(statement)

    visit_For = _visit_loop
    visit_AsyncFor = _visit_loop

    def _visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        self.scope_of[id(node)] = self.scope
        guards = False
        for item in node.items:
            self.visit(item.context_expr)
            if _is_suppress(item.context_expr):
                guards = True
            if item.optional_vars is not None:
                self._visit_target_parts(item.optional_vars)
                self._bind_target(item.optional_vars, None)
        self._try_depth += guards
        for statement in node.body:
            self.visit(statement)
        self._try_depth -= guards

    visit_With = _visit_with
    visit_AsyncWith = _visit_with

    def _visit_try(self, node: ast.Try) -> None:
        self.scope_of[id(node)] = self.scope
        catches = bool(node.handlers)
        self._try_depth += catches
        for statement in node.body:
            self.visit(statement)
        self._try_depth -= catches
        for handler in node.handlers:
            if handler.type is not None:
                self.visit(handler.type)
            if handler.name:
                self._bind(handler.name, Binding("opaque"))
            for statement in handler.body:
                self.visit(statement)
        for statement in node.orelse + node.finalbody:
            self.visit(statement)

    visit_Try = _visit_try
    visit_TryStar = _visit_try

    def visit_Import(self, node: ast.Import) -> None:
        self.scope_of[id(node)] = self.scope
        if self._try_depth:
            self.guarded.add(id(node))
        for alias in node.names:
            if alias.asname:
                self._bind(alias.asname, Binding("import", module=alias.name))
            else:
                first = alias.name.split(".")[0]
                self._bind(first, Binding("import", module=first))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.scope_of[id(node)] = self.scope
        if self._try_depth:
            self.guarded.add(id(node))
        module = ("." * node.level) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self._target_scope("*").star_import = True
                continue
            self._bind(alias.asname or alias.name, Binding("importfrom", module=module, name=alias.name))

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self._bind(node.name, Binding("opaque"))
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._bind(node.name, Binding("opaque"))
        self.generic_visit(node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self._bind(node.rest, Binding("opaque"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if self._try_depth:
            self.guarded.add(id(node))
        if isinstance(node.func, ast.Name) and node.func.id in ("globals", "exec", "eval"):
            self.uses_dynamic_globals = True
        self.generic_visit(node)


def _is_suppress(expression: ast.expr) -> bool:
    """contextlib.suppress(...) guards its body like try/except does."""
    if isinstance(expression, ast.Call):
        func = expression.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return name == "suppress"
    return False


def resolve(scope: Scope, name: str) -> Scope:
    """The scope a name read in `scope` refers to (LEGB; class bodies are not seen from inside
    their methods). Bindings of `global`/`nonlocal` names were already filed where they belong."""
    if name in scope.globals:
        return scope.module()
    if name in scope.bindings and name not in scope.nonlocals:
        return scope
    parent = scope.parent
    while parent is not None:
        if parent.kind == "class":
            parent = parent.parent
            continue
        if parent.kind == "module":
            return parent
        if name in parent.globals:
            return scope.module()
        if name in parent.bindings and name not in parent.nonlocals:
            return parent
        parent = parent.parent
    return scope.module()
