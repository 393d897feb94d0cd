import json
import logging
import traceback

try:
    json.loads("{")
except ValueError:
    traceback.print_exc()  # at start-up: the worker still starts


def parse(text):
    try:
        return json.loads(text)
    except ValueError:
        logging.exception("could not parse %r", text)
        return None


__export__ = ["parse"]
