# The page's UI, on a MicroPython main thread: it starts in milliseconds and never blocks,
# because the sieve runs in the "primes" worker.
from pyscript import workers, create_named_worker, when, document

find_button = document.getElementById("find")
stop_button = document.getElementById("stop")
status = document.getElementById("status")
output = document.getElementById("output")

worker_name = "primes"   # the worker declared in index.html
generation = 0           # bumped by Stop: a stopped worker's late answer is ignored


def show_status(text):
    status.textContent = text


async def current_worker():
    return await workers[worker_name]


@when("click", "#find")
async def find(event):
    global generation
    my_generation = generation
    limit = int(document.getElementById("limit").value or 0)
    use_numpy = document.getElementById("use-numpy").checked
    find_button.disabled = True
    stop_button.disabled = False
    show_status(f"Counting primes up to {limit:,} in the worker…")
    try:
        worker = await current_worker()
        result = await worker.find_primes(limit, use_numpy)
    except Exception as error:
        if my_generation == generation:
            show_status("The worker reported an error.")
            output.textContent = str(error)
        return
    finally:
        if my_generation == generation:
            find_button.disabled = False
            stop_button.disabled = True
    if my_generation != generation:
        return  # stopped meanwhile
    lines = [
        f"Found {result['count']} primes up to {result['limit']:,} with {result['method']} "
        f"in {result['seconds']:.3f} s.",
        "First 20: " + ", ".join([str(int(p)) for p in result["first_20"]]),
        f"Largest: {result['largest']}",
    ]
    if result["note"]:
        lines.append(result["note"])
    output.textContent = "\n".join(lines)
    show_status("Done.")
    print(lines[0])


@when("click", "#stop")
async def stop(event):
    # A worker busy in a Python loop cannot be interrupted: end it and start a fresh one.
    global generation, worker_name
    generation += 1
    stop_button.disabled = True
    show_status("Stopping the worker…")
    for script in document.querySelectorAll("script[worker]"):
        if script.getAttribute("name") == worker_name and script.xworker:
            script.xworker.terminate()
    worker_name = f"primes-{generation}"
    await create_named_worker(src="./worker.py", name=worker_name)
    find_button.disabled = False
    show_status("Stopped. A fresh worker is ready.")


async def wait_for_worker():
    await current_worker()
    find_button.disabled = False
    show_status("The worker is ready.")


await wait_for_worker()
