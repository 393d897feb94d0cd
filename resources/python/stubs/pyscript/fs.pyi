"""Mount a folder of the user's computer into Python's file system (Chromium browsers only)."""

from typing import Any

mounted: dict[str, Any]
"""The mounted paths."""

async def mount(path: str, mode: str = "readwrite", root: str = "", id: str = "pyscript") -> None:
    """Ask the user for a folder and mount it at `path`, e.g. `await fs.mount("/local")`; call it
    from a click handler so the browser shows its dialog. `mode` is "readwrite" or "read"."""
    ...

async def sync(path: str) -> None:
    """Write the changes made under a mounted `path` to the user's folder."""
    ...

async def unmount(path: str) -> None:
    """Save and unmount `path`."""
    ...

async def revoke(path: str, id: str = "pyscript") -> bool:
    """Forget the permission for `path`; the user is asked again next time."""
    ...
