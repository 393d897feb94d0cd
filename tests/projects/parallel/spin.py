import time


def spin(ms, tag):
    # Busy for `ms` milliseconds, then answer with the tag: work that cannot yield.
    end = time.ticks_add(time.ticks_ms(), ms)
    while time.ticks_diff(end, time.ticks_ms()) > 0:
        pass
    return tag


__export__ = ["spin"]
