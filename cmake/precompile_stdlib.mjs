// Writes Pyodide's standard library with its bytecode: every entry of npm's python_stdlib.zip as
// it is, and after each module's source the module compiled by this very Pyodide (so by the
// CPython its pages run) as an unchecked-hash .pyc. zipimport takes a .pyc before its .py, so a
// page's interpreter no longer compiles the modules it imports at start-up (about 1.4 s of a
// Pyodide worker's start, BENCHMARKS.md). The sources stay: tracebacks and inspect show them as
// before. Loom's server answers the runtime's python_stdlib.zip with this file (runtime.json,
// "precompiledStdlib"); exports ship npm's unless `loom export --compiled-stdlib`.
//
//   node precompile_stdlib.mjs PYODIDE_DIR OUTPUT_ZIP
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pyodideDir, output] = process.argv.slice(2);
if (!pyodideDir || !output) {
  console.error('usage: node precompile_stdlib.mjs PYODIDE_DIR OUTPUT_ZIP');
  process.exit(2);
}
const indexURL = resolve(pyodideDir) + '/';
const { loadPyodide } = await import(pathToFileURL(indexURL + 'pyodide.mjs').href);
const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: (line) => console.error(line) });

// The archive's path in Pyodide's file system is the name every module's code carries
// (co_filename), as when zipimport compiles the source itself; entries keep their dates, so the
// output depends on the input alone.
const counts = pyodide.runPython(`
import importlib.util, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
archive = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip"
compiled = skipped = 0
with zipfile.ZipFile(archive) as source, zipfile.ZipFile("/tmp/out.zip", "w") as out:
    names = set(source.namelist())
    for info in source.infolist():
        data = source.read(info)
        out.writestr(info, data, compress_type=info.compress_type)
        if not info.filename.endswith(".py") or info.filename + "c" in names:
            continue
        try:
            code = compile(data, f"{archive}/{info.filename}", "exec", dont_inherit=True)
        except SyntaxError:
            skipped += 1  # zipimport compiles it, and raises, as before
            continue
        pyc = zipfile.ZipInfo(info.filename + "c", info.date_time)
        pyc.external_attr = info.external_attr
        out.writestr(pyc, bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)),
                     compress_type=zipfile.ZIP_DEFLATED)
        compiled += 1
[compiled, skipped, sys.version.split()[0]]
`).toJs();
const [compiled, skipped, version] = counts;
if (compiled === 0) {
  console.error('precompile_stdlib: no module compiled');
  process.exit(1);
}
writeFileSync(output + '.part', pyodide.FS.readFile('/tmp/out.zip'));
renameSync(output + '.part', output);
console.log(`precompile_stdlib: ${compiled} modules compiled by Python ${version}${skipped ? `, ${skipped} left as source` : ''}`);
