"""Diagnostics and the report that collects them: what the checks hand back to Loom."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable


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


class Report:
    """Collects diagnostics once each: a file used by several scripts is checked several times."""

    def __init__(self) -> None:
        self._seen: set[Diagnostic] = set()

    def add(self, file: str, line: int, column: int, severity: str, code: str, message: str) -> None:
        self._seen.add(Diagnostic(file, max(1, int(line)), max(1, int(column)), severity, code, message))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._seen, key=lambda d: (d.file, d.line, d.column, d.code, d.message))


def quote_list(names: Iterable[str]) -> str:
    items = [f'"{name}"' for name in names]
    return ", ".join(items) if items else "none"


def closest(name: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
