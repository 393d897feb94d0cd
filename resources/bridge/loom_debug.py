"""Loom's Python debugger, inside the page: one copy in each interpreter of a debug run (the main
thread's and every worker's), started by PyScript's codeBeforeRun hook before the user's code.

In CPython (Pyodide) it uses sys.monitoring: each code object is looked at once, when it first
starts, and only one with a breakpoint gets line events (every other location is disabled, so
code without breakpoints runs at full speed). MicroPython's settrace build (the one PyScript loads
for `debug = true`) has sys.settrace: the same decisions, made by a trace function. At a breakpoint it
collects the stack (project frames mapped to file and line, runtime frames left out) and the
locals, and tells Loom's server with a synchronous request; the answer says what to do next:
continue, a step, or evaluate an expression in one of the stack's frames (the thread stays paused
and reports the value). A log point evaluates its expression in the frame and reports the value.
With sys.monitoring it also pauses where an exception leaves the project's code (uncaught: no
project frame is left to catch it) or, when asked, wherever the project's code raises one.

It binds no name in the user's namespace: debugger.js's codeBeforeRun hook execs this file in a
dict of its own, with _LOOM_CONFIG (the run's breakpoints, as JSON) and _LOOM_WHERE ("main" or
"worker"), and _boot() starts it.
Written for both interpreters: no f-strings with `=`, no walrus, no dataclasses.
"""

import sys

_REPR_LIMIT = 200
_LOCALS_LIMIT = 40
_STACK_LIMIT = 30
_FRAMES_WITH_LOCALS = 8
_GLOBALS_LIMIT = 60
_CHILDREN_LIMIT = 20
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
    if kind == "ndarray":  # numpy: its own repr is already summarised; say its shape first
        try:
            head = "ndarray shape=%s dtype=%s " % (tuple(value.shape), value.dtype)
        except Exception:
            head = ""
        text = head + _repr(value)
        return text if len(text) <= _REPR_LIMIT else text[:_REPR_LIMIT] + "..."
    text = _repr(value)
    return text if len(text) <= _REPR_LIMIT else text[:_REPR_LIMIT] + "..."


def _repr(value):
    try:
        return repr(value)
    except Exception as error:  # a __repr__ that raises
        return "<repr failed: %s>" % type(error).__name__


# A value's parts, one level down, for the Debug dock's tree: items of a list, tuple, set or dict,
# an object's attributes. Never a JavaScript object's (see _short), never a numpy array's (its
# summary says more), never a string's.
def _children(value):
    kind = type(value).__name__
    if kind.startswith("Js") or kind in ("str", "bytes", "bytearray", "ndarray", "module", "function"):
        return None
    parts = []
    try:
        if isinstance(value, dict):
            for key in value:
                if len(parts) >= _CHILDREN_LIMIT:
                    break
                parts.append([_short(key), _short(value[key])])
        elif isinstance(value, (list, tuple)):
            for index in range(min(len(value), _CHILDREN_LIMIT)):
                parts.append(["[%d]" % index, _short(value[index])])
        elif isinstance(value, (set, frozenset)):
            for item in value:
                if len(parts) >= _CHILDREN_LIMIT:
                    break
                parts.append(["", _short(item)])
        else:
            attributes = getattr(value, "__dict__", None)
            if not isinstance(attributes, dict) or kind == "type":
                return None
            for name in attributes:
                if len(parts) >= _CHILDREN_LIMIT:
                    break
                if not name.startswith("__"):
                    parts.append([name, _short(attributes[name])])
    except Exception:
        return None
    return parts or None


