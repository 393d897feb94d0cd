#pragma once

#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/traceback.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Loom::Runtime {

// starting: created, no word from its thread yet (downloading and compiling the interpreter);
// loading: its interpreter is up and runs the worker script, registering exports;
// ready: usable (xworker.ready resolved); busy: calls in flight; failed: could not start;
// stopped: terminated.
enum class WorkerState { Starting, Loading, Ready, Busy, Failed, Stopped };
QString workerStateName(WorkerState state);

struct WorkerInfo
{
    int id = 0;
    QString name;
    QString type;
    QString src; // empty: inline in the page
    QString config;
    int tagLine = 0; // line of its <script> in the page, when declared there
    WorkerState state = WorkerState::Starting;
    double createdAt = 0;
    double interpreterAt = 0;
    double readyAt = 0;
    QStringList exports;
    int calls = 0;
    int inFlight = 0;
    double totalMs = 0;
    double maxMs = 0;
    QString lastError;
    QList<SourceLocation> lastErrorLocations;

    double timeToReadyMs() const { return readyAt > 0 && createdAt > 0 ? readyAt - createdAt : -1; }
    double meanMs() const { return calls > 0 ? totalMs / calls : 0; }
};

// One row per worker of the page, kept from the bridge's events. Events may arrive out of order
// (batches race): a worker first heard of by any event gets its row then. Rows are found by id
// through a hash; a page gets at most MaxWorkers rows (events for further ids are counted, not
// kept: a forged stream of new ids must not grow the table and the docks without bound).
class WorkerRegistry final
{
public:
    static constexpr qsizetype MaxWorkers = 1000;

    void apply(const PageEvent &event);
    void setError(int id, const QString &error, const QList<SourceLocation> &locations);
    // The worker cannot serve calls: its start failed or its top-level code raised.
    void setFailed(int id, const QString &error, const QList<SourceLocation> &locations);
    void setTagLine(int id, int line);

    const QList<WorkerInfo> &workers() const { return m_workers; }
    const WorkerInfo *find(int id) const;
    const WorkerInfo *findByName(const QString &name) const;
    // Events about workers past MaxWorkers, dropped.
    quint64 droppedEvents() const { return m_droppedEvents; }

private:
    // The worker's row, made if new; null past MaxWorkers.
    WorkerInfo *row(int id, double t);
    QList<WorkerInfo> m_workers;
    QHash<int, qsizetype> m_index; // id -> position in m_workers
    quint64 m_droppedEvents = 0;
};

} // namespace Loom::Runtime
