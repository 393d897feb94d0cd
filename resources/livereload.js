// Loom's live reload (`loom serve --reload`), put into the pages Loom's server serves (never into
// the files): reloads the page once a file of the project changes. It logs nothing and touches
// nothing else of the page. The version in its own URL ("ID.N") is the one the page was served
// at: the server answers "reload" at once when files changed since. When the server stops, the
// browser's EventSource tries again by itself, quietly; a restarted server does not reload the page.
(() => {
  const script = document.currentScript;
  if (!script || typeof EventSource !== 'function') return;
  const since = new URL(script.src).searchParams.get('since') ?? '';
  const events = new EventSource('/__loom__/reload/events?since=' + encodeURIComponent(since));
  events.addEventListener('reload', () => {
    events.close();
    location.reload();
  });
})();
