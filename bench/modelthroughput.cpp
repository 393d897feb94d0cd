// Model throughput: how many bridge events a second one PageSession takes in while the thread
// that owns it stays responsive. A measurement for BENCHMARKS.md, not a test.
//
//   modelthroughput [--rates 0,1000,10000,20000,50000,100000] [--seconds 3] [--repeats 3]
//                   [--no-prefill] [--profile]
//
// Rate 0 is the baseline: no events, the stall the machine itself causes. Each rate runs
// --repeats times; the longest stall of each run is printed.
//
// A producer thread does what a dev-server thread does for each POST of the page bridge: it takes
// a JSON batch (made here: realistic call-start / stdout / call-end events of two workers), parses
// it with the real parser (parseEventBatch) and hands it to PageSession::enqueue, exactly as
// app/headlessrun.cpp wires DevServer's bridge. The main thread owns the session, which drains
// every 50 ms; a 1 ms precise QTimer on that thread measures its longest stall (largest gap
// between two ticks, minus 1 ms). Batches hold at most 2000 events, the page's own queue limit
// (instrument.js MAX_QUEUE), one every 100 ms (its FLUSH_MS) up to 20,000 events/s, the most one
// page's bridge sends; above that, 2000-event batches more often (several pages, or a bridge
// that flushes faster).
//
// --profile times the parts on their own (parser, call log, one drain) to show where time goes.

#include "runtime/bridge/calllog.h"
#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/pagesession.h"

#include "tests/support/events.h"
#include "tests/support/rates.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;

namespace {

constexpr qsizetype PageQueueMax = 2000;  // instrument.js MAX_QUEUE: the most events one POST carries
constexpr double PageFlushMs = 100;       // instrument.js FLUSH_MS
constexpr double Epoch = 1795553960000.0; // page clock (ms since the epoch) at the start
constexpr int CallLogCapacity = 10000;    // CallLog's default, which PageSession uses

// The page's batches. Sequential calls alternate between two workers ("calc1", "calc2"); each
// call is a call-start, one line of the worker's stdout and a call-end. One call in 100 fails
// with a Pyodide traceback (mapped to the worker's file by the session).
class BatchMaker
{
public:
    BatchMaker() = default;
    // Only stdout lines (no calls): for --profile, the cost of an event without the call log.
    explicit BatchMaker(bool linesOnly)
        : m_linesOnly(linesOnly)
    {}

    // `count` events, the first at page time `t`, the next ones `step` ms apart.
    QByteArray batch(qsizetype count, double t, double step)
    {
        QList<QByteArray> events;
        events.reserve(count);
        for (qsizetype i = 0; i < count; ++i, t += step) {
            // Taken before a call-start counts its call, so a call's start names the other worker
            // than its line and its end: the stream this bench has always sent, which the numbers
            // in BENCHMARKS.md measured.
            const int worker = m_call % 2 + 1;
            const QByteArray id = QByteArray::number(m_call);
            switch (m_linesOnly ? 1 : m_phase) {
            case 0:
                ++m_call;
                events.append(eventJson("call-start", t, worker,
                                        "\"id\":" + QByteArray::number(m_call) + ",\"fn\":\"add\",\"args\":[\""
                                            + QByteArray::number(m_call) + "\",\"1\"]"));
                break;
            case 1:
                events.append(eventJson("stdout", t, worker,
                                        "\"text\":\"add: item " + id + " of the queue, 12 rows, total "
                                            + QByteArray::number(m_call * 7) + '"'));
                break;
            default:
                if (m_call % 100 == 0) {
                    // JSON string content: escaped newlines and quotes.
                    const QByteArray error =
                        "Traceback (most recent call last):\\n  File "
                        "\\\"/lib/python313.zip/_pyodide/_base.py\\\", line 597, in eval_code_async\\n"
                        "  File \\\"<exec>\\\", line 9, in add\\nValueError: item "
                        + id + " is negative";
                    events.append(eventJson("call-end", t, worker,
                                            "\"id\":" + id
                                                + R"(,"fn":"add","ok":false,"ms":0.081,"mainMs":0.412,"error":")"
                                                + error + '"'));
                } else {
                    events.append(eventJson("call-end", t, worker,
                                            "\"id\":" + id + ",\"fn\":\"add\",\"ok\":true,\"result\":\""
                                                + QByteArray::number(m_call + 1) + "\",\"ms\":0.052,\"mainMs\":0.318"));
                }
                break;
            }
            m_phase = (m_phase + 1) % 3;
        }
        return batchJson(events);
    }

