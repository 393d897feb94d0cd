#include "consoledock.h"

#include "runtime/pagesession.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace {
constexpr QStringView Scheme = u"loom-source";

QString entryHtml(const ConsoleEntry &entry)
{
    QString html = QStringLiteral("<div style=\"white-space:pre-wrap;%1\"><span style=\"opacity:0.6\">%2</span> %3%4")
                       .arg(entry.isError ? QStringLiteral("color:#d9534f") : QString(), entry.source.toHtmlEscaped(),
                            entry.call.isEmpty() ? QString() : QStringLiteral("<b>%1 failed:</b> ").arg(entry.call.toHtmlEscaped()),
                            entry.text.toHtmlEscaped());
    for (const SourceLocation &location : entry.locations) {
        html += QStringLiteral("<br>&nbsp;&nbsp;at <a href=\"%1\">%2:%3</a>%4")
                    .arg(ConsoleDock::linkFor(location).toString(QUrl::FullyEncoded), location.file.toHtmlEscaped())
                    .arg(location.line)
                    .arg(location.function.isEmpty() ? QString() : u" in "_s + location.function.toHtmlEscaped());
    }
    if (!entry.explanation.isEmpty())
        html += QStringLiteral("<br><b>hint:</b> %1").arg(entry.explanation.toHtmlEscaped());
    return html + QStringLiteral("</div>");
}
} // namespace

ConsoleDock::ConsoleDock(QWidget *parent)
    : QDockWidget(tr("Console"), parent)
    , m_sources(new QComboBox)
    , m_view(new QTextBrowser)
{
    setObjectName(QStringLiteral("ConsoleDock"));
    auto *content = new QWidget;
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Thread:")));
    m_sources->addItem(tr("All threads"), QString());
    m_sources->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(m_sources);
    auto *clear = new QPushButton(tr("Clear"));
    bar->addWidget(clear);
    bar->addStretch();
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_view);
    setWidget(content);

    m_view->setOpenLinks(false);
    m_view->setObjectName(QStringLiteral("consoleView"));
    m_view->document()->setMaximumBlockCount(MaxBlocks);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_view, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() != Scheme)
            return;
        Q_EMIT openLocation(url.path(), url.fragment().toInt());
    });
    connect(m_sources, &QComboBox::activated, this, [this] { setSourceFilter(m_sources->currentData().toString()); });
    connect(clear, &QPushButton::clicked, m_view, &QTextBrowser::clear);
}

QUrl ConsoleDock::linkFor(const SourceLocation &location)
{
    QUrl url;
    url.setScheme(Scheme.toString());
    url.setPath(location.file);
    url.setFragment(QString::number(location.line));
    return url;
}

void ConsoleDock::setSession(PageSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_pending.clear();
    m_view->clear();
    if (!session)
        return;
    // Entries are collected as they come and painted once per applied batch.
    connect(session, &PageSession::consoleAppended, this, [this](const ConsoleEntry &entry) {
        if (m_filter.isEmpty() || entry.source == m_filter)
            m_pending.append(entry);
    });
    connect(session, &PageSession::batchApplied, this, &ConsoleDock::flushPending);
    connect(session, &QObject::destroyed, this, [this] { m_session = nullptr; });
    rebuild();
}

void ConsoleDock::setSourceFilter(const QString &source)
{
    m_filter = source;
    const int index = m_sources->findData(source);
    if (index >= 0)
        m_sources->setCurrentIndex(index);
    rebuild();
}

void ConsoleDock::rebuild()
{
    m_view->clear();
    m_pending.clear();
    if (m_session)
        appendEntries(m_session->console().entries(m_filter));
}

void ConsoleDock::flushPending()
{
    updateSources();
    if (m_pending.isEmpty())
        return;
    // A flood paints only its newest lines: painting costs far more than keeping, and nobody reads
    // 10,000 lines a second. The session still keeps them; choosing the thread shows those.
    const qsizetype skipped = m_pending.size() - MaxLinesPerPaint;
    if (skipped > 0)
        m_pending.remove(0, skipped);
    appendEntries(m_pending, skipped > 0 ? skipped : 0);
    m_pending.clear();
}

void ConsoleDock::appendEntries(const QList<ConsoleEntry> &entries, qsizetype skipped)
{
    if (entries.isEmpty())
        return;
    QScrollBar *scroll = m_view->verticalScrollBar();
    const bool atBottom = scroll->value() >= scroll->maximum() - 4;
    QString html;
    if (skipped > 0) {
        html += QStringLiteral("<div style=\"opacity:0.6;font-style:italic\">%1</div>")
                    .arg(skipped == 1 ? tr("… 1 line not painted while the console floods (the run keeps it)")
                                      : tr("… %1 lines not painted while the console floods (the run keeps them)").arg(skipped));
    }
    for (const ConsoleEntry &entry : entries)
        html += entryHtml(entry);
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_view->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertHtml(html);
    if (atBottom)
        scroll->setValue(scroll->maximum());
}

void ConsoleDock::updateSources()
{
    if (!m_session)
        return;
    for (const QString &source : m_session->console().sources()) {
        if (m_sources->findData(source) < 0)
            m_sources->addItem(source, source);
    }
}

} // namespace Loom::Ui
