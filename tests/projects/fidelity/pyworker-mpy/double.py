def double(n):
    print(f"doubling {n}")
    return n * 2

__export__ = ["double"]