    // Two workers created, their interpreters up, `add` exported, ready.
    static QByteArray setup(double t)
    {
        QList<QByteArray> events;
        for (int w = 1; w <= 2; ++w)
            events += workerStartJson(t, w, "calc" + QByteArray::number(w), "./worker.py", "add", w);
        return batchJson(events);
    }

private:
    bool m_linesOnly = false;
    int m_call = 0;
    int m_phase = 0;
};

// Parse and enqueue, as DevServer::Private::receiveBatch and headlessrun's bridge do (deliver());
// a batch refused is the bench's own mistake, and ends it.
qsizetype deliverOrExit(PageSession &session, const QByteArray &json)
{
    const auto count = deliver(session, json);
    if (!count) {
        std::fprintf(stderr, "modelthroughput: the bench made a bad batch: %s\n",
                     count.error().toLocal8Bit().constData());
        std::exit(1);
    }
    return *count;
}

// Events the models have taken in: call-starts (counted by the registry), and what the session
// signals (every call-end, every console line).
struct AppliedCounter
{
    quint64 ends = 0;
    quint64 lines = 0;
    quint64 total(const PageSession &session) const
    {
        quint64 starts = 0;
        for (const WorkerInfo &worker : session.workers().workers())
            starts += quint64(worker.calls);
        return starts + ends + lines;
    }
};

struct RateResult
{
    int target = 0;
    double delivered = 0; // events/s
    double applied = 0;   // events/s
    double stallMs = 0;
    double drainMs = 0; // longest drain: from the last tick before it to its batchApplied
    int ticksOver16 = 0;
    quint64 inboxDropped = 0;
};

RateResult runRate(PageSession &session, BatchMaker &maker, const AppliedCounter &counter, int rate, double seconds,
                   double &pageTime)
{
    using Clock = std::chrono::steady_clock;
    // Rate 0: no producer, the thread's own jitter on this machine.
    const qsizetype batchSize = std::clamp<qsizetype>(qsizetype(rate * PageFlushMs / 1000.0), 1, PageQueueMax);
    const auto interval = std::chrono::duration<double>(double(batchSize) / std::max(rate, 1));
    const double step = 1000.0 / std::max(rate, 1); // page ms between two events
    std::atomic<quint64> delivered = 0;
    std::atomic<bool> stop = false;

    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = 0;
    qint64 maxGap = 0;
    int over16 = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const qint64 now = clock.nsecsElapsed();
        const qint64 gap = now - lastTick;
        maxGap = std::max(maxGap, gap);
        if (gap > 17'000'000)
            ++over16;
        lastTick = now;
    });
    qint64 maxDrain = 0;
    QObject::connect(&session, &PageSession::batchApplied, &ticker, [&] {
        if (ticker.isActive())
            maxDrain = std::max(maxDrain, clock.nsecsElapsed() - lastTick);
    });

    const quint64 appliedBefore = counter.total(session);
    const quint64 droppedBefore = session.counters().inboxDropped;
    const double pageStart = pageTime;
    lastTick = clock.nsecsElapsed();
    ticker.start();
    std::thread producer([&] {
        const auto start = Clock::now();
        const auto end = start + std::chrono::duration<double>(seconds);
        double t = pageStart;
        for (long k = 0;; ++k) {
            const auto due = start + std::chrono::duration_cast<Clock::duration>(interval * double(k));
            if (rate == 0 || due >= end || stop)
                break;
            std::this_thread::sleep_until(due);
            const QByteArray json = maker.batch(batchSize, t, step);
            t += step * double(batchSize);
            delivered += quint64(deliverOrExit(session, json));
        }
    });
    QEventLoop loop;
    QTimer::singleShot(std::chrono::milliseconds(qint64(seconds * 1000)), &loop, &QEventLoop::quit);
    loop.exec();
    ticker.stop();
    const double elapsed = double(clock.nsecsElapsed()) / 1e9;
    const quint64 applied = counter.total(session) - appliedBefore;
    stop = true;
    producer.join();
    pageTime = pageStart + seconds * 1000.0 + 1000.0;

    RateResult result;
    result.target = rate;
    result.delivered = double(delivered) / elapsed;
    result.applied = double(applied) / elapsed;
    result.stallMs = std::max(0.0, double(maxGap) / 1e6 - 1.0);
    result.drainMs = double(maxDrain) / 1e6;
    result.ticksOver16 = over16;
    // Let the session take in the rest before the next rate.
    QEventLoop settle;
    QTimer::singleShot(std::chrono::milliseconds(300), &settle, &QEventLoop::quit);
    settle.exec();
    session.drain();
    result.inboxDropped = session.counters().inboxDropped - droppedBefore;
    return result;
}

