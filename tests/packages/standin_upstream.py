"""A stand-in for Pyodide's CDN folder, for the package tests (these machines have no network).

    python3 standin_upstream.py RUNTIME_DIR WORK_DIR [--no-serve]

Builds small wheels in WORK_DIR/full/: `micropip` (a stand-in for Pyodide's own: PyScript calls
loadPackage("micropip") and micropip.install(packages); this one installs what the lock lists
through pyodide_js.loadPackage, as Pyodide's does, and anything else as the real one does: from
PyPI's simple JSON index at https://pypi.org/simple/<name>/ and the wheel it names on
files.pythonhosted.org, checked against the index's sha256), `loomtest` (one function, in the
lock) and `loomtest-pure` (only "on PyPI": served at /simple/loomtest-pure/ and /packages/…). Writes WORK_DIR/runtime/, a copy of Loom's vendored runtime (links) whose
pyodide-lock.json lists both wheels with their real sha256, so Pyodide really checks and
installs what it is served. Then serves WORK_DIR/full/ on 127.0.0.1 (any free port, printed as
the first line) until killed; each request is logged to WORK_DIR/requests.log.
"""
import hashlib
import http.server
import io
import json
import os
import sys
import zipfile


def wheel(name, version, files):
    buffer = io.BytesIO()
    dist = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in files.items():
            z.writestr(path, text)
        z.writestr(f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        z.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: loom-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{dist}/RECORD", "")
    return buffer.getvalue()


MICROPIP = '''
import hashlib
import importlib
import json
import site
import zipfile
from io import BytesIO

import pyodide_js
from js import JSON
from pyodide.http import pyfetch

SIMPLE = "application/vnd.pypi.simple.v1+json, */*;q=0.01"


async def install(requirements, keep_going=False, **options):
    names = [requirements] if isinstance(requirements, str) else list(requirements)
    locked = json.loads(JSON.stringify(pyodide_js.lockfile))["packages"]
    from_lock = [n for n in names if n.lower() in locked]
    if from_lock:
        await pyodide_js.loadPackage(from_lock)
    for name in names:
        if name.lower() not in locked:
            await _install_from_index(name)
    importlib.invalidate_caches()


async def _install_from_index(name):
    # As the real micropip: PyPI's simple index (PEP 691 JSON), a pure-Python wheel from it,
    # checked against the index's sha256, unpacked into site-packages.
    index = await (await pyfetch(f"https://pypi.org/simple/{name}/", headers={"Accept": SIMPLE})).json()
    wheel = [f for f in index["files"] if f["filename"].endswith("-py3-none-any.whl")][-1]
    data = await (await pyfetch(wheel["url"])).bytes()
    if hashlib.sha256(data).hexdigest() != wheel["hashes"]["sha256"]:
        raise ValueError(f"{wheel['filename']}: sha256 does not match the index")
    zipfile.ZipFile(BytesIO(data)).extractall(site.getsitepackages()[0])


def set_index_urls(urls):
    pass


def freeze():
    # PyScript keeps this in its packages_cache and hands it to loadPyodide as lockFileContents
    # on the next start in the same browser profile. As the real micropip's freeze(): Pyodide's
    # lock with each file name made absolute against the lock's base URL.
    import json
    from urllib.parse import urljoin
    from js import JSON
    lock = json.loads(JSON.stringify(pyodide_js.lockfile))
    for package in lock["packages"].values():
        package["file_name"] = urljoin(pyodide_js.lockfileBaseUrl, package["file_name"])
    return json.dumps(lock)
'''

LOOMTEST = '''
def answer():
    return 6 * 7
'''

LOOMTEST_PURE = '''
def answer():
    return "pure " + str(3 + 4)
'''

# A project only PyPI has: its index page (PEP 691) names the wheel on files.pythonhosted.org.
PYPI_WHEEL = "loomtest_pure-1.0-py3-none-any.whl"
PYPI_PATH = "packages/4c/7e/0123456789abcdef/" + PYPI_WHEEL


def main():
    runtime, work = sys.argv[1], sys.argv[2]
    full = os.path.join(work, "full")
    os.makedirs(full, exist_ok=True)
    wheels = {
        "micropip": ("0.11.1", wheel("micropip", "0.11.1", {"micropip/__init__.py": MICROPIP})),
        "loomtest": ("1.0", wheel("loomtest", "1.0", {"loomtest/__init__.py": LOOMTEST})),
    }
    manifest = json.load(open(os.path.join(runtime, "runtime.json")))
    copy = os.path.join(work, "runtime")
    os.makedirs(copy, exist_ok=True)
    with open(os.path.join(copy, "runtime.json"), "w") as f:
        json.dump(manifest, f)
    for key, entry in manifest.items():
        os.makedirs(os.path.join(copy, entry["dir"]), exist_ok=True)
        for name in entry["files"] + [entry[extra] for extra in ("precompiledStdlib", "notices") if extra in entry]:
            target = os.path.join(copy, entry["dir"], name)
            if not (key == "pyodide" and name == "pyodide-lock.json") and not os.path.exists(target):
                os.symlink(os.path.join(os.path.abspath(runtime), entry["dir"], name), target)
    pyodide_dir = manifest["pyodide"]["dir"]
    lock = json.load(open(os.path.join(runtime, pyodide_dir, "pyodide-lock.json")))
    for name, (version, data) in wheels.items():
        file_name = f"{name}-{version}-py3-none-any.whl"
        with open(os.path.join(full, file_name), "wb") as f:
            f.write(data)
        lock["packages"][name] = {"name": name, "version": version, "file_name": file_name,
                                  "sha256": hashlib.sha256(data).hexdigest(), "depends": [],
                                  "imports": [name], "install_dir": "site", "package_type": "package",
                                  "unvendored_tests": False}
    with open(os.path.join(copy, pyodide_dir, "pyodide-lock.json"), "w") as f:
        json.dump(lock, f)
    pure = wheel("loomtest_pure", "1.0", {"loomtest_pure/__init__.py": LOOMTEST_PURE})
    os.makedirs(os.path.join(full, os.path.dirname(PYPI_PATH)), exist_ok=True)
    with open(os.path.join(full, PYPI_PATH), "wb") as f:
        f.write(pure)
    index = {"meta": {"api-version": "1.1"}, "name": "loomtest-pure", "versions": ["1.0"],
             "files": [{"filename": PYPI_WHEEL, "url": "https://files.pythonhosted.org/" + PYPI_PATH,
                        "hashes": {"sha256": hashlib.sha256(pure).hexdigest()}, "requires-python": ">=3.8",
                        "size": len(pure), "yanked": False}]}
    simple = {"/simple/loomtest-pure/": json.dumps(index).encode()}
    if "--no-serve" in sys.argv:
        return

    log = open(os.path.join(work, "requests.log"), "a", buffering=1)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            log.write(self.path + "\n")

        def do_GET(self):
            if not self.path.startswith("/simple/"):
                return super().do_GET()
            body = simple.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=full))
    print(server.server_address[1], flush=True)
    server.serve_forever()


main()
