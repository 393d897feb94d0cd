def add(a, b):
    return a + b


__export__ = ["add"]
