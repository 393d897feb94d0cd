from pyscript import workers, document

stats = await workers["stats"]
total = await stats.scaled_sum([1, 2, 3, 4])
document.getElementById("sum").textContent = "sum %d" % total
try:
    await stats.mean([])
except Exception as error:
    document.getElementById("error").textContent = "mean failed: " + ("ZeroDivisionError" in str(error) and "ZeroDivisionError" or str(error))
