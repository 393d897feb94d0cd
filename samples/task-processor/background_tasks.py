# The "task-processor" worker (Pyodide), created at run time by main.py. It keeps its state between
# calls: `batches` grows with each call, which shows that a second click reaches this same worker.
import tasks  # fetched next to this file by the worker's config ("files")

batches = 0


def process_data(records, names):
    global batches
    batches += 1
    # Lists and dicts from the main thread arrive as JavaScript proxies: make them plain Python.
    records, names = records.to_py(), names.to_py()
    results = {name: getattr(tasks, name)(records) for name in names}
    print(f"task-processor: batch {batches}, {len(records)} records, tasks {', '.join(names)}")
    return {"batch": batches, "records": len(records), "results": results}


__export__ = ["process_data"]
