import asyncio
from pyscript import workers, document


async def ask(name, n):
    worker = await workers[name]
    value = await worker.square(n)
    document.getElementById(name).textContent = "%s: %d" % (name, value)


await asyncio.gather(ask("left", 3), ask("right", 4))
