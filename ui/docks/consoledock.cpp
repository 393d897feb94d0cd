#include "consoledock.h"

#include "runtime/bridge/pagesession.h"
#include "ui/statuscolors.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlockFormat>
#include <QTextBrowser>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace {
constexpr QStringView Scheme = u"loom-source";

// Character formats of one paint. Entries are inserted through a cursor, not as HTML: parsing
// HTML was most of the cost of a busy console.
struct Formats
{
    explicit Formats(const QPalette &palette)
    {
        QColor dim = palette.color(QPalette::Text);
        dim.setAlphaF(0.6f);
        source.setForeground(dim);
        error.setForeground(StatusColors::error());
        link.setAnchor(true);
        link.setForeground(palette.color(QPalette::Link));
        link.setFontUnderline(true);
        note = source;
        note.setFontItalic(true);
    }
    QTextCharFormat plain;
    QTextCharFormat source;
    QTextCharFormat error;
    QTextCharFormat link;
    QTextCharFormat note;
};

QString oneBlock(QString text)
{
    // Line breaks inside an entry stay inside its block, as <br> did.
    return text.replace(u'\n', QChar::LineSeparator);
}

void insertEntry(QTextCursor &cursor, const ConsoleEntry &entry, const Formats &formats)
{
    const QTextCharFormat &body = entry.isError ? formats.error : formats.plain;
    cursor.insertText(entry.source, formats.source);
    cursor.insertText(u" "_s, body);
    if (!entry.call.isEmpty()) {
        QTextCharFormat bold = body;
        bold.setFontWeight(QFont::Bold);
        cursor.insertText(u"%1 failed: "_s.arg(oneBlock(entry.call)), bold);
    }
    cursor.insertText(oneBlock(entry.text), body);
    for (const SourceLocation &location : entry.locations) {
        cursor.insertText(QString(QChar::LineSeparator) + u"  at "_s, body);
        QTextCharFormat link = formats.link;
        link.setAnchorHref(ConsoleDock::linkFor(location).toString(QUrl::FullyEncoded));
        cursor.insertText(u"%1:%2"_s.arg(location.file).arg(location.line), link);
        if (!location.function.isEmpty())
            cursor.insertText(u" in "_s + location.function, body);
    }
    if (!entry.explanation.isEmpty()) {
        QTextCharFormat bold = body;
        bold.setFontWeight(QFont::Bold);
        cursor.insertText(QString(QChar::LineSeparator) + u"hint:"_s, bold);
        cursor.insertText(u" "_s + oneBlock(entry.explanation), body);
    }
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
    m_view->setUndoRedoEnabled(false); // a log: nothing to undo, and no history to grow
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
    const Formats formats(m_view->palette());
    QTextDocument *document = m_view->document();
    QTextCursor cursor(document);
    cursor.beginEditBlock(); // one layout for the whole paint
    cursor.movePosition(QTextCursor::End);
    bool first = document->isEmpty();
    auto nextBlock = [&] {
        if (!first)
            cursor.insertBlock(QTextBlockFormat(), formats.plain);
        first = false;
    };
    if (skipped > 0) {
        nextBlock();
        cursor.insertText(skipped == 1
                              ? tr("… 1 line not painted while the console floods (the run keeps it)")
                              : tr("… %1 lines not painted while the console floods (the run keeps them)").arg(skipped),
                          formats.note);
    }
    for (const ConsoleEntry &entry : entries) {
        nextBlock();
        insertEntry(cursor, entry, formats);
    }
    cursor.endEditBlock();
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
