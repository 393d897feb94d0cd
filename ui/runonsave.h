#pragma once

#include "runtime/result.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <chrono>

namespace Loom::Ui {

class EditorArea;

// File > Run on Save: when it is on, a save made in Loom of a file of the project re-runs the page
// (the window connects runRequested to Run, so the docks start a fresh run), once for a burst of
// saves (Save All, Ctrl+S twice). Hidden files and files outside the project run nothing: the page
// is never served them. Only the saves of Save and Save All count: Run saves every file first, and
// that save goes past this object, so a run never causes another. A file changed by another
// program does not count either: the editors offer to reload it, and running what is on disk then
// would run what the editor does not show (`loom serve --reload` is the way for other editors).
class RunOnSave final : public QObject
{
    Q_OBJECT

public:
    // How long saves are collected before the run.
    static constexpr std::chrono::milliseconds Delay{300};

    explicit RunOnSave(EditorArea *editors, QObject *parent = nullptr);
    ~RunOnSave() override;
    Q_DISABLE_COPY_MOVE(RunOnSave)

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }

    // EditorArea's saves, then a run when on and a file of the project was saved.
    Runtime::Result<> saveCurrent();
    Runtime::Result<> saveAll();

Q_SIGNALS:
    void runRequested();

private:
    void saved(const QStringList &paths);

    EditorArea *m_editors = nullptr;
    QTimer m_delay;
    bool m_enabled = false;
};

} // namespace Loom::Ui
