#pragma once

#include "runtime/project/project.h"
#include "runtime/project/projectcheck.h"

#include <QObject>

namespace Loom::Runtime {
class VendorFiles;
}

class QTimer;

namespace Loom::Ui {

class DocumentStore;

// Checks the open project on every edit (debounced) and before every run, off the UI thread:
// a pool thread reads the files and asks the embedded Python (PythonEngine). Unsaved editors are
// checked as they are, not as on disk. A late answer for an older text is dropped.
class ProjectChecker final : public QObject
{
    Q_OBJECT

public:
    static constexpr int DebounceMs = 400;

    // With a runtime, offline package checks know Loom's package cache.
    explicit ProjectChecker(DocumentStore *documents, const Runtime::VendorFiles *runtime, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProjectChecker)

    void setProject(const Runtime::Project &project);
    void schedule(); // after the edits pause
    void checkNow();
    bool isChecking() const { return m_running > 0 || m_pending; }

Q_SIGNALS:
    void checked(const QList<Loom::Runtime::Diagnostic> &diagnostics);
    void failed(const QString &error);

private:
    DocumentStore *m_documents = nullptr;
    const Runtime::VendorFiles *m_runtime = nullptr;
    QTimer *m_debounce = nullptr;
    Runtime::Project m_project;
    quint64 m_generation = 0;
    int m_running = 0;
    bool m_pending = false;
};

} // namespace Loom::Ui
