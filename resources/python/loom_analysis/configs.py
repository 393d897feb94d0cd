"""PyScript configs: the keys and packages PyScript knows, where keys sit inside JSON and TOML
text, the types their values must have, and how package requirements are read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

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
MPY_BUILTIN_PACKAGES = frozenset({"ulab"})

Json = Any
# Where a config key (or the index-th element of its list) is written: (line, 1-based column).
Placer = Callable[[str | None, int | None], tuple[int, int]]


class JsonLayout:
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


class TomlLayout:
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
class Config:
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


def package_name(requirement: str) -> str:
    """"numpy==2.0" -> "numpy"; "Scikit_Learn" -> "scikit-learn"."""
    name = re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


def is_local_package(requirement: str) -> bool:
    return bool(re.match(r"^(\.{1,2}/|/|emfs://|file://)", requirement))


def is_remote_url(requirement: str) -> bool:
    """A URL, or mip's "github:org/repo" / "gitlab:org/repo" shorthand."""
    return bool(re.match(r"^([a-z][a-z0-9+.-]*://|github:|gitlab:)", requirement, re.IGNORECASE))


# A config value only known at run time (an expression in a create_named_worker config dict).
UNKNOWN = object()


def config_type_problems(data: dict[str, Json]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []

    def check(name: str, ok: bool, expected: str) -> None:
        if name in data and data[name] is not UNKNOWN and not ok:
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
