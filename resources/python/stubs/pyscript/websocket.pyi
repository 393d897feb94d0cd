"""WebSocket connections from Python."""

from typing import Any, Callable

class WebSocketEvent:
    """An event from a WebSocket; `event.data` is a str, or a memoryview for binary messages."""

    data: Any
    type: str

class WebSocket:
    """A WebSocket connection: `ws = WebSocket(url="wss://...", onmessage=handler)`.
    Handlers (onopen, onmessage, onclose, onerror) receive a WebSocketEvent and may be async."""

    CONNECTING: int
    OPEN: int
    CLOSING: int
    CLOSED: int
    readyState: int
    """CONNECTING, OPEN, CLOSING or CLOSED."""
    url: str
    bufferedAmount: int
    onopen: Callable[[WebSocketEvent], Any]
    onmessage: Callable[[WebSocketEvent], Any]
    onclose: Callable[[WebSocketEvent], Any]
    onerror: Callable[[WebSocketEvent], Any]

    def __init__(self, url: str, protocols: str | list[str] | None = None, **handlers: Callable[..., Any]) -> None: ...
    def send(self, data: str | bytes | bytearray | memoryview) -> None:
        """Send text or bytes; the connection must be OPEN."""
        ...
    def close(self, code: int | None = None, reason: str | None = None) -> None:
        """Close the connection, optionally with a code (e.g. 1000) and a reason."""
        ...
