# A small statistics worker (Pyodide). Each exported function shows one way a call can end.
from dataclasses import dataclass, asdict


@dataclass
class Summary:
    count: int
    mean: float
    smallest: float
    largest: float


def _summarise(values):
    if not values:
        # (a) An exception in an exported function travels back to the caller with its
        # traceback: Loom shows it on the failed call, at this file and line.
        raise ValueError("cannot average an empty list")
    values = [float(v) for v in values]
    return Summary(len(values), sum(values) / len(values), min(values), max(values))


def average(values):
    """The right way: plain numbers in, a plain number out."""
    return _summarise(values).mean


def summary_object(values):
    """(b) Returns a Summary object: it cannot be copied to the main thread, so no answer comes."""
    return _summarise(values)


def summary(values):
    """(b) fixed: the same data as a dict of numbers, which crosses fine."""
    return asdict(_summarise(values))


def median(values):
    """(c) Defined here, but not in __export__ below: the main thread cannot call it."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


__export__ = ["average", "summary_object", "summary"]
