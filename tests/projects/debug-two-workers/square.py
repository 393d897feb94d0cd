def square(n):
    # a breakpoint here moves to the next line with code
    result = n * n
    return result


__export__ = ["square"]
