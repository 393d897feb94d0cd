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

    def run_traced(self, breakpoints, code=USER_CODE, offset=0, file="w.py", after="", answers=()):
        module = {"__name__": "loom_debug_under_test"}
        exec(compile(SOURCE, "loom_debug.py", "exec"), module)
        if self.SETTRACE_ONLY:  # as MicroPython's settrace build: no sys.monitoring
            module["sys"] = types.SimpleNamespace(settrace=sys.settrace, implementation=sys.implementation)
        hits = []
        answers = list(answers)

        def post(endpoint, hit):  # the user's answer to each pause, in order; then continue
            hits.append(hit)
            return {"action": "step", "step": answers.pop(0)} if answers else {"action": "continue"}

        module["_post"] = post
        config = {"endpoint": "http://127.0.0.1/__loom__/debug/t", "breakpoints": breakpoints}
        module["start"](config, "worker:w", {"file": file, "offset": offset})
        try:
            namespace = {}
            exec(compile(code, "<exec>", "exec"), namespace)
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
