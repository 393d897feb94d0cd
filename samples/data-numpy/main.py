# The page's UI, on a MicroPython main thread: it asks the analysis worker for the numbers and
# draws them as SVG. The heavy lifting (and NumPy) stays in the worker.
from pyscript import workers, when, document

button = document.getElementById("analyse")
status = document.getElementById("status")
summary = document.getElementById("summary")

WIDTH, HEIGHT = 640, 200  # chart size, in SVG units


def error_line(error):
    """The line that names the error in a worker's traceback, e.g. "ValueError: ..."."""
    text = str(error.args[-1] if error.args else error)
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    named = [line for line in lines if "Error" in line.split(":")[0]]
    return (named or lines or [text])[-1]


def svg(body):
    return (f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
            f'xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def trend_chart(values):
    """A line through the moving average; the y axis spans the values' own range."""
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = WIDTH / (len(values) - 1)
    points = " ".join([f"{i * step:.1f},{HEIGHT - 20 - (v - low) / span * (HEIGHT - 40):.1f}"
                       for i, v in enumerate(values)])
    return svg(f'<polyline points="{points}" fill="none" stroke="#c0392b" stroke-width="2"/>'
               f'<text x="4" y="14">{high:.1f} °C</text><text x="4" y="{HEIGHT - 4}">{low:.1f} °C</text>')


def histogram_chart(counts, edges):
    """One bar per temperature band, labelled with its number of days."""
    most = max(counts) or 1
    width = WIDTH / len(counts)
    bars = []
    for i, count in enumerate(counts):
        height = count / most * (HEIGHT - 50)
        x = i * width
        bars.append(
            f'<rect x="{x + 4:.1f}" y="{HEIGHT - 20 - height:.1f}" width="{width - 8:.1f}" '
            f'height="{height:.1f}" fill="#2e86c1"/>'
            f'<text x="{x + width / 2:.1f}" y="{HEIGHT - 24 - height:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + width / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle">'
            f'{edges[i]}…{edges[i + 1]}</text>'
        )
    return svg("".join(bars))


@when("click", "#analyse")
async def analyse(event):
    button.disabled = True
    status.textContent = "The worker is crunching the numbers…"
    try:
        worker = await workers["analysis"]
        r = await worker.analyse()
    except Exception as error:
        status.textContent = "The worker reported an error."
        summary.textContent = error_line(error)
        return
    finally:
        button.disabled = False
    # A dict from a Pyodide worker is a JavaScript object here: read it by key, and list() its
    # arrays. Floats are formatted explicitly: MicroPython and Pyodide print them differently.
    lines = [
        f"{r['days']} days, {r['first']} to {r['last']}: mean high {r['mean']:.1f} °C "
        f"(standard deviation {r['std']:.1f}).",
        f"Coldest: {r['coldest']['temp']:.1f} °C on {r['coldest']['date']}. "
        f"Warmest: {r['warmest']['temp']:.1f} °C on {r['warmest']['date']}.",
        f"Warmest {r['window']} days: {r['warmest_week']['from']} to {r['warmest_week']['to']}, "
        f"mean {r['warmest_week']['mean']:.1f} °C.",
        f"Rain: {r['rain_total']:.1f} mm on {r['rainy_days']} days.",
    ]
    summary.textContent = "\n".join(lines)
    counts = list(r["histogram"]["counts"])
    document.getElementById("trend").innerHTML = trend_chart(list(r["moving_average"]))
    document.getElementById("histogram").innerHTML = histogram_chart(counts, list(r["histogram"]["edges"]))
    status.textContent = "Done."
    print(lines[0])
    print("histogram:", counts)


async def wait_for_worker():
    try:
        await workers["analysis"]
    except Exception as error:
        # Offline, the worker cannot download numpy, so it never becomes ready.
        status.textContent = ("The analysis worker could not start: it downloads NumPy when it "
                              "starts, and this page is offline.")
        print("analysis failed:", error_line(error))
        return
    button.disabled = False
    status.textContent = "The worker is ready."


await wait_for_worker()
