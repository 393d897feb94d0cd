def square(n):
    # a breakpoint here moves to the next line with code
    result = n * n
    check = twice(result)
    return result if check == 2 * result else -1


def twice(n):
    return n + n


__export__ = ["square"]
