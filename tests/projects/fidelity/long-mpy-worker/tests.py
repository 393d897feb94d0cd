# A long MicroPython worker: many small checks, in random order, each reaching the main thread's
# DOM through PyScript's window proxy (synchronous calls over SharedArrayBuffer), the way
# PyScript's own integration pages test it.
import random

import js
from pyscript import document, ffi, web, window

passed = []
failed = []


def check_create_element(i):
    el = document.createElement("div")
    el.id = f"plain-{i}"
    el.textContent = f"item {i}"
    document.body.appendChild(el)
    assert document.getElementById(f"plain-{i}").textContent == f"item {i}"
    el.remove()
    assert document.getElementById(f"plain-{i}") is None


def check_web_element(i):
    div = web.div(f"web {i}", id=f"web-{i}", classes=["probe"])
    web.page.append(div)
    found = web.page.find(f"#web-{i}")
    assert len(found) == 1, len(found)
    assert found[0].id == f"web-{i}"
    assert "probe" in found[0].classes
    found[0]._dom_element.remove()


def check_attributes(i):
    el = document.createElement("span")
    el.setAttribute("data-n", str(i))
    assert el.getAttribute("data-n") == str(i)
    assert el.hasAttribute("data-n")
    el.removeAttribute("data-n")
    assert not el.hasAttribute("data-n")


def check_js_values(i):
    obj = js.JSON.parse('{"a": [1, 2, 3], "b": "x"}')
    assert obj.b == "x"
    assert obj.a.length == 3
    arr = window.Array.new()
    arr.push(i)
    assert arr.length == 1 and arr[0] == i


def check_to_js(i):
    data = ffi.to_js({"n": i, "list": [1, 2]})
    text = window.JSON.stringify(data)
    assert f'"n":{i}' in text, text


def check_python_error(i):
    try:
        {}["missing"]
    except KeyError:
        pass


def check_print(i):
    print(f"check {i} prints")


def check_math(i):
    assert window.Math.max(i, i + 1) == i + 1
    assert window.parseInt(str(i)) == i


CHECKS = [check_create_element, check_web_element, check_attributes, check_js_values, check_to_js,
          check_python_error, check_print, check_math]


def run(rounds, seed):
    random.seed(seed)
    plan = [(check, i) for i in range(rounds) for check in CHECKS]
    # Fisher-Yates: MicroPython's random has no shuffle.
    for k in range(len(plan) - 1, 0, -1):
        j = random.randint(0, k)
        plan[k], plan[j] = plan[j], plan[k]
    for check, i in plan:
        try:
            check(i)
            passed.append(check.__name__)
        except Exception as error:
            failed.append(f"{check.__name__}({i}): {error}")
    return f"passed {len(passed)}, failed {len(failed)}: {failed[:5]}"


__export__ = ["run"]
