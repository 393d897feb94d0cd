# The data work, in a Pyodide worker with NumPy. The config in index.html installs numpy and
# copies weather-2024.csv into this worker's own file system, so it opens like a local file.
import csv

import numpy as np

CSV_FILE = "./weather-2024.csv"
WINDOW = 7                                   # days in the moving average
HISTOGRAM_EDGES = list(range(-5, 40, 5))     # °C: -5..0, 0..5, ..., 30..35


def _load():
    with open(CSV_FILE, newline="") as file:
        rows = list(csv.DictReader(file))
    dates = [row["date"] for row in rows]
    temps = np.array([float(row["max_temp_c"]) for row in rows])
    rain = np.array([float(row["rain_mm"]) for row in rows])
    return dates, temps, rain


def analyse():
    """Statistics, a moving average and a histogram of the year's daily maximum temperatures.

    Everything returned is a plain int, float, str, list or dict: numpy arrays and numpy
    numbers are converted first (.tolist(), float(), int()), because only plain data crosses
    to the main thread.
    """
    dates, temps, rain = _load()
    moving = np.convolve(temps, np.ones(WINDOW) / WINDOW, mode="valid")
    counts, _ = np.histogram(temps, bins=HISTOGRAM_EDGES)  # values on an edge go up a band
    warmest_week = int(np.argmax(moving))
    result = {
        "days": len(dates),
        "first": dates[0],
        "last": dates[-1],
        "mean": float(temps.mean()),
        "std": float(temps.std()),
        "coldest": {"date": dates[int(temps.argmin())], "temp": float(temps.min())},
        "warmest": {"date": dates[int(temps.argmax())], "temp": float(temps.max())},
        "warmest_week": {"from": dates[warmest_week], "to": dates[warmest_week + WINDOW - 1],
                         "mean": float(moving[warmest_week])},
        "rain_total": float(rain.sum()),
        "rainy_days": int((rain > 0).sum()),
        "window": WINDOW,
        "moving_average": np.round(moving, 2).tolist(),  # 2 decimals: enough to draw
        "histogram": {"counts": counts.tolist(), "edges": HISTOGRAM_EDGES},
    }
    print(f"analysed {result['days']} days with numpy {np.__version__}")
    return result


__export__ = ["analyse"]
