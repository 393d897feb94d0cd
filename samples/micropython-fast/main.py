# The page's UI, on a MicroPython main thread. It notes how long after navigation it began to run
# and when the worker became ready: performance.now() counts from 0 when the page starts loading.
from pyscript import workers, when, document, window

main_started_ms = window.performance.now()

count_button = document.getElementById("count")
status = document.getElementById("status")
output = document.getElementById("output")


def show(element_id, text):
    document.getElementById(element_id).textContent = text


@when("click", "#count")
async def count(event):
    text = document.getElementById("text").value
    try:
        words = await workers["words"]  # ready since start-up: this returns at once
        result = await words.count_words(text)
    except Exception as error:
        status.textContent = "The worker reported an error."
        output.textContent = str(error)
        return
    # The result is a JavaScript object here: index it like a dict, don't compare it to one.
    top = ", ".join([f"{pair[0]} ×{pair[1]}" for pair in result["top"]])
    line = f"Counted {result['words']} words, {result['different']} different."
    output.textContent = f"{line}\nMost frequent: {top}"
    status.textContent = "Done."
    print(line)


show("main-ready", f"{main_started_ms:.0f} ms after navigation")
await workers["words"]
worker_ready_ms = window.performance.now()
show("worker-ready", f"{worker_ready_ms:.0f} ms after navigation "
                     f"({worker_ready_ms - main_started_ms:.0f} ms after the main thread)")
count_button.disabled = False
status.textContent = "The worker is ready."
