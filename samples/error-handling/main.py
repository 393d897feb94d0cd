# The page's UI, on a MicroPython main thread. Every worker call is awaited inside try/except:
# a failed call raises here, in the caller, and the page explains it in plain words.
import asyncio
from pyscript import workers, when, document

NUMBERS = [2, 4, 9]
WAIT_SECONDS = 3  # a result that cannot be sent back never arrives: stop waiting after this

buttons = document.querySelectorAll("#controls button")
status = document.getElementById("status")
output = document.getElementById("output")
numbers = None  # the worker, once ready


def show(text):
    output.textContent = text
    print(text)


def enable(on):
    for button in buttons:
        button.disabled = not on


def last_line(error):
    """The last line of a worker's traceback, e.g. "ValueError: cannot average an empty list"."""
    # A worker's exception arrives as a JsException; its last argument is the error's message,
    # which holds the worker's whole traceback as text (the Python exception type is lost).
    text = str(error.args[-1] if error.args else error)
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    return lines[-1] if lines else text


def where(error):
    """The innermost "line N, in function" of a worker's traceback."""
    text = str(error.args[-1] if error.args else error)
    frames = [line.strip() for line in text.split("\n") if line.strip().startswith("File ")]
    if not frames:
        return "an unknown place"
    parts = frames[-1].split(", ")  # File "<exec>", line 17, in _summarise
    return f"{parts[2][3:]}(), {parts[1]} of worker.py" if len(parts) == 3 else frames[-1]


async def within(seconds, call, *args):
    """Await a worker call, but raise asyncio.TimeoutError after `seconds` instead of for ever."""
    async def ask():  # wait_for needs a coroutine: a worker call returns a JavaScript promise
        return await call(*args)

    async def wait():  # and it must run in a task, not in the event handler: gather() makes one
        return await asyncio.wait_for(ask(), seconds)

    return (await asyncio.gather(wait()))[0]


async def attempt(label, action):
    """Run one demonstration with the buttons off, so clicks cannot overlap."""
    enable(False)
    status.textContent = f"{label}…"
    try:
        await action()
    finally:
        enable(True)
        status.textContent = "Done. Try another button."


@when("click", "#right")
async def right(event):
    async def action():
        mean = await within(WAIT_SECONDS, numbers.average, NUMBERS)
        show(f"Right: the average of {NUMBERS} is {mean}.")
    await attempt("Asking for an average", action)


@when("click", "#raise")
async def raise_in_worker(event):
    async def action():
        try:
            mean = await within(WAIT_SECONDS, numbers.average, [])
            show(f"Unexpected: the average of nothing is {mean}.")
        except Exception as error:
            show(f"(a) The worker raised {last_line(error)}, in {where(error)}. "
                 "The exception came back to this await, so the page caught it.")
    await attempt("Asking for the average of an empty list", action)


@when("click", "#unsendable")
async def unsendable(event):
    async def action():
        try:
            result = await within(WAIT_SECONDS, numbers.summary_object, NUMBERS)
            show(f"Unexpected: a Summary arrived: {result}.")
        except asyncio.TimeoutError:
            show(f"(b) No answer after {WAIT_SECONDS} s. summary_object() returned a Python object "
                 "(a dataclass), which cannot be copied to the main thread: the worker logged a "
                 "DataCloneError and this await would have waited for ever. Only numbers, strings, "
                 "booleans, lists and dicts cross. Try \"Return a dict\".")
    await attempt("Asking for a Summary object", action)


@when("click", "#fixed")
async def fixed(event):
    async def action():
        result = await within(WAIT_SECONDS, numbers.summary, NUMBERS)
        # A dict from a Pyodide worker is a JavaScript object in MicroPython: read it by key.
        show(f"(b) fixed: summary() returned a dict: {result['count']} numbers, "
             f"from {result['smallest']} to {result['largest']}, mean {result['mean']}.")
    await attempt("Asking for a summary as a dict", action)


@when("click", "#missing")
async def missing(event):
    async def action():
        try:
            middle = await within(WAIT_SECONDS, numbers.median, NUMBERS)
            show(f"Unexpected: the median is {middle}.")
        except Exception as error:
            show(f"(c) median() is defined in worker.py but not listed in its __export__, so the "
                 "worker has nothing by that name: the call was refused before any Python ran "
                 f"there. The browser said: {last_line(error)}")
    await attempt("Calling median()", action)


status.textContent = "Starting the Pyodide worker (a few seconds)…"
numbers = await workers["numbers"]
enable(True)
status.textContent = "The worker is ready. Try each button."
