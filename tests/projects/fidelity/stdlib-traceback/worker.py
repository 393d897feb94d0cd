# Errors and sources through the standard library: the lines a traceback shows come from the
# stdlib's sources, whichever form of the archive the interpreter imported them from.
import inspect
import json
import traceback


def failed_parse():
    try:
        json.loads('{"a": ')
    except json.JSONDecodeError as error:
        print(traceback.format_exc(), end="")
        return f"{type(error).__name__}: {error}"


def source_line():
    return inspect.getsource(json.dumps).splitlines()[0]


__export__ = ["failed_parse", "source_line"]
