import asyncio
from pyscript import workers, document


def label(name, value):
    return "%s: %d" % (name, value)


async def ask(name, n):
    worker = await workers[name]
    value = await worker.square(n)
    text = label(name, value)
    document.getElementById(name).textContent = text


await asyncio.gather(ask("left", 3), ask("right", 4))
