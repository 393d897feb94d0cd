def triple(n):
    return n * 3


__export__ = ["triple"]
