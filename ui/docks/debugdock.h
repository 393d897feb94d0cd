#pragma once

#include "runtime/debug/debugcontroller.h"
#include "ui/docks/sessionview.h"

#include <QDockWidget>
#include <QHash>
#include <QSet>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace Loom::Ui {

// The threads of a run: every thread's state (main scripts, each worker by name), and for each
// paused one where it stands (and the exception it stopped at), its stack (the project's frames,
// mapped to file and line), the selected frame's locals (containers and objects expand one
// level) and its module's globals. Activating a frame selects it and opens its file at its line;
// the evaluation line runs an expression in the selected frame of the selected thread. Continue
// lets the selected thread go on.
class DebugDock final : public QDockWidget, public SessionView
{
    Q_OBJECT

public:
    explicit DebugDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DebugDock)

    void setSession(Runtime::PageSession *session) override;
    void showPaused(const QList<Runtime::DebugController::Paused> &paused);
    // The paused thread Continue applies to: the selected one, else the oldest; 0 when none.
    quint64 currentPausedId() const;
    // The selected frame of the current thread (0: the innermost).
    int currentFrame() const;
    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *evaluations() const { return m_output; }

Q_SIGNALS:
    void continueRequested(quint64 id);
    void evaluateRequested(quint64 id, int frame, const QString &expression);
    void openLocation(const QString &file, int line);

private:
    void rebuild();
    void showRunning();
    void addVariables(QTreeWidgetItem *parent, const Runtime::DebugHit::Variables &variables,
                      const QMap<QString, Runtime::DebugHit::Variables> &parts);
    QString currentThread() const;
    void evaluate();

    QTreeWidget *m_tree = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_continue = nullptr;
    QLineEdit *m_expression = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QTimer *m_runningChanged = nullptr;
    // The run's threads that are not paused: "main:mpy", "worker:primes", with their state.
    QList<std::pair<QString, QString>> runningThreads() const;

    Runtime::PageSession *m_session = nullptr;
    QList<Runtime::DebugController::Paused> m_paused;
    QString m_selectedThread;
    QHash<QString, int> m_frameOf;   // thread -> its selected frame
    QSet<quint64> m_seen;            // pauses already shown (their evaluation printed once)
    QHash<QString, bool> m_expanded; // "worker:primes/Globals" -> expanded, as the user left it
};

} // namespace Loom::Ui
