#pragma once

#include "runtime/bridge/consolelog.h"
#include "runtime/run/pagerunner.h"
#include "runtime/run/scenario.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QTimer;

namespace Loom::Runtime {

class PageSession;

// Checks a scenario's expected outcome against what the run's models saw and the browser's own
// console (the lines PageRunner::consoleLine gave). Returns one message in plain words per
// expectation not met (empty: all met).
QStringList unmetExpectations(const Expectations &expect, const PageSession &session,
                              const QList<ConsoleLine> &browserConsole = {});

// A run's verdict on its scenario's expected outcome, checked once its steps passed (a failed
// step already says why): the unmet expectations; any unmet makes `outcome` a page error with a
// message that counts them. Nothing to check: empty, and `outcome` unchanged.
QStringList judgeExpectations(const Expectations &expect, const PageSession &session,
                              const QList<ConsoleLine> &browserConsole, RunOutcome &outcome);

// The console part alone. Python's output reaches both consoles (PyScript still logs what the
// bridge reports), so a browser line that repeats a Python line of the same kind of thread is that
// line's echo: it counts once, as the Python line, except for the thread "browser", which sees the
// browser's console as it is.
QStringList unmetConsoleExpectations(const QList<ExpectedConsoleLine> &expected, const QList<ConsoleEntry> &python,
                                     const QList<ConsoleLine> &browser);

// The expected outcome of a project's scenario, judged while a page runs in the IDE, where the
// user plays the steps by hand: after the session applies events (at most every 250 ms) and when
// the browser's console shows a line. Lives on the session's thread.
class ExpectationWatch final : public QObject
{
    Q_OBJECT

public:
    explicit ExpectationWatch(QObject *parent = nullptr);
    ~ExpectationWatch() override;
    Q_DISABLE_COPY_MOVE(ExpectationWatch)

    // What to expect (empty: nothing; changed() says total 0). Judged again at once.
    void setExpectations(const Expectations &expect);
    qsizetype total() const { return m_expect.count(); }
    // A new run: its session (nullptr: none) and an empty browser console.
    void setSession(const PageSession *session);
    // A line of the browser's own console during the run (kept up to MaxBrowserLines, newest).
    void addBrowserLine(const ConsoleLine &line);
    static constexpr qsizetype MaxBrowserLines = 2000;

    const QStringList &unmet() const { return m_unmet; }

Q_SIGNALS:
    // After each judgement that changed the verdict: `total` expectations, `unmet` not met (yet).
    void changed(qsizetype total, const QStringList &unmet);

private:
    void schedule();
    void judge();

    Expectations m_expect;
    QPointer<const PageSession> m_session;
    QList<ConsoleLine> m_browser;
    QStringList m_unmet;
    bool m_judged = false;
    QTimer *m_timer = nullptr;
};

} // namespace Loom::Runtime
