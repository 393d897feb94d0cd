"""Static checks of a PyScript project, for Loom's editor and `loom check`.

Loom (C++) collects the page's scripts and the project's Python files, calls
`check_project(request_json)` with one JSON string and gets one JSON string back: a list of
diagnostics, sorted by file, line and column. Everything here reads code; nothing is run.

The checks aim at the mistakes PyScript worker apps make in practice (a worker without
`__export__`, a misspelt worker name, a call to a function the worker does not export, packages
that cannot install offline or in MicroPython, a broken config). Each one prefers silence to a
false alarm: when a value is only known at run time, nothing is reported.

The request (all keys optional except "scripts"):

    {"offline": true,
     "page": "index.html",                 # the HTML file, for positions of <script> tags
     "scripts": [{"file", "firstLine", "firstColumn", "inline", "code", "type", "worker",
                  "name", "tagLine", "tagFile",
                  "config": {"file", "line", "column", "format", "text", "parsed"} | null}],
     "files": {"relative/path.py": "text", ...}}

`firstLine`/`firstColumn` give the position of the first character of `code` (1-based line,
0-based column); inline code is dedented here as PyScript does and mapped back. A config's
`line`/`column` give where its `text` starts (`column`, 0-based, matters for the first line of
an inline attribute only). Diagnostics carry 1-based lines and 1-based columns counted in
characters (code points), not bytes.

Standard library only, so the module works in any CPython Loom embeds.
"""

from __future__ import annotations

import ast
import difflib
import json
import posixpath
import re
import sys
import tomllib
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

__all__ = ["check_project", "KNOWN_CONFIG_KEYS", "C_EXTENSION_PACKAGES"]

# Top-level keys PyScript 0.7.31 reads from a config (core's config.js, polyscript's
# interpreter/_python.js, pyodide.js and micropython.js, pyscript/context.py). "version" is read
# for worker configs only, next to "interpreter".
KNOWN_CONFIG_KEYS: tuple[str, ...] = (
    "packages",
    "files",
    "fetch",
    "js_modules",
    "interpreter",
    "version",
    "plugins",
    "debug",
    "packages_cache",
    "index_urls",
    "experimental_create_proxy",
    "experimental_ffi_timeout",
    "sync_main_only",
)

# Packages that only exist for CPython/Pyodide: C extensions, or libraries built on them. In a
# MicroPython config they can never install (mip only knows micropython-lib).
C_EXTENSION_PACKAGES: frozenset[str] = frozenset(
    {
        "numpy", "pandas", "scipy", "matplotlib", "scikit-learn", "sklearn", "scikit-image",
        "skimage", "pillow", "pil", "opencv-python", "opencv-python-headless", "cv2", "pyarrow",
        "polars", "lxml", "cryptography", "h5py", "statsmodels", "shapely", "sympy", "networkx",
        "seaborn", "bokeh", "altair", "plotly", "pydantic", "pydantic-core", "torch",
        "tensorflow", "xarray", "numba", "regex", "pyyaml", "yaml", "biopython", "astropy",
        "micropip", "pyodide-http", "pygame-ce", "pygame", "openpyxl", "beautifulsoup4", "bs4",
        "sqlalchemy", "pyerfa", "rasterio", "geopandas", "nltk", "tiktoken", "duckdb",
    }
)

# MicroPython packages that PyScript serves without mip: "ulab" selects a MicroPython build with
# ulab compiled in (polyscript's micropython.js), and Loom ships that build.
_MPY_BUILTIN_PACKAGES = frozenset({"ulab"})

_PYSCRIPT_MODULES = ("pyscript", "pyscript.workers")
_MAX_NAME_DEPTH = 4

Json = Any
# Where a config key (or the index-th element of its list) is written: (line, 1-based column).
_Placer = Callable[[str | None, int | None], tuple[int, int]]


# --------------------------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class _Report:
    """Collects diagnostics once each: a file used by several scripts is checked several times."""

    def __init__(self) -> None:
        self._seen: set[Diagnostic] = set()

    def add(self, file: str, line: int, column: int, severity: str, code: str, message: str) -> None:
        self._seen.add(Diagnostic(file, max(1, int(line)), max(1, int(column)), severity, code, message))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._seen, key=lambda d: (d.file, d.line, d.column, d.code, d.message))


def _quote_list(names: Iterable[str]) -> str:
    items = [f'"{name}"' for name in names]
    return ", ".join(items) if items else "none"


