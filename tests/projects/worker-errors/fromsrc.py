# An mpy worker loaded from src.
def divide(a, b):
    return a / b


__export__ = ["divide"]
