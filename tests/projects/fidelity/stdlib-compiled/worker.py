# Where json, and a module it imports in turn, came from, and what an error through them shows.
import json
import traceback


def imported_from():
    try:
        json.loads("[1, 2")
    except ValueError:
        print(traceback.format_exc(), end="")
    return f"json from {json.__spec__.origin}, decoder from {json.decoder.__file__}"


__export__ = ["imported_from"]
