# The page's UI, on a MicroPython main thread. It has a filesystem too, but a separate one: the
# worker's config fetched the data files into the worker only.
import os
from pyscript import workers, when, document

ask_button = document.getElementById("ask")
lookup_button = document.getElementById("lookup")
status = document.getElementById("status")
output = document.getElementById("output")
answer = document.getElementById("answer")


def main_thread_view():
    """What the main thread sees where the worker has its data files."""
    here = sorted(os.listdir())
    folder = "a data folder" if "data" in here else "no data folder"
    try:
        with open("data/cities.csv") as f:
            opened = "it opens (unexpected!)"
    except OSError as error:
        opened = f"OSError {error.args[0]}, no such file"  # MicroPython gives the errno only
    return f"Main thread: {folder} (os.listdir() = {here}); open('data/cities.csv') -> {opened}"


@when("click", "#ask")
async def ask(event):
    status.textContent = "Asking the worker…"
    try:
        cities = await workers["cities"]
        files = await cities.files()
        summary = await cities.summary()
    except Exception as error:
        status.textContent = "The worker reported an error."
        output.textContent = str(error)
        return
    lines = [
        f"Worker: working folder {files['cwd']}, data/ = {', '.join(files['data'])}",
        f"cities.csv: {summary['rows']} rows, total population {summary['total_population']:,}, "
        f"largest {summary['largest']}",
        f"notes.txt: {summary['notes_lines']} lines, the first: \"{summary['notes_first']}\"",
        main_thread_view(),
    ]
    output.textContent = "\n".join(lines)
    status.textContent = "Done."
    print(lines[1])


@when("click", "#lookup")
async def lookup(event):
    name = document.getElementById("city").value
    try:
        cities = await workers["cities"]
        row = await cities.lookup(name)
    except Exception as error:
        answer.textContent = str(error)
        return
    if row["found"]:
        text = f"{row['city']}, {row['country']}: population {row['population']:,} (row {row['row']} of cities.csv)"
    else:
        text = f"{row['city']} is not in cities.csv."
    answer.textContent = text
    print(text)


await workers["cities"]
ask_button.disabled = False
lookup_button.disabled = False
status.textContent = "The worker is ready."
