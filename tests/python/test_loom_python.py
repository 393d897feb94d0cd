"""Quick tests of Loom's Python modules (resources/python): the checks, the completion and
loom_source, the definition of a PyScript script both share.

Run inside the build environment (CPython 3.13 with python3-jedi):

    ./dev.sh shell python3 -m unittest /work/main/tests/python/test_loom_python.py

The C++ test (tests/runtime) is the real one; this is the fast loop. `build_request` makes the
request the C++ side makes from a project's files, so the same rows (tests/runtime/
check_cases.json) and the samples can be checked here.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
import time
import unittest
from html.parser import HTMLParser
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "resources", "python"))

import loom_analysis  # noqa: E402
import loom_complete  # noqa: E402
import loom_source  # noqa: E402

CASES = os.path.join(REPO, "tests", "runtime", "check_cases.json")
SAMPLES = os.path.join(REPO, "samples")


# --------------------------------------------------------------------------------------------
# The request, built from a project's files as Loom's C++ side does
# --------------------------------------------------------------------------------------------


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and 0-based column of an offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1)


class _PageScripts(HTMLParser):
    """<script type="py|mpy"> elements with their attributes, text and positions."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.scripts: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if attributes.get("type") not in ("py", "mpy"):
            return
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self._open = {
            "attributes": attributes,
            "tag_offset": start,
            "raw": raw,
            "text_offset": start + len(raw),
            "text": [],
        }

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self._open["text"] = "".join(self._open["text"])
            self.scripts.append(self._open)
            self._open = None


def build_request(files: dict[str, str], offline: bool = True, page: str = "index.html") -> dict[str, Any]:
    html = files[page]
    parser = _PageScripts(html)
    parser.feed(html)
    parser.close()
    page_dir = posixpath.dirname(page)
    scripts = []
    for element in parser.scripts:
        attributes = element["attributes"]
        tag_line, _ = _line_col(html, element["tag_offset"])
        src = attributes.get("src")
        if src:
            path = posixpath.normpath(posixpath.join(page_dir, src))
            code = files.get(path, "")
            file, first_line, first_column, inline = path, 1, 0, False
        else:
            code = element["text"]
            first_line, first_column = _line_col(html, element["text_offset"])
            file, inline = page, True
        config = None
        if "config" in attributes:
            value = attributes["config"].strip()
            if value.startswith("{") and value.endswith("}"):
                raw = element["raw"]
                match = re.search(r"config\s*=\s*(['\"]?)", raw)
                value_offset = element["tag_offset"] + (match.end() if match else 0)
                text = attributes["config"]
                line, column = _line_col(html, value_offset)
                config = {"file": page, "line": line, "column": column, "format": "json", "text": text}
            else:
                path = posixpath.normpath(posixpath.join(page_dir, value))
                fmt = "toml" if path.endswith(".toml") else "json"
                config = {"file": path, "line": 1, "column": 0, "format": fmt, "text": files.get(path, "")}
            if config["format"] == "json":
                try:
                    json.loads(config["text"])
                    config["parsed"] = True
                except ValueError:
                    config["parsed"] = False
            else:
                config["parsed"] = True
        scripts.append(
            {
                "file": file,
                "firstLine": first_line,
                "firstColumn": first_column,
                "inline": inline,
                "code": code,
                "type": attributes.get("type"),
                "worker": "worker" in attributes,
                "name": attributes.get("name", ""),
                "tagLine": tag_line,
                "config": config,
            }
        )
    python_files = {path: text for path, text in files.items() if path.endswith(".py")}
    return {"offline": offline, "page": page, "scripts": scripts, "files": python_files}