def _closest(name: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


# --------------------------------------------------------------------------------------------
# Source text: PyScript's dedent and positions
# --------------------------------------------------------------------------------------------


def _codedent(text: str) -> tuple[str, list[int]]:
    """Dedent inline code exactly as PyScript does, and say how much each line lost.

    PyScript (codedent) is not textwrap.dedent: it takes the indentation of the first non-blank
    line and removes that exact prefix from every line that starts with it. A later line indented
    less keeps its indentation, so the error Python reports is where PyScript would see it.
    """
    indent = ""
    for segment in re.split(r"[\r\n]+", text):
        if segment.strip():
            match = re.match(r"\s+", segment)
            indent = match.group(0) if match else ""
            break
    lines = text.split("\n")
    removed: list[int] = []
    out: list[str] = []
    for line in lines:
        if indent and line.startswith(indent):
            out.append(line[len(indent):])
            removed.append(len(indent))
        else:
            out.append(line)
            removed.append(0)
    return "\n".join(out), removed


class _Source:
    """A piece of Python code and where its characters are in a project file."""

    def __init__(self, file: str, code: str, first_line: int, first_column: int, inline: bool) -> None:
        self.file = file
        # One line end everywhere: lines then count the same here, in Python and in the editor.
        normalized = code.replace("\r\n", "\n").replace("\r", "\n")
        if inline:
            self.text, self.removed = _codedent(normalized)
        else:
            self.text, self.removed = normalized, [0] * (normalized.count("\n") + 1)
        self.lines = self.text.split("\n")
        self.first_line = max(1, first_line)
        self.first_column = max(0, first_column)
        self.tree: ast.Module | None = None
        self.syntax_error: tuple[int, int, str] | None = None
        self._parse()

    def _parse(self) -> None:
        flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        try:
            # Silence SyntaxWarnings: they would go to the embedding program's stderr.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = compile(self.text, self.file or "<script>", "exec", flags=flags, dont_inherit=True)
        except SyntaxError as error:
            # The parser reports 1-based character offsets.
            self.syntax_error = self._syntax_position(error, offset_is_bytes=False)
            return
        except (ValueError, MemoryError, RecursionError) as error:  # e.g. a NUL byte in the text
            self.syntax_error = (1, 0, str(error))
            return
        try:
            # The second stage finds what the parser accepts but Python refuses (return outside a
            # function, await in a plain def, nonlocal at module level...). PyScript runs code with
            # top-level await allowed, so this does too.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(tree, self.file or "<script>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        except SyntaxError as error:
            # Compiling a tree reports node positions: UTF-8 byte offsets.
            self.syntax_error = self._syntax_position(error, offset_is_bytes=True)
            return
        except (ValueError, MemoryError, RecursionError):
            pass  # the tree is fine for reading even if compiling it failed for another reason
        self.tree = tree  # type: ignore[assignment]

    def _syntax_position(self, error: SyntaxError, offset_is_bytes: bool) -> tuple[int, int, str]:
        lineno = error.lineno or 1
        lineno = min(max(1, lineno), len(self.lines))
        offset = max(1, error.offset or 1)
        column = self.char_column(lineno, offset - 1) if offset_is_bytes else offset - 1
        column = min(column, len(self.lines[lineno - 1]))
        return lineno, column, error.msg or "invalid syntax"

    def char_column(self, lineno: int, byte_offset: int) -> int:
        """ast columns are UTF-8 byte offsets; the editor and the messages count characters."""
        if not 1 <= lineno <= len(self.lines):
            return max(0, byte_offset)
        data = self.lines[lineno - 1].encode("utf-8")
        return len(data[: max(0, byte_offset)].decode("utf-8", "replace"))

    def place(self, lineno: int, char_col: int) -> tuple[int, int]:
        """Line and 1-based column in the file, for a line of the code and a 0-based column."""
        lineno = max(1, lineno)
        removed = self.removed[lineno - 1] if lineno - 1 < len(self.removed) else 0
        column = removed + max(0, char_col)
        if lineno == 1:
            column += self.first_column
        return self.first_line + lineno - 1, column + 1

    def node_place(self, node: ast.AST) -> tuple[int, int]:
        lineno = getattr(node, "lineno", 1)
        return self.place(lineno, self.char_column(lineno, getattr(node, "col_offset", 0)))

    def attr_place(self, node: ast.Attribute) -> tuple[int, int]:
        """Where the attribute's name starts (`w.name`): its end minus its length."""
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            return self.node_place(node)
        column = self.char_column(end_line, end_col) - len(node.attr)
        return self.place(end_line, column)


# --------------------------------------------------------------------------------------------
# Scopes and bindings, enough to follow a worker object through a script
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Binding:
    kind: str  # "value", "opaque", "def", "class", "import", "importfrom"
    value: ast.expr | None = None
    scope: "_Scope | None" = None  # where `value` is evaluated
    module: str = ""
    name: str = ""


@dataclass(eq=False)
class _Scope:
    kind: str  # "module", "function", "class", "comprehension"
    parent: "_Scope | None" = None
    bindings: dict[str, list[_Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    star_import: bool = False

    def module(self) -> "_Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


class _ScopeBuilder(ast.NodeVisitor):
    """One pass over a tree: scopes, the bindings of each name, the scope of each expression,
    and which calls and imports sit inside a try block that catches errors."""

    def __init__(self) -> None:
        self.module = _Scope("module")
        self.scope = self.module
        self.scope_of: dict[int, _Scope] = {}
        self.guarded: set[int] = set()
        self.stored_attrs: dict[str, set[str]] = {}
        self.uses_dynamic_globals = False
        self._try_depth = 0

    # -- binding helpers ---------------------------------------------------------------------

    def _target_scope(self, name: str) -> _Scope:
        scope = self.scope
        if name in scope.globals:
            return self.module
        if name in scope.nonlocals:
            parent = scope.parent
            while parent is not None and parent.kind not in ("function", "module"):
                parent = parent.parent
            return parent or self.module
        return scope

    def _bind(self, name: str, binding: _Binding) -> None:
        self._target_scope(name).bindings.setdefault(name, []).append(binding)

    def _bind_target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            if value is None:
                self._bind(target.id, _Binding("opaque"))
            else:
                self._bind(target.id, _Binding("value", value, self.scope))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind_target(element, None)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            self.stored_attrs.setdefault(target.value.id, set()).add(target.attr)

    def _enter(self, kind: str) -> _Scope:
        scope = _Scope(kind, self.scope)
        self.scope = scope
        return scope

    def _leave(self, scope: _Scope) -> None:
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
            self._bind(arg.arg, _Binding("opaque"))

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope_of[id(node)] = self.scope
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_arguments(node.args)
        self._bind(node.name, _Binding("def", scope=self.scope))
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
        self._bind(node.name, _Binding("class", scope=self.scope))
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
        self._bind(node.target.id, _Binding("value", node.value, saved))
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
                self._bind(handler.name, _Binding("opaque"))
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
                self._bind(alias.asname, _Binding("import", module=alias.name))
            else:
                first = alias.name.split(".")[0]
                self._bind(first, _Binding("import", module=first))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.scope_of[id(node)] = self.scope
        if self._try_depth:
            self.guarded.add(id(node))
        module = ("." * node.level) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self._target_scope("*").star_import = True
                continue
            self._bind(alias.asname or alias.name, _Binding("importfrom", module=module, name=alias.name))

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self._bind(node.name, _Binding("opaque"))
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._bind(node.name, _Binding("opaque"))
        self.generic_visit(node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self._bind(node.rest, _Binding("opaque"))
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


def _resolve(scope: _Scope, name: str) -> _Scope:
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


# --------------------------------------------------------------------------------------------
# What one script says: exports, worker lookups, create_named_worker calls, package use
# --------------------------------------------------------------------------------------------


@dataclass
class _ExportInfo:
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
class _CreateCall:
    node: ast.Call
    source: _Source
    src: str | None
    src_file: str | None
    name: str | None  # the name when it is one fixed string
    name_pattern: str | None  # a regular expression every possible name matches
    name_node: ast.AST | None
    type: str | None  # "py", "mpy", or None when not known
    config_node: ast.expr | None
    src_worker: "_WorkerSource | None" = None  # the src file's code, once found in the project


class _Facts:
    """Everything the project-wide checks need from one parsed source."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        tree = source.tree
        assert tree is not None
        builder = _ScopeBuilder()
        builder.visit(tree)
        self.tree = tree
        self.builder = builder
        self.module = builder.module
        self._export_targets = self._module_export_targets()
        self.exports = self._exports()
        self._worker_set_cache: dict[tuple[int, str], frozenset[str] | None] = {}

    # -- __export__ --------------------------------------------------------------------------

    def _exports(self) -> _ExportInfo:
        info = _ExportInfo()
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

    def _export_statement(self, statement: ast.stmt, info: _ExportInfo) -> None:
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

    def _export_value(self, value: ast.expr, info: _ExportInfo) -> None:
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

    def _export_element(self, element: ast.expr, info: _ExportInfo) -> None:
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

    def scope_at(self, node: ast.AST) -> _Scope:
        return self.builder.scope_of.get(id(node), self.module)

    def refers_to_pyscript(self, expression: ast.expr, scope: _Scope, attribute: str) -> bool:
        """Whether `expression` is pyscript's `workers` or `create_named_worker`."""
        if isinstance(expression, ast.Name):
            home = _resolve(scope, expression.id)
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
                home = _resolve(scope, base.id)
                bindings = home.bindings.get(base.id, [])
                if not bindings:
                    return home.kind == "module" and base.id == "pyscript"
                return all(b.kind == "import" and b.module == "pyscript" for b in bindings)
        return False

    def definite_string(self, expression: ast.AST | None, scope: _Scope, depth: int = 0) -> str | None:
        """The string an expression always has: a literal, or a name bound once to a literal."""
        if expression is None or depth > _MAX_NAME_DEPTH:
            return None
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return expression.value
        if isinstance(expression, ast.Name):
            home = _resolve(scope, expression.id)
            bindings = home.bindings.get(expression.id, [])
            if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].scope is not None:
                return self.definite_string(bindings[0].value, bindings[0].scope, depth + 1)
        return None

    def string_pattern(self, expression: ast.AST | None, scope: _Scope, depth: int = 0) -> str:
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
            home = _resolve(scope, expression.id)
            bindings = home.bindings.get(expression.id, [])
            if not bindings or any(b.kind != "value" or b.scope is None for b in bindings):
                return ".*"
            alternatives = {self.string_pattern(b.value, b.scope, depth + 1) for b in bindings if b.scope}
            if ".*" in alternatives:
                return ".*"
            return "(?:" + "|".join(sorted(alternatives)) + ")"
        return ".*"

    # -- worker lookups and creations --------------------------------------------------------

    def worker_lookup(self, expression: ast.AST, scope: _Scope) -> tuple[str | None, ast.AST] | None:
        """For `workers["x"]` or `workers.x`: (the name if fixed, the node naming it)."""
        if isinstance(expression, ast.Subscript) and isinstance(expression.ctx, ast.Load):
            if self.refers_to_pyscript(expression.value, scope, "workers"):
                key = expression.slice
                return self.definite_string(key, scope), key
        if isinstance(expression, ast.Attribute) and isinstance(expression.ctx, ast.Load):
            if not expression.attr.startswith("__") and self.refers_to_pyscript(expression.value, scope, "workers"):
                return expression.attr, expression
        return None

    def create_calls(self, page_dir: str, files: dict[str, str]) -> list[_CreateCall]:
        calls: list[_CreateCall] = []
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
                kind = _normal_type(self.definite_string(arguments["type"], scope))
            else:
                kind = "py"  # create_named_worker's default
            src_file = _resolve_src(src, page_dir, self.source.file, files) if src else None
            calls.append(
                _CreateCall(node, self.source, src, src_file, name, pattern, name_node, kind, arguments.get("config"))
            )
        return calls

    def worker_names_of(self, expression: ast.AST, scope: _Scope) -> frozenset[str] | None:
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
            home = _resolve(scope, expression.id)
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


def _int(value: Any, default: int) -> int:
    """A number from the request, or the default when it is missing or not a number."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _normal_type(kind: str | None) -> str | None:
    if kind is None:
        return None
    kind = kind.strip().lower()
    if kind in ("py", "pyodide"):
        return "py"
    if kind in ("mpy", "micropython"):
        return "mpy"
    return None


def _normal_path(path: str) -> str:
    path = path.replace("\\", "/")
    path = re.sub(r"[?#].*$", "", path)
    normalized = posixpath.normpath(path.lstrip("/")) if path else ""
    return "" if normalized == "." else normalized


def _resolve_src(src: str, page_dir: str, script_file: str, files: dict[str, str]) -> str | None:
    """The project file a worker's `src` names: relative to the page, as the browser resolves it
    (tried relative to the calling script's folder as well)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.IGNORECASE):
        return None
    candidates = []
    if src.startswith("/"):
        candidates.append(_normal_path(src))
    else:
        candidates.append(_normal_path(posixpath.join(page_dir, src)))
        candidates.append(_normal_path(posixpath.join(posixpath.dirname(script_file), src)))
        candidates.append(_normal_path(src))
    for candidate in candidates:
        if candidate in files:
            return candidate
    return None


# --------------------------------------------------------------------------------------------
# Configs: positions of keys inside JSON and TOML text
# --------------------------------------------------------------------------------------------


class _JsonLayout:
    """Offsets of a JSON object's top-level keys, and of each element of array values.
    JSON has no positions in the standard library, and the text was already valid."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys: dict[str, int] = {}
        self.elements: dict[str, list[int]] = {}
        self.i = 0
        try:
            self._skip()
            if self._peek() == "{":
                self._object(depth=0)
        except (IndexError, ValueError):
            pass  # keep whatever was found: positions are a convenience

    def _peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def _skip(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1

    def _string(self) -> str:
        start = self.i
        self.i += 1
        while self.text[self.i] != '"':
            self.i += 2 if self.text[self.i] == "\\" else 1
        self.i += 1
        return json.loads(self.text[start : self.i])

    def _value(self, depth: int, key: str | None) -> None:
        self._skip()
        char = self._peek()
        if char == "{":
            self._object(depth + 1)
        elif char == "[":
            self.i += 1
            while True:
                self._skip()
                if self._peek() == "]":
                    self.i += 1
                    return
                if depth == 0 and key is not None:
                    self.elements.setdefault(key, []).append(self.i)
                self._value(depth + 1, None)
                self._skip()
                if self._peek() == ",":
                    self.i += 1
        elif char == '"':
            self._string()
        else:
            match = re.compile(r"[-+0-9.eEtruefalsn]+").match(self.text, self.i)
            if not match:
                raise ValueError("unexpected JSON")
            self.i = match.end()

    def _object(self, depth: int) -> None:
        self.i += 1
        while True:
            self._skip()
            if self._peek() == "}":
                self.i += 1
                return
            key_start = self.i
            key = self._string()
            if depth == 0 and key not in self.keys:
                self.keys[key] = key_start
            self._skip()
            self.i += 1  # the colon
            self._value(depth, key if depth == 0 else None)
            self._skip()
            if self._peek() == ",":
                self.i += 1


class _TomlLayout:
    """Offsets of a TOML document's top-level keys (`key = ...` before any table, or a table
    header `[key]` / `[key.sub]`), and of string elements in array values."""

    _HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)")
    _KEY = re.compile(r"^[ \t]*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*[.=]")

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys: dict[str, int] = {}
        self.elements: dict[str, list[int]] = {}
        offset = 0
        in_table = False
        for line in text.split("\n"):
            header = self._HEADER.match(line)
            if header:
                in_table = True
                key = header.group(1).strip("\"'")
                self.keys.setdefault(key, offset + header.start(1))
            elif not in_table:
                match = self._KEY.match(line)
                if match:
                    key = match.group(1).strip("\"'")
                    self.keys.setdefault(key, offset + match.start(1))
            offset += len(line) + 1

    def element_offsets(self, key: str, values: list[str]) -> list[int | None]:
        """Where each string value of an array key is written (searched after the key)."""
        start = self.keys.get(key)
        if start is None:
            return [None] * len(values)
        found: list[int | None] = []
        position = start
        for value in values:
            match = re.compile(r"[\"']" + re.escape(value) + r"[\"']").search(self.text, position)
            if match:
                found.append(match.start())
                position = match.end()
            else:
                found.append(None)
        return found


@dataclass
class _Config:
    """One config text and where it is written."""

    file: str
    line: int
    column: int
    format: str
    text: str
    data: Json = None

    def place(self, offset: int | None) -> tuple[int, int]:
        if offset is None:
            return self.line, self.column + 1
        before = self.text[:offset]
        line_index = before.count("\n")
        column = offset - (before.rfind("\n") + 1)
        if line_index == 0:
            column += self.column
        return self.line + line_index, column + 1


def _package_name(requirement: str) -> str:
    """"numpy==2.0" -> "numpy"; "Scikit_Learn" -> "scikit-learn"."""
    name = re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


def _is_local_package(requirement: str) -> bool:
    return bool(re.match(r"^(\.{1,2}/|/|emfs://|file://)", requirement))


def _is_remote_url(requirement: str) -> bool:
    """A URL, or mip's "github:org/repo" / "gitlab:org/repo" shorthand."""
    return bool(re.match(r"^([a-z][a-z0-9+.-]*://|github:|gitlab:)", requirement, re.IGNORECASE))


# --------------------------------------------------------------------------------------------
# The project
# --------------------------------------------------------------------------------------------


@dataclass
class _Script:
    index: int
    file: str
    tag_file: str
    tag_line: int
    inline: bool
    type: str
    worker: bool
    name: str
    source: _Source
    config: dict[str, Any] | None


@dataclass
class _WorkerSource:
    """Code that runs as a worker with a name: a declared worker script, or the src of a
    create_named_worker call."""

    name: str
    facts: "_Facts | None"
    parsed: bool
    where: str  # "index.html line 12", "worker.py"
    file: str


class _Registry:
    """The project's workers: declared in the page, or created at run time."""

    def __init__(self) -> None:
        self.declared: dict[str, list[_Script]] = {}
        self.sources: dict[str, list[_WorkerSource]] = {}
        self.created: list[_CreateCall] = []

    def known_names(self) -> list[str]:
        names = set(self.declared)
        names.update(call.name for call in self.created if call.name is not None)
        return sorted(names)

    def is_known(self, name: str) -> bool:
        if name in self.declared:
            return True
        for call in self.created:
            if call.name is not None:
                if call.name == name:
                    return True
            elif call.name_pattern is None or re.fullmatch(call.name_pattern, name, re.DOTALL):
                return True
        return False

    def exports(self, name: str) -> tuple[set[str], list[_WorkerSource]] | None:
        """The names a worker exports, when every source of that worker is known."""
        sources = list(self.sources.get(name, []))
        if not sources:
            return None
        # A worker created under a name that is only known at run time may be this one too: its
        # code counts as well, and when that code is not in the project nothing can be said.
        for call in self.created:
            if call.name is None and (call.name_pattern is None or re.fullmatch(call.name_pattern, name, re.DOTALL)):
                if call.src_worker is None:
                    return None
                sources.append(call.src_worker)
        names: set[str] = set()
        for source in sources:
            if source.facts is None or not source.parsed:
                return None
            exported = source.facts.exports.names()
            if exported is None:
                return None
            names |= exported
        return names, sources


class _Checker:
    def __init__(self, request: dict[str, Any]) -> None:
        self.request = request
        self.report = _Report()
        self.offline = bool(request.get("offline", True))
        # Pyodide packages Loom can serve offline (lock packages whose files, dependencies
        # included, are in Loom's package cache; PyPI ones it has kept), as normalised names. No
        # key: Loom did not say, and every package counts as missing offline.
        ready = request.get("packages_ready")
        self.packages_ready: set[str] = {_package_name(str(n)) for n in ready} if isinstance(ready, list) else set()
        # What each config asks for, for `loom packages` and exports.
        self.package_requests: list[dict[str, Any]] = []
        raw_files = request.get("files") or {}
        self.files: dict[str, str] = {
            _normal_path(str(path)): text for path, text in raw_files.items() if isinstance(text, str)
        }
        page = request.get("page")
        self.page = _normal_path(page) if isinstance(page, str) and page else ""
        self.page_dir = posixpath.dirname(self.page) if self.page else ""
        self.scripts: list[_Script] = []
        self._sources: dict[tuple[str, int, int, bool, str], _Source] = {}
        self._facts: dict[int, _Facts | None] = {}
        self.registry = _Registry()

    # -- entry -------------------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        self._load_scripts()
        self._check_syntax()
        self._collect_workers()
        for script in self.scripts:
            self._guard(script.file, self._check_script, script)
        for call in self.registry.created:
            self._guard(call.source.file, self._check_create_call, call)
        self._guard(self.page or "index.html", self._check_duplicates)
        self._check_configs()
        return self.report.sorted()

    def _guard(self, file: str, function: Callable[..., None], *arguments: Any) -> None:
        """One failing check must not hide the others' results."""
        try:
            function(*arguments)
        except Exception as error:  # noqa: BLE001 - never raise into C++
            self.report.add(
                file,
                1,
                1,
                "warning",
                "internal",
                f"Loom could not finish checking this file ({type(error).__name__}: {error}). "
                "The other checks still ran; please report this.",
            )

    # -- loading -----------------------------------------------------------------------------

    def _source(self, file: str, code: str, first_line: int, first_column: int, inline: bool) -> _Source:
        key = (file, first_line, first_column, inline, code)
        source = self._sources.get(key)
        if source is None:
            source = _Source(file, code, first_line, first_column, inline)
            self._sources[key] = source
        return source

    def facts(self, source: _Source) -> _Facts | None:
        key = id(source)
        if key not in self._facts:
            facts: _Facts | None = None
            if source.tree is not None:
                try:
                    facts = _Facts(source)
                except (RecursionError, MemoryError, Exception) as error:  # noqa: BLE001
                    # e.g. an expression nested thousands deep: skip this file's deeper checks.
                    self.report.add(
                        source.file, 1, 1, "warning", "internal",
                        f"Loom could not analyse this file ({type(error).__name__}); only its syntax "
                        "was checked.",
                    )
            self._facts[key] = facts
        return self._facts[key]

    def _load_scripts(self) -> None:
        scripts = self.request.get("scripts")
        for index, raw in enumerate(scripts if isinstance(scripts, list) else []):
            if not isinstance(raw, dict):
                continue
            file = _normal_path(str(raw.get("file") or "")) or "index.html"
            inline = bool(raw.get("inline", False))
            tag_file = raw.get("tagFile") or self.request.get("page") or (file if inline else "index.html")
            code = raw.get("code")
            if not isinstance(code, str):
                code = self.files.get(file, "")
            source = self._source(
                file,
                code,
                _int(raw.get("firstLine"), 1),
                _int(raw.get("firstColumn"), 0),
                inline,
            )
            config = raw.get("config") if isinstance(raw.get("config"), dict) else None
            self.scripts.append(
                _Script(
                    index=index,
                    file=file,
                    tag_file=_normal_path(str(tag_file)) or "index.html",
                    tag_line=_int(raw.get("tagLine"), _int(raw.get("firstLine"), 1)),
                    inline=inline,
                    type=_normal_type(str(raw.get("type") or "py")) or "py",
                    worker=bool(raw.get("worker", False)),
                    name=str(raw.get("name") or ""),
                    source=source,
                    config=config,
                )
            )
        if not self.page:
            for script in self.scripts:
                if script.tag_file:
                    self.page = script.tag_file
                    self.page_dir = posixpath.dirname(self.page)
                    break

    # -- 1. syntax ---------------------------------------------------------------------------

    def _check_syntax(self) -> None:
        seen_files = set()
        for script in self.scripts:
            self._report_syntax(script.source)
            if not script.inline:
                seen_files.add(script.file)
        for path, text in sorted(self.files.items()):
            if path.endswith(".py") and path not in seen_files:
                self._report_syntax(self._source(path, text, 1, 0, False))

    def _report_syntax(self, source: _Source) -> None:
        if source.syntax_error is None:
            return
        lineno, column, message = source.syntax_error
        line, col = source.place(lineno, column)
        self.report.add(
            source.file,
            line,
            col,
            "error",
            "syntax",
            f"Python cannot read this line ({message}), so none of this script runs. Fix the code here.",
        )

    # -- workers -----------------------------------------------------------------------------

    def _collect_workers(self) -> None:
        for script in self.scripts:
            if script.worker and script.name:
                self.registry.declared.setdefault(script.name, []).append(script)
                where = f"{script.tag_file} line {script.tag_line}" if script.inline else script.file
                self.registry.sources.setdefault(script.name, []).append(
                    _WorkerSource(script.name, self.facts(script.source), script.source.tree is not None, where, script.file)
                )
        # create_named_worker anywhere: the page's scripts and the project's other modules.
        sources = [script.source for script in self.scripts]
        script_files = {script.file for script in self.scripts if not script.inline}
        for path, text in sorted(self.files.items()):
            if path.endswith(".py") and path not in script_files:
                sources.append(self._source(path, text, 1, 0, False))
        seen: set[int] = set()
        for source in sources:
            if id(source) in seen:
                continue
            seen.add(id(source))
            facts = self.facts(source)
            if facts is None:
                continue
            try:
                calls = facts.create_calls(self.page_dir, self.files)
            except Exception:  # noqa: BLE001 - a module we cannot follow adds no worker
                continue
            for call in calls:
                self.registry.created.append(call)
                if call.src_file is None:
                    continue
                worker_source = self._source(call.src_file, self.files[call.src_file], 1, 0, False)
                call.src_worker = _WorkerSource(
                    call.name or "",
                    self.facts(worker_source),
                    worker_source.tree is not None,
                    call.src_file,
                    call.src_file,
                )
                if call.name is not None:
                    self.registry.sources.setdefault(call.name, []).append(call.src_worker)

    def _check_duplicates(self) -> None:
        for name, scripts in self.registry.declared.items():
            if len(scripts) < 2:
                continue
            first = scripts[0]
            for other in scripts[1:]:
                self.report.add(
                    other.tag_file,
                    other.tag_line,
                    1,
                    "error",
                    "duplicate-worker",
                    f'Another worker is already named "{name}" ({first.tag_file} line {first.tag_line}): '
                    f'workers["{name}"] reaches only one of them. Give each worker its own name.',
                )
        for call in self.registry.created:
            if call.name is None or call.name not in self.registry.declared:
                continue
            declared = self.registry.declared[call.name][0]
            line, column = call.source.node_place(call.name_node or call.node)
            self.report.add(
                call.source.file,
                line,
                column,
                "warning",
                "duplicate-worker",
                f'The page already declares a worker named "{call.name}" ({declared.tag_file} line '
                f"{declared.tag_line}): create_named_worker starts a second worker thread under the same "
                f'name, and workers["{call.name}"] keeps answering with the first. Use await '
                f'workers["{call.name}"] to reach it, or choose another name.',
            )

    # -- per script --------------------------------------------------------------------------

    def _check_script(self, script: _Script) -> None:
        facts = self.facts(script.source)
        if facts is None:
            return
        if script.worker and script.name:
            # A worker without a name cannot be reached, so it has nothing to export.
            self._check_exports(facts, script.source, missing_at=(script.tag_file, script.tag_line) if script.inline else None)
        self._check_worker_use(facts, main=not script.worker)
        self._check_package_code(facts, script.type)

    def _check_exports(self, facts: _Facts, source: _Source, missing_at: tuple[str, int] | None) -> None:
        info = facts.exports
        if not info.present and not info.sync_names:
            file, line = missing_at if missing_at else (source.file, 1)
            self.report.add(
                file,
                line,
                1,
                "error",
                "export-missing",
                "This worker has no __export__, so the main thread cannot call anything in it. Add "
                '__export__ = ["function_name", ...] at the end of the worker\'s code.',
            )
            return
        for node, message in info.problems:
            line, column = source.node_place(node)
            self.report.add(source.file, line, column, "error", "export-not-list", message)
        if info.dynamic:
            return
        module = facts.module
        can_check_defined = not module.star_import and not facts.builder.uses_dynamic_globals
        for name, node in info.entries:
            bindings = module.bindings.get(name)
            line, column = source.node_place(node)
            if not bindings:
                if can_check_defined:
                    close = _closest(name, [n for n in module.bindings if not n.startswith("__")])
                    hint = f' Did you mean "{close}"?' if close else ""
                    self.report.add(
                        source.file,
                        line,
                        column,
                        "error",
                        "export-undefined",
                        f'__export__ lists "{name}", but the worker defines nothing by that name at '
                        f"module level, so the worker fails as it starts.{hint} Define the function or "
                        "fix the name.",
                    )
                continue
            what = _not_a_function(bindings)
            if what:
                self.report.add(
                    source.file,
                    line,
                    column,
                    "warning",
                    "export-not-function",
                    f'"{name}" is {what}, not a function: calling it from the main thread fails. Export '
                    "functions (def or async def) only.",
                )

    def _check_worker_use(self, facts: _Facts, main: bool) -> None:
        source = facts.source
        registry = self.registry
        for node in ast.walk(facts.tree):
            if main and isinstance(node, (ast.Subscript, ast.Attribute)):
                lookup = facts.worker_lookup(node, facts.scope_at(node))
                if lookup is not None and lookup[0] is not None and not registry.is_known(lookup[0]):
                    self._report_unknown_worker(source, lookup[0], lookup[1])
                    continue
            if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
                continue
            scope = facts.scope_at(node)
            value = node.value
            names: frozenset[str] | None = None
            if isinstance(value, ast.Name):
                if node.attr in facts.builder.stored_attrs.get(value.id, set()):
                    continue  # set on the proxy by this script (functions the worker may call)
                names = facts.worker_names_of(value, scope)
            elif isinstance(value, ast.Await):
                names = facts.worker_names_of(value, scope)
            if not names:
                continue
            self._check_exported(source, node, names)

    def _report_unknown_worker(self, source: _Source, name: str, node: ast.AST) -> None:
        known = self.registry.known_names()
        line, column = source.node_place(node)
        if isinstance(node, ast.Attribute):
            line, column = source.attr_place(node)
        if known:
            close = _closest(name, known)
            hint = f' Did you mean "{close}"?' if close else ""
            message = (
                f'No worker is named "{name}": the project has {_quote_list(known)}.{hint} '
                f'await workers["{name}"] would wait for ever. Use the name from <script worker '
                'name="..."> or create_named_worker(name=...).'
            )
        else:
            message = (
                f'No worker is named "{name}": the page declares no worker and no create_named_worker '
                f'call makes one, so await workers["{name}"] would wait for ever. Add <script type="py" '
                f'worker name="{name}" src="..."> to the page, or fix the name.'
            )
        self.report.add(source.file, line, column, "error", "unknown-worker", message)

    def _check_exported(self, source: _Source, node: ast.Attribute, names: frozenset[str]) -> None:
        known: set[str] = set()
        sources: list[_WorkerSource] = []
        for name in names:
            exports = self.registry.exports(name)
            if exports is None:
                return
            known |= exports[0]
            sources.extend(exports[1])
        if node.attr in known:
            return
        worker = sorted(names)[0] if len(names) == 1 else " or ".join(f'"{n}"' for n in sorted(names))
        label = f'The worker "{worker}"' if len(names) == 1 else f"The workers {worker}"
        defined_in = [
            s for s in sources if s.facts is not None and node.attr in s.facts.module.bindings
        ]
        if defined_in:
            where = defined_in[0].where
            advice = (
                f' "{node.attr}" is defined in {where} but not listed in its __export__: add it there '
                "to call it from here."
            )
        else:
            close = _closest(node.attr, known)
            advice = f' Did you mean "{close}"?' if close else ""
        line, column = source.attr_place(node)
        self.report.add(
            source.file,
            line,
            column,
            "error",
            "not-exported",
            f'{label} does not export "{node.attr}", so this call fails. It exports '
            f"{_quote_list(sorted(known))}.{advice}",
        )

    # -- 7/8. packages in code ---------------------------------------------------------------

    def _check_package_code(self, facts: _Facts, kind: str) -> None:
        source = facts.source
        guarded = facts.builder.guarded
        for node in ast.walk(facts.tree):
            imports_micropip = (
                isinstance(node, ast.Import) and any(a.name.split(".")[0] == "micropip" for a in node.names)
            ) or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "micropip" and not node.level)
            if imports_micropip:
                line, column = source.node_place(node)
                if kind == "mpy":
                    self.report.add(
                        source.file,
                        line,
                        column,
                        "error",
                        "mpy-packages",
                        "micropip exists only in Pyodide: this MicroPython script stops here with "
                        'ImportError. Use type="py" for code that installs packages, or list MicroPython '
                        'packages in the config ("packages").',
                    )
                elif self.offline and id(node) not in guarded and "micropip" not in self.packages_ready:
                    self.report.add(
                        source.file,
                        line,
                        column,
                        "warning",
                        "offline-packages",
                        "micropip is a Pyodide package, and it is not in Loom's package cache: offline this "
                        "import fails. Fetch it once (`loom packages DIR --fetch`, or Run > Fetch Packages), "
                        "run the page once with the network, or catch the ImportError.",
                    )
                continue
            if kind != "py" or not self.offline or not isinstance(node, ast.Call) or id(node) in guarded:
                continue
            if _installs_packages(node.func):
                wanted = _literal_requirements(node)
                if wanted is not None and self._missing_offline(wanted) == []:
                    continue
                line, column = source.node_place(node)
                self.report.add(
                    source.file,
                    line,
                    column,
                    "warning",
                    "offline-packages",
                    "Offline this install fails unless its packages are in Loom's package cache (fetch them "
                    "once: list them in the config's \"packages\" and run `loom packages DIR --fetch`, or "
                    "run the page once with the network). Or wrap it in try/except and carry on without "
                    "the package, as samples/primes does.",
                )

    def _missing_offline(self, requirements: list[str]) -> list[str]:
        """What of `requirements` (and micropip, which installs them) Loom cannot serve offline."""
        wanted = [r for r in requirements if not _is_local_package(r)]
        if not wanted:
            return []
        missing = [] if "micropip" in self.packages_ready else ["micropip"]
        for requirement in wanted:
            name = _package_name(requirement)
            if name not in self.packages_ready and name not in missing:
                missing.append(requirement if _is_remote_url(requirement) else name)
        return missing

    # -- create_named_worker -----------------------------------------------------------------

    def _check_create_call(self, call: _CreateCall) -> None:
        source = call.source
        if call.src_file is not None:
            worker_source = self._source(call.src_file, self.files[call.src_file], 1, 0, False)
            facts = self.facts(worker_source)
            if facts is not None:
                self._check_exports(facts, worker_source, missing_at=None)
                self._check_worker_use(facts, main=False)
                if call.type is not None:
                    self._check_package_code(facts, call.type)
        if call.config_node is None:
            return
        config_node = call.config_node
        data: Json
        positions: dict[str, ast.AST] = {}
        elements: dict[str, list[ast.AST]] = {}
        if isinstance(config_node, ast.Dict):
            data = {}
            for key_node, value_node in zip(config_node.keys, config_node.values):
                if not (isinstance(key_node, ast.Constant) and isinstance(key_node.value, str)):
                    return  # **spread or computed keys: the config is only known at run time
                try:
                    data[key_node.value] = ast.literal_eval(value_node)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    data[key_node.value] = _UNKNOWN
                positions[key_node.value] = key_node
                if isinstance(value_node, (ast.List, ast.Tuple)):
                    elements[key_node.value] = list(value_node.elts)
        elif isinstance(config_node, ast.Constant) and isinstance(config_node.value, str):
            text = config_node.value.strip()
            if not text:
                return
            if not (text.startswith("{") and text.endswith("}")):
                return  # a config file's URL, fetched at run time
            try:
                data = json.loads(text)
            except ValueError as error:
                line, column = source.node_place(config_node)
                self.report.add(
                    source.file, line, column, "error", "config-syntax",
                    f"This config string is not valid JSON ({error}), so the worker does not start. "
                    "Pass a dict instead: config={\"packages\": [...]}.",
                )
                return
        else:
            return
        if not isinstance(data, dict):
            return
        where = source.node_place(config_node)

        def place(key: str | None, index: int | None = None) -> tuple[int, int]:
            if key is not None and index is not None and index < len(elements.get(key, [])):
                return source.node_place(elements[key][index])
            if key is not None and key in positions:
                return source.node_place(positions[key])
            return where

        self._check_config_data(
            data, call.type, source.file, place, worker_label="worker", check_keys=True
        )

    # -- 9/10/7/8. configs -------------------------------------------------------------------

    def _check_configs(self) -> None:
        checked: dict[tuple[str, int, str], set[str | None]] = {}
        for script in self.scripts:
            raw = script.config
            if not raw or raw.get("parsed") is False:
                continue
            try:
                self._check_script_config(script, raw, checked)
            except Exception as error:  # noqa: BLE001
                self.report.add(
                    str(raw.get("file") or script.tag_file),
                    _int(raw.get("line"), 1),
                    1,
                    "warning",
                    "internal",
                    f"Loom could not finish checking this config ({type(error).__name__}: {error}).",
                )

    def _check_script_config(
        self, script: _Script, raw: dict[str, Any], checked: dict[tuple[str, int, str], set[str | None]]
    ) -> None:
        text = raw.get("text")
        if not isinstance(text, str):
            return
        config = _Config(
            file=_normal_path(str(raw.get("file") or script.tag_file)) or script.tag_file,
            line=max(1, _int(raw.get("line"), 1)),
            column=max(0, _int(raw.get("column"), 0)),
            format=str(raw.get("format") or "json").lower(),
            text=text.replace("\r\n", "\n").replace("\r", "\n"),
        )
        key = (config.file, config.line, config.text)
        # The same config file serves several scripts: check its syntax and keys once, and its
        # packages once per interpreter type.
        types_done = checked.setdefault(key, set())
        first_time = not types_done
        if script.type in types_done:
            return
        types_done.add(script.type)
        if config.format == "toml":
            try:
                data = tomllib.loads(config.text)
            except tomllib.TOMLDecodeError as error:
                if first_time:
                    self._report_toml_error(config, error)
                return
        else:
            try:
                data = json.loads(config.text)
            except ValueError:
                return  # C++ reports JSON syntax errors
        config.data = data
        if not isinstance(data, dict):
            if first_time:
                line, column = config.place(None)
                self.report.add(
                    config.file, line, column, "error", "config-type",
                    "A PyScript config must be a JSON object or a TOML table of keys, e.g. "
                    '{"packages": ["numpy"]}.',
                )
            return
        layout: _JsonLayout | _TomlLayout = _TomlLayout(config.text) if config.format == "toml" else _JsonLayout(config.text)

        def place(name: str | None, index: int | None = None) -> tuple[int, int]:
            if name is None:
                return config.place(None)
            if index is not None:
                if isinstance(layout, _JsonLayout):
                    offsets = layout.elements.get(name, [])
                    if index < len(offsets):
                        return config.place(offsets[index])
                else:
                    value = data.get(name)
                    if isinstance(value, list):
                        strings = [v if isinstance(v, str) else "" for v in value]
                        offsets_t = layout.element_offsets(name, strings)
                        if index < len(offsets_t) and offsets_t[index] is not None:
                            return config.place(offsets_t[index])
            return config.place(layout.keys.get(name))

        self._check_config_data(
            data,
            script.type,
            config.file,
            place,
            worker_label="worker" if script.worker else "script",
            check_keys=first_time,
        )

    def _report_toml_error(self, config: _Config, error: tomllib.TOMLDecodeError) -> None:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            line_index, column = int(match.group(1)), int(match.group(2))
            line = config.line + line_index - 1
            if line_index == 1:
                column += config.column
        else:
            # "(at end of document)": where the text ends.
            line = config.line + config.text.count("\n")
            column = len(config.text) - (config.text.rfind("\n") + 1) + 1
            if "\n" not in config.text:
                column += config.column
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)\s*$", "", message)
        self.report.add(
            config.file,
            line,
            column,
            "error",
            "config-syntax",
            f"This TOML config does not parse ({reason}), so PyScript refuses it and the script does not "
            "start. Fix the TOML here.",
        )

    def _check_config_data(
        self,
        data: dict[str, Json],
        kind: str | None,
        file: str,
        place: _Placer,
        worker_label: str,
        check_keys: bool,
    ) -> None:
        if check_keys:
            for name in data:
                if name in KNOWN_CONFIG_KEYS:
                    continue
                close = _closest(name, KNOWN_CONFIG_KEYS)
                hint = f' Did you mean "{close}"?' if close else ""
                line, column = place(name, None)
                self.report.add(
                    file, line, column, "warning", "config-unknown-key",
                    f'"{name}" is not a PyScript config key, so PyScript ignores it.{hint} Known keys: '
                    f"{', '.join(KNOWN_CONFIG_KEYS)}.",
                )
            for name, problem in _config_type_problems(data):
                line, column = place(name, None)
                self.report.add(file, line, column, "error", "config-type", problem)
        packages = data.get("packages")
        if not isinstance(packages, list) or not packages:
            return
        if kind == "py":
            line, column = place("packages", None)
            listed = [p for p in packages if isinstance(p, str)]
            self.package_requests.append(
                {"file": file, "line": line, "worker": worker_label == "worker", "packages": listed}
            )
            missing = self._missing_offline(listed) if self.offline else []
            if missing:
                self.report.add(
                    file, line, column, "error", "offline-packages",
                    f"This Pyodide {worker_label} asks for packages ({', '.join(listed)}), and "
                    f"{_quote_list(missing)} {'is' if len(missing) == 1 else 'are'} not in Loom's package cache: "
                    "offline, the page fails to start it. Fetch them once with `loom packages DIR --fetch` "
                    "(in the IDE: Run > Fetch Packages), or run the page once with the network; Loom keeps "
                    "what it fetches.",
                )
        elif kind == "mpy":
            for index, requirement in enumerate(packages):
                if not isinstance(requirement, str):
                    continue
                name = _package_name(requirement)
                if name in _MPY_BUILTIN_PACKAGES or _is_local_package(requirement):
                    continue
                line, column = place("packages", index)
                if name in C_EXTENSION_PACKAGES:
                    self.report.add(
                        file, line, column, "error", "mpy-packages",
                        f'"{requirement}" is a CPython package (Pyodide builds it, with C extensions): '
                        "MicroPython cannot install or run it. Use type=\"py\" for this script, or drop the "
                        "package.",
                    )
                elif self.offline:
                    origin = "from its URL" if _is_remote_url(requirement) else "from micropython-lib"
                    self.report.add(
                        file, line, column, "warning", "mpy-packages",
                        f'MicroPython installs "{requirement}" {origin} with mip, which needs the network, '
                        "and Loom runs offline. Copy the module's .py file into the project and list it in "
                        '"files" instead, or run the page with the network.',
                    )


_UNKNOWN = object()


def _literal_requirements(call: ast.Call) -> list[str] | None:
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


def _installs_packages(func: ast.expr) -> bool:
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


def _not_a_function(bindings: list[_Binding]) -> str | None:
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


def _config_type_problems(data: dict[str, Json]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []

    def check(name: str, ok: bool, expected: str) -> None:
        if name in data and data[name] is not _UNKNOWN and not ok:
            problems.append((name, f'"{name}" must be {expected}; PyScript cannot use this value.'))

    def strings(value: Json) -> bool:
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)

    def string_map(value: Json) -> bool:
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())

    check("packages", strings(data.get("packages")), 'a list of package names (strings), e.g. ["numpy"]')
    check(
        "files",
        string_map(data.get("files")),
        'a table mapping each URL to a path, both strings, e.g. {"./data.csv": "./data.csv"}',
    )
    check(
        "fetch",
        isinstance(data.get("fetch"), (list, tuple)) and all(isinstance(v, dict) for v in data.get("fetch") or []),
        'a list of tables such as {"from": "./src/", "files": ["a.py"]}',
    )
    js_modules = data.get("js_modules")
    check(
        "js_modules",
        isinstance(js_modules, dict)
        and all(k in ("main", "worker") and string_map(v) for k, v in js_modules.items()),
        'a table with "main" and/or "worker", each mapping a URL to a module name',
    )
    check("plugins", strings(data.get("plugins")), "a list of plugin names (strings)")
    check("interpreter", isinstance(data.get("interpreter"), str), "a string (the interpreter's URL or version)")
    check("version", isinstance(data.get("version"), str), "a string")
    check("debug", isinstance(data.get("debug"), bool), "true or false")
    check("sync_main_only", isinstance(data.get("sync_main_only"), bool), "true or false")
    check("packages_cache", isinstance(data.get("packages_cache"), str), 'a string ("all", "never" or "passthrough")')
    check(
        "index_urls",
        isinstance(data.get("index_urls"), str) or strings(data.get("index_urls")),
        "a URL or a list of URLs",
    )
    check("experimental_create_proxy", isinstance(data.get("experimental_create_proxy"), str), 'a string ("auto")')
    timeout = data.get("experimental_ffi_timeout")
    check(
        "experimental_ffi_timeout",
        isinstance(timeout, int) and not isinstance(timeout, bool),
        "a whole number of milliseconds",
    )
    return problems


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def project_packages(request_json: str) -> str:
    """The Pyodide packages each config of the project asks for, as a JSON list of
    {"file", "line", "worker", "packages"}: what `loom packages` resolves and an export ships."""
    try:
        request = json.loads(request_json)
        if not isinstance(request, dict):
            return "[]"
        limit = sys.getrecursionlimit()
        try:
            sys.setrecursionlimit(max(limit, 8000))
            checker = _Checker(request)
            checker.run()
        finally:
            sys.setrecursionlimit(limit)
    except Exception:  # noqa: BLE001 - never raise into C++; `loom check` names the problem
        return "[]"
    seen: set[str] = set()
    requests = []
    for entry in checker.package_requests:
        key = json.dumps(entry, sort_keys=True)
        if key not in seen:
            seen.add(key)
            requests.append(entry)
    requests.sort(key=lambda e: (e["file"], e["line"]))
    return json.dumps(requests, ensure_ascii=False)


