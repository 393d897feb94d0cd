"""The page's tracer (resources/bridge/loom_debug.py) in this CPython, without a browser: its
transport (`_post`, a synchronous request in the page) is replaced by a list. The real pages are
tests/app/tst_headlessrun (debugRun_*)."""

from __future__ import annotations

import os
import sys
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SOURCE = open(os.path.join(REPO, "resources", "bridge", "loom_debug.py"), encoding="utf-8").read()

USER_CODE = """\
def add(a, b):
    total = a + b
    return total

def loop(n):
    s = 0
    for i in range(n):
        s += i
    return s

x = add(2, 3)
y = loop(5)
"""


class Tracer(unittest.TestCase):
    """The sys.monitoring backend (CPython, as in Pyodide)."""

    SETTRACE_ONLY = False

    def run_traced(self, breakpoints, code=USER_CODE, offset=0, file="w.py", after="", answers=(), exceptions="none", namespace=None):
        module = {"__name__": "loom_debug_under_test"}
        exec(compile(SOURCE, "loom_debug.py", "exec"), module)
        if self.SETTRACE_ONLY:  # as MicroPython's settrace build: no sys.monitoring
            module["sys"] = types.SimpleNamespace(settrace=sys.settrace, implementation=sys.implementation)
        hits = []
        answers = list(answers)

        def post(endpoint, hit):  # the user's answer to each pause, in order; then continue
            hits.append(hit)
            if not answers:
                return {"action": "continue"}
            answer = answers.pop(0)
            return answer if isinstance(answer, dict) else {"action": "step", "step": answer}

        module["_post"] = post
        config = {"endpoint": "http://127.0.0.1/__loom__/debug/t", "breakpoints": breakpoints, "exceptions": exceptions}
        module["start"](config, "worker:w", {"file": file, "offset": offset})
        try:
            namespace = dict(namespace or {})
            try:
                exec(compile(code, "<exec>", "exec"), namespace)
            except Exception as error:  # the page would show it; the test looks at the hits
                hits.append({"uncaught": repr(error)})
            if after:  # PyScript's own module-level code after the script, also "<exec>"
                exec(compile(after, "<exec>", "exec"), {})
        finally:
            if hasattr(sys, "monitoring") and sys.monitoring.get_tool(sys.monitoring.DEBUGGER_ID) == "loom":
                sys.monitoring.set_events(sys.monitoring.DEBUGGER_ID, 0)
                sys.monitoring.free_tool_id(sys.monitoring.DEBUGGER_ID)
            sys.settrace(None)
        return hits

    def test_breakpoint_records_locals_and_stack(self):
        hits = self.run_traced([{"file": "w.py", "line": 3}])
        self.assertEqual(len(hits), 1)
        hit = hits[0]
        self.assertEqual((hit["thread"], hit["file"], hit["line"], hit["function"]), ("worker:w", "w.py", 3, "add"))
        self.assertEqual(hit["locals"], {"a": "2", "b": "3", "total": "5"})
        self.assertEqual([(f["line"], f["function"]) for f in hit["stack"]], [(3, "add"), (11, "<module>")])

    def test_inline_script_lines_are_the_pages(self):
        # An inline script whose tag is on line 20: its code line N is the page's line 20 + N.
        hits = self.run_traced([{"file": "index.html", "line": 23}], file="index.html", offset=20)
        self.assertEqual([(h["line"], h["function"], h["locals"]["total"]) for h in hits], [(23, "add", "5")])

    def test_condition_and_log_point(self):
        hits = self.run_traced(
            [{"file": "w.py", "line": 8, "condition": "i == 3"}, {"file": "w.py", "line": 9, "log": "s * 10"}]
        )
        self.assertEqual([(h["line"], h["locals"]["i"]) for h in hits if h["line"] == 8], [(8, "3")])
        self.assertEqual([(h["log"], h["value"]) for h in hits if h["line"] == 9], [("s * 10", "100")])

    def test_condition_that_raises_is_reported_not_raised(self):
        hits = self.run_traced([{"file": "w.py", "line": 2, "condition": "undefined_name > 1"}])
        self.assertEqual(len(hits), 1)
        self.assertIn("NameError", hits[0]["conditionError"])

    def test_breakpoint_in_a_loop_is_recorded_a_hundred_times(self):
        hits = self.run_traced([{"file": "w.py", "line": 8}], code=USER_CODE.replace("loop(5)", "loop(250)"))
        self.assertEqual(len(hits), 100)
        self.assertTrue(hits[-1].get("lastRecorded"))

    def test_pyscripts_own_code_after_the_script_is_not_the_users(self):
        hits = self.run_traced([{"file": "w.py", "line": 1}], code="a = 1\n", after="b = 2\n")
        self.assertEqual(len(hits), 1)  # the user's line 1, not PyScript's

    def test_step_over_into_and_out(self):
        # Paused at add's `total = a + b`: over goes to the next line of add.
        hits = self.run_traced([{"file": "w.py", "line": 2}], answers=["over"])
        self.assertEqual([(h["line"], h["function"]) for h in hits], [(2, "add"), (3, "add")])
        # From the module's `x = add(2, 3)`: into goes inside add.
        hits = self.run_traced([{"file": "w.py", "line": 11}], answers=["into"])
        self.assertEqual([(h["line"], h["function"]) for h in hits], [(11, "<module>"), (2, "add")])
        # Out of add: the caller's next line.
        hits = self.run_traced([{"file": "w.py", "line": 2}], answers=["out"])
        self.assertEqual([(h["line"], h["function"]) for h in hits], [(2, "add"), (12, "<module>")])
        # Over a return: the caller's next line; over a call (loop(5)): not entered, and the
        # module ends there.
        hits = self.run_traced([{"file": "w.py", "line": 3}], answers=["over", "over"])
        self.assertEqual([(h["line"], h["function"]) for h in hits], [(3, "add"), (12, "<module>")])

    def test_runtime_frames_are_folded(self):
        # add() called through two frames of a runtime's module (not the project's): the stack
        # shows add, then "2 folded", then the script's line; what called the script is counted too.
        runtime = {}
        exec(compile("def call(f, *a):\n    return relay(f, a)\ndef relay(f, a):\n    return f(*a)\n",
                     "/lib/python3.14/site-packages/runtime.py", "exec"), runtime)
        code = "def add(a, b):\n    total = a + b\n    return total\n\nx = call(add, 2, 3)\n"
        hits = self.run_traced([{"file": "w.py", "line": 2}], code=code, namespace={"call": runtime["call"]})
        stack = hits[0]["stack"]
        self.assertEqual([(f["line"], f["function"], f.get("folded", 0)) for f in stack], [(2, "add", 0), (5, "<module>", 2)])
        self.assertGreaterEqual(hits[0]["foldedOuter"], 1)  # this test's own frames, below the script

    def test_hit_condition(self):
        # The loop's `s += i` (line 8) runs 5 times: "3" stops at the 3rd, ">=4" from the 4th, "%2"
        # every 2nd; with a condition, only the times it holds count.
        def lines(hits, **extra):
            point = dict({"file": "w.py", "line": 8, "hitCondition": hits}, **extra)
            return [h["locals"]["i"] for h in self.run_traced([point])]

        self.assertEqual(lines("3"), ["2"])
        self.assertEqual(lines(">=4"), ["3", "4"])
        self.assertEqual(lines("%2"), ["1", "3"])
        self.assertEqual(lines("2", condition="i % 2 == 0"), ["2"])

    def test_globals_parts_and_outer_frames_locals(self):
        code = "import sys\nconfig = {'n': 3, 'names': ['a', 'b']}\n" + USER_CODE
        hits = self.run_traced([{"file": "w.py", "line": 4}], code=code)
        hit = hits[0]
        self.assertEqual(hit["function"], "add")
        self.assertEqual(hit["globals"]["config"], "{'n': 3, 'names': ['a', 'b']}")
        self.assertNotIn("sys", hit["globals"])  # modules are left out
        self.assertIn("add", hit["globals"])
        self.assertEqual(hit["stack"][1]["function"], "<module>")
        self.assertEqual(hit["stack"][1]["locals"]["config"], "{'n': 3, 'names': ['a', 'b']}")
        code = "def f(items):\n    n = len(items)\n    return n\nf({'a': [1, 2], 'b': 'x'})\n"
        hit = self.run_traced([{"file": "w.py", "line": 3}], code=code)[0]
        self.assertEqual(hit["parts"], {"items": [["'a'", "[1, 2]"], ["'b'", "'x'"]]})

    def test_evaluate_in_a_paused_frame(self):
        # Paused in add: evaluate there, then in the caller's frame (1), then an error; the thread
        # stays paused (each answer is a new pause at the same place) until it is let go.
        answers = [{"action": "evaluate", "expression": "a * 10 + b", "frame": 0},
                   {"action": "evaluate", "expression": "add", "frame": 1},
                   {"action": "evaluate", "expression": "nothing_here", "frame": 0}]
        hits = self.run_traced([{"file": "w.py", "line": 3}], answers=answers)
        self.assertEqual([(h["line"], h.get("evaluated", {}).get("expression")) for h in hits],
                         [(3, None), (3, "a * 10 + b"), (3, "add"), (3, "nothing_here")])
        self.assertEqual(hits[1]["evaluated"]["value"], "23")
        self.assertTrue(hits[2]["evaluated"]["value"].startswith("<function add"))
        self.assertIn("NameError", hits[3]["evaluated"]["error"])

    def test_pause_on_uncaught_exception(self):
        code = ("def check(n):\n    if n > 2:\n        raise ValueError('too big: %d' % n)\n    return n\n"
                "def safe(n):\n    try:\n        return check(n)\n    except ValueError:\n        return 0\n"
                "safe(5)\ncheck(1)\ncheck(7)\n")
        hits = self.run_traced([], code=code, exceptions="uncaught")
        if self.SETTRACE_ONLY:  # MicroPython: said once, never paused
            self.assertEqual(len(hits), 2)
            self.assertIn("cannot tell which exceptions are caught", hits[0]["notice"])
            return
        # safe(5)'s exception is caught in the project: no pause. check(7)'s leaves the script:
        # the thread pauses where it was raised, with the exception and the frame's locals, and
        # once let go the exception goes on as before.
        self.assertEqual(len(hits), 2)
        hit = hits[0]
        self.assertEqual((hit["line"], hit["function"], hit["exception"], hit["exceptionKind"]),
                         (3, "check", "ValueError: too big: 7", "uncaught"))
        self.assertEqual(hit["locals"], {"n": "7"})
        self.assertEqual([(f["line"], f["function"]) for f in hit["stack"]], [(3, "check"), (12, "<module>")])
        self.assertEqual(hits[-1], {"uncaught": "ValueError('too big: 7')"})

    def test_pause_on_raised_exception(self):
        code = "def safe():\n    try:\n        raise KeyError('k')\n    except KeyError:\n        return 1\nsafe()\n"
        hits = self.run_traced([], code=code, exceptions="raised")
        if self.SETTRACE_ONLY:
            self.assertIn("notice", hits[0])
            return
        self.assertEqual([(h["line"], h["exception"], h["exceptionKind"]) for h in hits], [(3, "KeyError: 'k'", "raised")])

    def test_javascript_objects_are_shown_by_type_and_never_read(self):
        module = {"__name__": "loom_debug_under_test"}
        exec(compile(SOURCE, "loom_debug.py", "exec"), module)

        class JsProxy:
            def __repr__(self):
                raise AssertionError("a JavaScript object was read")

        self.assertEqual(module["_short"](JsProxy()), "<JsProxy>")
        self.assertEqual(module["_short"](sys), "<module sys>")
        self.assertTrue(module["_short"]("x" * 500).endswith("..."))


class TracerSettrace(Tracer):
    """The sys.settrace backend (MicroPython's settrace build), in this CPython."""

    SETTRACE_ONLY = True


if __name__ == "__main__":
    unittest.main()
