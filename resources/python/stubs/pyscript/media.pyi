"""Cameras and microphones: list them, and get their streams."""

from typing import Any

class Device:
    """A camera, microphone or speaker, from `await list_devices()`."""

    id: str
    """The device's id for this site."""
    group: str
    """Devices of the same physical unit share a group id."""
    kind: str
    """"videoinput", "audioinput" or "audiooutput"."""
    label: str
    """A readable name, e.g. "Built-in Microphone" (empty until the user gives permission)."""

    def __init__(self, device: Any) -> None: ...
    @classmethod
    async def request_stream(cls, audio: bool | dict[str, Any] = False, video: bool | dict[str, Any] = True) -> Any:
        """Ask the browser for a media stream (it may ask the user): assign the result to a video
        element's `srcObject`. `video` and `audio` are booleans or constraint dicts."""
        ...
    @classmethod
    async def load(cls, audio: bool = False, video: bool = True) -> Any:
        """Deprecated: use request_stream()."""
        ...
    async def get_stream(self) -> Any:
        """A stream from this very device."""
        ...

async def list_devices() -> list[Device]:
    """The cameras, microphones and speakers the browser lets this page see."""
    ...