def check_project(request_json: str) -> str:
    """Check a project described by `request_json`; return the diagnostics as a JSON list.

    Never raises: a request that cannot be read, or a failure inside a check, becomes a
    diagnostic with code "internal".
    """
    try:
        request = json.loads(request_json)
        if not isinstance(request, dict):
            raise ValueError("the request must be a JSON object")
    except (ValueError, TypeError) as error:
        return json.dumps(
            [
                Diagnostic(
                    "index.html", 1, 1, "warning", "internal", f"Loom's checker got a request it cannot read: {error}."
                ).to_json()
            ]
        )
    # Trees are walked recursively: long generated expressions (a thousand-term sum) need more
    # than the default 1000 frames. Python-to-Python calls do not grow the C stack in 3.11+.
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, 8000))
        diagnostics = _Checker(request).run()
    except Exception as error:  # noqa: BLE001 - never raise into C++
        # Loom drops diagnostics without a file: name the page when nothing better is known.
        first = "index.html"
        scripts = request.get("scripts")
        if isinstance(scripts, list) and scripts and isinstance(scripts[0], dict):
            first = str(scripts[0].get("file") or first)
        diagnostics = [
            Diagnostic(
                first, 1, 1, "warning", "internal",
                f"Loom's checks failed ({type(error).__name__}: {error}); no result for this project. "
                "Please report this.",
            )
        ]
    finally:
        sys.setrecursionlimit(limit)
    return json.dumps([d.to_json() for d in diagnostics], ensure_ascii=False)
