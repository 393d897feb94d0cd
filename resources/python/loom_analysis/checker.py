"""The checks of a whole project: one Checker per request reads every script (sources), what
each says (facts), the workers they declare and create (project) and their configs (configs),
and reports what would fail in the browser (report)."""

from __future__ import annotations

import ast
import json
import posixpath
import re
import tomllib
from typing import Any, Callable

from loom_source import script_type

from .configs import (
    C_EXTENSION_PACKAGES,
    KNOWN_CONFIG_KEYS,
    MPY_BUILTIN_PACKAGES,
    UNKNOWN,
    Config,
    Json,
    JsonLayout,
    Placer,
    TomlLayout,
    config_type_problems,
    is_local_package,
    is_remote_url,
    package_name,
)
from .facts import CreateCall, Facts, installs_packages, literal_requirements, not_a_function
from .project import Registry, Script, WorkerSource
from .report import Diagnostic, Report, closest, quote_list
from .sources import Source, normal_path


class Checker:
    """One run of the checks over a request: loads its scripts, collects the workers, checks each
    script, create_named_worker call and config, and reports into one Report."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.request = request
        self.report = Report()
        self.offline = bool(request.get("offline", True))
        # Pyodide packages Loom can serve offline (lock packages whose files, dependencies
        # included, are in Loom's package cache; PyPI ones it has kept), as normalised names. No
        # key: Loom did not say, and every package counts as missing offline.
        ready = request.get("packages_ready")
        self.packages_ready: set[str] = {package_name(str(n)) for n in ready} if isinstance(ready, list) else set()
        # What each config asks for, for `loom packages` and exports.
        self.package_requests: list[dict[str, Any]] = []
        raw_files = request.get("files") or {}
        self.files: dict[str, str] = {
            normal_path(str(path)): text for path, text in raw_files.items() if isinstance(text, str)
        }
        page = request.get("page")
        self.page = normal_path(page) if isinstance(page, str) and page else ""
        self.page_dir = posixpath.dirname(self.page) if self.page else ""
        self.scripts: list[Script] = []
        self._sources: dict[tuple[str, int, int, bool, str], Source] = {}
        self._facts: dict[int, Facts | None] = {}
        self.registry = Registry()

    # -- entry -------------------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        self._load_scripts()
        self._check_syntax()
        self._collect_workers()
        for script in self.scripts:
            self._guard(script.file, self._check_script, script)
        for call in self.registry.created:
            self._guard(call.source.file, self._check_create_call, call)
        self._guard(self.page or "index.html", self._check_duplicates)
        self._check_configs()
        return self.report.sorted()

    def _guard(self, file: str, function: Callable[..., None], *arguments: Any) -> None:
        """One failing check must not hide the others' results."""
        try:
            function(*arguments)
        except Exception as error:  # noqa: BLE001 - never raise into C++
            self.report.add(
                file,
                1,
                1,
                "warning",
                "internal",
                f"Loom could not finish checking this file ({type(error).__name__}: {error}). "
                "The other checks still ran; please report this.",
            )

    # -- loading -----------------------------------------------------------------------------

    def _source(self, file: str, code: str, first_line: int, first_column: int, inline: bool) -> Source:
        key = (file, first_line, first_column, inline, code)
        source = self._sources.get(key)
        if source is None:
            source = Source(file, code, first_line, first_column, inline)
            self._sources[key] = source
        return source

    def facts(self, source: Source) -> Facts | None:
        key = id(source)
        if key not in self._facts:
            facts: Facts | None = None
            if source.tree is not None:
                try:
                    facts = Facts(source)
                except (RecursionError, MemoryError, Exception) as error:  # noqa: BLE001
                    # e.g. an expression nested thousands deep: skip this file's deeper checks.
                    self.report.add(
                        source.file, 1, 1, "warning", "internal",
                        f"Loom could not analyse this file ({type(error).__name__}); only its syntax "
                        "was checked.",
                    )
            self._facts[key] = facts
        return self._facts[key]

    def _load_scripts(self) -> None:
        scripts = self.request.get("scripts")
        for index, raw in enumerate(scripts if isinstance(scripts, list) else []):
            if not isinstance(raw, dict):
                continue
            file = normal_path(str(raw.get("file") or "")) or "index.html"
            inline = bool(raw.get("inline", False))
            tag_file = raw.get("tagFile") or self.request.get("page") or (file if inline else "index.html")
            code = raw.get("code")
            if not isinstance(code, str):
                code = self.files.get(file, "")
            source = self._source(
                file,
                code,
                _int(raw.get("firstLine"), 1),
                _int(raw.get("firstColumn"), 0),
                inline,
            )
            config = raw.get("config") if isinstance(raw.get("config"), dict) else None
            self.scripts.append(
                Script(
                    index=index,
                    file=file,
                    tag_file=normal_path(str(tag_file)) or "index.html",
                    tag_line=_int(raw.get("tagLine"), _int(raw.get("firstLine"), 1)),
                    inline=inline,
                    type=script_type(str(raw.get("type") or "py")) or "py",
                    worker=bool(raw.get("worker", False)),
                    name=str(raw.get("name") or ""),
                    source=source,
                    config=config,
                )
            )
        if not self.page:
            for script in self.scripts:
                if script.tag_file:
                    self.page = script.tag_file
                    self.page_dir = posixpath.dirname(self.page)
                    break

    # -- 1. syntax ---------------------------------------------------------------------------

    def _check_syntax(self) -> None:
        seen_files = set()
        for script in self.scripts:
            self._report_syntax(script.source)
            if not script.inline:
                seen_files.add(script.file)
        for path, text in sorted(self.files.items()):
            if path.endswith(".py") and path not in seen_files:
                self._report_syntax(self._source(path, text, 1, 0, False))

    def _report_syntax(self, source: Source) -> None:
        if source.syntax_error is None:
            return
        lineno, column, message = source.syntax_error
        line, col = source.place(lineno, column)
        self.report.add(
            source.file,
            line,
            col,
            "error",
            "syntax",
            f"Python cannot read this line ({message}), so none of this script runs. Fix the code here.",
        )

    # -- workers -----------------------------------------------------------------------------

    def _collect_workers(self) -> None:
        for script in self.scripts:
            if script.worker and script.name:
                self.registry.declared.setdefault(script.name, []).append(script)
                where = f"{script.tag_file} line {script.tag_line}" if script.inline else script.file
                self.registry.sources.setdefault(script.name, []).append(
                    WorkerSource(script.name, self.facts(script.source), script.source.tree is not None, where, script.file)
                )
        # create_named_worker anywhere: the page's scripts and the project's other modules.
        sources = [script.source for script in self.scripts]
        script_files = {script.file for script in self.scripts if not script.inline}
        for path, text in sorted(self.files.items()):
            if path.endswith(".py") and path not in script_files:
                sources.append(self._source(path, text, 1, 0, False))
        seen: set[int] = set()
        for source in sources:
            if id(source) in seen:
                continue
            seen.add(id(source))
            facts = self.facts(source)
            if facts is None:
                continue
            try:
                calls = facts.create_calls(self.page_dir, self.files)
            except Exception:  # noqa: BLE001 - a module we cannot follow adds no worker
                continue
            for call in calls:
                self.registry.created.append(call)
                if call.src_file is None:
                    continue
                worker_source = self._source(call.src_file, self.files[call.src_file], 1, 0, False)
                call.src_worker = WorkerSource(
                    call.name or "",
                    self.facts(worker_source),
                    worker_source.tree is not None,
                    call.src_file,
                    call.src_file,
                )
                if call.name is not None:
                    self.registry.sources.setdefault(call.name, []).append(call.src_worker)

    def _check_duplicates(self) -> None:
        for name, scripts in self.registry.declared.items():
            if len(scripts) < 2:
                continue
            first = scripts[0]
            for other in scripts[1:]:
                self.report.add(
                    other.tag_file,
                    other.tag_line,
                    1,
                    "error",
                    "duplicate-worker",
                    f'Another worker is already named "{name}" ({first.tag_file} line {first.tag_line}): '
                    f'workers["{name}"] reaches only one of them. Give each worker its own name.',
                )
        for call in self.registry.created:
            if call.name is None or call.name not in self.registry.declared:
                continue
            declared = self.registry.declared[call.name][0]
            line, column = call.source.node_place(call.name_node or call.node)
            self.report.add(
                call.source.file,
                line,
                column,
                "warning",
                "duplicate-worker",
                f'The page already declares a worker named "{call.name}" ({declared.tag_file} line '
                f"{declared.tag_line}): create_named_worker starts a second worker thread under the same "
                f'name, and workers["{call.name}"] keeps answering with the first. Use await '
                f'workers["{call.name}"] to reach it, or choose another name.',
            )

    # -- per script --------------------------------------------------------------------------

    def _check_script(self, script: Script) -> None:
        facts = self.facts(script.source)
        if facts is None:
            return
        if script.worker and script.name:
            # A worker without a name cannot be reached, so it has nothing to export.
            self._check_exports(facts, script.source, missing_at=(script.tag_file, script.tag_line) if script.inline else None)
        self._check_worker_use(facts, main=not script.worker)
        self._check_package_code(facts, script.type)

    def _check_exports(self, facts: Facts, source: Source, missing_at: tuple[str, int] | None) -> None:
        info = facts.exports
        if not info.present and not info.sync_names:
            file, line = missing_at if missing_at else (source.file, 1)
            self.report.add(
                file,
                line,
                1,
                "error",
                "export-missing",
                "This worker has no __export__, so the main thread cannot call anything in it. Add "
                '__export__ = ["function_name", ...] at the end of the worker\'s code.',
            )
            return
        for node, message in info.problems:
            line, column = source.node_place(node)
            self.report.add(source.file, line, column, "error", "export-not-list", message)
        if info.dynamic:
            return
        module = facts.module
        can_check_defined = not module.star_import and not facts.builder.uses_dynamic_globals
        for name, node in info.entries:
            bindings = module.bindings.get(name)
            line, column = source.node_place(node)
            if not bindings:
                if can_check_defined:
                    close = closest(name, [n for n in module.bindings if not n.startswith("__")])
                    hint = f' Did you mean "{close}"?' if close else ""
                    self.report.add(
                        source.file,
                        line,
                        column,
                        "error",
                        "export-undefined",
                        f'__export__ lists "{name}", but the worker defines nothing by that name at '
                        f"module level, so the worker fails as it starts.{hint} Define the function or "
                        "fix the name.",
                    )
                continue
            what = not_a_function(bindings)
            if what:
                self.report.add(
                    source.file,
                    line,
                    column,
                    "warning",
                    "export-not-function",
                    f'"{name}" is {what}, not a function: calling it from the main thread fails. Export '
                    "functions (def or async def) only.",
                )

    def _check_worker_use(self, facts: Facts, main: bool) -> None:
        source = facts.source
        registry = self.registry
        for node in ast.walk(facts.tree):
            if main and isinstance(node, (ast.Subscript, ast.Attribute)):
                lookup = facts.worker_lookup(node, facts.scope_at(node))
                if lookup is not None and lookup[0] is not None and not registry.is_known(lookup[0]):
                    self._report_unknown_worker(source, lookup[0], lookup[1])
                    continue
            if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
                continue
            scope = facts.scope_at(node)
            value = node.value
            names: frozenset[str] | None = None
            if isinstance(value, ast.Name):
                if node.attr in facts.builder.stored_attrs.get(value.id, set()):
                    continue  # set on the proxy by this script (functions the worker may call)
                names = facts.worker_names_of(value, scope)
            elif isinstance(value, ast.Await):
                names = facts.worker_names_of(value, scope)
            if not names:
                continue
            self._check_exported(source, node, names)

    def _report_unknown_worker(self, source: Source, name: str, node: ast.AST) -> None:
        known = self.registry.known_names()
        line, column = source.node_place(node)
        if isinstance(node, ast.Attribute):
            line, column = source.attr_place(node)
        if known:
            close = closest(name, known)
            hint = f' Did you mean "{close}"?' if close else ""
            message = (
                f'No worker is named "{name}": the project has {quote_list(known)}.{hint} '
                f'await workers["{name}"] would wait for ever. Use the name from <script worker '
                'name="..."> or create_named_worker(name=...).'
            )
        else:
            message = (
                f'No worker is named "{name}": the page declares no worker and no create_named_worker '
                f'call makes one, so await workers["{name}"] would wait for ever. Add <script type="py" '
                f'worker name="{name}" src="..."> to the page, or fix the name.'
            )
        self.report.add(source.file, line, column, "error", "unknown-worker", message)

    def _check_exported(self, source: Source, node: ast.Attribute, names: frozenset[str]) -> None:
        known: set[str] = set()
        sources: list[WorkerSource] = []
        for name in names:
            exports = self.registry.exports(name)
            if exports is None:
                return
            known |= exports[0]
            sources.extend(exports[1])
        if node.attr in known:
            return
        worker = sorted(names)[0] if len(names) == 1 else " or ".join(f'"{n}"' for n in sorted(names))
        label = f'The worker "{worker}"' if len(names) == 1 else f"The workers {worker}"
        defined_in = [
            s for s in sources if s.facts is not None and node.attr in s.facts.module.bindings
        ]
        if defined_in:
            where = defined_in[0].where
            advice = (
                f' "{node.attr}" is defined in {where} but not listed in its __export__: add it there '
                "to call it from here."
            )
        else:
            close = closest(node.attr, known)
            advice = f' Did you mean "{close}"?' if close else ""
        line, column = source.attr_place(node)
        self.report.add(
            source.file,
            line,
            column,
            "error",
            "not-exported",
            f'{label} does not export "{node.attr}", so this call fails. It exports '
            f"{quote_list(sorted(known))}.{advice}",
        )

    # -- 7/8. packages in code ---------------------------------------------------------------

    def _check_package_code(self, facts: Facts, kind: str) -> None:
        source = facts.source
        guarded = facts.builder.guarded
        for node in ast.walk(facts.tree):
            imports_micropip = (
                isinstance(node, ast.Import) and any(a.name.split(".")[0] == "micropip" for a in node.names)
            ) or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "micropip" and not node.level)
            if imports_micropip:
                line, column = source.node_place(node)
                if kind == "mpy":
                    self.report.add(
                        source.file,
                        line,
                        column,
                        "error",
                        "mpy-packages",
                        "micropip exists only in Pyodide: this MicroPython script stops here with "
                        'ImportError. Use type="py" for code that installs packages, or list MicroPython '
                        'packages in the config ("packages").',
                    )
                elif self.offline and id(node) not in guarded and "micropip" not in self.packages_ready:
                    self.report.add(
                        source.file,
                        line,
                        column,
                        "warning",
                        "offline-packages",
                        "micropip is a Pyodide package, and it is not in Loom's package cache: offline this "
                        "import fails. Fetch it once (`loom packages DIR --fetch`, or Run > Fetch Packages), "
                        "run the page once with the network, or catch the ImportError.",
                    )
                continue
            if kind != "py" or not self.offline or not isinstance(node, ast.Call) or id(node) in guarded:
                continue
            if installs_packages(node.func):
                wanted = literal_requirements(node)
                if wanted is not None and self._missing_offline(wanted) == []:
                    continue
                line, column = source.node_place(node)
                self.report.add(
                    source.file,
                    line,
                    column,
                    "warning",
                    "offline-packages",
                    "Offline this install fails unless its packages are in Loom's package cache (fetch them "
                    "once: list them in the config's \"packages\" and run `loom packages DIR --fetch`, or "
                    "run the page once with the network). Or wrap it in try/except and carry on without "
                    "the package, as samples/primes does.",
                )

    def _missing_offline(self, requirements: list[str]) -> list[str]:
        """What of `requirements` (and micropip, which installs them) Loom cannot serve offline."""
        wanted = [r for r in requirements if not is_local_package(r)]
        if not wanted:
            return []
        missing = [] if "micropip" in self.packages_ready else ["micropip"]
        for requirement in wanted:
            name = package_name(requirement)
            if name not in self.packages_ready and name not in missing:
                missing.append(requirement if is_remote_url(requirement) else name)
        return missing

    # -- create_named_worker -----------------------------------------------------------------

    def _check_create_call(self, call: CreateCall) -> None:
        source = call.source
        if call.src_file is not None:
            worker_source = self._source(call.src_file, self.files[call.src_file], 1, 0, False)
            facts = self.facts(worker_source)
            if facts is not None:
                self._check_exports(facts, worker_source, missing_at=None)
                self._check_worker_use(facts, main=False)
                if call.type is not None:
                    self._check_package_code(facts, call.type)
        if call.config_node is None:
            return
        config_node = call.config_node
        data: Json
        positions: dict[str, ast.AST] = {}
        elements: dict[str, list[ast.AST]] = {}
        if isinstance(config_node, ast.Dict):
            data = {}
            for key_node, value_node in zip(config_node.keys, config_node.values):
                if not (isinstance(key_node, ast.Constant) and isinstance(key_node.value, str)):
                    return  # **spread or computed keys: the config is only known at run time
                try:
                    data[key_node.value] = ast.literal_eval(value_node)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    data[key_node.value] = UNKNOWN
                positions[key_node.value] = key_node
                if isinstance(value_node, (ast.List, ast.Tuple)):
                    elements[key_node.value] = list(value_node.elts)
        elif isinstance(config_node, ast.Constant) and isinstance(config_node.value, str):
            text = config_node.value.strip()
            if not text:
                return
            if not (text.startswith("{") and text.endswith("}")):
                return  # a config file's URL, fetched at run time
            try:
                data = json.loads(text)
            except ValueError as error:
                line, column = source.node_place(config_node)
                self.report.add(
                    source.file, line, column, "error", "config-syntax",
                    f"This config string is not valid JSON ({error}), so the worker does not start. "
                    "Pass a dict instead: config={\"packages\": [...]}.",
                )
                return
        else:
            return
        if not isinstance(data, dict):
            return
        where = source.node_place(config_node)

        def place(key: str | None, index: int | None = None) -> tuple[int, int]:
            if key is not None and index is not None and index < len(elements.get(key, [])):
                return source.node_place(elements[key][index])
            if key is not None and key in positions:
                return source.node_place(positions[key])
            return where

        self._check_config_data(
            data, call.type, source.file, place, worker_label="worker", check_keys=True
        )

    # -- 9/10/7/8. configs -------------------------------------------------------------------

    def _check_configs(self) -> None:
        checked: dict[tuple[str, int, str], set[str | None]] = {}
        for script in self.scripts:
            raw = script.config
            if not raw or raw.get("parsed") is False:
                continue
            try:
                self._check_script_config(script, raw, checked)
            except Exception as error:  # noqa: BLE001
                self.report.add(
                    str(raw.get("file") or script.tag_file),
                    _int(raw.get("line"), 1),
                    1,
                    "warning",
                    "internal",
                    f"Loom could not finish checking this config ({type(error).__name__}: {error}).",
                )

    def _check_script_config(
        self, script: Script, raw: dict[str, Any], checked: dict[tuple[str, int, str], set[str | None]]
    ) -> None:
        text = raw.get("text")
        if not isinstance(text, str):
            return
        config = Config(
            file=normal_path(str(raw.get("file") or script.tag_file)) or script.tag_file,
            line=max(1, _int(raw.get("line"), 1)),
            column=max(0, _int(raw.get("column"), 0)),
            format=str(raw.get("format") or "json").lower(),
            text=text.replace("\r\n", "\n").replace("\r", "\n"),
        )
        key = (config.file, config.line, config.text)
        # The same config file serves several scripts: check its syntax and keys once, and its
        # packages once per interpreter type.
        types_done = checked.setdefault(key, set())
        first_time = not types_done
        if script.type in types_done:
            return
        types_done.add(script.type)
        if config.format == "toml":
            try:
                data = tomllib.loads(config.text)
            except tomllib.TOMLDecodeError as error:
                if first_time:
                    self._report_toml_error(config, error)
                return
        else:
            try:
                data = json.loads(config.text)
            except ValueError:
                return  # C++ reports JSON syntax errors
        config.data = data
        if not isinstance(data, dict):
            if first_time:
                line, column = config.place(None)
                self.report.add(
                    config.file, line, column, "error", "config-type",
                    "A PyScript config must be a JSON object or a TOML table of keys, e.g. "
                    '{"packages": ["numpy"]}.',
                )
            return
        layout: JsonLayout | TomlLayout = TomlLayout(config.text) if config.format == "toml" else JsonLayout(config.text)

        def place(name: str | None, index: int | None = None) -> tuple[int, int]:
            if name is None:
                return config.place(None)
            if index is not None:
                if isinstance(layout, JsonLayout):
                    offsets = layout.elements.get(name, [])
                    if index < len(offsets):
                        return config.place(offsets[index])
                else:
                    value = data.get(name)
                    if isinstance(value, list):
                        strings = [v if isinstance(v, str) else "" for v in value]
                        offsets_t = layout.element_offsets(name, strings)
                        if index < len(offsets_t) and offsets_t[index] is not None:
                            return config.place(offsets_t[index])
            return config.place(layout.keys.get(name))

        self._check_config_data(
            data,
            script.type,
            config.file,
            place,
            worker_label="worker" if script.worker else "script",
            check_keys=first_time,
        )

    def _report_toml_error(self, config: Config, error: tomllib.TOMLDecodeError) -> None:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            line_index, column = int(match.group(1)), int(match.group(2))
            line = config.line + line_index - 1
            if line_index == 1:
                column += config.column
        else:
            # "(at end of document)": where the text ends.
            line = config.line + config.text.count("\n")
            column = len(config.text) - (config.text.rfind("\n") + 1) + 1
            if "\n" not in config.text:
                column += config.column
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)\s*$", "", message)
        self.report.add(
            config.file,
            line,
            column,
            "error",
            "config-syntax",
            f"This TOML config does not parse ({reason}), so PyScript refuses it and the script does not "
            "start. Fix the TOML here.",
        )

    def _check_config_data(
        self,
        data: dict[str, Json],
        kind: str | None,
        file: str,
        place: Placer,
        worker_label: str,
        check_keys: bool,
    ) -> None:
        if check_keys:
            for name in data:
                if name in KNOWN_CONFIG_KEYS:
                    continue
                close = closest(name, KNOWN_CONFIG_KEYS)
                hint = f' Did you mean "{close}"?' if close else ""
                line, column = place(name, None)
                self.report.add(
                    file, line, column, "warning", "config-unknown-key",
                    f'"{name}" is not a PyScript config key, so PyScript ignores it.{hint} Known keys: '
                    f"{', '.join(KNOWN_CONFIG_KEYS)}.",
                )
            for name, problem in config_type_problems(data):
                line, column = place(name, None)
                self.report.add(file, line, column, "error", "config-type", problem)
        packages = data.get("packages")
        if not isinstance(packages, list) or not packages:
            return
        if kind == "py":
            line, column = place("packages", None)
            listed = [p for p in packages if isinstance(p, str)]
            self.package_requests.append(
                {"file": file, "line": line, "worker": worker_label == "worker", "packages": listed}
            )
            missing = self._missing_offline(listed) if self.offline else []
            if missing:
                self.report.add(
                    file, line, column, "error", "offline-packages",
                    f"This Pyodide {worker_label} asks for packages ({', '.join(listed)}), and "
                    f"{quote_list(missing)} {'is' if len(missing) == 1 else 'are'} not in Loom's package cache: "
                    "offline, the page fails to start it. Fetch them once with `loom packages DIR --fetch` "
                    "(in the IDE: Run > Fetch Packages), or run the page once with the network; Loom keeps "
                    "what it fetches.",
                )
        elif kind == "mpy":
            for index, requirement in enumerate(packages):
                if not isinstance(requirement, str):
                    continue
                name = package_name(requirement)
                if name in MPY_BUILTIN_PACKAGES or is_local_package(requirement):
                    continue
                line, column = place("packages", index)
                if name in C_EXTENSION_PACKAGES:
                    self.report.add(
                        file, line, column, "error", "mpy-packages",
                        f'"{requirement}" is a CPython package (Pyodide builds it, with C extensions): '
                        "MicroPython cannot install or run it. Use type=\"py\" for this script, or drop the "
                        "package.",
                    )
                elif self.offline:
                    origin = "from its URL" if is_remote_url(requirement) else "from micropython-lib"
                    self.report.add(
                        file, line, column, "warning", "mpy-packages",
                        f'MicroPython installs "{requirement}" {origin} with mip, which needs the network, '
                        "and Loom runs offline. Copy the module's .py file into the project and list it in "
                        '"files" instead, or run the page with the network.',
                    )


def _int(value: Any, default: int) -> int:
    """A number from the request, or the default when it is missing or not a number."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
