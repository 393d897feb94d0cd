"""What one script says: its exports, its worker lookups, its create_named_worker calls and how
it installs packages. Facts are read from one parsed source; the checker compares them across
the project."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from loom_source import script_type

from .scopes import Binding, Scope, ScopeBuilder, resolve
from .sources import Source, resolve_src

if TYPE_CHECKING:
    from .project import WorkerSource

_PYSCRIPT_MODULES = ("pyscript", "pyscript.workers")
_MAX_NAME_DEPTH = 4


@dataclass
class ExportInfo:
    present: bool = False
    dynamic: bool = False
    entries: list[tuple[str, ast.AST]] = field(default_factory=list)
    problems: list[tuple[ast.AST, str]] = field(default_factory=list)
    sync_names: list[str] = field(default_factory=list)

    def names(self) -> set[str] | None:
        """The exported names when they are known from the code alone."""
        if self.dynamic or self.problems:
            return None
        if not self.present and not self.sync_names:
            return None
        return {name for name, _ in self.entries} | set(self.sync_names)


@dataclass
class CreateCall:
    node: ast.Call
    source: Source
    src: str | None
    src_file: str | None
    name: str | None  # the name when it is one fixed string
    name_pattern: str | None  # a regular expression every possible name matches
    name_node: ast.AST | None
    type: str | None  # "py", "mpy", or None when not known
    config_node: ast.expr | None
    src_worker: "WorkerSource | None" = None  # the src file's code, once found in the project


class Facts:
    """Everything the project-wide checks need from one parsed source."""

    def __init__(self, source: Source) -> None:
        self.source = source
        tree = source.tree
        assert tree is not None
        builder = ScopeBuilder()
        builder.visit(tree)
        self.tree = tree
        self.builder = builder
        self.module = builder.module
        self._export_targets = self._module_export_targets()
        self.exports = self._exports()
        self._worker_set_cache: dict[tuple[int, str], frozenset[str] | None] = {}

    # -- __export__ --------------------------------------------------------------------------

    def _exports(self) -> ExportInfo:
        info = ExportInfo()
        for statement in _module_level_statements(self.tree.body):
            self._export_statement(statement, info)
        # __export__ set from inside a function, or through globals(): known only at run time.
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id == "__export__" and isinstance(node.ctx, ast.Store):
                if id(node) not in self._export_targets:
                    info.dynamic = True
                    info.present = True
        info.sync_names = self._sync_exports()
        return info

    def _module_export_targets(self) -> set[int]:
        """The `__export__` names assigned by module-level statements (ids of the nodes)."""
        found: set[int] = set()
        for statement in _module_level_statements(self.tree.body):
            targets: list[ast.AST] = []
            if isinstance(statement, ast.Assign):
                targets = list(statement.targets)
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                targets = [statement.target]
            found.update(id(t) for t in targets if isinstance(t, ast.Name) and t.id == "__export__")
        return found

    def _export_statement(self, statement: ast.stmt, info: ExportInfo) -> None:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id == "__export__":
                    info.present = True
                    info.entries.clear()
                    self._export_value(statement.value, info)
                elif _names_in(target, "__export__"):
                    info.present = True
                    info.dynamic = True
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.target.id == "__export__" and statement.value is not None:
                info.present = True
                info.entries.clear()
                self._export_value(statement.value, info)
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
            if statement.target.id == "__export__":
                info.present = True
                if isinstance(statement.op, ast.Add):
                    self._export_value(statement.value, info)
                else:
                    info.dynamic = True
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "__export__":
                if func.attr == "append" and len(call.args) == 1:
                    self._export_element(call.args[0], info)
                elif func.attr == "extend" and len(call.args) == 1:
                    self._export_value(call.args[0], info)
                else:
                    info.dynamic = True
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                if (alias.asname or alias.name) == "__export__":
                    info.present = True
                    info.dynamic = True

    def _export_value(self, value: ast.expr, info: ExportInfo) -> None:
        if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            for element in value.elts:
                self._export_element(element, info)
        elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            self._export_value(value.left, info)
            self._export_value(value.right, info)
        elif isinstance(value, ast.Constant) and isinstance(value.value, str):
            info.problems.append(
                (
                    value,
                    f"__export__ is the string {value.value!r}, and PyScript reads a string letter by "
                    f"letter. Make it a list of names: __export__ = [{value.value!r}].",
                )
            )
        elif isinstance(value, (ast.Constant, ast.Dict, ast.JoinedStr)):
            info.problems.append(
                (
                    value,
                    "__export__ must be a list of the exported functions' names, as strings, for "
                    'example __export__ = ["add", "multiply"].',
                )
            )
        else:
            info.dynamic = True  # computed at run time (a comprehension, a call, a variable)

    def _export_element(self, element: ast.expr, info: ExportInfo) -> None:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            info.entries.append((element.value, element))
        elif isinstance(element, (ast.Name, ast.Attribute)):
            shown = element.id if isinstance(element, ast.Name) else element.attr
            info.problems.append(
                (
                    element,
                    f'__export__ lists names as strings: write "{shown}", not {shown}. PyScript looks '
                    "each entry up by name in the worker.",
                )
            )
        elif isinstance(element, ast.Constant):
            info.problems.append(
                (element, f"__export__ holds {element.value!r}, which is not a function name: list names as strings.")
            )
        elif isinstance(element, ast.Starred):
            info.dynamic = True
        else:
            info.dynamic = True

    def _sync_exports(self) -> list[str]:
        """The older export style: `sync.name = function` in a worker (pyscript.sync is
        polyscript's xworker.sync, where PyScript itself puts each __export__ entry)."""
        names: list[str] = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Store):
                continue
            base = node.value
            if isinstance(base, ast.Name) and base.id == "sync":
                names.append(node.attr)
            elif isinstance(base, ast.Attribute) and base.attr == "sync":
                names.append(node.attr)
        return names

    # -- names and values --------------------------------------------------------------------

    def scope_at(self, node: ast.AST) -> Scope:
        return self.builder.scope_of.get(id(node), self.module)

    def refers_to_pyscript(self, expression: ast.expr, scope: Scope, attribute: str) -> bool:
        """Whether `expression` is pyscript's `workers` or `create_named_worker`."""
        if isinstance(expression, ast.Name):
            home = resolve(scope, expression.id)
            bindings = home.bindings.get(expression.id, [])
            if not bindings:
                # Main scripts share one namespace: a name imported by an earlier script is a
                # global here. Trust the name itself then.
                return home.kind == "module" and expression.id == attribute
            return all(
                b.kind == "importfrom" and b.module in _PYSCRIPT_MODULES and b.name == attribute for b in bindings
            )
        if isinstance(expression, ast.Attribute) and expression.attr == attribute:
            base = expression.value
            if isinstance(base, ast.Name):
                home = resolve(scope, base.id)
                bindings = home.bindings.get(base.id, [])
                if not bindings:
                    return home.kind == "module" and base.id == "pyscript"
                return all(b.kind == "import" and b.module == "pyscript" for b in bindings)
        return False

    def definite_string(self, expression: ast.AST | None, scope: Scope, depth: int = 0) -> str | None:
        """The string an expression always has: a literal, or a name bound once to a literal."""
        if expression is None or depth > _MAX_NAME_DEPTH:
            return None
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return expression.value
        if isinstance(expression, ast.Name):
            home = resolve(scope, expression.id)
            bindings = home.bindings.get(expression.id, [])
            if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].scope is not None:
                return self.definite_string(bindings[0].value, bindings[0].scope, depth + 1)
        return None

    def string_pattern(self, expression: ast.AST | None, scope: Scope, depth: int = 0) -> str:
        """A regular expression that every value of a string expression matches ('.*' when the
        value is unknown), used to tell which worker names a project may create at run time."""
        if expression is None or depth > _MAX_NAME_DEPTH:
            return ".*"
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return re.escape(expression.value)
        if isinstance(expression, ast.JoinedStr):
            parts = []
            for value in expression.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(re.escape(value.value))
                else:
                    parts.append(".*")
            return "".join(parts)
        if isinstance(expression, ast.BinOp) and isinstance(expression.op, ast.Add):
            return self.string_pattern(expression.left, scope, depth + 1) + self.string_pattern(
                expression.right, scope, depth + 1
            )
        if isinstance(expression, ast.Name):
            home = resolve(scope, expression.id)
            bindings = home.bindings.get(expression.id, [])
            if not bindings or any(b.kind != "value" or b.scope is None for b in bindings):
                return ".*"
            alternatives = {self.string_pattern(b.value, b.scope, depth + 1) for b in bindings if b.scope}
            if ".*" in alternatives:
                return ".*"
            return "(?:" + "|".join(sorted(alternatives)) + ")"
        return ".*"

    # -- worker lookups and creations --------------------------------------------------------

    def worker_lookup(self, expression: ast.AST, scope: Scope) -> tuple[str | None, ast.AST] | None:
        """For `workers["x"]` or `workers.x`: (the name if fixed, the node naming it)."""
        if isinstance(expression, ast.Subscript) and isinstance(expression.ctx, ast.Load):
            if self.refers_to_pyscript(expression.value, scope, "workers"):
                key = expression.slice
                return self.definite_string(key, scope), key
        if isinstance(expression, ast.Attribute) and isinstance(expression.ctx, ast.Load):
            if not expression.attr.startswith("__") and self.refers_to_pyscript(expression.value, scope, "workers"):
                return expression.attr, expression
        return None

    def create_calls(self, page_dir: str, files: dict[str, str]) -> list[CreateCall]:
        calls: list[CreateCall] = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            scope = self.scope_at(node)
            if not self.refers_to_pyscript(node.func, scope, "create_named_worker"):
                continue
            arguments = _call_arguments(node, ("src", "name", "config", "type"))
            src = self.definite_string(arguments.get("src"), scope)
            name_node = arguments.get("name")
            name = self.definite_string(name_node, scope)
            pattern = re.escape(name) if name is not None else self.string_pattern(name_node, scope)
            if "type" in arguments:
                kind = script_type(self.definite_string(arguments["type"], scope))
            else:
                kind = "py"  # create_named_worker's default
            src_file = resolve_src(src, page_dir, self.source.file, files) if src else None
            calls.append(
                CreateCall(node, self.source, src, src_file, name, pattern, name_node, kind, arguments.get("config"))
            )
        return calls

    def worker_names_of(self, expression: ast.AST, scope: Scope) -> frozenset[str] | None:
        """The workers an expression's value can be (`await workers["x"]`, a variable holding
        it...), or None when anything else is possible."""
        if isinstance(expression, ast.Await):
            inner = expression.value
            lookup = self.worker_lookup(inner, scope)
            if lookup is not None:
                return frozenset({lookup[0]}) if lookup[0] is not None else None
            if isinstance(inner, ast.Call) and self.refers_to_pyscript(inner.func, scope, "create_named_worker"):
                arguments = _call_arguments(inner, ("src", "name", "config", "type"))
                name = self.definite_string(arguments.get("name"), scope)
                return frozenset({name}) if name is not None else None
            return None
        if isinstance(expression, ast.Name):
            home = resolve(scope, expression.id)
            key = (id(home), expression.id)
            if key in self._worker_set_cache:
                return self._worker_set_cache[key]
            self._worker_set_cache[key] = None  # a name bound to itself stays unknown
            result: set[str] = set()
            known = True
            for binding in home.bindings.get(expression.id, []):
                if binding.kind != "value" or binding.value is None or binding.scope is None:
                    known = False
                    break
                if isinstance(binding.value, ast.Constant) and binding.value.value is None:
                    continue  # `worker = None` until the worker is ready
                names = self.worker_names_of(binding.value, binding.scope)
                if names is None:
                    known = False
                    break
                result |= names
            value = frozenset(result) if known and result else None
            self._worker_set_cache[key] = value
            return value
        return None