void prefill(PageSession &session, BatchMaker &maker, double &pageTime)
{
    for (qsizetype events = 0; events < 3 * CallLogCapacity; events += PageQueueMax) {
        deliverOrExit(session, maker.batch(PageQueueMax, pageTime, 0.01));
        pageTime += PageQueueMax * 0.01;
    }
    session.drain();
}

template<typename F>
double timeMs(F &&f)
{
    QElapsedTimer timer;
    timer.start();
    f();
    return double(timer.nsecsElapsed()) / 1e6;
}

void profile(const QString &projectDir)
{
    std::printf("\nWhere the time goes (single-threaded, no producer):\n");
    BatchMaker maker;
    double t = Epoch;

    const QByteArray json = maker.batch(PageQueueMax, t, 0.01);
    const int repeats = 50;
    const double parseMs = timeMs([&] {
        for (int i = 0; i < repeats; ++i) {
            if (!parseEventBatch(std::string_view(json.constData(), size_t(json.size()))))
                std::exit(1);
        }
    });
    std::printf("  parseEventBatch: %.2f us/event (%zu bytes per %lld-event batch)\n",
                parseMs * 1000.0 / (repeats * double(PageQueueMax)), size_t(json.size()),
                static_cast<long long>(PageQueueMax));

    PageEvent start;
    start.kind = PageEvent::Kind::CallStart;
    start.worker = 1;
    start.name = QStringLiteral("add");
    start.args = {QStringLiteral("1"), QStringLiteral("1")};
    PageEvent end = start;
    end.kind = PageEvent::Kind::CallEnd;
    end.ok = true;
    end.text = QStringLiteral("2");
    end.ms = 0.05;
    end.mainMs = 0.3;
    const QString worker = QStringLiteral("calc1");
    const int calls = 5000;
    // A full ring of `size` calls (the session's is 10000): a new call-start first looks for its
    // id among the calls already there.
    for (const qsizetype size : {qsizetype(1), qsizetype(1000), qsizetype(CallLogCapacity)}) {
        CallLog log(size);
        int id = 0;
        for (qsizetype i = 0; i < size; ++i) {
            start.callId = end.callId = ++id;
            log.apply(start, worker);
            log.apply(end, worker);
        }
        double startMs = 0;
        double endMs = 0;
        for (int i = 0; i < calls; ++i) {
            start.callId = end.callId = ++id;
            startMs += timeMs([&] { log.apply(start, worker); });
            endMs += timeMs([&] { log.apply(end, worker); });
        }
        std::printf("  CallLog::apply, ring of %5lld calls: call-start %.2f us, call-end %.2f us\n",
                    static_cast<long long>(size), startMs * 1000.0 / calls, endMs * 1000.0 / calls);
    }

    // One 50 ms drain at 100,000 events/s: 5000 events, as two POSTs of 2500.
    struct DrainCase
    {
        const char *name;
        bool prefilled;
        bool linesOnly;
    };
    for (const DrainCase &c :
         {DrainCase{"calls, fresh session", false, false}, DrainCase{"calls, call log full (10000)", true, false},
          DrainCase{"stdout lines only, no calls", false, true}}) {
        PageSession session(projectDir);
        deliverOrExit(session, BatchMaker::setup(t));
        session.drain();
        BatchMaker page(c.linesOnly);
        if (c.prefilled)
            prefill(session, page, t);
        double worst = 0;
        double total = 0;
        const int rounds = 10;
        for (int i = 0; i < rounds; ++i) {
            deliverOrExit(session, page.batch(2500, t, 0.01));
            deliverOrExit(session, page.batch(2500, t + 25, 0.01));
            t += 50;
            const double ms = timeMs([&] { session.drain(); });
            worst = std::max(worst, ms);
            total += ms;
        }
        std::printf("  PageSession::drain of 5000 events (%s): mean %.1f ms, max %.1f ms\n", c.name, total / rounds,
                    worst);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<int> rates{0, 1000, 10000, 20000, 50000, 100000};
    int repeats = 3;
    double seconds = 3;
    bool fill = true;
    bool wantProfile = false;
    const QStringList args = QCoreApplication::arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == u"--rates" && i + 1 < args.size()) {
            auto parsed = parseRates(args.at(++i));
            if (!parsed) {
                std::fprintf(stderr, "modelthroughput: %s\n", parsed.error().toLocal8Bit().constData());
                return 2;
            }
            rates = *parsed;
        } else if (arg == u"--seconds" && i + 1 < args.size()) {
            seconds = args.at(++i).toDouble();
        } else if (arg == u"--repeats" && i + 1 < args.size()) {
            repeats = std::max(1, args.at(++i).toInt());
        } else if (arg == u"--no-prefill") {
            fill = false;
        } else if (arg == u"--profile") {
            wantProfile = true;
        } else {
            std::fprintf(
                stderr,
                "usage: modelthroughput [--rates 0,1000,10000,...] [--seconds S] [--repeats N] [--no-prefill] [--profile]\n");
            return 2;
        }
    }
    if (seconds <= 0)
        seconds = 3;

    const QString projectDir = QStringLiteral(LOOM_BENCH_DIR "/projects/calls");
    PageSession session(projectDir);
    AppliedCounter counter;
    QObject::connect(&session, &PageSession::callFinished, &session, [&counter] { ++counter.ends; });
    QObject::connect(&session, &PageSession::consoleAppended, &session, [&counter] { ++counter.lines; });

    double pageTime = Epoch;
    deliverOrExit(session, BatchMaker::setup(pageTime));
    session.drain();
    BatchMaker maker;
    if (fill)
        prefill(session, maker, pageTime);

    std::printf("PageSession fed by a producer thread (parseEventBatch + enqueue, batches of <= %lld events), "
                "%d x %.1f s per rate, call log %s\n",
                static_cast<long long>(PageQueueMax), repeats, seconds,
                fill ? "prefilled with 10000 calls (its capacity)" : "empty at start");
    std::printf("%12s %15s %13s  %-26s %16s %13s %14s\n", "target ev/s", "delivered ev/s", "applied ev/s",
                "longest stall ms per run", "longest drain ms", "ticks >16 ms", "inbox dropped");
    int bestWorst = 0;
    int bestMedian = 0;
    for (const int rate : std::as_const(rates)) {
        QList<RateResult> runs;
        for (int i = 0; i < repeats; ++i)
            runs.append(runRate(session, maker, counter, rate, seconds, pageTime));
        double delivered = 0;
        double applied = 0;
        int over16 = 0;
        quint64 dropped = 0;
        QList<double> stalls;
        std::string stallText;
        double drain = 0;
        for (const RateResult &r : std::as_const(runs)) {
            delivered += r.delivered / repeats;
            applied += r.applied / repeats;
            over16 += r.ticksOver16;
            dropped += r.inboxDropped;
            stalls.append(r.stallMs);
            drain = std::max(drain, r.drainMs);
            char text[32];
            std::snprintf(text, sizeof text, "%s%.1f", stallText.empty() ? "" : " ", r.stallMs);
            stallText += text;
        }
        std::sort(stalls.begin(), stalls.end());
        const double median = stalls.at(stalls.size() / 2);
        std::printf("%12s %15.0f %13.0f  %-26s %16.1f %13d %14llu\n",
                    rate == 0 ? "0 (idle)" : std::to_string(rate).c_str(), delivered, applied, stallText.c_str(), drain,
                    over16, static_cast<unsigned long long>(dropped));
        std::fflush(stdout);
        const bool keptUp = delivered >= 0.9 * rate && applied >= 0.9 * rate;
        if (rate > 0 && keptUp && stalls.last() < 16.0)
            bestWorst = std::max(bestWorst, rate);
        if (rate > 0 && keptUp && median < 16.0)
            bestMedian = std::max(bestMedian, rate);
    }
    auto verdict = [](int rate) { return rate > 0 ? std::to_string(rate) + " events/s" : std::string("none"); };
    std::printf("highest rate whose longest stall stayed under 16 ms: in every run %s; in the median run %s\n",
                verdict(bestWorst).c_str(), verdict(bestMedian).c_str());

    if (wantProfile)
        profile(projectDir);
    return 0;
}