# Variables as the Debug dock shows them: {name: repr}, and {name: [[part, repr], ...]} for those
# with parts to expand.
def _variables(names, limit, skip_modules=False):
    shown = {}
    parts = {}
    for name in names:
        if len(shown) >= limit:
            break
        if name.startswith("__"):
            continue
        value = names[name]
        if skip_modules and type(value).__name__ == "module":
            continue
        shown[name] = _short(value)
        children = _children(value)
        if children:
            parts[name] = children
    return shown, parts


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
        # Pausing on exceptions (sys.monitoring only): "uncaught", "raised" or "none".
        self.exceptions = config.get("exceptions") or "none"

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
        point = {"file": where["file"], "line": where["line"]}
        frames = self.frames(frame)
        self.answer(frame, self.serve(frames, point, self.send(frames, point, {"step": True})))

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
        if condition:
            try:
                if not _evaluate(condition, frame):
                    return
            except Exception as error:
                text = _error_text(error)
                if getattr(frame, "f_locals", None) is None and isinstance(error, NameError):
                    text = "this interpreter's settrace gives no frame locals, so a condition sees globals only (%s)" % text
                self.send(self.frames(frame), point, {"conditionError": text})
                return
        # A hit condition, as debugpy reads it: "5" (the 5th time), "==5", ">5", ">=5", "%5" (every
        # 5th). Counted when the condition holds.
        point["_hits"] = point.get("_hits", 0) + 1
        if not _hit_condition_met(point.get("hitCondition"), point["_hits"]):
            return
        extra = {}
        expression = point.get("log")
        if expression:
            try:
                extra["value"] = _short(_evaluate(expression, frame))
            except Exception as error:
                extra["valueError"] = _error_text(error)
        point["_recorded"] = point.get("_recorded", 0) + 1
        if point["_recorded"] == _RECORDED_PER_POINT:
            extra["lastRecorded"] = True
        frames = self.frames(frame)
        answer = self.send(frames, point, extra)
        if not expression:
            self.answer(frame, self.serve(frames, point, answer))

    # An exception at a project frame: raised there, or leaving it for code that is not the
    # project's (the exception is uncaught as far as the project is concerned). An uncaught one
    # pauses where it was raised: its traceback keeps the frames it left, with their locals.
    def on_exception(self, frame, error, how):
        if isinstance(error, (StopIteration, StopAsyncIteration, GeneratorExit)) or not isinstance(error, Exception):
            return
        # Pyodide returns a script's last value by raising it out of the script's code
        # (_pyodide._base.EvalCodeResultException): flow, not an error.
        if getattr(type(error), "__module__", "").startswith("_pyodide"):
            return
        if self.place(frame.f_code) is None:
            return
        frames = self.frames(frame)
        if how == "uncaught":
            caller = frame.f_back
            if caller is not None and self.place(caller.f_code) is not None:
                return  # the project's caller may catch it; if not, it pauses there
            inner = []
            tb = getattr(error, "__traceback__", None)
            while tb is not None:
                if tb.tb_frame is not frame and self.place(tb.tb_frame.f_code) is not None:
                    inner.insert(0, (tb.tb_frame, tb.tb_lineno, 0))
                tb = tb.tb_next
            frames = inner + frames
        where = self.where(frames[0][0], frames[0][1])
        point = {"file": where["file"], "line": where["line"]}
        try:
            extra = {"exception": _error_text(error), "exceptionKind": how}
            self.answer(frame, self.serve(frames, point, self.send(frames, point, extra)))
        except Exception as failure:  # the debugger must never fail the user's code
            _warn("Loom's debugger failed at an exception: %s" % failure)

    # The project's frames from this one outwards: [(frame, line)], innermost first.
    # Runtime frames (PyScript's, Pyodide's, the standard library's) are folded: each project
    # frame counts those between it and the next inner one, and (None, 0, n) ends the list with
    # those below the outermost (the runtime that called into the project).
    def frames(self, frame):
        found = []
        folded = 0
        walker = frame
        while walker is not None and len(found) < _STACK_LIMIT:
            if self.place(walker.f_code) is not None:
                found.append((walker, walker.f_lineno, folded))
                folded = 0
            else:
                folded += 1
            walker = getattr(walker, "f_back", None)
        found.append((None, 0, folded))
        return found

    # While the user evaluates expressions, the thread stays paused: each answer to an
    # evaluation is a new pause at the same place, with the value.
    def serve(self, frames, point, answer):
        rounds = 0
        while isinstance(answer, dict) and answer.get("action") == "evaluate" and rounds < 1000:
            rounds += 1
            expression = str(answer.get("expression") or "")
            index = answer.get("frame") if isinstance(answer.get("frame"), int) else 0
            target = frames[index][0] if 0 <= index < len(frames) and frames[index][0] is not None else frames[0][0]
            result = {"expression": expression, "frame": index}
            try:
                result["value"] = _short(_evaluate(expression, target))
            except Exception as error:
                result["error"] = _error_text(error)
            answer = self.send(frames, point, {"evaluated": result})
        return answer

    def where(self, frame, line=None):
        place = self.place(frame.f_code)
        if place is None:
            return None
        file, offset = place
        return {"file": file, "line": (frame.f_lineno if line is None else line) + offset,
                "function": frame.f_code.co_name}

    # frames: the project's frames, innermost first, as self.frames() gives them.
    def send(self, frames, point, extra):
        self.hits += 1
        stack = []
        hit_folded_outer = 0
        for index, (walker, line, folded) in enumerate(frames):
            if walker is None:
                if folded:
                    hit_folded_outer = folded
                continue
            here = self.where(walker, line)
            if folded:
                here["folded"] = folded
            # The outer frames' locals too (the dock shows the selected frame's).
            if 0 < index < _FRAMES_WITH_LOCALS and getattr(walker, "f_locals", None) is not None:
                here["locals"] = _variables(walker.f_locals, _LOCALS_LIMIT)[0]
            stack.append(here)
        frame = frames[0][0]
        hit = {"thread": self.thread, "file": point["file"], "line": int(point["line"]),
               "function": frame.f_code.co_name, "stack": stack}
        if hit_folded_outer:
            hit["foldedOuter"] = hit_folded_outer
        local_names = getattr(frame, "f_locals", None)
        if local_names is None:
            hit["localsMissing"] = "this interpreter's settrace gives no frame locals"
        else:
            hit["locals"], parts = _variables(local_names, _LOCALS_LIMIT)
            if parts:
                hit["parts"] = parts
        global_names = getattr(frame, "f_globals", None)
        if global_names is not None and global_names is not local_names:
            hit["globals"] = _variables(global_names, _GLOBALS_LIMIT, skip_modules=True)[0]
        if point.get("log"):
            hit["log"] = point["log"]
        for key in extra:
            hit[key] = extra[key]
        return _post(self.endpoint, hit)


