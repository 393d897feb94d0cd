// Loom's debugger, in debug runs only: the server serves PyScript's core.js with this import after
// the bridge's, and never in a plain Run. It starts resources/bridge/loom_debug.py in every Python
// interpreter of the page through PyScript's codeBeforeRun hooks (main thread and workers), before
// the user's code, and tells each interpreter which of the project's scripts it runs, so that the
// tracer maps "<exec>"/"<stdin>" lines to the project's file and line as tracebacks are mapped.
// What a debug run changes in the page is only what debugging needs: a trace function in each
// interpreter and, for workers, one function on xworker.sync that the worker asks once.
const { hooks } = globalThis[Symbol.for("@pyscript/core")];

// {endpoint, breakpoints: [{file, line, condition?, hitCondition?, log?}], exceptions ("uncaught",
//  "raised" or "none"), scripts: [{index, name, worker, src, file, offset}]}: the page's PyScript
//  scripts as Loom scanned them (offset: the code's first line is the file's line offset + 1).
const CONFIG = __LOOM_DEBUG_CONFIG__;
const SOURCE = __LOOM_DEBUG_PY__;

const SELECTOR = CONFIG.selector;
// Absolute: a worker's own URL is a blob:, against which a path does not resolve.
const ENDPOINT = new URL(CONFIG.endpoint, location.href).href;
const scriptOf = (element) => {
  const index = [...document.querySelectorAll(SELECTOR)].indexOf(element);
  return CONFIG.scripts.find((script) => script.index === index) ?? null;
};
const infoFor = (element, thread) => {
  const script = element ? scriptOf(element) : null;
  let file = script?.file ?? "";
  const src = element?.getAttribute("src");
  if (!script && src) // a script made at run time (create_named_worker): its src is its file
    file = decodeURIComponent(new URL(src, location.href).pathname).replace(/^\//, "");
  return JSON.stringify({ thread, file, offset: script?.offset ?? 0 });
};

// Python source for a codeBeforeRun hook: loom_debug.py exec'd in a namespace of its own.
const boot = (where) => `exec(${JSON.stringify(SOURCE)}, {"__name__": "_loom_debug", `
  + `"_LOOM_CONFIG": ${JSON.stringify(JSON.stringify({ endpoint: ENDPOINT, breakpoints: CONFIG.breakpoints, exceptions: CONFIG.exceptions }))}, `
  + `"_LOOM_WHERE": "${where}"})`;

// A worker asks which script it runs (once, synchronously, before its code runs). The element
// gets .xworker only after XWorker() returns: it is looked up when the worker asks.
hooks.main.onWorker.add((_, xworker) => {
  xworker.sync.__loom_debug_script = () => {
    const element = [...document.querySelectorAll(SELECTOR)].find((node) => node.xworker === xworker) ?? null;
    const name = element?.getAttribute("name");
    return infoFor(element, `worker:${name || "#" + (scriptOf(element)?.index ?? "?")}`);
  };
});
// A main script: the tracer reads which one is about to run.
const beforeMain = (wrap, element) => {
  globalThis.__loomDebugScript = infoFor(element, `main:${wrap.type}`);
};
hooks.main.onBeforeRun.add(beforeMain);
hooks.main.onBeforeRunAsync.add(beforeMain);
for (const set of [hooks.main.codeBeforeRun, hooks.main.codeBeforeRunAsync])
  set.add(boot("main"));
for (const set of [hooks.worker.codeBeforeRun, hooks.worker.codeBeforeRunAsync])
  set.add(boot("worker"));
