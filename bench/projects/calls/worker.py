# The smallest useful export: the call itself is what is measured.
def add(a, b):
    return a + b


__export__ = ["add"]
