#pragma once

#include <QHash>
#include <QKeySequence>
#include <QObject>
#include <QString>

#include <functional>

class QAction;

namespace Loom::Ui {

// Actions registered once by id, with text, shortcut and handler; menus and toolbars are built
// from ids, and the shortcut shows in every menu that holds the action.
class ActionRegistry final : public QObject
{
    Q_OBJECT

public:
    explicit ActionRegistry(QObject *parent);
    Q_DISABLE_COPY_MOVE(ActionRegistry)

    QAction *add(const QString &id, const QString &text, const QKeySequence &shortcut, std::function<void()> handler);
    QAction *add(const QString &id, const QString &text, const QList<QKeySequence> &shortcuts,
                 std::function<void()> handler);
    QAction *action(const QString &id) const; // asserts the id was registered

private:
    QHash<QString, QAction *> m_actions;
};

} // namespace Loom::Ui
