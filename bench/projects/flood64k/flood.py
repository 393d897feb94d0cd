def flood(count):
    line = "x" * 65536
    for i in range(count):
        print(line)
    return count

__export__ = ["flood"]
