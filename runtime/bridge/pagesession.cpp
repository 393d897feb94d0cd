#include "runtime/bridge/pagesession.h"

#include <QDateTime>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

PageSession::PageSession(const Project &project, QObject *parent)
    : QObject(parent)
    , m_scripts(project.entryScripts())
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, &PageSession::onTimer);
    m_timer->start();
}

PageSession::~PageSession() = default;

void PageSession::enqueue(EventBatch batch)
{
    std::lock_guard lock(m_mutex);
    if (!batch.id.isEmpty()) {
        if (m_recentBatchIds.contains(batch.id)) {
            ++m_counters.resent;
            return;
        }
        if (m_recentBatchOrder.size() >= size_t(RecentBatchIds)) {
            m_recentBatchIds.remove(m_recentBatchOrder.front());
            m_recentBatchOrder.pop_front();
        }
        m_recentBatchIds.insert(batch.id);
        m_recentBatchOrder.push_back(batch.id);
    }
    m_counters.pageDropped += quint64(batch.droppedByPage);
    m_counters.rejected += quint64(batch.rejected);
    for (PageEvent &event : batch.events) {
        const qint64 bytes = event.approxBytes();
        if (qsizetype(m_inbox.size()) >= MaxQueuedEvents || m_queuedBytes + bytes > MaxQueuedBytes) {
            ++m_counters.inboxDropped;
            continue;
        }
        m_queuedBytes += bytes;
        m_inbox.push_back(std::move(event));
        ++m_counters.received;
    }
    if (batch.last)
        QMetaObject::invokeMethod(this, &PageSession::lastBatchTaken, Qt::QueuedConnection);
}

void PageSession::addDebugHit(DebugHit hit)
{
    // A log point prints, as VS Code's do, and a tracer's notice is said: in the thread's console.
    QString line;
    if (!hit.notice.isEmpty())
        line = u"Loom's debugger: "_s + hit.notice;
    else if (!hit.log.isEmpty())
        line = QStringLiteral("log point %1:%2: %3 = %4")
                   .arg(hit.file)
                   .arg(hit.line)
                   .arg(hit.log, hit.error.isEmpty() ? hit.value : hit.error);
    if (!line.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, source = hit.thread, line] { appendLoomLine(source, line, false); }, Qt::QueuedConnection);
    }
    std::lock_guard lock(m_mutex);
    if (m_debugHits.size() >= MaxDebugHits) {
        ++m_debugHitsDropped;
        return;
    }
    m_debugHits.append(std::move(hit));
}

QList<DebugHit> PageSession::debugHits() const
{
    std::lock_guard lock(m_mutex);
    return m_debugHits;
}

quint64 PageSession::debugHitsDropped() const
{
    std::lock_guard lock(m_mutex);
    return m_debugHitsDropped;
}

BridgeCounters PageSession::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

void PageSession::drain()
{
    drainFor(-1);
}

void PageSession::onTimer()
{
    const bool more = drainFor(m_drainBudgetMs);
    // A backlog goes on at the next turn of the event loop, after whatever else is waiting.
    m_timer->setInterval(more ? 0 : 50);
}

bool PageSession::drainFor(qint64 budgetMs)
{
    QElapsedTimer clock;
    clock.start();
    bool applied = false;
    while (true) {
        if (m_pending.empty()) {
            {
                std::lock_guard lock(m_mutex);
                m_pending.swap(m_inbox);
            }
            if (m_pending.empty())
                break;
            // Batches may race each other over HTTP: apply in page time.
            std::stable_sort(m_pending.begin(), m_pending.end(),
                             [](const PageEvent &a, const PageEvent &b) { return a.t < b.t; });
        }
        // Check the clock every 64 events: reading it costs more than applying most events.
        for (int i = 0; !m_pending.empty() && i < 64; ++i) {
            const PageEvent event = std::move(m_pending.front());
            m_pending.pop_front();
            m_queuedBytes -= event.approxBytes();
            if (event.t >= m_acceptFrom)
                apply(event);
            applied = true;
        }
        if (budgetMs >= 0 && clock.elapsed() >= budgetMs)
            break;
    }
    if (applied)
        Q_EMIT batchApplied();
    if (!m_pending.empty())
        return true;
    std::lock_guard lock(m_mutex);
    return !m_inbox.empty();
}

PageScript PageSession::scriptForWorker(const WorkerInfo &worker) const
{
    for (const PageScript &script : m_scripts) {
        if (script.worker && !worker.name.isEmpty() && script.name == worker.name)
            return script;
    }
    return {worker.type, true, worker.name, worker.src, worker.config, 0, {}, 0, 0, 0, 0};
}

PageScript PageSession::scriptForMain(const QString &type) const
{
    const ScriptRef current = m_currentMain.value(type);
    if (!current.src.isEmpty())
        return {type, false, {}, current.src, {}, 0, {}, 0, 0, 0, 0};
    QList<PageScript> inlineMains;
    for (const PageScript &script : m_scripts) {
        if (!script.worker && script.type == type && script.src.isEmpty())
            inlineMains.append(script);
    }
    // Scripts of one type run in document order.
    const int run = std::max(1, m_mainRuns.value(type));
    return inlineMains.value(std::min<qsizetype>(run, inlineMains.size()) - 1);
}

QString PageSession::sourceName(const PageEvent &event) const
{
    if (event.worker == 0)
        return event.thread;
    const WorkerInfo *worker = m_workers.find(event.worker);
    return QStringLiteral("worker:%1")
        .arg(worker && !worker->name.isEmpty() ? worker->name : QString::number(event.worker));
}