def _names_in(target: ast.AST, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(target))


def _module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at module level, including those inside if/try/with/loops."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for attribute in ("body", "orelse", "finalbody"):
            inner = getattr(statement, attribute, None)
            if isinstance(inner, list):
                yield from _module_level_statements([s for s in inner if isinstance(s, ast.stmt)])
        for handler in getattr(statement, "handlers", []) or []:
            yield from _module_level_statements(handler.body)
        for case in getattr(statement, "cases", []) or []:
            yield from _module_level_statements(case.body)


def _call_arguments(call: ast.Call, names: tuple[str, ...]) -> dict[str, ast.expr]:
    arguments: dict[str, ast.expr] = {}
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred):
            break
        if index < len(names):
            arguments[names[index]] = argument
    for keyword in call.keywords:
        if keyword.arg in names:
            arguments[keyword.arg] = keyword.value
    return arguments


def literal_requirements(call: ast.Call) -> list[str] | None:
    """The package names of micropip.install("a") / install(["a", "b"]) when written literally."""
    if not call.args:
        return None
    try:
        value = ast.literal_eval(call.args[0])
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def installs_packages(func: ast.expr) -> bool:
    """micropip.install(...), pyodide_js.loadPackage(...), loadPackage(...)."""
    if isinstance(func, ast.Attribute):
        if func.attr in ("loadPackage", "loadPackagesFromImports"):
            return True
        if func.attr == "install" and isinstance(func.value, ast.Name) and func.value.id == "micropip":
            return True
        return False
    if isinstance(func, ast.Name):
        return func.id in ("loadPackage", "loadPackagesFromImports")
    return False


def not_a_function(bindings: list[Binding]) -> str | None:
    """'a variable' or 'a class' when every module-level binding is plainly not a function;
    None when any of them is (or may be) one: a def, an import, a lambda, a call's result..."""
    kinds: set[str] = set()
    for binding in bindings:
        if binding.kind == "class":
            kinds.add("a class")
        elif binding.kind == "value" and _is_plain_data(binding.value):
            kinds.add("a variable")
        else:
            return None
    if not kinds:
        return None
    return "a class" if kinds == {"a class"} else "a variable"


def _is_plain_data(value: ast.expr | None) -> bool:
    if value is None:
        return False
    if isinstance(value, (ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Dict, ast.Set,
                          ast.ListComp, ast.SetComp, ast.DictComp)):
        return True
    if isinstance(value, ast.BinOp):
        return _is_plain_data(value.left) and _is_plain_data(value.right)
    if isinstance(value, ast.UnaryOp):
        return _is_plain_data(value.operand)
    return False
