#pragma once

#include "sessionview.h"

#include "runtime/bridge/consolelog.h"

#include <QDockWidget>
#include <QList>

class QComboBox;
class QTextBrowser;

namespace Loom::Runtime {
class PageSession;
}

namespace Loom::Ui {

// The console of each thread of the page. Traceback frames mapped to the user's files are links;
// activating one asks the window to open that file at that line.
class ConsoleDock final : public QDockWidget, public SessionView
{
    Q_OBJECT

public:
    static constexpr int MaxBlocks = 5000;
    // Lines painted per applied batch at most; the rest of a flood is summed up in one line.
    static constexpr qsizetype MaxLinesPerPaint = 200;

    explicit ConsoleDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConsoleDock)

    void setSession(Runtime::PageSession *session) override;
    QTextBrowser *view() const { return m_view; }
    // "" for every thread, else a source like "worker:primes".
    void setSourceFilter(const QString &source);

    // The link for a location, as the view holds it (loom-source:FILE#LINE).
    static QUrl linkFor(const Runtime::SourceLocation &location);

Q_SIGNALS:
    void openLocation(const QString &file, int line);

private:
    void flushPending();
    void rebuild();
    void appendEntries(const QList<Runtime::ConsoleEntry> &entries, qsizetype skipped = 0);
    void updateSources();

    Runtime::PageSession *m_session = nullptr;
    QComboBox *m_sources = nullptr;
    QTextBrowser *m_view = nullptr;
    QList<Runtime::ConsoleEntry> m_pending;
    QString m_filter;
};

} // namespace Loom::Ui