void PageSession::apply(const PageEvent &event)
{
    using Kind = PageEvent::Kind;
    m_bridgeSeen = true;
    const WorkerInfo *before = event.worker > 0 ? m_workers.find(event.worker) : nullptr;
    const WorkerState previous = before ? before->state : WorkerState::Starting;
    const bool existed = before != nullptr;
    // A second end of a finished call is a late failure (a result that could not be sent back):
    // the call is counted, and timed, once.
    const CallRecord *known = event.kind == Kind::CallEnd ? m_calls.find(event.worker, event.callId) : nullptr;
    if (!known || !known->finished)
        m_workers.apply(event);

    switch (event.kind) {
    case Kind::WorkerCreated:
        if (const WorkerInfo *worker = m_workers.find(event.worker))
            m_workers.setTagLine(worker->id, scriptForWorker(*worker).tagLine);
        break;
    case Kind::MainRun:
        m_currentMain[event.script.type] = event.script;
        if (event.script.src.isEmpty())
            ++m_mainRuns[event.script.type];
        break;
    case Kind::CallStart:
    case Kind::CallEnd: {
        const WorkerInfo *worker = m_workers.find(event.worker);
        CallRecord &call = m_calls.apply(event, worker ? worker->name : QString());
        if (event.kind == Kind::CallEnd) {
            if (!event.ok && worker) {
                m_calls.explain(call, explainError(event.text, worker->exports),
                                mapTraceback(event.text, scriptForWorker(*worker), m_htmlFile));
                m_workers.setError(worker->id, event.text, call.locations);
                ConsoleEntry entry{event.t,
                                   sourceName(event),
                                   true,
                                   event.text,
                                   call.explanation,
                                   call.locations,
                                   QStringLiteral("%1(%2)").arg(call.function, call.args.join(u", "))};
                m_console.append(entry);
                Q_EMIT consoleAppended(entry);
            }
            Q_EMIT callFinished(call);
        }
        break;
    }
    case Kind::Stdout:
    case Kind::Stderr: {
        ConsoleEntry entry{event.t, sourceName(event), event.kind == Kind::Stderr, event.text, {}, {}, {}};
        if (entry.isError) {
            const WorkerInfo *worker = event.worker > 0 ? m_workers.find(event.worker) : nullptr;
            const PageScript script = worker ? scriptForWorker(*worker) : scriptForMain(event.thread.mid(5));
            entry.locations = mapTraceback(event.text, script, m_htmlFile);
            // A traceback before the worker is ready is its top-level code raising: PyScript still
            // resolves the worker, but it has no exports and every call to it fails.
            const bool starting = worker
                                  && (worker->state == WorkerState::Starting || worker->state == WorkerState::Loading);
            const bool fatal = starting && isUncaughtPythonError(event.text);
            entry.explanation = fatal
                                    ? QStringLiteral("The worker's top-level code raised, so the worker has no exports "
                                                     "and every call to it fails.")
                                    : explainError(event.text, worker ? worker->exports : QStringList());
            // A worker's last error is an error: not any stderr line (tqdm's progress bars, a
            // warning, a traceback the program caught and printed a line at a time).
            if (fatal)
                m_workers.setFailed(worker->id, event.text, entry.locations);
            else if (worker && isUncaughtPythonError(event.text))
                m_workers.setError(worker->id, event.text, entry.locations);
        }
        m_console.append(entry);
        Q_EMIT consoleAppended(entry);
        break;
    }
    case Kind::WorkerFailed: {
        const WorkerInfo *worker = m_workers.find(event.worker);
        ConsoleEntry entry{
            event.t, sourceName(event), true, event.text, explainError(event.text, {}, ErrorContext::Startup), {}, {}};
        if (worker) {
            entry.locations = mapTraceback(event.text, scriptForWorker(*worker), m_htmlFile);
            m_workers.setFailed(worker->id, event.text, entry.locations);
        }
        if (entry.explanation.isEmpty())
            entry.explanation = QStringLiteral("The worker failed to start, so every call to it fails.");
        m_console.append(entry);
        Q_EMIT consoleAppended(entry);
        break;
    }
    case Kind::Page:
        m_isolated = event.isolated;
        m_pageStartedAt = event.t;
        break;
    case Kind::Responsiveness:
        m_responsiveness.addSample(event.t, event.lag, event.longTasks, event.longestTask);
        break;
    default:
        break;
    }

    if (event.worker > 0) {
        const WorkerInfo *after = m_workers.find(event.worker);
        if (after && (!existed || after->state != previous || event.kind == Kind::WorkerCreated))
            Q_EMIT workerChanged(*after, previous);
    }
}

double PageSession::firstWorkerReadyMs() const
{
    double first = -1;
    for (const WorkerInfo &worker : m_workers.workers()) {
        if (worker.readyAt > 0 && worker.state != WorkerState::Failed && (first < 0 || worker.readyAt < first))
            first = worker.readyAt;
    }
    return first < 0 || m_pageStartedAt <= 0 ? -1 : first - m_pageStartedAt;
}

void PageSession::appendLoomLine(const QString &source, const QString &text, bool isError)
{
    ConsoleEntry entry{double(QDateTime::currentMSecsSinceEpoch()), source, isError, text, {}, {}, {}};
    m_console.append(entry);
    Q_EMIT consoleAppended(entry);
    Q_EMIT batchApplied();
}

void PageSession::markAllStopped()
{
    drain();
    QList<int> running;
    for (const WorkerInfo &worker : m_workers.workers()) {
        if (worker.state != WorkerState::Failed && worker.state != WorkerState::Stopped)
            running.append(worker.id);
    }
    for (int id : running) {
        PageEvent stopped;
        stopped.kind = PageEvent::Kind::WorkerStopped;
        stopped.worker = id;
        stopped.t = m_workers.find(id)->createdAt;
        apply(stopped);
    }
    Q_EMIT batchApplied();
}

} // namespace Loom::Runtime
