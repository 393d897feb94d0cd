#include "projectchecker.h"

#include "editor/documentstore.h"

#include "runtime/packages/projectpackages.h"

#include <QApplication>
#include <QDir>
#include <QTimer>
#include <QtConcurrentRun>

namespace Loom::Ui {

using namespace Runtime;

ProjectChecker::ProjectChecker(DocumentStore *documents, const VendorFiles *runtime, QObject *parent)
    : QObject(parent)
    , m_documents(documents)
    , m_runtime(runtime)
    , m_debounce(new QTimer(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &ProjectChecker::checkNow);
    connect(documents, &DocumentStore::textChanged, this, &ProjectChecker::schedule);
}

void ProjectChecker::setProject(const Project &project)
{
    m_project = project;
    ++m_generation; // answers about the previous project are dropped
    m_debounce->stop();
    m_pending = false;
    if (project.isNull())
        Q_EMIT checked({});
    else
        checkNow();
}

void ProjectChecker::schedule()
{
    if (m_project.isNull())
        return;
    m_pending = true;
    m_debounce->start();
}

void ProjectChecker::checkNow()
{
    m_debounce->stop();
    m_pending = false;
    if (m_project.isNull())
        return;
    // The editors' texts are copied here (cheap); everything else happens on a pool thread.
    CheckInput input{m_project.root(), {}, true};
    for (const QString &path : m_documents->modifiedPaths())
        input.unsaved.insert(m_project.relativePath(path), m_documents->text(path));
    const quint64 generation = ++m_generation;
    ++m_running;
    QtConcurrent::run([input = std::move(input), runtime = m_runtime]() mutable {
        if (runtime)
            input.packagesReady = readyPackages(*runtime);
        return checkProject(input);
    }).then(this, [this, generation](const Result<QList<Diagnostic>> &result) {
        --m_running;
        if (generation != m_generation)
            return; // the text changed since: a newer check is coming
        if (result)
            Q_EMIT checked(*result);
        else
            Q_EMIT failed(result.error());
    });
}

} // namespace Loom::Ui
