import time


def add(a, b):
    return a + b


def slow(ms):
    # Busy, not sleeping: the worker's event loop cannot run while this does.
    end = time.ticks_add(time.ticks_ms(), ms)
    while time.ticks_diff(end, time.ticks_ms()) > 0:
        pass
    return "slow done"


__export__ = ["add", "slow"]
