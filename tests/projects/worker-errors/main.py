from pyscript import workers, document

out = document.getElementById("out")


async def attempt(label, call):
    try:
        text = f"{label}: ok {await call}"
    except Exception:
        text = f"{label}: error"
    out.textContent += text + "\n"


inline = await workers["inline"]
fromsrc = await workers["fromsrc"]
await attempt("ok", inline.ok(41))
await attempt("boom", inline.boom(7))
await attempt("divide", fromsrc.divide(1, 0))
await attempt("missing", inline.missing(1))
# Last: its result cannot cross to the main thread, so this await never returns.
await attempt("unsendable", inline.unsendable())
