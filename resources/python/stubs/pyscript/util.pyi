"""Small helpers that work in both Pyodide and MicroPython."""

from typing import Any

def as_bytearray(buffer: Any) -> bytearray:
    """Copy a JavaScript ArrayBuffer into a Python bytearray."""
    ...

def is_awaitable(obj: Any) -> bool:
    """True for an async function, in either interpreter."""
    ...

class NotSupported:
    """Stands for something this thread does not have (e.g. `sync` on the main thread); using it
    raises an error that says why."""

    def __init__(self, name: str, error: str) -> None: ...
