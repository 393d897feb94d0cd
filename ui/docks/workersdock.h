#pragma once

#include <QDockWidget>

class QTableView;

namespace Loom::Runtime {
class PageSession;
class WorkerTableModel;
} // namespace Loom::Runtime

namespace Loom::Ui {

// The page's workers, live: a row each, the state as a coloured light.
class WorkersDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit WorkersDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(WorkersDock)

    void setSession(Runtime::PageSession *session);
    Runtime::WorkerTableModel *model() const { return m_model; }

Q_SIGNALS:
    void openLocation(const QString &file, int line);

private:
    Runtime::WorkerTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace Loom::Ui
