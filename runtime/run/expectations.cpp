#include "runtime/run/expectations.h"

#include "runtime/bridge/pagesession.h"

#include <QHash>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

namespace {
bool matches(const ExpectedCall &expected, const CallRecord &call)
{
    if (call.function != expected.function || (!expected.worker.isEmpty() && call.workerName != expected.worker))
        return false;
    if (expected.ok && (!call.finished || call.ok != *expected.ok))
        return false;
    if (expected.contains.isEmpty())
        return true;
    return call.result.contains(expected.contains) || call.error.contains(expected.contains);
}

// What the run did instead, for the message: the calls to that function, or all the functions called.
QString seenInstead(const ExpectedCall &expected, const CallLog &calls)
{
    QStringList seen;
    for (qsizetype i = 0; i < calls.size() && seen.size() < 3; ++i) {
        const CallRecord &call = calls.at(i);
        if (call.function != expected.function)
            continue;
        const QString outcome = !call.finished ? u"still running"_s
                                : call.ok      ? u"returned %1"_s.arg(call.result.left(80))
                                               : u"failed: %1"_s.arg(errorSummary(call.error).left(80));
        seen.append(u"%1.%2() %3"_s.arg(call.workerName, call.function, outcome));
    }
    if (!seen.isEmpty())
        return seen.join(u"; "_s);
    QStringList functions;
    for (qsizetype i = 0; i < calls.size(); ++i) {
        if (!functions.contains(calls.at(i).function))
            functions.append(calls.at(i).function);
    }
    return functions.isEmpty() ? u"no call was made"_s : u"calls made: %1"_s.arg(functions.join(u", "_s));
}
using Level = ExpectedConsoleLine::Level;

// A line of either console, as a console expectation sees it.
struct SeenLine
{
    bool browser = false; // from the browser's console, else from the bridge (Python's output)
    bool worker = false;  // the kind of thread that wrote it
    QString source;       // Python: "main:mpy", "worker:primes"; browser: "browser:main", "browser:worker"
    Level level = Level::Info;
    QString text;
    bool echo = false; // a browser line repeating a Python line

    QString workerName() const { return !browser && worker ? source.mid(source.indexOf(u':') + 1) : QString(); }
};

QString levelName(Level level)
{
    switch (level) {
    case Level::Any:
        break;
    case Level::Info:
        return u"info"_s;
    case Level::Warning:
        return u"warning"_s;
    case Level::Error:
        return u"error"_s;
    }
    return {};
}

QList<SeenLine> seenLines(const QList<ConsoleEntry> &python, const QList<ConsoleLine> &browser)
{
    QList<SeenLine> lines;
    // Python lines not yet matched by an echo, by kind of thread and text.
    QHash<QPair<bool, QString>, int> unechoed;
    for (const ConsoleEntry &entry : python) {
        SeenLine line;
        line.worker = entry.source.startsWith(u"worker:");
        line.source = entry.source;
        line.level = entry.isError ? Level::Error : Level::Info; // stdout, stderr
        line.text = entry.text;
        ++unechoed[{line.worker, entry.text.trimmed()}];
        lines.append(line);
    }
    for (const ConsoleLine &entry : browser) {
        SeenLine line;
        line.browser = true;
        line.worker = entry.fromWorker;
        line.source = entry.fromWorker ? u"browser:worker"_s : u"browser:main"_s;
        line.level = entry.level == ConsoleLine::Level::Error     ? Level::Error
                     : entry.level == ConsoleLine::Level::Warning ? Level::Warning
                                                                  : Level::Info;
        line.text = entry.text;
        const auto it = unechoed.find({line.worker, entry.text.trimmed()});
        if (it != unechoed.end() && *it > 0) {
            --*it;
            line.echo = true;
        }
        lines.append(line);
    }
    return lines;
}

bool inThread(const SeenLine &line, const QString &thread)
{
    if (thread == u"browser")
        return line.browser;
    if (line.echo)
        return false;
    if (thread.isEmpty())
        return true;
    if (thread == u"main")
        return !line.worker;
    if (thread == u"worker")
        return line.worker;
    return line.workerName() == thread;
}
} // namespace

