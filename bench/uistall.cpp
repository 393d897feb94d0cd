// UI stall: the longest time the IDE's UI thread does not get back to its event loop, with the
// real MainWindow (offscreen), the real dev server, QtWebEngine and PyScript. A measurement for
// BENCHMARKS.md ("It never freezes"), not a test.
//
//   uistall [--scenario primes|stream|all] [--rates 0,10000,50000] [--seconds 10] [--limit 1000000]
//           [--mix calls|lines|both] [--trace MS]
//
// The meter: a 1 ms precise QTimer on the UI thread; every tick's time is kept, a gap is the time
// between two ticks, and a window's stall is its largest gap minus the 1 ms interval. p99 is of
// the gaps themselves (1.0 ms when the thread is free).
//
// primes  A copy of samples/primes (Ui::copyProject), run(), the "primes" worker ready in the
//         Workers dock, Find Primes clicked in the page with the limit 1,000,000, until the call
//         log shows the finished call (checked: 78498 primes), then 2 s more. Windows: the whole
//         run (from openProject to 2 s after the result), run() to the result, and its phases.
// stream  A copy of tests/projects/named-worker, run() until its own call (triple) finished; then
//         the run's PageSession is fed from a producer thread as a dev-server thread feeds it:
//         JSON text parsed by the real parseEventBatch, handed to PageSession::enqueue. First a
//         worker 50 ("flood") created and ready, then call-start / call-end pairs (mix "calls"),
//         or pairs with one stdout line each (mix "lines"), page clock = ms since the epoch,
//         increasing. Batches as the page's bridge sends them: one per 100 ms up to 2000 events,
//         then 2000-event batches more often. The Workers, Call log and Console docks are all
//         shown (Console moved out of its tab beside Call log). Each rate streams --seconds, then
//         the window stays open until every call sent is in the models (the catch-up). Rate 0 is
//         the idle page, for the machine's own jitter.
//
// Every event the application dispatches (QApplication::notify) is timed; a window also reports its
// longest top-level dispatch. A gap much longer than every dispatch in it is time the UI thread
// did not get the CPU (other processes on the machine), or a direct call from this program
// (openProject, run()), not an event handler.
// --trace MS  Prints every dispatch that took MS or more, with its receiver: where a stall comes from.
//
// Each result line also goes to stdout as "#uistall<TAB>scenario<TAB>window<TAB>stall<TAB>p99..."
// for bench/uistall.sh, which runs the binary several times and prints medians.

#include "ui/docks/calllogdock.h"
#include "ui/docks/consoledock.h"
#include "ui/docks/problemsdock.h"
#include "ui/docks/workersdock.h"
#include "ui/mainwindow.h"
#include "ui/previewpane.h"
#include "ui/projecttemplate.h"
#include "ui/settings.h"

#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/pagesession.h"
#include "runtime/models/calltablemodel.h"
#include "runtime/models/workertablemodel.h"
#include "runtime/run/webengine.h"
#include "runtime/vendor/vendorfiles.h"

#include "tests/support/events.h"
#include "tests/support/models.h"
#include "tests/support/page.h"
#include "tests/support/rates.h"
#include "tests/support/wait.h"
#include "tests/support/window.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QMetaEnum>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebEnginePage>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Loom;
using namespace Loom::Runtime;
using namespace Loom::TestSupport;
using namespace Loom::Ui;

