#pragma once
// The page bridge's events, made by hand: as the PageEvent values the parser produces, and as
// the JSON resources/bridge/instrument.js posts (resources/bridge/events.schema.json), for tests
// and benches that go through the real parser.
#include "runtime/bridge/pageevent.h"
#include "runtime/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace Loom::Runtime {
class PageSession;
}

namespace Loom::TestSupport {

// An event of `kind` at page time `t` from `worker`, every other field at its default.
Runtime::PageEvent pageEvent(Runtime::PageEvent::Kind kind, double t, int worker = 1);

// A line `worker` printed to its stdout.
Runtime::PageEvent stdoutLine(int worker, double t, const QString &text);

// One event as the bridge posts it: {"k": kind, "t": t, "w": worker, ...fields}; `fields` is the
// rest of the object's members, JSON text without the braces ("\"id\":7,\"fn\":\"f\"").
QByteArray eventJson(const QByteArray &kind, double t, int worker, const QByteArray &fields = {});

// worker-created for a <script type="py"> worker named `name` loading `src`; `index`, its position
// in document.scripts, only when >= 0.
QByteArray workerCreatedJson(double t, int worker, const QByteArray &name, const QByteArray &src, int index = -1);

// A Pyodide worker from its creation to ready, exporting `function`, all at page time `t`:
// worker-created, worker-interpreter, export and worker-ready.
QList<QByteArray> workerStartJson(double t, int worker, const QByteArray &name, const QByteArray &src,
                                  const QByteArray &function, int index = -1);

// One POST's body: {"events": [...]}.
QByteArray batchJson(const QList<QByteArray> &events);

// What a dev-server thread does with a POST: the bridge's own parser (parseEventBatch), then
// PageSession::enqueue; the session applies it on its next drain. The number of events handed
// over, or why the batch was refused: made here, a batch with a rejected event is a mistake too.
Runtime::Result<qsizetype> deliver(Runtime::PageSession &session, QByteArrayView json);

} // namespace Loom::TestSupport
