#pragma once

#include "runtime/run/pagerunner.h"
#include "runtime/vendor/vendorinterceptor.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Loom::Runtime {

// What a run produced, as written by `loom run --report FILE.json` (schema in README.md).
// The console is bounded: a page that prints without end cannot grow Loom's memory.
class RunReport final
{
public:
    static constexpr qsizetype MaxConsoleLines = 5000;
    static constexpr qsizetype MaxConsoleBytes = 8 * 1024 * 1024; // the browser console's lines, UTF-16
    // A report larger than this is written again with each text cut to ShortTextChars (and says
    // so in "truncated"): whatever a page sends, the file and the memory to write it stay bounded.
    static constexpr qsizetype MaxReportBytes = 32 * 1024 * 1024;
    static constexpr qsizetype ShortTextChars = 2000;

    void setProject(const QString &projectDir, const QUrl &url);
    void addConsoleLine(const ConsoleLine &line);
    void addNote(const QString &note);
    void setOutcome(const RunOutcome &outcome);
    // The scenario's expected outcome: how many checks, and the message of each one not met.
    void setExpectations(qsizetype checked, const QStringList &unmet)
    {
        m_expectChecked = checked;
        m_expectUnmet = unmet;
    }
    // The bridge's view of the run (workers, calls, Python console, responsiveness); may be null.
    void setSession(const class PageSession *session) { m_session = session; }
    void setNetwork(const NetworkSummary &network) { m_network = network; }

    const QList<ConsoleLine> &consoleLines() const { return m_console; }
    qsizetype droppedConsoleLines() const { return m_droppedConsole; }
    const RunOutcome &outcome() const { return m_outcome; }

    QByteArray toJson() const;

private:
    QByteArray toJson(qsizetype maxText) const;
    QString m_projectDir;
    QUrl m_url;
    QList<ConsoleLine> m_console;
    qsizetype m_droppedConsole = 0;
    qsizetype m_consoleBytes = 0;
    QStringList m_notes;
    RunOutcome m_outcome;
    const class PageSession *m_session = nullptr;
    NetworkSummary m_network;
    qsizetype m_expectChecked = 0;
    QStringList m_expectUnmet;
};

} // namespace Loom::Runtime
