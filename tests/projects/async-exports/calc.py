import asyncio


def add(a, b):
    return a + b


async def later(n):
    # Ends n ms after it starts.
    await asyncio.sleep(n / 1000)
    return n * 10


__export__ = ["add", "later"]
