SCALE = 10


def scaled_sum(values):
    items = list(values)  # a JavaScript array from the main thread, as a Python list
    total = 0
    for value in items:
        total += value * SCALE
    return total


def mean(values):
    count = len(values)
    return sum(values) / count


__export__ = ["scaled_sum", "mean"]
