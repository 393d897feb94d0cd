"""Loom's Python debugger, inside the page: one copy in each interpreter of a debug run (the main
thread's and every worker's), started by PyScript's codeBeforeRun hook before the user's code.

In CPython (Pyodide) it uses sys.monitoring: each code object is looked at once, when it first
starts, and only one with a breakpoint gets line events (every other location is disabled, so
code without breakpoints runs at full speed). MicroPython's settrace build (the one PyScript loads
for `debug = true`) has sys.settrace: the same decisions, made by a trace function. At a breakpoint it
collects the stack (project frames mapped to file and line, runtime frames left out) and the
locals, and tells Loom's server with a synchronous request; the answer says what to do next
(continue, for now). A log point evaluates its expression in the frame and reports the value.

It binds no name in the user's namespace: debugger.js's codeBeforeRun hook execs this file in a
dict of its own, with _LOOM_CONFIG (the run's breakpoints, as JSON) and _LOOM_WHERE ("main" or
"worker"), and _boot() starts it.
Written for both interpreters: no f-strings with `=`, no walrus, no dataclasses.
"""

import sys

_REPR_LIMIT = 200
_LOCALS_LIMIT = 40
_STACK_LIMIT = 30
# A recording run (headless --break) records this many hits of one breakpoint, then lets it be:
# a breakpoint in a loop would otherwise cost a request per turn.
_RECORDED_PER_POINT = 100


def _short(value):
    # A JavaScript object is shown by its type, never read: a proxy of another thread's object
    # throws from its traps here, and the page would see the error (the bridge's rule too).
    kind = type(value).__name__
    if kind.startswith("Js") or kind == "JsProxy":
        return "<%s>" % kind
    if kind == "module":
        return "<module %s>" % getattr(value, "__name__", "?")
    try:
        text = repr(value)
    except Exception as error:  # a __repr__ that raises
        text = "<repr failed: %s>" % type(error).__name__
    return text if len(text) <= _REPR_LIMIT else text[:_REPR_LIMIT] + "..."


# MicroPython makes a new code object each time a frame's f_code is read: its code is known by
# what it is. CPython's code objects are the code.
if sys.implementation.name == "micropython":

    def _key(code):
        return (code.co_filename, code.co_name, getattr(code, "co_firstlineno", 0), getattr(code, "co_code", None))

else:

    def _key(code):
        return code


