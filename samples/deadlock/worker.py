# The worker. pyscript.sync holds what the main thread registered on this worker: calling one of
# those functions sends the call to the main thread and *blocks* this worker until the answer
# comes back (that is what SharedArrayBuffer and Atomics make possible). While it is blocked, the
# worker cannot run anything else, not even a call the main thread sends it.
from pyscript import sync

steps_done = 0  # how far the worker got, for progress()


def progress():
    """Answer the main thread's question "how far are you?"."""
    return f"{steps_done} step(s) done"


def greet_stuck():
    """The hang: ask the main thread for the name; its answer never comes (see main.py)."""
    global steps_done
    steps_done = 1
    name = sync.ask_name_stuck()  # blocks here for ever
    return f"Hello, {name}!"


def greet():
    """The fix is on the main side: ask_name answers at once, so this wait is short."""
    global steps_done
    steps_done = 1
    name = sync.ask_name()
    steps_done = 2
    return f"Hello, {name}! The worker asked the main thread for your name and got it at once."


__export__ = ["progress", "greet_stuck", "greet"]
