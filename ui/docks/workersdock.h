#pragma once

#include "sessionview.h"

#include <QDockWidget>
#include <QStringList>

class QLabel;
class QProgressBar;
class QTableView;

namespace Loom::Runtime {
struct PackageProgress;
class PageSession;
class WorkerTableModel;
} // namespace Loom::Runtime

namespace Loom::Ui {

// The page's workers, live: a row each, the state as a coloured light.
class WorkersDock final : public QDockWidget, public SessionView
{
    Q_OBJECT

public:
    explicit WorkersDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(WorkersDock)

    void setSession(Runtime::PageSession *session) override;
    Runtime::WorkerTableModel *model() const { return m_model; }
    // A strip under the table while Pyodide packages download into Loom's package cache
    // (workers wait for them): the file, its bytes; gone when the last one ends.
    void showPackageProgress(const Runtime::PackageProgress &progress);
    QString packageProgressText() const;

Q_SIGNALS:
    void openLocation(const QString &file, int line);

private:
    Runtime::WorkerTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QWidget *m_packages = nullptr;
    QLabel *m_packageLabel = nullptr;
    QProgressBar *m_packageBar = nullptr;
    QStringList m_downloading; // file names, in the order they started
};

} // namespace Loom::Ui
