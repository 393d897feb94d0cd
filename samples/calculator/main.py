# The page's UI, on a MicroPython main thread: it starts at once, while the calculator worker
# downloads NumPy. Both buttons stay off until the worker is ready.
import asyncio
import js
from pyscript import workers, when, document

WAIT_SECONDS = 5  # a result that cannot be sent back never arrives: stop waiting after this

buttons = document.querySelectorAll("#controls button")
status = document.getElementById("status")
output = document.getElementById("output")
calculator = None  # the worker, once ready


def show(text):
    output.textContent = text
    print(text)


def enable(on):
    for button in buttons:
        button.disabled = not on


def error_line(error):
    """The line that names the error in a worker's traceback, e.g. "ValueError: ..."."""
    text = str(error.args[-1] if error.args else error)
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    named = [line for line in lines if "Error" in line.split(":")[0]]
    return (named or lines or [text])[-1]


def numbers(selector):
    """The numbers typed in an input, e.g. "1, 2, 3" -> [1, 2, 3]."""
    text = document.querySelector(selector).value
    return [float(part) if "." in part else int(part) for part in text.replace(",", " ").split()]


async def within(seconds, call, *args):
    """Await a worker call, but raise asyncio.TimeoutError after `seconds` instead of for ever."""
    async def ask():  # wait_for needs a coroutine: a worker call returns a JavaScript promise
        return await call(*args)

    async def wait():  # and it must run in a task, not in the event handler: gather() makes one
        return await asyncio.wait_for(ask(), seconds)

    return (await asyncio.gather(wait()))[0]


async def calculate(function):
    try:
        a, b = numbers("#a"), numbers("#b")
    except ValueError:
        show("Type numbers separated by commas, e.g. 1, 2, 3.")
        return None
    enable(False)
    try:
        return a, b, await within(WAIT_SECONDS, function, a, b)
    finally:
        enable(True)


@when("click", "#add")
async def add(event):
    try:
        answer = await calculate(calculator.add_arrays)
    except Exception as error:  # e.g. arrays of different lengths: numpy raises in the worker
        show(f"The worker raised {error_line(error)}")
        return
    if answer:
        a, b, total = answer
        # .tolist() made a Python list in the worker; it arrives as a JavaScript array: list() it.
        show(f"{a} + {b} = {list(total)}")


@when("click", "#add-raw")
async def add_raw(event):
    try:
        answer = await calculate(calculator.add_arrays_raw)
    except asyncio.TimeoutError:
        show(f"The numpy array, which is not a list, never arrived: no answer after {WAIT_SECONDS} s "
             "(the worker could not send it). Return array.tolist() instead.")
        return
    except Exception as error:
        show(f"The worker raised {error_line(error)}")
        return
    if answer:
        a, b, total = answer
        # Pyodide turns an array into a JavaScript typed array (Int32Array, BigInt64Array,
        # Float64Array...), not a list: it prints as <JsProxy>, and 64-bit integers come as BigInts.
        kind = str(js.Object.prototype.toString.call(total))[8:-1]
        show(f"The numpy array, which is not a list, arrived as a JavaScript {kind}: "
             f"Python prints it as {total}; as text it reads {js.String(total)}. "
             "Return array.tolist() to get a plain list.")


try:
    calculator = await workers["calculator"]
    enable(True)
    status.textContent = "NumPy is ready in the worker."
except Exception as error:
    # Offline, the worker cannot download numpy, so it never becomes ready.
    status.textContent = ("The calculator worker could not start: it downloads NumPy when it "
                          "starts, and this page is offline.")
    print("calculator failed:", error_line(error))
