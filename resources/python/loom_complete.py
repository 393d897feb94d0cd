"""Code completion and call signatures for Loom's editor, with Jedi.

Loom (C++) calls `complete(request_json)` with one JSON string and gets one JSON string back:

    {"code": "...", "line": 3, "column": 12, "path": "main.py", "type": "py", "worker": false,
     "projectFiles": {"helpers.py": "..."}}
    -> {"completions": [{"name", "complete", "type", "signature", "doc"}, ...],
        "signatures": [{"name", "params", "index", "doc"}]}

`line` is 1-based and `column` 0-based, in characters (Jedi's convention). PyScript's own API
comes from the stubs next to this file (stubs/pyscript, stubs/js.pyi), since the real modules
only exist in the browser.

Where the project's other modules come from, so `import helpers` resolves:
- `projectFiles` given: they are mirrored into one private temporary folder, reused between
  calls (Jedi's caches stay warm), and `path` is taken relative to it;
- otherwise, an absolute `path`: the files next to it on disk.

`code` may be a whole HTML page (`path` ending in .html): the completion is then made inside the
PyScript element under the cursor (`<script type="py|mpy">`, `<py-script>`, `<mpy-script>`: what
loom_source, shared with the checks, calls a script), read and dedented as PyScript runs it;
outside such an element the reply is empty.

Never raises: a failure becomes an empty reply with an "error" message.
"""

from __future__ import annotations

import atexit
import json
import os
import posixpath
import shutil
import tempfile
import threading
from typing import Any

from loom_source import SourceText, is_page, script_at

__all__ = ["complete", "warm_up"]

STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs")
MAX_COMPLETIONS = 200
# Signatures of completions cost a little each: only the first ones get theirs.
MAX_SIGNED_COMPLETIONS = 40

# Names pyscript does not define in a worker (pyscript/__init__.py imports them on the main
# thread only): offering them there would suggest an ImportError.
_MAIN_THREAD_ONLY = frozenset({"workers", "create_named_worker", "PyWorker"})

# Jedi keeps global state: one call at a time.
_lock = threading.Lock()
_workspace: "_Workspace | None" = None
_environment: Any = None
_disk_projects: dict[str, Any] = {}  # folder -> jedi.Project, for absolute paths
_MAX_DISK_PROJECTS = 8


class _Workspace:
    """A private temporary folder holding a copy of the project's Python files."""

    def __init__(self) -> None:
        self.root = tempfile.mkdtemp(prefix="loom-complete-")
        self.written: dict[str, str] = {}
        self.project: Any = None

    def path_of(self, relative: str) -> str | None:
        """The folder's path for a project path, or None for a path that would leave it."""
        relative = relative.replace("\\", "/")
        if not relative or relative.startswith("/") or ":" in relative.split("/")[0]:
            return None
        normalized = posixpath.normpath(relative)
        if normalized == "." or normalized.startswith("../") or normalized == "..":
            return None
        return os.path.join(self.root, *normalized.split("/"))

    def sync(self, files: dict[str, str]) -> None:
        """Write what changed, delete what the project no longer has."""
        wanted: dict[str, str] = {}
        for relative, text in files.items():
            if not isinstance(relative, str) or not isinstance(text, str) or not relative.endswith((".py", ".pyi")):
                continue
            path = self.path_of(relative)
            if path is not None:
                wanted[path] = text
        for path in list(self.written):
            if path not in wanted:
                try:
                    os.remove(path)
                except OSError:
                    pass
                del self.written[path]
        for path, text in wanted.items():
            if self.written.get(path) == text:
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.written[path] = text

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _disk_project(jedi: Any, folder: str) -> Any:
    """A Jedi project on a folder of the user's disk, kept for the next keystrokes."""
    project = _disk_projects.get(folder)
    if project is None:
        if len(_disk_projects) >= _MAX_DISK_PROJECTS:
            _disk_projects.pop(next(iter(_disk_projects)))
        project = jedi.Project(folder, added_sys_path=[STUBS], smart_sys_path=True, load_unsafe_extensions=False)
        _disk_projects[folder] = project
    return project


def _first_line(text: str) -> str:
    for line in (text or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def _first_paragraph(text: str) -> str:
    paragraph: list[str] = []
    for line in (text or "").strip().splitlines():
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph)


def _reply(completions: list[dict[str, Any]] | None = None, signatures: list[dict[str, Any]] | None = None,
           error: str | None = None) -> str:
    reply: dict[str, Any] = {"completions": completions or [], "signatures": signatures or []}
    if error:
        reply["error"] = error
    return json.dumps(reply, ensure_ascii=False)