def _evaluate(expression, frame):
    local_names = getattr(frame, "f_locals", None)
    return eval(expression, frame.f_globals, local_names if local_names is not None else {})


def _error_text(error):
    return "%s: %s" % (type(error).__name__, error)


def _hit_condition_met(condition, hits):
    if not condition:
        return True
    text = str(condition).replace(" ", "")
    for prefix, test in ((">=", lambda n: hits >= n), ("==", lambda n: hits == n), (">", lambda n: hits > n),
                         ("%", lambda n: n > 0 and hits % n == 0)):
        if text.startswith(prefix):
            try:
                return test(int(text[len(prefix):]))
            except ValueError:
                return True  # Loom refuses such a condition before the run; never stop the code for it
    try:
        return hits == int(text)
    except ValueError:
        return True


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
        # Exceptions are global events: they cost only when an exception is raised or unwinds.
        self.events = events.PY_START
        if debugger.exceptions == "uncaught":
            self.monitoring.register_callback(self.tool, events.PY_UNWIND, self.unwound)
            self.events |= events.PY_UNWIND
        elif debugger.exceptions == "raised":
            self.monitoring.register_callback(self.tool, events.RAISE, self.raised)
            self.events |= events.RAISE
        self.monitoring.set_events(self.tool, self.events)

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

    def unwound(self, code, offset, error):
        self.debugger.on_exception(sys._getframe(1), error, "uncaught")

    def raised(self, code, offset, error):
        self.debugger.on_exception(sys._getframe(1), error, "raised")

    # Stepping: line events for all code until the step ends (locations disabled before come back).
    def begin_step(self):
        self.monitoring.set_events(self.tool, self.events | self.monitoring.events.LINE)
        self.monitoring.restart_events()

    def end_step(self):
        self.monitoring.set_events(self.tool, self.events)


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
        if debugger.exceptions != "none":
            # MicroPython's settrace sends "exception" without the exception, and cannot say
            # whether it will be caught: rather than pause at every handled one, say so once.
            _post(debugger.endpoint, {"thread": thread, "notice":
                  "this interpreter's settrace cannot tell which exceptions are caught: "
                  "this thread does not pause on exceptions"})
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
