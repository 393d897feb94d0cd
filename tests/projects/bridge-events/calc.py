import sys


def add(a, b):
    return a + b


def fail():
    raise ValueError("fails on purpose")


def noisy():
    print("worker prints")
    sys.stderr.write("worker writes to stderr\n")
    return "noisy"


__export__ = ["add", "fail", "noisy"]