def _jedi_state(files: dict[str, str]) -> tuple[Any, "_Workspace", Any]:
    """Jedi, the workspace with the project's files, and the in-process environment."""
    global _workspace, _environment
    import jedi  # imported late: a missing Jedi must only disable completion

    if _workspace is None:
        _workspace = _Workspace()
        atexit.register(_workspace.close)
    _workspace.sync(files)
    if _environment is None:
        # The embedding program's sys.executable is not a Python to spawn: infer in-process.
        _environment = jedi.InterpreterEnvironment()
    if _workspace.project is None:
        _workspace.project = jedi.Project(
            _workspace.root,
            added_sys_path=[STUBS],
            smart_sys_path=True,
            load_unsafe_extensions=False,
        )
    return jedi, _workspace, _environment


def _completion_entry(completion: Any, with_details: bool) -> dict[str, Any]:
    kind = completion.type
    if with_details and kind == "statement":
        # A name annotated in a stub (`workers: _ReadOnlyWorkersProxy`) reads as a "statement":
        # say what it holds instead.
        try:
            inferred = completion.infer()
            if inferred:
                kind = inferred[0].type
        except Exception:  # noqa: BLE001
            pass
    signature = ""
    if with_details and kind in ("function", "class"):
        try:
            found = completion.get_signatures()
            if found:
                signature = found[0].to_string()
        except Exception:  # noqa: BLE001 - a signature is a nicety
            signature = ""
    try:
        doc = _first_line(completion.docstring(raw=True, fast=True))
    except Exception:  # noqa: BLE001
        doc = ""
    return {
        "name": completion.name,
        "complete": completion.complete or "",
        "type": kind,
        "signature": signature,
        "doc": doc,
    }


def _signature_entry(signature: Any) -> dict[str, Any]:
    try:
        doc = _first_paragraph(signature.docstring(raw=True))
    except Exception:  # noqa: BLE001
        doc = ""
    index = signature.index
    return {
        "name": signature.name,
        "params": [param.name for param in signature.params],
        "index": index if isinstance(index, int) else -1,
        "doc": doc,
    }


def _complete(request: dict[str, Any]) -> str:
    code = request.get("code")
    if not isinstance(code, str):
        return _reply(error="The request has no code.")
    try:
        line = int(request.get("line", 1))
        column = int(request.get("column", 0))
    except (TypeError, ValueError):
        return _reply(error="The request's line or column is not a number.")
    files = request.get("projectFiles") or {}
    if not isinstance(files, dict):
        files = {}
    try:
        jedi, workspace, environment = _jedi_state(files)
    except ImportError:
        return _reply(error="Jedi is not installed")

    worker = bool(request.get("worker", False))
    given_path = str(request.get("path") or "main.py")
    if given_path.lower().endswith((".html", ".htm")) and is_page(code):
        # The editor shows the page itself: complete inside the script under the cursor.
        found = script_at(code, line, column)
        if found is None:
            return _reply()
        element, line, column = found
        code, worker = element.code, element.worker

    # Inline scripts arrive indented as they are in the page; Jedi reads them best as PyScript
    # runs them.
    source = SourceText(given_path, code, inline=True)
    position = source.position(line, column)
    if position is None:
        return _reply(error=f"Line {line} is outside the code (1 to {len(source.lines)}).")
    code = source.text
    line, column = position

    if not given_path.endswith((".py", ".pyi")):
        # An inline script: give Jedi a Python module's name next to the page.
        given_path = posixpath.join(posixpath.dirname(given_path.replace("\\", "/")), "inline_script.py")
    folder = os.path.dirname(given_path)
    if not files and os.path.isabs(given_path) and os.path.isdir(folder):
        project = _disk_project(jedi, folder)
        path = given_path
    else:
        relative = os.path.basename(given_path) if os.path.isabs(given_path) else given_path
        project = workspace.project
        path = workspace.path_of(relative) or os.path.join(workspace.root, "main.py")
    script = jedi.Script(code, path=path, project=project, environment=environment)

    completions: list[dict[str, Any]] = []
    for completion in script.complete(line, column):
        if worker and completion.name in _MAIN_THREAD_ONLY and (completion.module_name or "").startswith("pyscript"):
            continue
        completions.append(_completion_entry(completion, len(completions) < MAX_SIGNED_COMPLETIONS))
        if len(completions) >= MAX_COMPLETIONS:
            break
    signatures = [_signature_entry(signature) for signature in script.get_signatures(line, column)]
    return _reply(completions, signatures)


def complete(request_json: str) -> str:
    """Completions and call signatures at a position; see the module's docstring."""
    try:
        request = json.loads(request_json)
        if not isinstance(request, dict):
            raise ValueError("the request must be a JSON object")
    except (TypeError, ValueError) as error:
        return _reply(error=f"The completion request cannot be read: {error}.")
    try:
        with _lock:
            return _complete(request)
    except Exception as error:  # noqa: BLE001 - never raise into C++
        return _reply(error=f"Completion failed: {type(error).__name__}: {error}")


def warm_up() -> None:
    """Load Jedi and PyScript's stubs ahead of the first keystroke (the first completion
    otherwise takes most of a second). Safe to skip; never raises."""
    complete(json.dumps({"code": "from pyscript import web\nweb.page.", "line": 2, "column": 9}))
