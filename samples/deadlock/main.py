# The page's UI, on a MicroPython main thread. It registers two functions on the worker for the
# worker to call (the FAQ's `pw.sync.main_task = main_task`; workers["name"] returns the same
# object as PyWorker(...).sync), then lets you run the hang and the fix.
import asyncio
from pyscript import workers, create_named_worker, when, document

WAIT_SECONDS = 5  # coincident prints its 💀🔒 warning after 3 s: give up a little later

deadlock_button = document.getElementById("deadlock")
fixed_button = document.getElementById("fixed")
status = document.getElementById("status")
output = document.getElementById("output")

worker_name = "helper"  # the worker declared in index.html; a fresh one gets a new name
helper = None
generation = 0


def show_status(text):
    status.textContent = text


def show(text):
    output.textContent = text
    print(text)


def enable(on):
    deadlock_button.disabled = not on
    fixed_button.disabled = not on


async def ask_name_stuck():
    # The mistake: before answering, ask the worker something. The worker is blocked inside
    # sync.ask_name_stuck() waiting for this very function to return, so progress() is never run
    # and this await never ends. Neither side can move: a deadlock.
    done = await helper.progress()
    return document.getElementById("name").value + f" ({done})"


def ask_name():
    # The way out: answer with what the main thread already has, and never call back into a
    # worker that is waiting for this answer. (A plain def: nothing here needs to await.)
    return document.getElementById("name").value


async def connect(name):
    """Wait for a worker and register the functions it may call on the main thread."""
    global helper
    helper = await workers[name]
    helper.ask_name_stuck = ask_name_stuck
    helper.ask_name = ask_name


async def within(seconds, call):
    """Await a worker call, but raise asyncio.TimeoutError after `seconds` instead of hanging."""
    async def ask():  # wait_for needs a coroutine: a worker call returns a JavaScript promise
        return await call()

    async def wait():  # and it must run in a task, not in the event handler: gather() makes one
        return await asyncio.wait_for(ask(), seconds)

    return (await asyncio.gather(wait()))[0]


async def fresh_worker():
    """A blocked worker cannot be interrupted: end it and start a fresh one from the same file."""
    global worker_name, generation
    for script in document.querySelectorAll("script[worker]"):
        if script.getAttribute("name") == worker_name and script.xworker:
            script.xworker.terminate()
    generation += 1
    worker_name = f"helper-{generation + 1}"
    await create_named_worker(src="./worker.py", name=worker_name, type="mpy")
    await connect(worker_name)


@when("click", "#deadlock")
async def run_hang(event):
    enable(False)
    show(f"Waiting up to {WAIT_SECONDS} s for the worker…")
    show_status("The worker asks the main thread for your name…")
    try:
        greeting = await within(WAIT_SECONDS, helper.greet_stuck)
        show(greeting)  # never reached
    except asyncio.TimeoutError:
        show(
            f"stuck: no answer after {WAIT_SECONDS} s. The worker is waiting for the main thread "
            "to answer ask_name_stuck(), and the main thread is waiting for the worker to answer "
            "progress(). Neither can move, so the worker was stopped and a fresh one started."
        )
        show_status("Stopping the stuck worker and starting a fresh one…")
        await fresh_worker()
    enable(True)
    show_status(f"Ready: the worker is now \"{worker_name}\".")


@when("click", "#fixed")
async def run_fixed(event):
    enable(False)
    show_status("The worker asks the main thread for your name…")
    try:
        show(await within(WAIT_SECONDS, helper.greet))
        show_status("Done.")
    except asyncio.TimeoutError:
        show(f"stuck: no answer after {WAIT_SECONDS} s.")
    enable(True)


await connect(worker_name)
enable(True)
show_status("The worker is ready.")
