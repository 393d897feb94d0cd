import time


def add(a, b):
    return a + b


def spin(ms):
    end = time.ticks_add(time.ticks_ms(), ms)
    while time.ticks_diff(end, time.ticks_ms()) > 0:
        pass
    return ms


__export__ = ["add", "spin"]
