"""PyScript's Python API (PyScript 0.7): the page, events, workers and the browser, from Python.

Import what you need from here, for example:
`from pyscript import workers, when, document, display`.
`workers` and `create_named_worker` exist on the main thread only; `sync` in workers only.
"""

from typing import Any, Awaitable, Generator, TypeVar

from pyscript import context as context
from pyscript import events as events
from pyscript import ffi as ffi
from pyscript import fs as fs
from pyscript import media as media
from pyscript import util as util
from pyscript import web as web
from pyscript import websocket as websocket
from pyscript.context import (
    RUNNING_IN_WORKER as RUNNING_IN_WORKER,
    PyWorker as PyWorker,
    config as config,
    current_target as current_target,
    document as document,
    js_import as js_import,
    js_modules as js_modules,
    sync as sync,
    window as window,
)
from pyscript.events import Event as Event, when as when
from pyscript.websocket import WebSocket as WebSocket

def py_import(*names: str) -> Awaitable[list[Any]]:
    """Import Python packages on demand (Pyodide installs them first), e.g.
    `numpy, = await py_import("numpy")`. Installing needs the network."""
    ...

# pyscript.workers, pyscript.display, pyscript.fetch and pyscript.storage are written here, not
# as submodules: their main names are the same as the modules', and completion must offer the
# names (a `workers` object, a `display` function), not the modules.

class _ReadOnlyWorkersProxy:
    """The page's named workers. `await workers["name"]` waits until that worker is ready and
    gives an object whose attributes are the worker's exported functions (its __export__):
    `w = await workers["primes"]`, then `await w.find_primes(1000)`. It is not a dict: you
    cannot list the names."""

    def __getitem__(self, name: str) -> Awaitable[Any]:
        """Wait for the worker called `name` (its <script worker name="..."> or
        create_named_worker's name) and return it once ready."""
        ...
    def __getattr__(self, name: str) -> Awaitable[Any]:
        """`await workers.name` is `await workers["name"]`, for names that are identifiers."""
        ...

workers: _ReadOnlyWorkersProxy
"""The page's named workers (main thread only): `worker = await workers["name"]`, then
`await worker.exported_function(...)`. Arguments and results must be plain data: numbers,
strings, booleans, None, lists and dicts."""

def create_named_worker(src: str, name: str, config: dict[str, Any] | str | None = None, type: str = "py") -> Awaitable[Any]:
    """Start a worker from the Python file `src` under a new `name`, and wait until it is ready:
    `worker = await create_named_worker("./tasks.py", "tasks")`.

    `config` is a dict (or JSON text) like a script's config; `type` is "py" (Pyodide, the
    default) or "mpy" (MicroPython). The file must define __export__. Calling it twice with the
    same name starts a second worker; `workers[name]` keeps answering with the first."""
    ...


class HTML:
    """Text that `display()` inserts as HTML instead of escaping it:
    `display(HTML("<b>bold</b>"))`."""

    def __init__(self, html: str) -> None: ...

def display(*values: Any, target: str | None = None, append: bool = True) -> None:
    """Show values in the page: text is escaped, `HTML(...)` is inserted as HTML, and objects
    with `_repr_html_`, `_repr_png_`... (or matplotlib figures) are rendered.

    `target` is an element id ("out" or "#out"); by default the current <script>'s output area
    (required in a worker). `append=False` replaces what the target shows."""
    ...


class _FetchResponse:
    """A fetch response: `ok`, `status`, `statusText`, `headers`, and the body as Python values."""

    ok: bool
    """True for a status from 200 to 299."""
    status: int
    """The HTTP status code, e.g. 200 or 404."""
    statusText: str
    headers: Any
    url: str

    async def arrayBuffer(self) -> Any:
        """The body as bytes (Pyodide) or a memoryview (MicroPython)."""
        ...
    async def blob(self) -> Any:
        """The body as a JavaScript Blob."""
        ...
    async def bytearray(self) -> bytearray:
        """The body as a bytearray."""
        ...
    async def json(self) -> Any:
        """The body parsed as JSON into dicts, lists, strings and numbers."""
        ...
    async def text(self) -> str:
        """The body as text."""
        ...

class _FetchPromise(Awaitable[_FetchResponse]):
    """What fetch() returns: await it for the response, or chain `await fetch(url).json()`."""

    def __await__(self) -> Generator[Any, None, _FetchResponse]: ...
    async def arrayBuffer(self) -> Any: ...
    async def blob(self) -> Any: ...
    async def bytearray(self) -> bytearray: ...
    async def json(self) -> Any:
        """The body parsed as JSON: `data = await fetch(url).json()`."""
        ...
    async def text(self) -> str:
        """The body as text: `text = await fetch(url).text()`."""
        ...

def fetch(url: str, **options: Any) -> _FetchPromise:
    """Fetch a URL: `response = await fetch(url)`, or `data = await fetch(url).json()`.

    Options are those of JavaScript's fetch: method="POST", headers={...}, body=... .
    Another site must allow it (CORS); offline, only the project's own files answer."""
    ...


_S = TypeVar("_S", bound="Storage")

class Storage(dict[str, Any]):
    """A dict whose changes are saved in the browser. Values: bool, int, float, str, None,
    lists, dicts and tuples (read back as lists), or bytearray/memoryview on their own."""

    def __init__(self, store: Any) -> None: ...
    def clear(self) -> None:
        """Remove every item (saved in the background)."""
        ...
    async def sync(self) -> None:
        """Wait until every change so far is written."""
        ...

async def storage(name: str = "", storage_class: type[_S] = ...) -> _S:
    """Open (or create) the storage called `name`: `prefs = await storage("prefs")`, then use it
    like a dict. `storage_class` may be a subclass of Storage."""
    ...
