#include "debugdock.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Loom::Ui {

using Runtime::DebugController;

namespace {
constexpr int IdRole = Qt::UserRole + 1;   // the paused thread's id, on its item
constexpr int FileRole = Qt::UserRole + 2; // a frame's file and line
constexpr int LineRole = Qt::UserRole + 3;

quint64 idOf(const QTreeWidgetItem *item)
{
    while (item && item->parent())
        item = item->parent();
    return item ? item->data(0, IdRole).toULongLong() : 0;
}
} // namespace

DebugDock::DebugDock(QWidget *parent)
    : QDockWidget(tr("Debug"), parent)
    , m_tree(new QTreeWidget)
    , m_status(new QLabel(tr("Set breakpoints with F9 (or a click in the margin), then Run > Debug (F6).")))
    , m_continue(new QPushButton(tr("Continue")))
{
    setObjectName(QStringLiteral("debugDock"));
    m_tree->setObjectName(QStringLiteral("debugTree"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Name"), tr("Value")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setToolTip(tr("Let the selected thread go on (F8)"));
    m_continue->setEnabled(false);
    m_status->setWordWrap(true);
    auto *strip = new QHBoxLayout;
    strip->addWidget(m_status, 1);
    strip->addWidget(m_continue);
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(strip);
    layout->addWidget(m_tree, 1);
    setWidget(content);
    connect(m_continue, &QPushButton::clicked, this, [this] {
        if (const quint64 id = currentPausedId())
            Q_EMIT continueRequested(id);
    });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (const int line = item->data(0, LineRole).toInt(); line > 0)
            Q_EMIT openLocation(item->data(0, FileRole).toString(), line);
    });
}

void DebugDock::showPaused(const QList<DebugController::Paused> &paused)
{
    const quint64 selected = currentPausedId();
    m_tree->clear();
    m_continue->setEnabled(!paused.isEmpty());
    m_status->setText(paused.isEmpty() ? tr("No thread is paused.")
                                       : tr("%n thread(s) paused. Continue (F8) lets the selected one go on.", nullptr,
                                            int(paused.size())));
    for (const DebugController::Paused &entry : paused) {
        const Runtime::DebugHit &hit = entry.hit;
        auto *thread = new QTreeWidgetItem(
            m_tree, {hit.thread, tr("paused at %1:%2 in %3()").arg(hit.file).arg(hit.line).arg(hit.function)});
        thread->setData(0, IdRole, entry.id);
        thread->setData(0, FileRole, hit.file);
        thread->setData(0, LineRole, hit.line);
        auto *stack = new QTreeWidgetItem(thread, {tr("Stack"), QString()});
        for (const Runtime::DebugHit::Frame &frame : hit.stack) {
            auto *item = new QTreeWidgetItem(
                stack, {frame.function + u"()", QStringLiteral("%1:%2").arg(frame.file).arg(frame.line)});
            item->setData(0, FileRole, frame.file);
            item->setData(0, LineRole, frame.line);
        }
        auto *locals = new QTreeWidgetItem(thread, {tr("Locals"), hit.localsMissing});
        for (const auto &[name, value] : hit.locals)
            new QTreeWidgetItem(locals, {name, value});
        thread->setExpanded(true);
        locals->setExpanded(true);
        if (entry.id == selected || (selected == 0 && m_tree->topLevelItemCount() == 1))
            m_tree->setCurrentItem(thread);
    }
}

quint64 DebugDock::currentPausedId() const
{
    if (const quint64 id = idOf(m_tree->currentItem()))
        return id;
    return m_tree->topLevelItemCount() > 0 ? m_tree->topLevelItem(0)->data(0, IdRole).toULongLong() : 0;
}

} // namespace Loom::Ui
