"""A script's code as the checks read it: parsed, with positions in its file (the mapping itself
is loom_source's, shared with completion), and the project paths that name files."""

from __future__ import annotations

import ast
import posixpath
import re
import warnings

from loom_source import SourceText


class Source(SourceText):
    """A piece of Python code, where its characters are in a project file, and its tree (or
    the syntax error that stops Python from reading it)."""

    def __init__(self, file: str, code: str, first_line: int, first_column: int, inline: bool) -> None:
        super().__init__(file, code, first_line, first_column, inline)
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


def normal_path(path: str) -> str:
    path = path.replace("\\", "/")
    path = re.sub(r"[?#].*$", "", path)
    normalized = posixpath.normpath(path.lstrip("/")) if path else ""
    return "" if normalized == "." else normalized


def resolve_src(src: str, page_dir: str, script_file: str, files: dict[str, str]) -> str | None:
    """The project file a worker's `src` names: relative to the page, as the browser resolves it
    (tried relative to the calling script's folder as well)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.IGNORECASE):
        return None
    candidates = []
    if src.startswith("/"):
        candidates.append(normal_path(src))
    else:
        candidates.append(normal_path(posixpath.join(page_dir, src)))
        candidates.append(normal_path(posixpath.join(posixpath.dirname(script_file), src)))
        candidates.append(normal_path(src))
    for candidate in candidates:
        if candidate in files:
            return candidate
    return None
