# The page's UI, on a MicroPython main thread. The worker does not exist until the first click:
# create_named_worker adds a <script worker name="task-processor"> to the page and waits for it.
from pyscript import create_named_worker, workers, when, document, window

WORKER_NAME = "task-processor"

# The week's orders. Prices are in euros.
ORDERS = [
    {"shop": "North", "product": "tea", "units": 3, "price": 4.5},
    {"shop": "North", "product": "coffee", "units": 5, "price": 6.25},
    {"shop": "North", "product": "cocoa", "units": 2, "price": 3.75},
    {"shop": "South", "product": "tea", "units": 8, "price": 4.5},
    {"shop": "South", "product": "coffee", "units": 1, "price": 6.0},
    {"shop": "South", "product": "tea", "units": 4, "price": 4.0},
    {"shop": "East", "product": "coffee", "units": 6, "price": 6.25},
    {"shop": "East", "product": "cocoa", "units": 7, "price": 3.5},
    {"shop": "East", "product": "tea", "units": 2, "price": 4.5},
]

run_button = document.getElementById("run")
status = document.getElementById("status")
log = document.getElementById("log")
output = document.getElementById("output")
clicks = 0
processor = None  # the worker, once created: every later click reuses it


def log_line(text):
    item = document.createElement("li")
    item.textContent = text
    log.append(item)
    print(text)


def workers_named(name):
    # Each worker is a <script worker name=...> element: count them to see that there is only one.
    return document.querySelectorAll(f'script[worker][name="{name}"]').length


async def get_processor():
    """Create the worker on first use; afterwards hand back the same one."""
    global processor
    if processor is not None:
        return processor, "reused the worker"
    if workers_named(WORKER_NAME):
        # Already on the page (declared in HTML, or created elsewhere). A second create_named_worker
        # with the same name would start a second worker that nobody can reach (workers[name] keeps
        # answering with the first one), so ask workers[name] for the existing one instead.
        processor = await workers[WORKER_NAME]
        return processor, "found the worker on the page"
    started = window.performance.now()
    processor = await create_named_worker(
        src="./background_tasks.py",
        name=WORKER_NAME,
        # The guide's example asks for {"packages": ["pandas"]}; packages need the network, so this
        # offline sample uses the standard library and only fetches its helper module.
        config={"files": {"./tasks.py": "./tasks.py"}},
        type="py",
    )
    seconds = (window.performance.now() - started) / 1000
    return processor, f"created the worker in {seconds:.1f} s"


def table(headers, rows):
    head = "".join([f"<th>{h}</th>" for h in headers])
    body = "".join(["<tr>" + "".join([f"<td>{cell}</td>" for cell in row]) + "</tr>" for row in rows])
    return f"<table><tr>{head}</tr>{body}</table>"


def show(reply):
    results = reply["results"]
    shops = [[s["shop"], s["orders"], s["units"], f"{s['revenue']:.2f} €"] for s in results["totals"]]
    products = [[p["product"], f"{p['mean_units']:.2f}", p["median_units"], f"{p['mean_price']:.2f} €"]
                for p in results["averages"]]
    output.innerHTML = (
        f"<p>Batch {reply['batch']} for this worker: {reply['records']} orders summarised.</p>"
        + table(["shop", "orders", "units", "revenue"], shops)
        + table(["product", "mean units", "median units", "mean price"], products)
    )


@when("click", "#run")
async def run(event):
    global clicks
    clicks += 1
    click = clicks
    run_button.disabled = True  # one batch at a time; also no second worker while the first starts
    status.textContent = "Creating the worker (Pyodide takes a few seconds)…" if processor is None else "Working…"
    try:
        worker, how = await get_processor()
        log_line(f"Click {click}: {how}.")
        reply = await worker.process_data(ORDERS, ["totals", "averages"])
        show(reply)
        status.textContent = f"Done. {workers_named(WORKER_NAME)} worker named {WORKER_NAME} on this page."
        print(f"batch {reply['batch']}: {reply['records']} orders")
    except Exception as error:
        status.textContent = "The worker reported an error."
        output.textContent = str(error)
    finally:
        run_button.disabled = False


run_button.disabled = False
status.textContent = "Ready. No worker yet: click to create it."
