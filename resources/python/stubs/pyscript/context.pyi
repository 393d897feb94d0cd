"""Where the code runs (main thread or worker), its config, and the page's window and document."""

from typing import Any, Awaitable

class JsProxy:
    """A JavaScript object seen from Python: its properties and methods are attributes. Call a
    JavaScript class with `.new(...)`, e.g. `js.Date.new()`."""

    def __getattr__(self, name: str) -> Any: ...
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    def new(self, *args: Any) -> Any:
        """Call the JavaScript constructor: `window.Uint8Array.new(8)` is `new Uint8Array(8)`."""
        ...
    def to_py(self) -> Any:
        """(Pyodide) Convert to Python: arrays to lists, objects to dicts."""
        ...

class JsElement(JsProxy):
    """A DOM element (JavaScript): attributes are its properties and methods."""

    id: str
    textContent: str
    innerHTML: str
    innerText: str
    value: Any
    disabled: bool
    checked: bool
    hidden: bool
    className: str
    classList: Any
    style: Any
    dataset: Any
    children: Any
    parentElement: Any

    def addEventListener(self, type: str, listener: Any, options: Any = ...) -> None:
        """Call a function (wrapped with create_proxy) on an event; `@when` is simpler."""
        ...
    def removeEventListener(self, type: str, listener: Any, options: Any = ...) -> None: ...
    def append(self, *nodes: Any) -> None: ...
    def appendChild(self, node: Any) -> Any: ...
    def remove(self) -> None: ...
    def querySelector(self, selector: str) -> Any: ...
    def querySelectorAll(self, selector: str) -> Any: ...
    def getAttribute(self, name: str) -> str | None: ...
    def setAttribute(self, name: str, value: str) -> None: ...
    def removeAttribute(self, name: str) -> None: ...
    def focus(self) -> None: ...
    def click(self) -> None: ...
    def scrollIntoView(self, options: Any = ...) -> None: ...

class JsDocument(JsProxy):
    """The page's document (JavaScript)."""

    body: JsElement
    head: JsElement
    documentElement: JsElement
    title: str

    def getElementById(self, id: str) -> JsElement:
        """The element with this id (None/null when there is none)."""
        ...
    def querySelector(self, selector: str) -> JsElement:
        """The first element a CSS selector matches."""
        ...
    def querySelectorAll(self, selector: str) -> Any:
        """Every element a CSS selector matches (a NodeList: iterate it, or use .length)."""
        ...
    def createElement(self, tag: str) -> JsElement:
        """A new element, e.g. createElement("li"); add it with append()."""
        ...
    def createTextNode(self, text: str) -> Any: ...
    def addEventListener(self, type: str, listener: Any, options: Any = ...) -> None: ...

class JsConsole(JsProxy):
    """The browser's console (the Console dock in Loom)."""

    def log(self, *values: Any) -> None: ...
    def info(self, *values: Any) -> None: ...
    def warn(self, *values: Any) -> None: ...
    def error(self, *values: Any) -> None: ...
    def debug(self, *values: Any) -> None: ...
    def table(self, data: Any) -> None: ...

class JsWindow(JsProxy):
    """The browser window (JavaScript's globalThis)."""

    document: JsDocument
    console: JsConsole
    """console.log(...), console.warn(...), console.error(...)."""
    performance: Any
    """performance.now(): milliseconds since the page started loading."""
    navigator: Any
    location: Any
    localStorage: Any
    crossOriginIsolated: bool
    """True when the page is cross-origin isolated (workers can use SharedArrayBuffer)."""

    def alert(self, message: str = ...) -> None: ...
    def setTimeout(self, callback: Any, milliseconds: float = 0, *args: Any) -> int:
        """Call a function (wrapped with create_proxy) after a delay; returns a timer id."""
        ...
    def clearTimeout(self, timer: int) -> None: ...
    def setInterval(self, callback: Any, milliseconds: float = 0, *args: Any) -> int:
        """Call a function (wrapped with create_proxy) every `milliseconds`; returns a timer id."""
        ...
    def clearInterval(self, timer: int) -> None: ...
    def requestAnimationFrame(self, callback: Any) -> int: ...
    def fetch(self, url: str, options: Any = ...) -> Any:
        """JavaScript's fetch (a promise); pyscript.fetch gives Python values instead."""
        ...


RUNNING_IN_WORKER: bool
"""True in a worker, False on the page's main thread."""

config: dict[str, Any]
"""This script's PyScript config as a dict (packages, files, js_modules...), plus "type":
"py" for Pyodide or "mpy" for MicroPython."""

window: JsWindow
"""The browser's `window` (JavaScript's globalThis). In a worker it is a proxy of the main
thread's window, which needs cross-origin isolation (SharedArrayBuffer)."""

document: JsDocument
"""The page's `document`, e.g. `document.getElementById("out").textContent = "hi"`. In a worker
it is a proxy of the main thread's document (needs SharedArrayBuffer)."""

js_modules: JsProxy
"""The JavaScript modules listed in the config's "js_modules", by name:
`from pyscript.js_modules import leaflet`."""

sync: Any
"""In a worker: the functions the main thread registered on this worker, called synchronously
(the worker blocks until the answer comes); assigning `sync.name = function` also exports a
function. Not available on the main thread."""

def js_import(*urls: str) -> Awaitable[list[Any]]:
    """Import JavaScript modules by URL, e.g. `lodash, = await js_import("https://esm.run/lodash")`."""
    ...

def current_target() -> str:
    """The id of the element where `display()` writes by default: the current <script>'s
    output area (or its `target` attribute)."""
    ...

class PyWorker:
    """Start a worker running the Python file at `url` (main thread only). Prefer a
    `<script type="py" worker name="...">` tag or `create_named_worker()`.

    `PyWorker("./worker.py", type="micropython")`; `type` is "micropython" or "pyodide",
    and `config` may be given too. The worker's `.sync` holds the functions it exports."""

    sync: Any
    """The worker's exported functions (and where to put functions the worker may call)."""

    def __init__(self, url: str, *, type: str = ..., config: Any = ..., **options: Any) -> None: ...
    def terminate(self) -> None:
        """Stop the worker at once."""
        ...