def read_project(folder: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for root, _, names in os.walk(folder):
        for name in names:
            if name.endswith((".html", ".py", ".toml", ".json")):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as handle:
                    files[os.path.relpath(path, folder).replace(os.sep, "/")] = handle.read()
    return files


def check(files: dict[str, str], offline: bool = True) -> list[dict[str, Any]]:
    return json.loads(loom_analysis.check_project(json.dumps(build_request(files, offline))))


# --------------------------------------------------------------------------------------------
# check_project
# --------------------------------------------------------------------------------------------


def _key(diagnostic: dict[str, Any], with_column: bool) -> tuple[Any, ...]:
    base = (diagnostic["file"], diagnostic["line"], diagnostic["severity"], diagnostic["code"])
    return base + ((diagnostic["column"],) if with_column else ())


class CheckCases(unittest.TestCase):
    """Every row of tests/runtime/check_cases.json, as the C++ test reads them."""

    def test_rows(self) -> None:
        with open(CASES, encoding="utf-8") as handle:
            rows = json.load(handle)
        self.assertGreaterEqual(len(rows), 30)
        for row in rows:
            with self.subTest(row["name"]):
                got = check(row["files"], row.get("offline", True))
                expected = row["expect"]
                # Same set of (file, line, severity, code); columns where the row gives them.
                self.assertEqual(
                    sorted(_key(d, False) for d in got),
                    sorted(_key(e, False) for e in expected),
                    json.dumps(got, indent=1),
                )
                for wanted in expected:
                    if "column" in wanted:
                        self.assertIn(_key(wanted, True), [_key(d, True) for d in got], json.dumps(got, indent=1))
                for diagnostic in got:
                    self.assertTrue(diagnostic["message"].strip())

    def test_kinds_covered(self) -> None:
        with open(CASES, encoding="utf-8") as handle:
            rows = json.load(handle)
        counts: dict[str, int] = {}
        clean = 0
        for row in rows:
            clean += not row["expect"]
            for code in {e["code"] for e in row["expect"]}:
                counts[code] = counts.get(code, 0) + 1
        for code in (
            "syntax", "export-missing", "export-not-list", "export-undefined", "export-not-function",
            "unknown-worker", "not-exported", "mpy-packages", "offline-packages", "config-syntax",
            "config-unknown-key", "config-type", "duplicate-worker",
        ):
            self.assertGreaterEqual(counts.get(code, 0), 2, code)
        self.assertGreaterEqual(clean, 5)


class Samples(unittest.TestCase):
    """The samples, checked as `loom check` does: offline unless sample.json says the sample
    needs the network. All clean, except the call error-handling makes on purpose."""

    def test_samples(self) -> None:
        for name in sorted(os.listdir(SAMPLES)):
            folder = os.path.join(SAMPLES, name)
            if not os.path.isfile(os.path.join(folder, "index.html")):
                continue
            files = read_project(folder)
            offline = not json.loads(files.get("sample.json", "{}")).get("network", False)
            with self.subTest(sample=name):
                started = time.perf_counter()
                got = check(files, offline)
                elapsed = time.perf_counter() - started
                expected = {("main.py", "not-exported")} if name == "error-handling" else set()
                self.assertEqual({(d["file"], d["code"]) for d in got}, expected, got)
                self.assertLess(elapsed, 0.1)

    def test_network_samples_offline(self) -> None:
        # Run offline anyway, the numpy samples are told that their worker cannot start.
        for name, line in (("calculator", 29), ("data-numpy", 30)):
            got = check(read_project(os.path.join(SAMPLES, name)), offline=True)
            self.assertEqual([(d["file"], d["line"], d["code"]) for d in got], [("index.html", line, "offline-packages")])

    def test_error_handling_points_at_median(self) -> None:
        got = check(read_project(os.path.join(SAMPLES, "error-handling")))
        self.assertEqual(len(got), 1)
        self.assertEqual((got[0]["line"], got[0]["column"]), (114, 57))
        self.assertIn("median", got[0]["message"])
        self.assertIn("worker.py", got[0]["message"])


class CheckRobustness(unittest.TestCase):
    def test_bad_requests_do_not_raise(self) -> None:
        for request in ("", "[]", "{", '{"scripts": 5}', '{"scripts": [5, {"code": 3}]}', '{"files": {"a.py": 3}}'):
            result = json.loads(loom_analysis.check_project(request))
            self.assertIsInstance(result, list)

    def test_inline_dedent_maps_columns(self) -> None:
        html = (
            "<!DOCTYPE html>\n<html><body>\n"
            '  <script type="py">\n'
            "    x = 1\n"
            "    y = (2 +\n"
            "  </script>\n</body></html>\n"
        )
        got = check({"index.html": html})
        self.assertEqual([(d["line"], d["column"], d["code"]) for d in got], [(5, 9, "syntax")])

    def test_pyscript_dedent_keeps_lesser_indent(self) -> None:
        # PyScript strips the first line's indentation only where a line starts with it.
        html = '<script type="py">\n    x = 1\n  y = 2\n</script>\n'
        got = check({"index.html": html})
        self.assertEqual([(d["line"], d["code"]) for d in got], [(3, "syntax")])


# --------------------------------------------------------------------------------------------
# complete
# --------------------------------------------------------------------------------------------


def complete(code: str, line: int, column: int, **extra: Any) -> dict[str, Any]:
    request = {"code": code, "line": line, "column": column, "path": "main.py", "type": "py", "worker": False}
    request.update(extra)
    return json.loads(loom_complete.complete(json.dumps(request)))


class Completion(unittest.TestCase):
    def names(self, reply: dict[str, Any]) -> list[str]:
        return [c["name"] for c in reply["completions"]]

    def test_from_pyscript_import(self) -> None:
        reply = complete("from pyscript import wor", 1, 24)
        self.assertIn("workers", self.names(reply))
        entry = next(c for c in reply["completions"] if c["name"] == "workers")
        self.assertEqual(entry["complete"], "kers")
        self.assertTrue(entry["doc"])

    def test_signature_of_create_named_worker(self) -> None:
        code = "from pyscript import create_named_worker\nawait create_named_worker('./w.py', "
        reply = complete(code, 2, len(code.split("\n")[1]))
        self.assertTrue(reply["signatures"], reply)
        signature = reply["signatures"][0]
        self.assertEqual(signature["name"], "create_named_worker")
        self.assertEqual(signature["params"], ["src", "name", "config", "type"])
        self.assertEqual(signature["index"], 1)

    def test_web_page(self) -> None:
        code = "from pyscript import web\nweb."
        self.assertIn("page", self.names(complete(code, 2, 4)))
        code = "from pyscript import web\nweb.page."
        self.assertIn("find", self.names(complete(code, 2, 9)))

    def test_project_module(self) -> None:
        files = {"helpers.py": "def shout(text):\n    '''Upper-case text.'''\n    return text.upper()\n"}
        code = "import helpers\nhelpers.sh"
        reply = complete(code, 2, 10, projectFiles=files)
        self.assertIn("shout", self.names(reply))

    def test_ffi_and_when(self) -> None:
        self.assertIn("create_proxy", self.names(complete("from pyscript.ffi import cre", 1, 28)))
        self.assertIn("when", self.names(complete("import pyscript\npyscript.wh", 2, 11)))

    def test_indented_inline_script(self) -> None:
        code = "\n    from pyscript import document\n    document.getEl"
        reply = complete(code, 3, len("    document.getEl"), path="index.html")
        self.assertIn("getElementById", self.names(reply))

    def test_inside_a_page(self) -> None:
        # The editor sends the whole page when the script is inline: complete in the script.
        page = (
            "<!DOCTYPE html>\n<html><body>\n"
            "  <script type=\"mpy\" worker name=\"w\" config='{\"a\": \">\"}'>\n"
            "    from pyscript import wor\n"
            "  </script>\n"
            "  <script type=\"py\">\n"
            "    from pyscript import wor\n"
            "  </script>\n</body></html>\n"
        )
        in_worker = self.names(complete(page, 4, len("    from pyscript import wor"), path="index.html"))
        in_main = self.names(complete(page, 7, len("    from pyscript import wor"), path="index.html"))
        outside = self.names(complete(page, 2, 3, path="index.html"))
        self.assertNotIn("workers", in_worker)
        self.assertIn("workers", in_main)
        self.assertEqual(outside, [])

    def test_inside_py_script_elements(self) -> None:
        # <py-script> and <mpy-script> run Python as <script type="py|mpy"> does: the
        # checks read them, so completion must too. Their text is HTML: "&lt;" is "<" to Python.
        # The page loads PyScript with a module script, as real pages do: completion used to read
        # it as a page without Python and answer nothing.
        page = (
            "<!DOCTYPE html>\n<html><head>\n"
            '  <script type="module" src="./pyscript/core.js"></script>\n'
            "</head><body>\n"
            "  <py-script>\n"
            "    from pyscript import wor\n"
            "  </py-script>\n"
            "  <mpy-script>\n"
            "    import pyscript\n"
            "    small = 1 &lt; 2; pyscript.wh\n"
            "  </mpy-script>\n"
            "  <PY-SCRIPT worker name=\"w\">\n"
            "    from pyscript import wor\n"
            "  </PY-SCRIPT>\n</body></html>\n"
        )
        in_py_script = self.names(complete(page, 6, len("    from pyscript import wor"), path="index.html"))
        in_mpy_script = self.names(complete(page, 10, len("    small = 1 &lt; 2; pyscript.wh"), path="index.html"))
        in_worker = self.names(complete(page, 13, len("    from pyscript import wor"), path="index.html"))
        outside = self.names(complete(page, 4, 3, path="index.html"))
        self.assertIn("workers", in_py_script)
        self.assertIn("when", in_mpy_script)
        self.assertNotIn("workers", in_worker)
        self.assertEqual(outside, [])

    def test_absolute_path_reads_the_project_folder(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "helpers.py"), "w", encoding="utf-8") as handle:
                handle.write("def shout(text):\n    return text.upper()\n")
            reply = complete("import helpers\nhelpers.sh", 2, 10, path=os.path.join(folder, "main.py"))
            self.assertIn("shout", self.names(reply))

    def test_worker_gets_no_main_thread_names(self) -> None:
        names = self.names(complete("from pyscript import ", 1, 21, worker=True))
        self.assertIn("sync", names)
        self.assertNotIn("workers", names)
        self.assertNotIn("create_named_worker", names)

    def test_bad_requests_do_not_raise(self) -> None:
        for request in ("", "{", '{"code": 5}', '{"code": "x", "line": 99, "column": 99}', "[]"):
            reply = json.loads(loom_complete.complete(request))
            self.assertEqual(reply["completions"], [])

    def test_fast_after_warm_up(self) -> None:
        complete("from pyscript import wor", 1, 24)
        started = time.perf_counter()
        complete("from pyscript import web\nweb.page.", 2, 9)
        self.assertLess(time.perf_counter() - started, 1.0)


