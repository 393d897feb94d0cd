"""What a PyScript script is, and where its code sits in a file: one definition for the checks
(loom_analysis) and the completion (loom_complete), so both read a page the same way.

- Which elements hold PyScript code: `<script type="py">` and `<script type="mpy">`,
  `<py-script>` and `<mpy-script>` (PyScript 0.7.31 core.js: `script[type="${TYPE}"]` and
  `${TYPE}-script` for each type of types.js), and `<script type="pyodide">` /
  `<script type="micropython">`, the interpreters' own names, which polyscript (inside PyScript)
  runs too and create_named_worker(type=...) writes into the type attribute as given.
- How their code is read: a `<script>`'s text is raw; a custom element's text is HTML, so its
  entities are decoded (core.js fetchSource: `dedent(unescape(tag.innerHTML))`). Both are
  dedented by PyScript's codedent.
- How positions map between the code PyScript runs and the file it is written in: lines are
  1-based, columns count characters (code points), as in the editor.

Standard library only, so the module works in any CPython Loom embeds.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "SCRIPT_TYPES",
    "SCRIPT_ELEMENTS",
    "script_type",
    "codedent",
    "normalize_newlines",
    "SourceText",
    "PageScript",
    "is_page",
    "page_scripts",
    "script_at",
]

# pyscript_scripts.json, beside this file, is the one definition (the C++ page scan reads it too):
# the type attribute values of a <script> that runs Python and the custom elements that hold
# Python (deprecated by PyScript for <script type>, still run), each to the interpreter it means.
with open(Path(__file__).with_name("pyscript_scripts.json"), encoding="utf-8") as _definition:
    _SCRIPTS = json.load(_definition)
SCRIPT_TYPES: dict[str, str] = dict(_SCRIPTS["types"])
SCRIPT_ELEMENTS: dict[str, str] = dict(_SCRIPTS["elements"])

# An element that may hold a script: its tag, attributes (quoted values may hold ">") and text.
# Comments come first so that a commented-out script is skipped whole, as the browser does.
_ELEMENT = re.compile(
    r"<!--.*?-->|<(script|" + "|".join(map(re.escape, SCRIPT_ELEMENTS)) + r")(?=[\s/>])"
    r"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(.*?)</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
# One attribute of a start tag (HTML's syntax: a value may be unquoted, or absent).
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def script_type(kind: str | None) -> str | None:
    """"py" or "mpy" for a type attribute (or create_named_worker's `type`) naming an interpreter
    PyScript runs; None for anything else."""
    if kind is None:
        return None
    return SCRIPT_TYPES.get(kind.strip().lower())


def codedent(text: str) -> tuple[str, list[int]]:
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


def normalize_newlines(text: str) -> str:
    """One line end everywhere: lines then count the same here, in Python and in the editor
    (Scintilla ends a line at a lone CR too)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class SourceText:
    """A piece of Python code as PyScript runs it (inline code dedented), and where its
    characters are in a project file."""

    def __init__(self, file: str, code: str, first_line: int = 1, first_column: int = 0, inline: bool = False) -> None:
        self.file = file
        normalized = normalize_newlines(code)
        if inline:
            self.text, self.removed = codedent(normalized)
        else:
            self.text, self.removed = normalized, [0] * (normalized.count("\n") + 1)
        self.lines = self.text.split("\n")
        # Where the code's first character is in the file: 1-based line, 0-based column.
        self.first_line = max(1, first_line)
        self.first_column = max(0, first_column)

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

    def position(self, line: int, column: int) -> tuple[int, int] | None:
        """The other way, for a cursor: the code's line and 0-based column for a line and 0-based
        column of the file, kept inside that line; None when the line is not the code's."""
        lineno = line - self.first_line + 1
        if not 1 <= lineno <= len(self.lines):
            return None
        if lineno == 1:
            column -= self.first_column
        column -= self.removed[lineno - 1]
        return lineno, max(0, min(column, len(self.lines[lineno - 1])))


@dataclass
class PageScript:
    """A PyScript element of a page and where its text is in the page."""

    tag: str  # "script", "py-script" or "mpy-script", lower case
    type: str  # "py" or "mpy"
    attributes: dict[str, str]
    text: str  # as written between the tags
    start: int  # offset of the text in the page
    first_line: int  # where the text starts: 1-based line, 0-based column
    first_column: int

    @property
    def worker(self) -> bool:
        return "worker" in self.attributes

    @property
    def name(self) -> str:
        return self.attributes.get("name", "")

    @property
    def src(self) -> str:
        return self.attributes.get("src", "")

    @property
    def code(self) -> str:
        """The text PyScript runs, before its dedent."""
        return self.text if self.tag == "script" else html.unescape(self.text)

    def cursor(self, offset: int) -> tuple[int, int]:
        """The 1-based line and 0-based column in `code` of an offset of the page inside the text."""
        before = self.text[: max(0, offset - self.start)]
        if self.tag != "script":
            before = html.unescape(before)
        return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1)


def _attributes(text: str) -> dict[str, str]:
    """A start tag's attributes, names in lower case; the first of a repeated name counts (HTML)."""
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attributes.setdefault(match.group(1).lower(), html.unescape(value))
    return attributes


def _page_type(tag: str, attributes: dict[str, str]) -> str | None:
    if tag == "script":
        return script_type(attributes.get("type"))
    return SCRIPT_ELEMENTS.get(tag)


def is_page(text: str) -> bool:
    """Whether text holds script elements (of any type): the editor sends a page's whole text,
    while an inline script's own code has none."""
    return any(match.group(1) for match in _ELEMENT.finditer(text))


def page_scripts(page: str) -> list[PageScript]:
    """The page's PyScript elements in document order, with offsets into `page` as given (pass
    normalize_newlines(page) to count lines as the editor does)."""
    scripts: list[PageScript] = []
    for match in _ELEMENT.finditer(page):
        if not match.group(1):
            continue  # a comment
        tag = match.group(1).lower()
        attributes = _attributes(match.group(2))
        kind = _page_type(tag, attributes)
        if kind is None:
            continue
        start = match.start(3)
        before = page[:start]
        scripts.append(
            PageScript(
                tag=tag,
                type=kind,
                attributes=attributes,
                text=match.group(3),
                start=start,
                first_line=before.count("\n") + 1,
                first_column=start - (before.rfind("\n") + 1),
            )
        )
    return scripts


def script_at(page: str, line: int, column: int) -> tuple[PageScript, int, int] | None:
    """The PyScript element under a cursor of a page (1-based line, 0-based column), with the
    cursor's line and column in its code; None outside such an element."""
    page = normalize_newlines(page)
    lines = page.split("\n")
    if not 1 <= line <= len(lines):
        return None
    offset = sum(len(text) + 1 for text in lines[: line - 1]) + min(max(0, column), len(lines[line - 1]))
    for script in page_scripts(page):
        if script.start <= offset <= script.start + len(script.text):
            inner_line, inner_column = script.cursor(offset)
            return script, inner_line, inner_column
    return None
