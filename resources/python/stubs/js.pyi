"""JavaScript's global scope (globalThis) seen from Python: `import js; js.console.log("hi")`.

In a worker it is the worker's own scope (no `document`); use `pyscript.window` and
`pyscript.document` to reach the page from a worker.
"""

from typing import Any

from pyscript.context import JsConsole, JsDocument, JsProxy, JsWindow

document: JsDocument
"""The page's document (main thread only; in a worker use pyscript.document)."""
window: JsWindow
"""The window (main thread only; in a worker use pyscript.window)."""
console: JsConsole
"""The browser console: console.log(...), console.warn(...), console.error(...)."""
JSON: Any
"""JSON.parse(text) and JSON.stringify(value)."""
Object: Any
"""JavaScript's Object: Object.new(), Object.keys(obj), Object.fromEntries(pairs)..."""
Array: Any
"""JavaScript's Array: Array.new(), Array.from_(iterable)..."""
Promise: Any
Math: Any
Date: Any
Reflect: Any
Symbol: Any
Error: Any
Uint8Array: Any
Uint8ClampedArray: Any
Float64Array: Any
ArrayBuffer: Any
ImageData: Any
Blob: Any
URL: Any
WebSocket: Any
performance: Any
"""performance.now(): milliseconds since the page started loading."""
navigator: Any
location: Any
localStorage: Any
sessionStorage: Any
crossOriginIsolated: bool
"""True when the page is cross-origin isolated (workers can use SharedArrayBuffer)."""

def fetch(url: str, options: Any = None) -> Any:
    """JavaScript's fetch (a promise); pyscript.fetch gives Python values instead."""
    ...

def setTimeout(callback: Any, milliseconds: float = 0, *args: Any) -> int:
    """Call a function (wrapped with create_proxy) after a delay; returns a timer id."""
    ...

def clearTimeout(timer: int) -> None: ...
def setInterval(callback: Any, milliseconds: float = 0, *args: Any) -> int:
    """Call a function (wrapped with create_proxy) every `milliseconds`; returns a timer id."""
    ...

def clearInterval(timer: int) -> None: ...
def __getattr__(name: str) -> Any: ...