# --------------------------------------------------------------------------------------------
# loom_source: what a PyScript script is, for the checks and the completion alike
# --------------------------------------------------------------------------------------------


class SharedSource(unittest.TestCase):
    def test_page_scripts_are_pyscript_elements(self) -> None:
        page = (
            '<script type="module" src="./pyscript/core.js"></script>\n'
            '<script type="py">a = 1</script><script type=" MPY ">b = 2</script>\n'
            '<script type="pyodide" worker name="p">c = 3</script><script type=micropython>d = 4</script>\n'
            "<!-- <script type=\"py\">commented = 1</script> -->\n"
            '<py-script config=\'{"a": ">"}\'>e = 1 &lt; 2</py-script>\n'
            "<mpy-script>\n  f = 6\n</mpy-script>\n"
            '<script data-type="py">g = 7</script>\n'
        )
        scripts = loom_source.page_scripts(page)
        self.assertEqual(
            [(s.tag, s.type, s.code) for s in scripts],
            [
                ("script", "py", "a = 1"),
                ("script", "mpy", "b = 2"),
                ("script", "py", "c = 3"),
                ("script", "mpy", "d = 4"),
                ("py-script", "py", "e = 1 < 2"),
                ("mpy-script", "mpy", "\n  f = 6\n"),
            ],
        )
        self.assertEqual((scripts[2].worker, scripts[2].name), (True, "p"))
        self.assertEqual(scripts[4].attributes["config"], '{"a": ">"}')
        # Where the text starts, as the request's firstLine/firstColumn give it.
        self.assertEqual([(s.first_line, s.first_column) for s in scripts], [(2, 18), (2, 53), (3, 39), (3, 78), (5, 31), (6, 12)])

    def test_the_scan_reads_the_same_page_the_same_way(self) -> None:
        # tests/runtime/tst_models scan_knowsEveryKindOfScriptPyScriptRuns scans this page with
        # the C++ scan; both read pyscript_scripts.json.
        page = (
            '<script type="pyodide">a = 1</script>\n'
            '<script type="MicroPython" worker name="w">b = 2</script>\n'
            "<PY-SCRIPT>c = 3</PY-SCRIPT>\n"
            "<py-scripts>not python</py-scripts>\n"
            '<script type="text/python">not pyscript</script>\n'
            '<mpy-script\tconfig="c.toml">d = 4</mpy-script>\n'
        )
        self.assertEqual(
            [f"{s.type}:{s.code}" for s in loom_source.page_scripts(page)], ["py:a = 1", "mpy:b = 2", "py:c = 3", "mpy:d = 4"]
        )
        with open(os.path.join(REPO, "resources", "python", "pyscript_scripts.json"), encoding="utf-8") as f:
            definition = json.load(f)
        self.assertEqual((loom_source.SCRIPT_TYPES, loom_source.SCRIPT_ELEMENTS), (definition["types"], definition["elements"]))

    def test_script_types_are_the_checks_types(self) -> None:
        # A request's "type" is read with the same table: "pyodide" is a Pyodide script.
        for kind, expected in (("py", "py"), ("pyodide", "py"), ("mpy", "mpy"), ("micropython", "mpy")):
            self.assertEqual(loom_source.script_type(kind), expected)
        self.assertIsNone(loom_source.script_type("module"))
        request = {
            "scripts": [
                {"file": "main.py", "type": "micropython", "code": "import micropip\n"},
                {"file": "other.py", "type": "pyodide", "code": "import micropip\n"},
            ]
        }
        got = json.loads(loom_analysis.check_project(json.dumps(request)))
        self.assertEqual([(d["file"], d["code"]) for d in got], [("main.py", "mpy-packages"), ("other.py", "offline-packages")])

    def test_position_is_the_inverse_of_place(self) -> None:
        code = "\r\n    x = 'é'\r\n      y = x\r\n  z = 1\r\n"
        source = loom_source.SourceText("index.html", code, first_line=3, first_column=20, inline=True)
        self.assertEqual(source.lines, ["", "x = 'é'", "  y = x", "  z = 1", ""])
        for lineno, column in ((1, 0), (2, 0), (2, 4), (3, 6), (4, 2)):
            line, column_1 = source.place(lineno, column)
            self.assertEqual(source.position(line, column_1 - 1), (lineno, column))
        self.assertIsNone(source.position(2, 0))
        self.assertEqual(source.position(4, 99), (2, len("x = 'é'")))

    def test_script_at_maps_the_cursor(self) -> None:
        page = "<py-script>\r\n    if 1 &lt; 2: pyscript.wh\r\n</py-script>\r\n"
        element, line, column = loom_source.script_at(page, 2, len("    if 1 &lt; 2: pyscript.wh"))
        self.assertEqual((element.tag, line, column), ("py-script", 2, len("    if 1 < 2: pyscript.wh")))
        self.assertIsNone(loom_source.script_at(page, 4, 0))


class StoppableLines(unittest.TestCase):
    """Where a breakpoint can stop (loom_analysis.stoppable_lines): the debugger moves one on a line
    without code to the next of these."""

    def lines(self, sources):
        return json.loads(loom_analysis.stoppable_lines(json.dumps({"sources": sources})))

    def test_blank_comment_and_docstring_lines_cannot_stop(self) -> None:
        text = 'def f(n):\n    """Twice\n    n."""\n    # twice\n\n    return n * 2\nprint(f(2))\n'
        self.assertEqual(self.lines([{"file": "w.py", "text": text}]), {"w.py": [1, 6, 7]})

    def test_inline_script_lines_are_the_pages(self) -> None:
        # Indented as written in the page, from line 10 on (its first line is the tag's rest).
        text = "\n    x = 1\n    # note\n    y = x + 1\n"
        self.assertEqual(self.lines([{"file": "index.html", "text": text, "line": 10}]), {"index.html": [11, 13]})

    def test_what_does_not_compile_is_left_out(self) -> None:
        self.assertEqual(self.lines([{"file": "bad.py", "text": "def (:\n"}, {"file": 3}]), {})
        self.assertEqual(loom_analysis.stoppable_lines("not json"), "{}")


if __name__ == "__main__":
    unittest.main()