class _Debugger:
    def __init__(self, config, thread, script):
        self.endpoint = config["endpoint"]
        self.thread = thread
        # The script this interpreter runs: "<exec>" (Pyodide) or "<stdin>" (MicroPython) lines
        # are its lines, offset for an inline script (its code starts on the line after its tag).
        self.script_file = script.get("file") or ""
        self.script_offset = int(script.get("offset") or 0)
        self.by_file = {}
        for point in config.get("breakpoints") or ():
            self.by_file.setdefault(point["file"], {})[int(point["line"])] = point
        self.seen = {}  # code object -> {line: point} (empty: not traced)
        self.hits = 0
        # "<exec>"/"<stdin>" names PyScript's own code too (what runs after the script: the
        # __export__ step, say): the first module-level run after this one starts is the user's,
        # later module-level runs are PyScript's.
        self.user_module = None
        # While stepping: ("into" | "over" | "out", the paused frame's depth). The backend then
        # sends line events for all of the project's code (begin_step / end_step).
        self.step = None
        self.backend = None

    # Where a code object's lines are in the project: (file, offset), or None for runtime code.
    def place(self, code):
        name = code.co_filename
        if name in ("<exec>", "<stdin>"):
            if code.co_name == "<module>":
                if self.user_module is None:
                    self.user_module = _key(code)
                elif _key(code) != self.user_module:
                    return None
            return (self.script_file, self.script_offset) if self.script_file else None
        for file in self.by_file:
            if name == file or name.endswith("/" + file):
                return (file, 0)
        return None

    def points_for(self, code):
        key = _key(code)
        points = self.seen.get(key)
        if points is None:
            points = {}
            where = self.place(code)
            if where:
                file, offset = where
                # Only the breakpoints on this code's own lines (CPython knows them; MicroPython's
                # code objects do not say, so every one of the file's is checked there).
                own = None
                if hasattr(code, "co_lines"):
                    own = set(line for _, _, line in code.co_lines() if line is not None)
                for line, point in self.by_file.get(file, {}).items():
                    if own is None or line - offset in own:
                        points[line - offset] = point
            self.seen[key] = points
        return points

    def trace(self, frame, event, arg):
        if event != "call":
            return None
        if not self.points_for(frame.f_code) and (self.step is None or self.place(frame.f_code) is None):
            return None
        return self.local

    def local(self, frame, event, arg):
        if event == "line":
            self.on_line(frame, frame.f_code, frame.f_lineno)
        return self.local

    # A line event in traced code (both backends). True when something was done here.
    def on_line(self, frame, code, line):
        point = self.points_for(code).get(line)
        try:
            if point is not None:
                self.stop(frame, point)
                return True
            if self.step is not None and self.ends_step(frame):
                self.stop_step(frame)
                return True
        except Exception as error:  # the debugger must never fail the user's code
            _warn("Loom's debugger failed at line %s: %s" % (line, error))
        return False

    def ends_step(self, frame):
        if self.place(frame.f_code) is None:
            return False
        mode, depth = self.step
        here = _depth(frame)
        return mode == "into" or (mode == "over" and here <= depth) or (mode == "out" and here < depth)

    def stop_step(self, frame):
        where = self.where(frame)
        self.answer(frame, self.send(frame, {"file": where["file"], "line": where["line"]}, {"step": True}))

    # What the user said to a paused thread: go on, or step.
    def answer(self, frame, action):
        mode = action.get("step") if isinstance(action, dict) else None
        if mode in ("into", "over", "out"):
            self.step = (mode, _depth(frame))
            self.begin_step(frame)
        elif self.step is not None:
            self.step = None
            self.end_step()

    def begin_step(self, frame):
        if self.backend is not None:
            self.backend.begin_step()
            return
        # settrace: the frames already running get line events too (a step may return to them).
        walker = frame
        while walker is not None:
            if self.place(walker.f_code) is not None:
                try:
                    walker.f_trace = self.local
                except Exception:
                    pass
            walker = getattr(walker, "f_back", None)

    def end_step(self):
        if self.backend is not None:
            self.backend.end_step()

    def stop(self, frame, point):
        if point.get("_recorded", 0) >= _RECORDED_PER_POINT:
            return
        condition = point.get("condition")
        local_names = getattr(frame, "f_locals", None)
        if condition:
            try:
                if not eval(condition, frame.f_globals, local_names if local_names is not None else {}):
                    return
            except Exception as error:
                self.send(frame, point, {"conditionError": "%s: %s" % (type(error).__name__, error)})
                return
        extra = {}
        expression = point.get("log")
        if expression:
            try:
                extra["value"] = _short(eval(expression, frame.f_globals, local_names if local_names is not None else {}))
            except Exception as error:
                extra["valueError"] = "%s: %s" % (type(error).__name__, error)
        point["_recorded"] = point.get("_recorded", 0) + 1
        if point["_recorded"] == _RECORDED_PER_POINT:
            extra["lastRecorded"] = True
        answer = self.send(frame, point, extra)
        if not expression:
            self.answer(frame, answer)

    def where(self, frame):
        place = self.place(frame.f_code)
        if place is None:
            return None
        file, offset = place
        return {"file": file, "line": frame.f_lineno + offset, "function": frame.f_code.co_name}

    def send(self, frame, point, extra):
        self.hits += 1
        stack = []
        walker = frame
        while walker is not None and len(stack) < _STACK_LIMIT:
            here = self.where(walker)
            if here is not None:
                stack.append(here)
            walker = getattr(walker, "f_back", None)
        hit = {"thread": self.thread, "file": point["file"], "line": int(point["line"]),
               "function": frame.f_code.co_name, "stack": stack}
        local_names = getattr(frame, "f_locals", None)
        if local_names is None:
            hit["localsMissing"] = "this interpreter's settrace gives no frame locals"
        else:
            shown = {}
            for name in local_names:
                if len(shown) >= _LOCALS_LIMIT:
                    break
                if not name.startswith("__"):
                    shown[name] = _short(local_names[name])
            hit["locals"] = shown
        if point.get("log"):
            hit["log"] = point["log"]
        for key in extra:
            hit[key] = extra[key]
        return _post(self.endpoint, hit)


