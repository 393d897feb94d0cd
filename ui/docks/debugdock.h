#pragma once

#include "runtime/debug/debugcontroller.h"

#include <QDockWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Loom::Ui {

// The paused threads of a debug run: each with where it stands, its stack (the project's frames,
// mapped to file and line) and its locals (Python reprs). Activating a frame opens its file at
// its line; Continue lets the selected thread go on.
class DebugDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit DebugDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DebugDock)

    void showPaused(const QList<Runtime::DebugController::Paused> &paused);
    // The paused thread Continue applies to: the selected one, else the oldest; 0 when none.
    quint64 currentPausedId() const;
    QTreeWidget *tree() const { return m_tree; }

Q_SIGNALS:
    void continueRequested(quint64 id);
    void openLocation(const QString &file, int line);

private:
    QTreeWidget *m_tree = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_continue = nullptr;
};

} // namespace Loom::Ui
