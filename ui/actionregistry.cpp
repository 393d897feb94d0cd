#include "actionregistry.h"

#include <QAction>

namespace Loom::Ui {

ActionRegistry::ActionRegistry(QObject *parent)
    : QObject(parent)
{}

QAction *ActionRegistry::add(const QString &id, const QString &text, const QKeySequence &shortcut,
                             std::function<void()> handler)
{
    return add(id, text, shortcut.isEmpty() ? QList<QKeySequence>() : QList<QKeySequence>{shortcut},
               std::move(handler));
}

QAction *ActionRegistry::add(const QString &id, const QString &text, const QList<QKeySequence> &shortcuts,
                             std::function<void()> handler)
{
    Q_ASSERT(!m_actions.contains(id));
    auto *action = new QAction(text, parent());
    action->setObjectName(id);
    action->setShortcuts(shortcuts);
    action->setShortcutContext(Qt::WindowShortcut);
    connect(action, &QAction::triggered, this, [handler = std::move(handler)] { handler(); });
    m_actions.insert(id, action);
    return action;
}

QAction *ActionRegistry::action(const QString &id) const
{
    QAction *action = m_actions.value(id);
    Q_ASSERT_X(action, "ActionRegistry::action", qPrintable(id));
    return action;
}

} // namespace Loom::Ui
