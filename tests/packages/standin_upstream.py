"""A stand-in for Pyodide's CDN folder, for the package tests (these machines have no network).

    python3 standin_upstream.py RUNTIME_DIR WORK_DIR [--no-serve]

Builds two small wheels in WORK_DIR/full/: `micropip` (a stand-in for Pyodide's own: PyScript
calls loadPackage("micropip") and micropip.install(packages); this one installs through
pyodide_js.loadPackage, which is what Pyodide does for packages its lock lists) and `loomtest`
(one function). Writes WORK_DIR/runtime/, a copy of Loom's vendored runtime (links) whose
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
import pyodide_js


async def install(requirements, options=None):
    names = [requirements] if isinstance(requirements, str) else list(requirements)
    await pyodide_js.loadPackage(names)


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
        for name in entry["files"]:
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
    if "--no-serve" in sys.argv:
        return

    log = open(os.path.join(work, "requests.log"), "a", buffering=1)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            log.write(self.path + "\n")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=full))
    print(server.server_address[1], flush=True)
    server.serve_forever()


main()
