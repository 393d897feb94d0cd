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

The package, by concern (each module says what it owns): report (diagnostics), sources (a
script's parsed code and positions), scopes (names and bindings), facts (what one script
says), configs (config keys, layouts, packages), project (scripts and workers), checker (the
checks). What a PyScript script is, its dedent and its positions come from loom_source, which
completion (loom_complete) reads too.

Standard library only, so the package works in any CPython Loom embeds.
"""

from __future__ import annotations

import json
import sys

from .checker import Checker
from .configs import C_EXTENSION_PACKAGES, KNOWN_CONFIG_KEYS
from .report import Diagnostic

# Loom (C++) calls check_project and project_packages by these names.
__all__ = ["check_project", "project_packages", "stoppable_lines", "KNOWN_CONFIG_KEYS", "C_EXTENSION_PACKAGES"]


def stoppable_lines(request_json: str) -> str:
    """The lines of each source where a debugger can stop, for placing breakpoints as debuggers do
    (a breakpoint on a blank line, a comment or a docstring's middle moves to the next of them).

    Request: {"sources": [{"file", "text", "line"}]}: a .py file (line 1), or an inline script of a
    page (its code, as written, starting on the page's line `line`; dedented as PyScript does).
    Answer: {"file": [lines, in the file's numbering]}. The lines are those of the code objects'
    line tables (CPython's, as Pyodide's 3.14 has them; MicroPython's lines are the statements'
    too). A source that does not compile is left out: nothing can be said of it.
    """
    import textwrap

    answer: dict[str, list[int]] = {}
    try:
        request = json.loads(request_json)
        sources = request.get("sources") if isinstance(request, dict) else None
        for source in sources if isinstance(sources, list) else []:
            if not isinstance(source, dict):
                continue
            file, text = str(source.get("file") or ""), source.get("text")
            first = source.get("line") if isinstance(source.get("line"), int) else 1
            if not file or not isinstance(text, str):
                continue
            try:
                code = compile(textwrap.dedent(text), file, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue
            lines: set[int] = set()
            pending = [code]
            while pending:
                current = pending.pop()
                lines.update(line for _, _, line in current.co_lines() if line is not None and line > 0)
                pending.extend(const for const in current.co_consts if hasattr(const, "co_lines"))
            answer.setdefault(file, [])
            answer[file] = sorted(set(answer[file]) | {line + first - 1 for line in lines})
    except Exception:  # noqa: BLE001 - never raise into C++: breakpoints then stay where they are
        return "{}"
    return json.dumps(answer)


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
            checker = Checker(request)
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
        diagnostics = Checker(request).run()
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
