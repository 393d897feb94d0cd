# Per-call cost of main -> worker calls: 10,000 small sequential calls, timed on the main thread.
# The result goes into #out ("done 10000 calls in 1234.5 ms"), where bench/run.sh reads it.
import js
from pyscript import document, workers

CALLS = 10000
out = document.getElementById("out")

calc = await workers["calc"]
await calc.add(0, 1)  # warm-up: the first call sets up the channel

start = js.performance.now()
for i in range(CALLS):
    if await calc.add(i, 1) != i + 1:
        raise RuntimeError("wrong result for add({}, 1)".format(i))
elapsed = js.performance.now() - start

out.textContent = "done {} calls in {:.1f} ms".format(CALLS, elapsed)
print(out.textContent)
