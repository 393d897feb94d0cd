#include "runonsave.h"

#include "editor/documentstore.h"
#include "editorarea.h"

#include "runtime/project/project.h"

#include <QLoggingCategory>

namespace Loom::Ui {

Q_LOGGING_CATEGORY(lcRunOnSave, "loom.ui.runonsave", QtWarningMsg)

RunOnSave::RunOnSave(EditorArea *editors, QObject *parent)
    : QObject(parent)
    , m_editors(editors)
{
    m_delay.setSingleShot(true);
    m_delay.setInterval(Delay);
    connect(&m_delay, &QTimer::timeout, this, &RunOnSave::runRequested);
}

RunOnSave::~RunOnSave() = default;

void RunOnSave::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled)
        m_delay.stop();
}

Runtime::Result<> RunOnSave::saveCurrent()
{
    // The current editor's file, found by the store's own names (a file has one document however
    // many tabs show it).
    QStringList current;
    const DocumentStore *documents = m_editors->documents();
    if (CodeEditor *editor = m_editors->currentEditor()) {
        for (const QString &path : documents->openPaths()) {
            if (documents->editors(path).contains(editor))
                current.append(path);
        }
    }
    auto result = m_editors->saveCurrent();
    if (result)
        saved(current);
    return result;
}

Runtime::Result<> RunOnSave::saveAll()
{
    // What Save All writes: the modified files; those still modified after it failed.
    const DocumentStore *documents = m_editors->documents();
    QStringList written = documents->modifiedPaths();
    auto result = m_editors->saveAll();
    written.removeIf([&](const QString &path) { return documents->isModified(path); });
    saved(written);
    return result;
}

void RunOnSave::saved(const QStringList &paths)
{
    if (!m_enabled)
        return;
    // The store names files by their canonical paths: the project's root too, for contains().
    const Runtime::Project project(
        m_editors->projectDir().isEmpty() ? QString() : DocumentStore::documentPath(m_editors->projectDir()));
    for (const QString &path : paths) {
        if (!project.isNull() && project.contains(path) && !Runtime::Project::isHidden(project.relativePath(path))) {
            qCDebug(lcRunOnSave) << "saved" << path << "- the page runs again";
            m_delay.start();
            return;
        }
    }
}

} // namespace Loom::Ui
