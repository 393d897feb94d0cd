#include "runtime/bridge/workerregistry.h"

#include <algorithm>

namespace Loom::Runtime {

QString workerStateName(WorkerState state)
{
    switch (state) {
    case WorkerState::Starting:
        return QStringLiteral("starting");
    case WorkerState::Loading:
        return QStringLiteral("loading");
    case WorkerState::Ready:
        return QStringLiteral("ready");
    case WorkerState::Busy:
        return QStringLiteral("busy");
    case WorkerState::Failed:
        return QStringLiteral("failed");
    case WorkerState::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

WorkerInfo *WorkerRegistry::row(int id, double t)
{
    if (const auto it = m_index.constFind(id); it != m_index.cend())
        return &m_workers[*it];
    if (m_workers.size() >= MaxWorkers) {
        ++m_droppedEvents;
        return nullptr;
    }
    WorkerInfo worker;
    worker.id = id;
    worker.createdAt = t;
    m_index.insert(id, m_workers.size());
    m_workers.append(worker);
    return &m_workers.last();
}

const WorkerInfo *WorkerRegistry::find(int id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.cend() ? nullptr : &m_workers.at(*it);
}

void WorkerRegistry::setTagLine(int id, int line)
{
    if (WorkerInfo *worker = row(id, 0))
        worker->tagLine = line;
}

const WorkerInfo *WorkerRegistry::findByName(const QString &name) const
{
    const auto it = std::find_if(m_workers.crbegin(), m_workers.crend(),
                                 [&](const WorkerInfo &w) { return w.name == name; });
    return it == m_workers.crend() ? nullptr : &*it;
}

void WorkerRegistry::setError(int id, const QString &error, const QList<SourceLocation> &locations)
{
    if (WorkerInfo *worker = row(id, 0)) {
        worker->lastError = error;
        worker->lastErrorLocations = locations;
    }
}

void WorkerRegistry::setFailed(int id, const QString &error, const QList<SourceLocation> &locations)
{
    WorkerInfo *worker = row(id, 0);
    if (!worker)
        return;
    if (worker->state != WorkerState::Stopped)
        worker->state = WorkerState::Failed;
    setError(id, error, locations);
}

void WorkerRegistry::apply(const PageEvent &event)
{
    using Kind = PageEvent::Kind;
    if (event.worker <= 0)
        return;
    WorkerInfo *found = row(event.worker, event.t);
    if (!found)
        return;
    WorkerInfo &worker = *found;
    const bool finalState = worker.state == WorkerState::Failed || worker.state == WorkerState::Stopped;
    switch (event.kind) {
    case Kind::WorkerCreated:
        worker.createdAt = event.t;
        worker.name = event.script.name;
        worker.type = event.script.type;
        worker.src = event.script.src;
        worker.config = event.script.config;
        break;
    case Kind::WorkerInterpreter:
        worker.interpreterAt = event.t;
        if (worker.type.isEmpty())
            worker.type = event.type;
        if (worker.state == WorkerState::Starting)
            worker.state = WorkerState::Loading;
        break;
    case Kind::WorkerExport:
        if (!worker.exports.contains(event.name))
            worker.exports.append(event.name);
        break;
    case Kind::WorkerReady:
        worker.readyAt = event.t;
        if (!finalState)
            worker.state = worker.inFlight > 0 ? WorkerState::Busy : WorkerState::Ready;
        break;
    case Kind::WorkerFailed:
        worker.state = WorkerState::Failed;
        worker.lastError = event.text;
        break;
    case Kind::WorkerError:
        worker.lastError = event.text;
        break;
    case Kind::WorkerStopped:
        worker.state = WorkerState::Stopped;
        worker.inFlight = 0;
        break;
    case Kind::CallStart:
        ++worker.calls;
        ++worker.inFlight;
        if (!finalState)
            worker.state = WorkerState::Busy;
        break;
    case Kind::CallEnd: {
        worker.inFlight = std::max(0, worker.inFlight - 1);
        const double ms = event.mainMs >= 0 ? event.mainMs : event.ms;
        if (ms >= 0) {
            worker.totalMs += ms;
            worker.maxMs = std::max(worker.maxMs, ms);
        }
        if (!event.ok)
            worker.lastError = event.text;
        if (!finalState && worker.inFlight == 0)
            worker.state = WorkerState::Ready;
        break;
    }
    default:
        break;
    }
}

} // namespace Loom::Runtime
