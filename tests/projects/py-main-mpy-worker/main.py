import sys
from pyscript import workers, document

print("main on", sys.implementation.name)
words = await workers["words"]
threads = await words.count("threads")
document.getElementById("out").textContent = f"{sys.implementation.name} main, threads x{threads}"
