#pragma once

#include <QObject>
#include <QString>

namespace Loom::Ui {

class CodeEditor;

// Completion and call tips for a Python editor, from Jedi through the embedded Python
// (resources/python/loom_complete.py, with Loom's stubs of the `pyscript` module). Ctrl+Space
// or a "." asks for completions, "(" for the call tip; the answer is shown only if the cursor
// has not moved meanwhile. Nothing waits on Python: the editor keeps taking keys.
class PythonCompleter final : public QObject
{
    Q_OBJECT

public:
    // `path` names the file for Jedi (relative to the project, whose folder lets it find the
    // project's own modules).
    PythonCompleter(CodeEditor *editor, const QString &projectDir, const QString &path);
    Q_DISABLE_COPY_MOVE(PythonCompleter)

    void complete();
    void showCallTip();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // After each answer, shown or not (tests wait for it).
    void answered();

private:
    enum class Ask { Completions, CallTip };
    void ask(Ask what);

    CodeEditor *m_editor = nullptr;
    QString m_projectDir;
    QString m_path;
};

} // namespace Loom::Ui
