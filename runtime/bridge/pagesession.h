#pragma once

#include "runtime/bridge/calllog.h"
#include "runtime/bridge/consolelog.h"
#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/responsiveness.h"
#include "runtime/bridge/workerregistry.h"
#include "runtime/debug/debughit.h"
#include "runtime/project/project.h"
#include "runtime/project/projectscan.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>

class QTimer;

namespace Loom::Runtime {

struct BridgeCounters
{
    quint64 received = 0;     // events accepted into the inbox
    quint64 inboxDropped = 0; // events dropped because the inbox was full
    quint64 pageDropped = 0;  // events the page's own queue dropped
    quint64 rejected = 0;     // malformed events
    quint64 resent = 0;       // batches the page sent again that had arrived already (ignored)
};

// The live state of one run of a page, fed by the bridge. Server threads hand in batches
// (enqueue, thread-safe, bounded); the owning thread applies them every 50 ms and signals once
// per batch, so 10,000 events a second never become 10,000 model updates. A timed drain stops
// after its budget (8 ms) and goes on at the next turn of the event loop, so a backlog never holds
// the owning thread (the UI thread, in the IDE) for longer than that.
class PageSession final : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype MaxQueuedEvents = 100000;
    // What events waiting to be applied may hold: past it, new ones are dropped and counted.
    static constexpr qint64 MaxQueuedBytes = 16LL * 1024 * 1024;
    static constexpr int DefaultDrainBudgetMs = 8;

    explicit PageSession(const Project &project, QObject *parent = nullptr);
    ~PageSession() override;
    Q_DISABLE_COPY_MOVE(PageSession)

    // Any thread.
    void enqueue(EventBatch batch);
    // Owning thread: applies everything queued now, however long it takes (the timer applies it
    // in slices of the drain budget).
    void drain();
    // How long one timed drain may hold the owning thread; it always applies at least 64 events.
    void setDrainBudget(int ms) { m_drainBudgetMs = ms; }

    const WorkerRegistry &workers() const { return m_workers; }
    const CallLog &calls() const { return m_calls; }
    const ConsoleLog &console() const { return m_console; }
    const Responsiveness &responsiveness() const { return m_responsiveness; }
    const QList<PageScript> &pageScripts() const { return m_scripts; }
    BridgeCounters counters() const;
    bool bridgeSeen() const { return m_bridgeSeen; }
    // From the bridge's first event: whether the page runs cross-origin isolated, and when (page
    // clock) the bridge started; unknown until then.
    std::optional<bool> isolated() const { return m_isolated; }
    double pageStartedAt() const { return m_pageStartedAt; }
    // Page clock ms from the bridge's start to the first worker ready, or -1.
    double firstWorkerReadyMs() const;
    // Events stamped before this (page clock) are dropped: they come from a page replaced by this run.
    void setAcceptFrom(double pageTime) { m_acceptFrom = pageTime; }
    // The run ended at page-clock time `now`: a main thread silent since then was blocked.
    void endRun(double now) { m_responsiveness.endAt(now, m_acceptFrom); }
    // The page went away (Stop, reload): its workers are gone without a word from them.
    void markAllStopped();
    // Any thread: a debug run's thread reached a breakpoint or a log point (kept up to
    // MaxDebugHits, then counted).
    void addDebugHit(DebugHit hit);
    QList<DebugHit> debugHits() const;
    quint64 debugHitsDropped() const;
    static constexpr qsizetype MaxDebugHits = 1000;
    // A line of Loom's own in the console, for what the bridge cannot see (a failed load, say).
    void appendLoomLine(const QString &source, const QString &text, bool isError);

Q_SIGNALS:
    void workerChanged(const Loom::Runtime::WorkerInfo &worker, Loom::Runtime::WorkerState previous);
    void callFinished(const Loom::Runtime::CallRecord &call);
    void consoleAppended(const Loom::Runtime::ConsoleEntry &entry);
    void batchApplied();
    // The page sent its last batch (EventBatch::last): everything it sent before has been taken.
    void lastBatchTaken();

private:
    // Applies queued events until the budget (ms, negative: none) runs out; true if some are left.
    bool drainFor(qint64 budgetMs);
    void onTimer();
    void apply(const PageEvent &event);
    PageScript scriptForWorker(const WorkerInfo &worker) const;
    PageScript scriptForMain(const QString &type) const;
    QString sourceName(const PageEvent &event) const;

    QString m_htmlFile = Project::entryPageName();
    QList<PageScript> m_scripts;
    WorkerRegistry m_workers;
    CallLog m_calls;
    ConsoleLog m_console;
    Responsiveness m_responsiveness;
    QMap<QString, ScriptRef> m_currentMain; // type -> the main script that ran last
    QMap<QString, int> m_mainRuns;          // type -> inline main scripts started
    bool m_bridgeSeen = false;
    std::optional<bool> m_isolated;
    double m_pageStartedAt = 0;
    double m_acceptFrom = 0;
    QTimer *m_timer = nullptr;
    int m_drainBudgetMs = DefaultDrainBudgetMs;
    std::deque<PageEvent> m_pending; // taken from the inbox, sorted, not applied yet (owning thread)

    mutable std::mutex m_mutex;
    std::deque<PageEvent> m_inbox;
    std::atomic<qint64> m_queuedBytes = 0; // m_inbox's and m_pending's events
    BridgeCounters m_counters;
    QList<DebugHit> m_debugHits;
    quint64 m_debugHitsDropped = 0;
    // The ids of the last batches taken, to take a batch sent again once (a page resends a batch
    // whose fetch failed, within a second; the window holds far more batches than that).
    static constexpr qsizetype RecentBatchIds = 4096;
    QSet<QString> m_recentBatchIds;
    std::deque<QString> m_recentBatchOrder;
};

} // namespace Loom::Runtime