def _warn(text):
    try:
        import js

        js.console.warn(text)
    except Exception:
        pass


def _json(value):
    import json

    return json.dumps(value)


def _depth(frame):
    depth = 0
    while frame is not None:
        depth += 1
        frame = getattr(frame, "f_back", None)
    return depth


def _post(endpoint, hit):
    # Synchronous, so a paused thread waits here; from Python through the `js` module. The answer
    # is what the thread does next ({"action": "continue"}, or a step).
    import js
    import json

    request = js.XMLHttpRequest.new()
    request.open("POST", endpoint, False)
    request.setRequestHeader("Content-Type", "application/json")
    try:
        request.send(_json(hit))
        return json.loads(str(request.responseText))
    except Exception:
        return {}  # the run ended under us: go on


class _Monitor:
    """The sys.monitoring backend: PY_START once per code object, LINE only where it matters."""

    def __init__(self, debugger):
        self.debugger = debugger
        self.monitoring = sys.monitoring
        self.tool = self.monitoring.DEBUGGER_ID
        events = self.monitoring.events
        self.monitoring.use_tool_id(self.tool, "loom")
        self.monitoring.register_callback(self.tool, events.PY_START, self.started)
        self.monitoring.register_callback(self.tool, events.LINE, self.line)
        self.monitoring.set_events(self.tool, events.PY_START)

    def started(self, code, offset):
        if self.debugger.points_for(code):
            self.monitoring.set_local_events(self.tool, code, self.monitoring.events.LINE)
        return self.monitoring.DISABLE

    def line(self, code, line):
        debugger = self.debugger
        if debugger.points_for(code).get(line) is None and (debugger.step is None or debugger.place(code) is None):
            return self.monitoring.DISABLE
        debugger.on_line(sys._getframe(1), code, line)
        return None

    # Stepping: line events for all code until the step ends (locations disabled before come back).
    def begin_step(self):
        events = self.monitoring.events
        self.monitoring.set_events(self.tool, events.PY_START | events.LINE)
        self.monitoring.restart_events()

    def end_step(self):
        self.monitoring.set_events(self.tool, self.monitoring.events.PY_START)


def start(config, thread, script):
    debugger = _Debugger(config, thread, script)
    if hasattr(sys, "monitoring"):
        # A thread runs one tracer: a later script of the same interpreter (main thread) takes
        # the tool over from the previous one.
        if sys.monitoring.get_tool(sys.monitoring.DEBUGGER_ID) == "loom":
            sys.monitoring.set_events(sys.monitoring.DEBUGGER_ID, 0)
            sys.monitoring.free_tool_id(sys.monitoring.DEBUGGER_ID)
        debugger.backend = _Monitor(debugger)
    else:
        sys.settrace(debugger.trace)
    return debugger


def _boot():
    import json

    try:
        config = json.loads(_LOOM_CONFIG)  # noqa: F821 (given by the hook)
        if _LOOM_WHERE == "worker":  # noqa: F821
            # Which script this worker runs is known on the main thread (debugger.js).
            info = json.loads(str(__import__("polyscript").xworker.sync.__loom_debug_script()))
        else:
            import js

            info = json.loads(str(js.globalThis.__loomDebugScript))
        if not hasattr(sys, "settrace") and not hasattr(sys, "monitoring"):
            _post(config["endpoint"], {"thread": info["thread"], "unavailable":
                  "this interpreter has neither sys.monitoring nor sys.settrace"})
            return
        start(config, info["thread"], info)
    except Exception as error:
        import js

        js.console.warn("Loom's debugger could not start in this interpreter: %s" % error)


if __name__ == "_loom_debug":
    _boot()