QStringList unmetConsoleExpectations(const QList<ExpectedConsoleLine> &expected, const QList<ConsoleEntry> &python,
                                     const QList<ConsoleLine> &browser)
{
    QStringList unmet;
    if (expected.isEmpty())
        return unmet;
    const QList<SeenLine> lines = seenLines(python, browser);
    for (const ExpectedConsoleLine &line : expected) {
        int found = 0;
        QMap<QString, int> elsewhere; // "main:mpy info" -> lines with the text the filters left out
        for (const SeenLine &seen : lines) {
            if (!seen.text.contains(line.text))
                continue;
            if (inThread(seen, line.thread) && (line.level == Level::Any || seen.level == line.level))
                ++found;
            else if (!seen.echo || line.thread == u"browser")
                ++elsewhere[seen.source + u' ' + levelName(seen.level)];
        }
        const int min = line.count ? *line.count : line.min.value_or(line.max ? 0 : 1);
        const int max = line.count ? *line.count : line.max.value_or(std::numeric_limits<int>::max());
        if (found >= min && found <= max)
            continue;
        const bool plain = line.thread.isEmpty() && line.level == Level::Any && !line.count && !line.min && !line.max;
        if (plain) {
            unmet.append(u"no console line contains \"%1\"."_s.arg(line.text));
            continue;
        }
        QStringList other;
        for (auto it = elsewhere.cbegin(); it != elsewhere.cend(); ++it)
            other.append(u"%1: %2"_s.arg(it.key(), QString::number(it.value())));
        unmet.append(u"expected %1, found %2%3."_s.arg(
            line.describe(), QString::number(found),
            other.isEmpty() ? QString() : u" (other lines containing it: %1)"_s.arg(other.join(u", "_s))));
    }
    return unmet;
}

QStringList unmetExpectations(const Expectations &expect, const PageSession &session,
                              const QList<ConsoleLine> &browserConsole)
{
    QStringList unmet;
    for (const auto &[name, state] : expect.workers) {
        const WorkerInfo *worker = session.workers().findByName(name);
        if (!worker)
            unmet.append(u"worker \"%1\" should be %2, but the page never started it."_s.arg(name, state));
        else if (workerStateName(worker->state) != state)
            unmet.append(u"worker \"%1\" should be %2, but it is %3%4."_s.arg(
                name, state, workerStateName(worker->state),
                worker->lastError.isEmpty() ? QString() : u" (%1)"_s.arg(errorSummary(worker->lastError))));
    }
    const CallLog &calls = session.calls();
    for (const ExpectedCall &expected : expect.calls) {
        bool found = false;
        for (qsizetype i = 0; i < calls.size() && !found; ++i)
            found = matches(expected, calls.at(i));
        if (!found)
            unmet.append(u"no call %1 (%2)."_s.arg(expected.describe(), seenInstead(expected, calls)));
    }
    unmet += unmetConsoleExpectations(expect.console, session.console().entries(), browserConsole);
    return unmet;
}

QStringList judgeExpectations(const Expectations &expect, const PageSession &session,
                              const QList<ConsoleLine> &browserConsole, RunOutcome &outcome)
{
    if (outcome.status != RunOutcome::Status::Passed || expect.isEmpty())
        return {};
    const QStringList unmet = unmetExpectations(expect, session, browserConsole);
    if (!unmet.isEmpty()) {
        outcome.status = RunOutcome::Status::PageError;
        outcome.message = QStringLiteral("%1 of %2 expected outcome(s) not met.").arg(unmet.size()).arg(expect.count());
    }
    return unmet;
}

ExpectationWatch::ExpectationWatch(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, &ExpectationWatch::judge);
}

ExpectationWatch::~ExpectationWatch() = default;

void ExpectationWatch::setExpectations(const Expectations &expect)
{
    m_expect = expect;
    m_judged = false;
    judge();
}

void ExpectationWatch::setSession(const PageSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_browser.clear();
    if (session)
        connect(session, &PageSession::batchApplied, this, &ExpectationWatch::schedule);
    judge();
}

void ExpectationWatch::addBrowserLine(const ConsoleLine &line)
{
    if (m_expect.console.isEmpty())
        return;
    if (m_browser.size() >= MaxBrowserLines)
        m_browser.removeFirst();
    m_browser.append(line);
    schedule();
}

void ExpectationWatch::schedule()
{
    if (!m_timer->isActive())
        m_timer->start();
}

void ExpectationWatch::judge()
{
    m_timer->stop();
    QStringList unmet;
    if (!m_expect.isEmpty()) {
        if (m_session)
            unmet = unmetExpectations(m_expect, *m_session, m_browser);
        else
            unmet.append(QStringLiteral("the page has not run yet."));
    }
    if (m_judged && unmet == m_unmet)
        return;
    m_judged = true;
    m_unmet = unmet;
    Q_EMIT changed(m_expect.count(), m_unmet);
}

} // namespace Loom::Runtime
