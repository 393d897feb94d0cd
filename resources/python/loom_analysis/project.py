"""The project's scripts and workers: what the page declares and what its code creates at run
time, so a worker's name and exports can be looked up from any script."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .facts import CreateCall, Facts
from .sources import Source


@dataclass
class Script:
    """One script of the page, as the request describes it."""

    index: int
    file: str
    tag_file: str
    tag_line: int
    inline: bool
    type: str  # "py" or "mpy"
    worker: bool
    name: str
    source: Source
    config: dict[str, Any] | None


@dataclass
class WorkerSource:
    """Code that runs as a worker with a name: a declared worker script, or the src of a
    create_named_worker call."""

    name: str
    facts: "Facts | None"
    parsed: bool
    where: str  # "index.html line 12", "worker.py"
    file: str


class Registry:
    """The project's workers: declared in the page, or created at run time."""

    def __init__(self) -> None:
        self.declared: dict[str, list[Script]] = {}
        self.sources: dict[str, list[WorkerSource]] = {}
        self.created: list[CreateCall] = []

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

    def exports(self, name: str) -> tuple[set[str], list[WorkerSource]] | None:
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
