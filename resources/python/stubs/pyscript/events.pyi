"""Run Python functions when DOM events happen, and custom events of your own."""

from typing import Any, Callable, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

class Event:
    """A custom event: `ready = Event()`, then `ready.add_listener(function)` or `@when(ready)`,
    and `ready.trigger(value)` calls every listener with the value."""

    def __init__(self) -> None: ...
    def trigger(self, result: Any) -> None:
        """Call every listener with `result` (async listeners run as tasks)."""
        ...
    def add_listener(self, listener: Callable[..., Any]) -> None:
        """Call `listener` (a function or async function) each time the event is triggered."""
        ...
    def remove_listener(self, *listeners: Callable[..., Any]) -> None:
        """Stop calling these listeners; with none given, remove them all."""
        ...

def when(event_type: str | Event | list[Event], selector: Any = None, **options: Any) -> Callable[[_F], _F]:
    """Decorator: call the function when an event happens.

    `@when("click", "#button")` for a DOM event on the elements a CSS selector (or an Element)
    finds; `@when(my_event)` for a custom `Event`. The function may be async and may take the
    event as its one argument. Options: capture, once, passive, signal."""
    ...
