"""Passing values between Python and JavaScript, the same way in Pyodide and MicroPython."""

from typing import Any, Callable

def create_proxy(func: Callable[..., Any]) -> Any:
    """Wrap a Python function so JavaScript can keep calling it, e.g. as an event listener:
    `element.addEventListener("click", create_proxy(handler))`. Without it the function may be
    freed after the call that passed it."""
    ...

def to_js(value: Any, **kw: Any) -> Any:
    """Convert a Python value to JavaScript: dicts become plain JavaScript objects (not Maps),
    lists become Arrays. Use it for options objects handed to browser APIs."""
    ...

def is_none(value: Any) -> bool:
    """True for Python None and for JavaScript null."""
    ...

def assign(source: Any, *args: Any) -> Any:
    """Copy the keys of each dict in `args` onto the JavaScript object `source` (like
    Object.assign) and return it."""
    ...

def direct(source: Any) -> Any:
    """In a worker: mark a value to be passed to the main thread by reference, not copied."""
    ...

def gather(source: Any, *names: str) -> list[Any]:
    """In a worker: read several attributes of a main-thread object in one round trip."""
    ...

def query(source: Any, path: str) -> Any:
    """In a worker: read a nested attribute path ("a.b[0].c") of a main-thread object in one round trip."""
    ...
