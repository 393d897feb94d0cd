# The worker (Pyodide): the config file put data/cities.csv and data/notes.txt into its filesystem,
# so plain open() reads them. Nothing here reaches the network or the main thread's files.
import csv
import os

with open("data/cities.csv", newline="") as f:
    CITIES = list(csv.DictReader(f))

print(f"worker: read {len(CITIES)} cities from data/cities.csv")


def files():
    """Where this worker runs, and what its data/ folder holds."""
    return {"cwd": os.getcwd(), "data": sorted(os.listdir("data"))}


def summary():
    with open("data/notes.txt") as f:
        notes = f.read().splitlines()
    return {
        "rows": len(CITIES),
        "total_population": sum(int(row["population"]) for row in CITIES),
        "largest": max(CITIES, key=lambda row: int(row["population"]))["city"],
        "notes_lines": len(notes),
        "notes_first": notes[0],
    }


def lookup(name):
    wanted = name.strip().lower()
    for number, row in enumerate(CITIES, start=1):
        if row["city"].lower() == wanted:
            return {"found": True, "row": number, "city": row["city"], "country": row["country"],
                    "population": int(row["population"])}
    # A plain False, not None: None would arrive in the MicroPython main thread as undefined.
    return {"found": False, "row": 0, "city": name, "country": "", "population": 0}


__export__ = ["files", "summary", "lookup"]
