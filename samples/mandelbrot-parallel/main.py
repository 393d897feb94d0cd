# The page's UI, on a MicroPython main thread. It splits the image into one band of rows per
# worker, asks all the workers at once, and draws each tile as soon as it comes back.
import asyncio
from pyscript import workers, when, document, window

WIDTH, HEIGHT = 240, 180
WORKER_NAMES = ["tile-1", "tile-2", "tile-3", "tile-4"]

canvas = document.getElementById("image")
context = canvas.getContext("2d")
buttons = [document.getElementById("run-1"), document.getElementById("run-4")]
status = document.getElementById("status")
runs = {}  # workers -> {"checksum", "seconds"}, for the comparison


def bands(count):
    """Split HEIGHT rows into `count` bands of nearly equal height: [(first_row, rows), ...]."""
    edges = [HEIGHT * k // count for k in range(count + 1)]
    return [(edges[k], edges[k + 1] - edges[k]) for k in range(count)]


async def draw_tile(name, first_row, rows):
    # A coroutine around each call: MicroPython's asyncio.gather takes coroutines, not the
    # JavaScript promises that worker calls return.
    worker = await workers[name]
    tile = await worker.render(first_row, rows, WIDTH, HEIGHT)
    # tile["rgba"] is a JavaScript Array here: hand it to the canvas without a Python loop.
    pixels = window.Uint8ClampedArray.new(tile["rgba"])
    context.putImageData(window.ImageData.new(pixels, WIDTH, rows), 0, first_row)
    return [tile["rows"], tile["checksum"], tile["seconds"]]


def compare():
    if len(runs) < 2:
        return ""
    one, four = runs[1], runs[4]
    same = "Same checksum: the 4 tiles add up to the same image." if one["checksum"] == four["checksum"] \
        else "Different checksums: the tiles do not add up to the same image!"
    ratio = one["seconds"] / four["seconds"]
    cores = window.navigator.hardwareConcurrency
    if ratio >= 1.1:
        speed = f"4 workers were {ratio:.1f} times as fast as 1"
    elif ratio > 0.9:
        speed = "4 workers were about as fast as 1"
    else:
        speed = f"4 workers were {1 / ratio:.1f} times slower than 1"
    return f"{same} {speed} (this computer has {cores} cores)."


async def run(count):
    for button in buttons:
        button.disabled = True
    status.textContent = f"Drawing with {count} worker{'s' if count > 1 else ''}…"
    context.fillStyle = "#0b1430"
    context.fillRect(0, 0, WIDTH, HEIGHT)
    started = window.performance.now()
    tiles = await asyncio.gather(*[draw_tile(WORKER_NAMES[k], first, rows)
                                   for k, (first, rows) in enumerate(bands(count))])
    seconds = (window.performance.now() - started) / 1000
    rows = sum([tile[0] for tile in tiles])
    checksum = sum([tile[1] for tile in tiles])
    runs[count] = {"checksum": checksum, "seconds": seconds}
    label = f"{count} worker{'s' if count > 1 else ''}: {rows} rows, checksum {checksum}"
    per_tile = ", ".join([f"{tile[2]:.2f}" for tile in tiles])
    document.getElementById(f"result-{count}").textContent = \
        f"{label}, {seconds:.2f} s (time in each tile: {per_tile} s)"
    document.getElementById("verdict").textContent = compare()
    status.textContent = "Done. The middle tiles hold most of the set, so they take longest."
    print(label)
    for button in buttons:
        button.disabled = False


@when("click", "#run-1")
async def run_one(event):
    await run(1)


@when("click", "#run-4")
async def run_four(event):
    await run(4)


for name in WORKER_NAMES:
    await workers[name]
for button in buttons:
    button.disabled = False
status.textContent = "The 4 workers are ready."