namespace {

constexpr int PageTimeoutMs = 180'000;
constexpr qsizetype PageQueueMax = 2000; // instrument.js MAX_QUEUE: the most events one POST carries
constexpr double PageFlushMs = 100;      // instrument.js FLUSH_MS
constexpr int FloodWorker = 50;

[[noreturn]] void fail(const QString &why)
{
    std::fprintf(stderr, "uistall: %s\n", qPrintable(why));
    std::fflush(stdout);
    std::_Exit(1);
}

// The process's monotonic clock, shared by the meter, the marks and the tracer.
QElapsedTimer &processClock()
{
    static QElapsedTimer timer;
    return timer;
}
qint64 now()
{
    return processClock().nsecsElapsed();
}

// ---------------------------------------------------------------------------------------------
// The meter

struct Stats
{
    double seconds = 0;
    qsizetype ticks = 0;
    double stallMs = 0;    // largest gap minus the 1 ms interval
    double p99Ms = 0;      // 99th percentile of the gaps
    int over16 = 0;        // gaps above 16 ms (a frame at 60 Hz)
    int over50 = 0;        // gaps above 50 ms
    qint64 worstStart = 0; // the tick before the largest gap (ns, process clock)
    double dispatchMs = 0; // the longest top-level event dispatch in the window
};

class StallMeter final
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { m_ticks.push_back(now()); });
    }

    void start()
    {
        m_ticks.clear();
        m_ticks.reserve(200'000);
        m_ticks.push_back(now());
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    // The gaps that overlap [from, to].
    Stats stats(qint64 from, qint64 to) const
    {
        std::vector<qint64> gaps;
        Stats s;
        s.seconds = double(to - from) / 1e9;
        qint64 worst = -1;
        for (size_t i = 1; i < m_ticks.size(); ++i) {
            if (m_ticks[i] <= from || m_ticks[i - 1] >= to)
                continue;
            const qint64 gap = m_ticks[i] - m_ticks[i - 1];
            gaps.push_back(gap);
            if (gap > worst) {
                worst = gap;
                s.worstStart = m_ticks[i - 1];
            }
            s.over16 += gap > 16'000'000 ? 1 : 0;
            s.over50 += gap > 50'000'000 ? 1 : 0;
        }
        s.ticks = qsizetype(gaps.size());
        if (gaps.empty())
            return s;
        s.stallMs = std::max(0.0, double(worst) / 1e6 - 1.0);
        std::sort(gaps.begin(), gaps.end());
        const size_t p99 = std::min(gaps.size() - 1, size_t(std::ceil(0.99 * double(gaps.size()))) - 1);
        s.p99Ms = double(gaps[p99]) / 1e6;
        return s;
    }

private:
    QTimer m_timer;
    std::vector<qint64> m_ticks;
};

// ---------------------------------------------------------------------------------------------
// The tracer: every dispatch (QApplication::notify) that takes --trace ms or more.

struct SlowDispatch
{
    qint64 start = 0;
    qint64 ns = 0;
    int depth = 0;
    int type = 0;
    QByteArray receiver; // class "objectName" < parent class
};

class TracingApplication final : public QApplication
{
public:
    using QApplication::QApplication;

    // Dispatches of `ms` or more are kept (never above 16 ms: the windows' longest dispatch).
    void setTraceThreshold(double ms)
    {
        m_printing = ms > 0;
        m_thresholdNs = qint64(std::min(ms > 0 ? ms : 16.0, 16.0) * 1e6);
        m_printNs = qint64(ms * 1e6);
    }
    bool tracing() const { return m_printing; }
    qint64 printThresholdNs() const { return m_printNs; }
    // The longest top-level dispatch that overlaps [from, to], or 0 when none reached the threshold.
    double longestDispatchMs(qint64 from, qint64 to) const
    {
        qint64 longest = 0;
        for (const SlowDispatch &d : m_slow) {
            if (d.depth == 0 && d.start < to && d.start + d.ns > from)
                longest = std::max(longest, d.ns);
        }
        return double(longest) / 1e6;
    }
    const std::vector<SlowDispatch> &slow() const { return m_slow; }

    bool notify(QObject *receiver, QEvent *event) override
    {
        // Read before dispatching: the receiver may be gone after it.
        const char *className = receiver->metaObject()->className();
        const QString name = receiver->objectName();
        const QObject *parent = receiver->parent();
        const char *parentName = parent ? parent->metaObject()->className() : "";
        const int type = int(event->type());
        const qint64 start = now();
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 ns = now() - start;
        if (ns >= m_thresholdNs) {
            QByteArray who = className;
            if (!name.isEmpty())
                who += " \"" + name.toUtf8() + '"';
            if (*parentName)
                who += QByteArray(" < ") + parentName;
            m_slow.push_back({start, ns, m_depth, type, who});
        }
        return result;
    }

private:
    qint64 m_thresholdNs = 16'000'000;
    qint64 m_printNs = 0;
    bool m_printing = false;
    int m_depth = 0;
    std::vector<SlowDispatch> m_slow;
};

TracingApplication *tracer()
{
    return static_cast<TracingApplication *>(QCoreApplication::instance());
}

const char *eventName(int type)
{
    const char *key = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    return key ? key : "user";
}

void printSlowDispatches(const char *title, qint64 from, qint64 to)
{
    if (!tracer()->tracing())
        return;
    std::printf("  slow dispatches in %s (start s after window start, ms, nesting, event, receiver):\n", title);
    int shown = 0;
    for (const SlowDispatch &d : tracer()->slow()) {
        if (d.start + d.ns < from || d.start > to || d.ns < tracer()->printThresholdNs())
            continue;
        if (++shown > 60) {
            std::printf("    … (more)\n");
            break;
        }
        std::printf("    +%8.3f %8.1f  d%d  %-22s %s\n", double(d.start - from) / 1e9, double(d.ns) / 1e6, d.depth,
                    eventName(d.type), d.receiver.constData());
    }
    if (shown == 0)
        std::printf("    none\n");
}

// ---------------------------------------------------------------------------------------------
// Waiting without blocking the UI thread (waitFor(): the meter keeps ticking in the nested loop).

void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// The page's answer; a page that stopped answering ends the bench, its numbers would mean nothing.
QVariant answer(QWebEnginePage *page, const QString &script)
{
    const std::optional<QVariant> value = evaluateWithin(page, script, 10'000);
    if (!value)
        fail(QStringLiteral("no answer from the page for ") + script);
    return *value;
}

const WorkerInfo *findWorker(const PageSession *session, int id)
{
    return session ? session->workers().find(id) : nullptr;
}

bool workerReady(const MainWindow &window, const QString &name)
{
    const WorkerTableModel *workers = TestSupport::part<Ui::WorkersDock>(window)->model();
    const int row = rowOfWorker(workers, name);
    return row >= 0
           && WorkerState(workers->index(row, 0).data(WorkerTableModel::StateRole).toInt()) == WorkerState::Ready;
}

// ---------------------------------------------------------------------------------------------
// Output

// The machine's load (1, 5 and 15 minutes): on 2 cores, other processes show up as stalls.
QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return "unknown";
    return file.readLine().split(' ').mid(0, 3).join(' ');
}

void printHeader(const char *title)
{
    std::printf("\n%s (load average %s)\n", title, loadAverage().constData());
    std::fflush(stdout);
    std::printf("  %-34s %6s %7s %9s %10s %6s %6s %12s %9s\n", "window", "s", "ticks", "stall ms", "p99 gap ms",
                ">16ms", ">50ms", "dispatch ms", "worst at");
}

// A window's row: `from` and `to` bound it on the process clock.
void printRow(const char *scenario, const QString &window, const StallMeter &meter, qint64 from, qint64 to,
              const QString &extra = {})
{
    Stats s = meter.stats(from, to);
    s.dispatchMs = tracer()->longestDispatchMs(from, to);
    std::printf("  %-34s %6.2f %7lld %9.1f %10.2f %6d %6d %12s %+8.3fs%s%s\n", qPrintable(window), s.seconds,
                static_cast<long long>(s.ticks), s.stallMs, s.p99Ms, s.over16, s.over50,
                s.dispatchMs > 0 ? qPrintable(QString::number(s.dispatchMs, 'f', 1)) : "<16",
                double(s.worstStart - from) / 1e9, extra.isEmpty() ? "" : "  ", qPrintable(extra));
    std::fflush(stdout);
    // Machine-readable, for bench/uistall.sh.
    std::fprintf(stdout, "#uistall\t%s\t%s\t%.3f\t%.3f\t%d\t%d\t%.3f\t%s\n", scenario, qPrintable(window), s.stallMs,
                 s.p99Ms, s.over16, s.over50, s.dispatchMs, qPrintable(extra));
}

// ---------------------------------------------------------------------------------------------
// Scenario 1: the primes sample

struct Context
{
    VendorFiles runtime;
    QString workspace;
};

void primes(const Context &context, int limit)
{
    Settings settings;
    MainWindow window(context.runtime, &settings);
    window.show();
    idle(1000); // the window's first paint and QtWebEngine's start, before the measurement

    auto copied = copyProject(QStringLiteral(LOOM_SOURCE_DIR "/samples/primes"), context.workspace,
                              QStringLiteral("primes"));
    if (!copied)
        fail(copied.error());

    StallMeter meter;
    meter.start();
    idle(20);
    const qint64 tOpen = now();
    if (auto opened = window.openProject(*copied); !opened)
        fail(opened.error());
    idle(200);
    const qint64 tRun = now();
    window.run();
    if (!waitFor([&] { return workerReady(window, QStringLiteral("primes")); }, PageTimeoutMs))
        fail(QStringLiteral("the primes worker never became ready"));
    const qint64 tReady = now();

    QWebEnginePage *page = TestSupport::part<Ui::PreviewPane>(window)->page();
    // Polled from here, not from waitFor's timer: answer() runs an event loop of its own.
    QElapsedTimer enabling;
    enabling.start();
    while (!answer(page, QStringLiteral("!document.querySelector('#find').disabled")).toBool()) {
        if (enabling.elapsed() > PageTimeoutMs)
            fail(QStringLiteral("Find Primes never became enabled"));
        idle(20);
    }
    const qint64 tClick = now();
    answer(page,
           QStringLiteral("document.querySelector('#limit').value = '%1'; document.querySelector('#find').click();")
               .arg(limit));

    const CallTableModel *calls = TestSupport::part<Ui::CallLogDock>(window)->model();
    if (!waitFor(
            [&] { return calls->rowCount() > 0 && calls->index(0, 0).data(CallTableModel::FinishedRole).toBool(); },
            PageTimeoutMs))
        fail(QStringLiteral("the find_primes call never finished"));
    const qint64 tResult = now();
    const QString outcome = calls->index(0, CallTableModel::Outcome).data().toString();
    if (limit == 1'000'000 && !outcome.contains(u"78498"))
        fail(QStringLiteral("unexpected result: ") + outcome);
    idle(2000);
    const qint64 tEnd = now();
    meter.stop();

    char title[160];
    std::snprintf(title, sizeof title,
                  "primes sample (MainWindow offscreen, Find Primes with limit %d; result in the call log: %s)", limit,
                  qPrintable(outcome.left(60)));
    printHeader(title);
    printRow("primes", QStringLiteral("whole: open -> result + 2 s"), meter, tOpen, tEnd);
    printRow("primes", QStringLiteral("run() -> result"), meter, tRun, tResult);
    printRow("primes", QStringLiteral("  openProject (+200 ms)"), meter, tOpen, tRun);
    printRow("primes", QStringLiteral("  run() -> worker ready"), meter, tRun, tReady);
    printRow("primes", QStringLiteral("  ready -> button enabled"), meter, tReady, tClick);
    printRow("primes", QStringLiteral("  click -> result"), meter, tClick, tResult);
    printRow("primes", QStringLiteral("  after the result (2 s)"), meter, tResult, tEnd);
    std::printf("  marks (s after open): run %.3f, ready %.3f, enabled %.3f, result %.3f\n", double(tRun - tOpen) / 1e9,
                double(tReady - tOpen) / 1e9, double(tClick - tOpen) / 1e9, double(tResult - tOpen) / 1e9);
    std::printf("  load average after: %s\n", loadAverage().constData());
    printSlowDispatches("the whole primes window", tOpen, tEnd);
    window.stop();
    idle(300);
}

// ---------------------------------------------------------------------------------------------
// Scenario 2: call events streaming into the run's PageSession

// The page's bridge batches for worker 50: call-start, [stdout,] call-end per call.
class FloodMaker final
{
public:
    explicit FloodMaker(bool lines)
        : m_lines(lines)
    {}

    int eventsPerCall() const { return m_lines ? 3 : 2; }

    static QByteArray setup(double t)
    {
        return batchJson(workerStartJson(t, FloodWorker, "flood", "./flood.py", "work"));
    }

    // `count` events (whole calls), the first at page time `t`, `step` ms apart.
    QByteArray batch(qsizetype count, double &t, double step)
    {
        QList<QByteArray> events;
        events.reserve(count);
        for (qsizetype i = 0; i < count; ++i, t += step) {
            if (m_phase == 0)
                ++m_call; // a call-start begins the next call
            const QByteArray id = QByteArray::number(m_call);
            if (m_phase == 0) {
                events.append(eventJson("call-start", t, FloodWorker,
                                        "\"id\":" + id + ",\"fn\":\"work\",\"args\":[\"" + id + "\",\"7\"]"));
            } else if (m_phase == 1 && m_lines) {
                events.append(eventJson("stdout", t, FloodWorker,
                                        "\"text\":\"work: item " + id + " of the queue, 12 rows, total "
                                            + QByteArray::number(m_call * 7) + '"'));
            } else {
                events.append(eventJson("call-end", t, FloodWorker,
                                        "\"id\":" + id + ",\"fn\":\"work\",\"ok\":true,\"result\":\""
                                            + QByteArray::number(m_call * 7) + "\",\"ms\":0.052,\"mainMs\":0.318"));
            }
            m_phase = (m_phase + 1) % eventsPerCall();
        }
        return batchJson(events);
    }

    int callsStarted() const { return m_call; }

private:
    bool m_lines = false;
    int m_call = 0;
    int m_phase = 0;
};

// deliver(), as a dev-server thread does with a POST; a batch refused is the bench's own mistake.
qsizetype deliverOrFail(PageSession *session, const QByteArray &json)
{
    const auto count = deliver(*session, json);
    if (!count)
        fail(QStringLiteral("the bench made a bad batch: ") + count.error());
    return *count;
}

struct StreamResult
{
    double delivered = 0; // events/s
    double applied = 0;   // events/s, in the models by the end of the streaming window
    double catchUpMs = 0;
    quint64 inboxDropped = 0;
    qint64 from = 0;      // the producer starts
    qint64 streamEnd = 0; // it has stopped; from here to `to`, the catch-up: every call sent reaches the models
    qint64 to = 0;
};

// The meter runs from just before the producer starts until the catch-up is over.
StreamResult stream(StallMeter &meter, PageSession *session, FloodMaker &maker, int rate, double seconds)
{
    using Clock = std::chrono::steady_clock;
    // Whole calls per batch, so every call sent also ends.
    const qsizetype perCall = maker.eventsPerCall();
    const qsizetype batchSize = std::clamp<qsizetype>(qsizetype(rate * PageFlushMs / 1000.0), perCall, PageQueueMax)
                                / perCall * perCall;
    const auto interval = std::chrono::duration<double>(double(batchSize) / std::max(rate, 1));
    const double step = 1000.0 / std::max(rate, 1);
    std::atomic<quint64> delivered = 0;
    std::atomic<bool> producerDone = false;
    const quint64 droppedBefore = session->counters().inboxDropped;
    const auto finishedCalls = [session] {
        const WorkerInfo *worker = findWorker(session, FloodWorker);
        return worker ? worker->calls - worker->inFlight : 0;
    };
    const int finishedBefore = finishedCalls();
    const int startedBefore = maker.callsStarted();

    meter.start();
    idle(20);
    StreamResult result;
    result.from = now();
    std::thread producer([&] {
        if (rate == 0) {
            producerDone = true;
            return;
        }
        const auto start = Clock::now();
        const auto end = start + std::chrono::duration<double>(seconds);
        double t = double(QDateTime::currentMSecsSinceEpoch());
        for (long k = 0;; ++k) {
            const auto due = start + std::chrono::duration_cast<Clock::duration>(interval * double(k));
            if (due >= end)
                break;
            std::this_thread::sleep_until(due);
            delivered += quint64(deliverOrFail(session, maker.batch(batchSize, t, step)));
        }
        producerDone = true;
    });
    idle(int(seconds * 1000));
    // Joined once done: a join that waits would block the UI thread and count as a stall.
    waitFor([&] { return producerDone.load(); }, 10'000);
    producer.join();
    result.streamEnd = now();
    const int finishedAtEnd = finishedCalls() - finishedBefore;
    const int sent = maker.callsStarted() - startedBefore;
    waitFor([&] { return finishedCalls() - finishedBefore >= sent; }, 30'000);
    result.catchUpMs = double(now() - result.streamEnd) / 1e6;
    idle(200);
    result.to = now();
    meter.stop();

    const double elapsed = double(result.streamEnd - result.from) / 1e9;
    result.delivered = double(delivered) / elapsed;
    result.applied = double(finishedAtEnd) * maker.eventsPerCall() / elapsed;
    result.inboxDropped = session->counters().inboxDropped - droppedBefore;
    if (finishedCalls() - finishedBefore < sent)
        std::printf("  (rate %d: only %d of %d calls reached the models within 30 s)\n", rate,
                    finishedCalls() - finishedBefore, sent);
    return result;
}

// The three docks side by side at the bottom, all visible: Console leaves its tab beside Call log.
void showDocks(MainWindow &window)
{
    // Out of the tab group the window restores (Call log, Console, Problems), then side by side;
    // Problems is not measured here.
    window.removeDockWidget(TestSupport::part<Ui::ProblemsDock>(window));
    window.removeDockWidget(TestSupport::part<Ui::ConsoleDock>(window));
    window.removeDockWidget(TestSupport::part<Ui::CallLogDock>(window));
    window.addDockWidget(Qt::BottomDockWidgetArea, TestSupport::part<Ui::CallLogDock>(window));
    window.splitDockWidget(TestSupport::part<Ui::WorkersDock>(window), TestSupport::part<Ui::CallLogDock>(window),
                           Qt::Horizontal);
    window.addDockWidget(Qt::BottomDockWidgetArea, TestSupport::part<Ui::ConsoleDock>(window));
    window.splitDockWidget(TestSupport::part<Ui::CallLogDock>(window), TestSupport::part<Ui::ConsoleDock>(window),
                           Qt::Horizontal);
    TestSupport::part<Ui::WorkersDock>(window)->show();
    TestSupport::part<Ui::CallLogDock>(window)->show();
    TestSupport::part<Ui::ConsoleDock>(window)->show();
    idle(300);
    for (QDockWidget *dock : {static_cast<QDockWidget *>(TestSupport::part<Ui::WorkersDock>(window)),
                              static_cast<QDockWidget *>(TestSupport::part<Ui::CallLogDock>(window)),
                              static_cast<QDockWidget *>(TestSupport::part<Ui::ConsoleDock>(window))}) {
        if (!dock->isVisible() || dock->visibleRegion().isEmpty())
            fail(dock->objectName()
                 + QStringLiteral(" is not shown (visible %1, hidden %2, floating %3, geometry %4x%5)")
                       .arg(dock->isVisible())
                       .arg(dock->isHidden())
                       .arg(dock->isFloating())
                       .arg(dock->width())
                       .arg(dock->height())
                 + [&] {
                       QStringList tabbed;
                       for (QDockWidget *other : window.tabifiedDockWidgets(dock))
                           tabbed.append(other->objectName());
                       return QStringLiteral(" tabbed with: ") + tabbed.join(QStringLiteral(", "));
                   }());
    }
}

void streamScenario(const Context &context, const QList<int> &rates, double seconds, const QList<bool> &mixes)
{
    Settings settings;
    MainWindow window(context.runtime, &settings);
    window.show();
    idle(1000);
    auto copied = copyProject(QStringLiteral(LOOM_TESTS_DIR "/projects/named-worker"), context.workspace,
                              QStringLiteral("named-worker"));
    if (!copied)
        fail(copied.error());
    if (auto opened = window.openProject(*copied); !opened)
        fail(opened.error());
    showDocks(window);

    for (const bool lines : mixes) {
        window.run();
        PageSession *session = TestSupport::part<Ui::PreviewPane>(window)->session();
        const CallTableModel *calls = TestSupport::part<Ui::CallLogDock>(window)->model();
        // The page's own worker and call first: the session is live and the page settled.
        if (!waitFor(
                [&] { return calls->rowCount() > 0 && calls->index(0, 0).data(CallTableModel::FinishedRole).toBool(); },
                PageTimeoutMs))
            fail(QStringLiteral("named-worker's triple call never finished"));
        idle(1000);
        deliverOrFail(session, FloodMaker::setup(double(QDateTime::currentMSecsSinceEpoch())));
        if (!waitFor([&] { return workerReady(window, QStringLiteral("flood")); }, 5000))
            fail(QStringLiteral("the flood worker never showed as ready"));

        FloodMaker maker(lines);
        StallMeter meter;
        char title[200];
        std::snprintf(title, sizeof title,
                      "stream: %s into the run's PageSession, %.0f s per rate, Workers + Call log + Console shown",
                      lines ? "call-start/stdout/call-end triples" : "call-start/call-end pairs", seconds);
        printHeader(title);
        for (const int rate : rates) {
            const StreamResult r = stream(meter, session, maker, rate, rate == 0 ? std::min(seconds, 5.0) : seconds);
            const QString name = rate == 0 ? QStringLiteral("idle page, %1 run").arg(lines ? u"lines" : u"calls")
                                           : QStringLiteral("%1 ev/s %2").arg(rate).arg(lines ? u"lines" : u"calls");
            const QString detail =
                rate == 0
                    ? QString()
                    : QStringLiteral(
                          "delivered %1 ev/s, applied %2 ev/s, inbox dropped %3, catch-up %4 ms, call log rows %5")
                          .arg(qRound(r.delivered))
                          .arg(qRound(r.applied))
                          .arg(r.inboxDropped)
                          .arg(qRound(r.catchUpMs))
                          .arg(calls->rowCount());
            printRow("stream", rate == 0 ? name : name + QStringLiteral(" streaming"), meter, r.from, r.streamEnd,
                     detail);
            if (rate > 0)
                printRow("stream", name + QStringLiteral(" catch-up"), meter, r.streamEnd, r.to);
            printSlowDispatches(qPrintable(name), r.from, r.to);
            idle(500);
        }
    }
    std::printf("  load average after: %s\n", loadAverage().constData());
    window.stop();
    idle(300);
}

} // namespace

int main(int argc, char *argv[])
{
    processClock().start();
    // Settings and the workspace go to a throw-away home, as in tests/ui/tst_mainwindow.cpp.
    QTemporaryDir home;
    if (!home.isValid())
        fail(QStringLiteral("no temporary directory"));
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    Runtime::prepareWebEngineEnvironment(true);
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    TracingApplication app(argc, argv);

    QString scenario = QStringLiteral("all");
    QList<int> rates{0, 10000, 50000};
    double seconds = 10;
    int limit = 1'000'000;
    QList<bool> mixes{false};
    const QStringList args = QCoreApplication::arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        const bool hasValue = i + 1 < args.size();
        if (arg == u"--scenario" && hasValue) {
            scenario = args.at(++i);
        } else if (arg == u"--rates" && hasValue) {
            auto parsed = parseRates(args.at(++i));
            if (!parsed)
                fail(parsed.error());
            rates = *parsed;
        } else if (arg == u"--seconds" && hasValue) {
            seconds = args.at(++i).toDouble();
        } else if (arg == u"--limit" && hasValue) {
            limit = args.at(++i).toInt();
        } else if (arg == u"--mix" && hasValue) {
            const QString mix = args.at(++i);
            mixes = mix == u"lines"  ? QList<bool>{true}
                    : mix == u"both" ? QList<bool>{false, true}
                                     : QList<bool>{false};
        } else if (arg == u"--trace" && hasValue) {
            app.setTraceThreshold(args.at(++i).toDouble());
        } else {
            std::fprintf(stderr, "usage: uistall [--scenario primes|stream|all] [--rates 0,10000,50000] [--seconds 10] "
                                 "[--limit 1000000] [--mix calls|lines|both] [--trace MS]\n");
            return 2;
        }
    }
    if (seconds <= 0 || limit < 2 || (scenario != u"primes" && scenario != u"stream" && scenario != u"all"))
        fail(QStringLiteral("bad arguments"));

    auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    if (!runtime)
        fail(runtime.error());
    const Context context{*runtime, home.filePath(QStringLiteral("projects"))};
    QDir().mkpath(context.workspace);

    std::printf(
        "uistall: the UI thread's longest stall (1 ms precise QTimer; stall = largest gap - 1 ms), platform %s\n",
        qPrintable(QGuiApplication::platformName()));
    if (scenario != u"stream")
        primes(context, limit);
    if (scenario != u"primes")
        streamScenario(context, rates, seconds, mixes);
    return 0;
}
